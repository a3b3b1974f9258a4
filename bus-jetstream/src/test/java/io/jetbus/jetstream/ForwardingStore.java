package io.jetbus.jetstream;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A {@link StreamStore} that forwards to another and counts reads, with a hook run after each append (outside the
 * delegate, still under the caller's locks): lets stream tests see what a stream asks of its store.
 */
final class ForwardingStore implements StreamStore
{
    final StreamStore delegate;
    final AtomicLong reads = new AtomicLong();
    volatile LongConsumer afterAppend = seq ->
    {
    };

    ForwardingStore(final StreamStore delegate)
    {
        this.delegate = delegate;
    }

    @Override
    public long append(final String subject, final byte[] headers, final byte[] data, final long timestampEpochNs)
    {
        final long seq = delegate.append(subject, headers, data, timestampEpochNs);
        afterAppend.accept(seq);
        return seq;
    }

    @Override
    public long writeMark()
    {
        return delegate.writeMark();
    }

    @Override
    public void awaitDurable(final long mark)
    {
        delegate.awaitDurable(mark);
    }

    @Override
    public boolean waitsForSyncs()
    {
        return delegate.waitsForSyncs();
    }

    @Override
    public StoredMessage read(final long seq)
    {
        reads.incrementAndGet();
        return delegate.read(seq);
    }

    @Override
    public long nextSeq(final long fromSeq, final String filter)
    {
        return delegate.nextSeq(fromSeq, filter);
    }

    @Override
    public StoreState state()
    {
        return delegate.state();
    }

    @Override
    public long countFrom(final long fromSeq)
    {
        return delegate.countFrom(fromSeq);
    }

    @Override
    public SubjectState subjectState(final String subject)
    {
        return delegate.subjectState(subject);
    }

    @Override
    public Map<String, SubjectState> subjects(final String filter)
    {
        return delegate.subjects(filter);
    }

    @Override
    public boolean delete(final long seq)
    {
        return delegate.delete(seq);
    }

    @Override
    public long purge(final String filter, final long upToSeq, final long keep)
    {
        return delegate.purge(filter, upToSeq, keep);
    }

    @Override
    public RecoveryReport recoveryReport()
    {
        return delegate.recoveryReport();
    }

    @Override
    public void close()
    {
        delegate.close();
    }
}
