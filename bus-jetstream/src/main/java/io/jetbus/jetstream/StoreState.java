package io.jetbus.jetstream;

import java.util.List;

/**
 * A snapshot of a stream store, like NATS {@code StreamState}.
 *
 * @param firstSeq         the first live sequence; {@code lastSeq + 1} when the store is empty.
 * @param lastSeq          the last sequence ever assigned (it survives purges); 0 before the first append.
 * @param msgs             live messages.
 * @param bytes            stored bytes of the live messages (see {@link RecordCodec#storedSize}).
 * @param firstTimestampNs timestamp of the oldest live message, or 0 when empty.
 * @param lastTimestampNs  timestamp of the last message ever appended (the one of {@code lastSeq}); like
 *                         {@code lastSeq} it survives purges and deletions (NATS {@code LastTime}); 0 before the
 *                         first append or when unknown after a recovery.
 * @param numSubjects      distinct subjects with live messages.
 * @param numDeleted       sequences inside {@code firstSeq..lastSeq} that are deleted or lost.
 * @param lost             sequences lost to damage, found when the store was opened (NATS {@code LostStreamData}).
 */
record StoreState(
    long firstSeq,
    long lastSeq,
    long msgs,
    long bytes,
    long firstTimestampNs,
    long lastTimestampNs,
    long numSubjects,
    long numDeleted,
    List<SeqRange> lost)
{
    StoreState
    {
        lost = List.copyOf(lost);
    }

    /**
     * @return how many sequences {@link #lost()} covers.
     */
    long lostCount()
    {
        long n = 0;
        for (final SeqRange r : lost)
        {
            n += r.count();
        }
        return n;
    }
}
