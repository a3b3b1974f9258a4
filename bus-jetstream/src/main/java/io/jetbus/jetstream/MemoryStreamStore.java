package io.jetbus.jetstream;

import java.util.Arrays;
import java.util.Objects;

/**
 * A {@link StreamStore} held in the heap (MEMORY storage): a ring of messages indexed by sequence. Nothing survives
 * the process. Safe for concurrent use.
 */
final class MemoryStreamStore extends AbstractStreamStore
{
    private static final byte[] EMPTY = new byte[0];

    private StoredMessage[] ring = new StoredMessage[16];
    /** The sequence held at {@code ring[head]}. */
    private long baseSeq = 1;
    private int head;
    private int count;

    /**
     * @param name the stream name, for messages.
     */
    MemoryStreamStore(final String name)
    {
        super(name);
    }

    @Override
    public long append(final String subject, final byte[] headers, final byte[] data, final long timestampEpochNs)
    {
        final int subjectBytes = subjectCache.of(subject).length;
        Objects.requireNonNull(data, "data");
        final byte[] h = headers == null || headers.length == 0 ? EMPTY : headers.clone();
        final byte[] d = data.clone();
        lock.lock();
        try
        {
            checkOpen();
            final long seq = lastSeq + 1;
            if (count == 0)
            {
                baseSeq = seq;
            }
            if (count == ring.length)
            {
                grow();
            }
            ring[(head + count) & (ring.length - 1)] = new StoredMessage(seq, timestampEpochNs, subject, h, d);
            count++;
            accountAppend(seq, subject, RecordCodec.storedSize(subjectBytes, h.length, d.length), timestampEpochNs);
            return seq;
        }
        finally
        {
            lock.unlock();
        }
    }

    private void grow()
    {
        final StoredMessage[] bigger = new StoredMessage[ring.length * 2];
        for (int i = 0; i < count; i++)
        {
            bigger[i] = ring[(head + i) & (ring.length - 1)];
        }
        ring = bigger;
        head = 0;
    }

    private StoredMessage slot(final long seq)
    {
        if (seq < baseSeq || seq >= baseSeq + count)
        {
            return null;
        }
        return ring[(head + (int)(seq - baseSeq)) & (ring.length - 1)];
    }

    @Override
    RecordMeta meta(final long seq)
    {
        final StoredMessage m = slot(seq);
        return m == null ? null : new RecordMeta(m.subject(),
            RecordCodec.storedSize(RecordCodec.utf8Length(m.subject()), m.headers().length, m.data().length),
            m.timestampEpochNs());
    }

    @Override
    StoredMessage load(final long seq)
    {
        final StoredMessage m = slot(seq);
        return m == null ? null :
            new StoredMessage(m.seq(), m.timestampEpochNs(), m.subject(), m.headers().clone(), m.data().clone());
    }

    @Override
    void onRemoved(final long seq)
    {
        if (seq >= baseSeq && seq < baseSeq + count)
        {
            ring[(head + (int)(seq - baseSeq)) & (ring.length - 1)] = null;
        }
    }

    @Override
    void onFirstSeqAdvanced()
    {
        final int mask = ring.length - 1;
        while (count > 0 && baseSeq < firstSeq)
        {
            ring[head] = null;
            head = (head + 1) & mask;
            baseSeq++;
            count--;
        }
        if (count == 0)
        {
            baseSeq = firstSeq;
            head = 0;
            if (ring.length > 1024)
            {
                ring = new StoredMessage[16];
            }
        }
    }

    @Override
    public void close()
    {
        lock.lock();
        try
        {
            closed = true;
            Arrays.fill(ring, null);
            count = 0;
        }
        finally
        {
            lock.unlock();
        }
    }
}
