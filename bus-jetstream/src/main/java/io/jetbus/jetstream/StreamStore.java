package io.jetbus.jetstream;

import java.util.Map;

/**
 * The messages of one stream, addressed by a stream sequence that is contiguous from 1: every append takes the last
 * sequence plus one; deleting or purging never renumbers, and after a purge of everything the next append continues
 * the sequence.
 *
 * <p>Writes ({@link #append}, {@link #delete}, {@link #purge}) return once the change is made: visible to every
 * reader, and (for a file store) in the operating system's hands, so it survives a crash of the process. Durability
 * against an OS crash or power loss, as far as the store's flush policy promises it, is a separate step: take
 * {@link #writeMark()} after the writes and call {@link #awaitDurable(long)} with it, after releasing any lock, so
 * that one sync covers the writes of many threads (group commit).
 *
 * <p>Safe for concurrent use. Reads never return damaged bytes: a record that fails its integrity checks raises
 * {@link io.jetbus.api.jetstream.CorruptRecordException}. Every method of a closed store throws
 * {@link IllegalStateException} saying so, except {@link #close()}, which is idempotent.
 *
 * <p>Subject filters use NATS wildcards: {@code *} matches one token, a trailing {@code >} one or more; {@code null}
 * or {@code ">"} matches everything.
 */
interface StreamStore extends AutoCloseable
{
    /**
     * Sentinel returned by {@link #nextSeq} when there is no such message.
     */
    long NO_SEQ = 0;

    /**
     * Stores a message under the next sequence. It returns once the message is written; see {@link #awaitDurable}
     * for durability.
     *
     * @param subject          the literal subject; not empty.
     * @param headers          encoded headers, or an empty array (or null) when there are none.
     * @param data             the payload; may be empty, not null.
     * @param timestampEpochNs when the stream accepted it.
     * @return the assigned sequence.
     * @throws io.jetbus.api.jetstream.StorageFullException if the disk is below the free-space reserve.
     * @throws IllegalArgumentException if the subject is empty or over 65535 UTF-8 bytes, or the record is too
     *     large for the store.
     * @throws NullPointerException if {@code subject} or {@code data} is null.
     * @throws IllegalStateException if the store is closed or has failed and is read-only.
     */
    long append(String subject, byte[] headers, byte[] data, long timestampEpochNs);

    /**
     * @return a mark covering every write made so far (appends and removals), for {@link #awaitDurable}.
     */
    default long writeMark()
    {
        return 0;
    }

    /**
     * Returns once every write covered by a mark is as durable as the store's flush policy promises: for a file store
     * with the every-publish policy, forced to the device (one sync serves every thread waiting at that time); with
     * the other policies, and for a memory store, at once. Call it without holding locks.
     *
     * @param mark a mark from {@link #writeMark()}.
     * @throws IllegalStateException if the writes could not be made durable: a sync failed (the store is then
     *     read-only) or the store was closed first.
     */
    default void awaitDurable(final long mark)
    {
    }

    /**
     * Whether a write can have to wait for a sync in {@link #awaitDurable} (a file store with the every-publish flush
     * policy); if not, every mark is durable at once.
     *
     * @return true if writes wait for syncs.
     */
    default boolean waitsForSyncs()
    {
        return false;
    }

    /**
     * @param seq a stream sequence.
     * @return the live message with that sequence, or null if it is outside {@code firstSeq..lastSeq}, deleted, or
     *     lost.
     * @throws io.jetbus.api.jetstream.CorruptRecordException if the stored record is damaged.
     */
    StoredMessage read(long seq);

    /**
     * Finds the first live message at or after a sequence whose subject matches a filter. With no filter it does not
     * read any record.
     *
     * @param fromSeq the sequence to start at; values below the first sequence start at the first.
     * @param filter  a subject pattern, or null for all.
     * @return the sequence, or {@link #NO_SEQ} if there is none.
     */
    long nextSeq(long fromSeq, String filter);

    /**
     * @return a snapshot of the store's counters.
     */
    StoreState state();

    /**
     * How many messages are stored with a sequence of at least {@code fromSeq}: exact, with interior deletions
     * counted out, and without reading the messages.
     *
     * @param fromSeq the first sequence counted.
     * @return the count.
     */
    long countFrom(long fromSeq);

    /**
     * @param subject a literal subject.
     * @return the live messages on exactly that subject ({@link SubjectState#EMPTY} when none).
     */
    SubjectState subjectState(String subject);

    /**
     * @param filter a subject pattern, or null for all.
     * @return the state of every subject with live messages that matches, keyed by subject.
     */
    Map<String, SubjectState> subjects(String filter);

    /**
     * Deletes one message. The deletion survives a restart; the space is reclaimed when nothing else in its file is
     * retained.
     *
     * @param seq the sequence.
     * @return true if a live message was deleted; false if it was not live.
     */
    boolean delete(long seq);

    /**
     * Removes messages, like NATS {@code PurgeEx}. With no filter, {@code upToSeq} and {@code keep} both 0, removes
     * everything.
     *
     * @param filter  only messages whose subject matches; null for all.
     * @param upToSeq if &gt; 0, only messages with a sequence below it (exclusive).
     * @param keep    if &gt; 0, keep the newest {@code keep} matching messages and remove the older ones.
     * @return how many messages were removed.
     * @throws IllegalArgumentException if {@code upToSeq} or {@code keep} is negative, or both are &gt; 0.
     */
    long purge(String filter, long upToSeq, long keep);

    /**
     * What opening the store found. A memory store always reports a clean start.
     *
     * @return the recovery report.
     */
    default RecoveryReport recoveryReport()
    {
        return RecoveryReport.CLEAN;
    }

    /**
     * Stops accepting appends, waits for in-flight operations, persists what the store keeps on close and releases
     * every resource. Idempotent.
     */
    @Override
    void close();
}
