package io.jetbus.jetstream;

import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.DeliverPolicy;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * Where a consumer starts, fixed when it is created (and persisted with a durable one, so that a reopened consumer
 * does not start again from the stream's state at reopen time).
 *
 * @param startSeq        the first stream sequence the consumer may deliver; 1 for {@link DeliverPolicy#ALL}.
 * @param lastPerSubject  for {@link DeliverPolicy#LAST_PER_SUBJECT}: the sequences of the last message of each
 *                        matching subject at creation, increasing; empty otherwise.
 * @param lastPerSubjectCutoff for {@link DeliverPolicy#LAST_PER_SUBJECT}: the stream's last sequence at creation;
 *                        after the listed sequences the consumer delivers every message above it. 0 otherwise.
 */
record ConsumerStart(long startSeq, long[] lastPerSubject, long lastPerSubjectCutoff)
{
    ConsumerStart
    {
        if (startSeq < 1)
        {
            throw new IllegalArgumentException("invalid startSeq " + startSeq + ": must be >= 1");
        }
        lastPerSubject = lastPerSubject.clone();
        for (int i = 1; i < lastPerSubject.length; i++)
        {
            if (lastPerSubject[i] <= lastPerSubject[i - 1])
            {
                throw new IllegalArgumentException("invalid lastPerSubject " + Arrays.toString(lastPerSubject) +
                    ": must increase");
            }
        }
    }

    @Override
    public long[] lastPerSubject()
    {
        return lastPerSubject.clone();
    }

    long lastPerSubject(final int index)
    {
        return lastPerSubject[index];
    }

    int lastPerSubjectCount()
    {
        return lastPerSubject.length;
    }

    /**
     * Whether a sequence is one of the listed last-per-subject sequences at or after an index.
     */
    boolean listedFrom(final int index, final long seq)
    {
        return index < lastPerSubject.length &&
            Arrays.binarySearch(lastPerSubject, index, lastPerSubject.length, seq) >= 0;
    }

    @Override
    public boolean equals(final Object o)
    {
        return this == o || (o instanceof ConsumerStart other && startSeq == other.startSeq &&
            Arrays.equals(lastPerSubject, other.lastPerSubject) &&
            lastPerSubjectCutoff == other.lastPerSubjectCutoff);
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(startSeq) * 31 + Arrays.hashCode(lastPerSubject) + Long.hashCode(lastPerSubjectCutoff);
    }

    @Override
    public String toString()
    {
        return "ConsumerStart[startSeq=" + startSeq + ", lastPerSubject=" + Arrays.toString(lastPerSubject) +
            ", lastPerSubjectCutoff=" + lastPerSubjectCutoff + "]";
    }

    /**
     * The start of a new consumer on a stream as it is now, per the consumer's deliver policy. Uses the store's
     * indexes ({@code nextSeq}, {@code subjects}) and a binary search by time; never scans the stream.
     *
     * @param config the consumer's configuration.
     * @param store  the stream's messages.
     * @return the start.
     */
    static ConsumerStart of(final ConsumerConfig config, final StreamStore store)
    {
        final StoreState state = store.state();
        final DeliverPolicy policy = config.deliverPolicy();
        switch (policy)
        {
            case ALL:
                return new ConsumerStart(1, new long[0], 0);
            case NEW:
                return new ConsumerStart(state.lastSeq() + 1, new long[0], 0);
            case BY_START_SEQUENCE:
                return new ConsumerStart(config.optStartSeq(), new long[0], 0);
            case BY_START_TIME:
                return new ConsumerStart(firstAtOrAfter(store, state, config.optStartTime()), new long[0], 0);
            case LAST:
                final long last = lastMatching(config, store, state);
                return new ConsumerStart(last == 0 ? state.lastSeq() + 1 : last, new long[0], 0);
            case LAST_PER_SUBJECT:
                final long[] seqs = lastPerSubject(config, store);
                final long cutoff = state.lastSeq();
                return new ConsumerStart(seqs.length == 0 ? cutoff + 1 : seqs[0], seqs, cutoff);
            default:
                throw new IllegalArgumentException("unknown deliver policy " + policy);
        }
    }

    private static long lastMatching(final ConsumerConfig config, final StreamStore store, final StoreState state)
    {
        if (config.filterSubjects().isEmpty() && state.msgs() > 0 && store.read(state.lastSeq()) != null)
        {
            return state.lastSeq();
        }
        long last = 0;
        for (final String filter : filters(config))
        {
            for (final SubjectState s : store.subjects(filter).values())
            {
                last = Math.max(last, s.lastSeq());
            }
        }
        return last;
    }

    private static long[] lastPerSubject(final ConsumerConfig config, final StreamStore store)
    {
        final org.agrona.collections.LongArrayList list = new org.agrona.collections.LongArrayList();
        for (final String filter : filters(config))
        {
            for (final Map.Entry<String, SubjectState> e : store.subjects(filter).entrySet())
            {
                if (e.getValue().msgs() > 0)
                {
                    list.addLong(e.getValue().lastSeq());
                }
            }
        }
        final long[] seqs = list.toLongArray();
        Arrays.sort(seqs);
        return seqs;
    }

    private static Iterable<String> filters(final ConsumerConfig config)
    {
        return config.filterSubjects().isEmpty() ? java.util.Collections.singletonList(null) :
            config.filterSubjects();
    }

    /**
     * The first live sequence whose timestamp is at or after a time: a binary search over the live sequences.
     */
    private static long firstAtOrAfter(final StreamStore store, final StoreState state, final Instant time)
    {
        final long target = toEpochNanos(time);
        long lo = state.firstSeq();
        long hi = state.lastSeq() + 1; // answer in [lo, hi]; hi means none
        while (lo < hi)
        {
            final long mid = lo + (hi - lo) / 2;
            final long live = store.nextSeq(mid, null);
            if (live == StreamStore.NO_SEQ || live >= hi)
            {
                hi = mid;
                continue;
            }
            final StoredMessage m = store.read(live);
            if (m == null || m.timestampEpochNs() >= target)
            {
                hi = mid;
            }
            else
            {
                lo = live + 1;
            }
        }
        return Math.max(1, lo);
    }

    static long toEpochNanos(final Instant time)
    {
        try
        {
            return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000_000L), time.getNano());
        }
        catch (final ArithmeticException ex)
        {
            return time.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
