package io.jetbus.jetstream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What every {@link StreamStore} shares: sequence and subject accounting, logical deletion, purge rules and
 * filtered search. A subclass supplies the records ({@link #meta}, {@link #load}) and persistence hooks. All state is
 * guarded by {@link #lock}.
 *
 * <p>Per-subject first and last sequences are kept lazily: deleting a subject's first (or last) message leaves a
 * bound that is made exact by a scan only when someone asks ({@link #subjectState}), as NATS does.
 */
abstract class AbstractStreamStore implements StreamStore
{
    /** How many records a search reads before it lets other threads in. */
    static final int SCAN_CHUNK = 4096;

    final String name;
    final ReentrantLock lock = new ReentrantLock();

    long firstSeq = 1;
    long lastSeq;
    long msgs;
    long bytes;
    /** Timestamp of the message appended as {@code lastSeq}; kept when that message is removed. */
    long lastTimestampNs;
    long firstTimestampNs = -1;
    final HashMap<String, SubjectCounter> subjects = new HashMap<>();
    /** Deleted (or lost) sequences inside {@code firstSeq..lastSeq}. */
    final DeletedSeqs deleted = new DeletedSeqs();
    /** The UTF-8 form of recently appended subjects; safe without the lock. */
    final SubjectCache subjectCache = new SubjectCache();
    volatile boolean closed;

    /**
     * Live messages of one subject. {@code first} and {@code last} are exact when flagged, else a lower (first) or
     * upper (last) bound.
     */
    static final class SubjectCounter
    {
        long msgs;
        long first;
        long last;
        boolean firstExact = true;
        boolean lastExact = true;
    }

    /**
     * What accounting needs from one stored record.
     *
     * @param subject     its subject.
     * @param size        its stored size.
     * @param timestampNs its timestamp.
     */
    record RecordMeta(String subject, long size, long timestampNs)
    {
    }

    AbstractStreamStore(final String name)
    {
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * @param seq a sequence inside {@code firstSeq..lastSeq}.
     * @return the stored record's metadata, or null if storage does not hold it.
     */
    abstract RecordMeta meta(long seq);

    /**
     * @param seq a sequence inside {@code firstSeq..lastSeq}.
     * @return the stored message, or null if storage does not hold it.
     */
    abstract StoredMessage load(long seq);

    /**
     * Called under the lock before live messages are removed: make the removal durable (the journal).
     *
     * @param first first removed sequence.
     * @param last  last removed sequence (all in between are removed too).
     */
    void persistRemoval(final long first, final long last)
    {
    }

    /**
     * Called under the lock before every sequence below {@code newFirst} is dropped.
     *
     * @param newFirst the new first sequence.
     */
    void persistPurgeBelow(final long newFirst)
    {
    }

    /**
     * Called under the lock after one message left the live set by {@link #delete} or a filtered purge (a purge of a
     * prefix only moves {@link #firstSeq}, see {@link #onFirstSeqAdvanced()}).
     *
     * @param seq its sequence.
     */
    void onRemoved(final long seq)
    {
    }

    /**
     * Called under the lock after {@link #firstSeq} moved forward; storage below it may be freed.
     */
    void onFirstSeqAdvanced()
    {
    }

    /**
     * @param subject a subject to store.
     * @return its UTF-8 bytes.
     * @throws IllegalArgumentException if it is empty or longer than a record can hold.
     */
    static byte[] subjectBytes(final String subject)
    {
        Objects.requireNonNull(subject, "subject");
        final byte[] bytes = subject.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > RecordCodec.MAX_SUBJECT_BYTES)
        {
            throw new IllegalArgumentException("invalid subject \"" + subject + "\": must be 1 to " +
                RecordCodec.MAX_SUBJECT_BYTES + " UTF-8 bytes, not " + bytes.length);
        }
        return bytes;
    }

    /**
     * The UTF-8 form of recently appended subjects, so an append does not encode and allocate its subject again: a
     * small direct-mapped cache. Safe for concurrent use without a lock: slots hold immutable entries (final fields,
     * safely published), and threads racing on a slot at worst encode a subject twice.
     */
    static final class SubjectCache
    {
        private static final int SLOTS = 256;

        private final Entry[] slots = new Entry[SLOTS];

        private record Entry(String subject, byte[] utf8)
        {
        }

        /**
         * @param subject a subject to store.
         * @return its UTF-8 bytes (shared: never modify them).
         * @throws IllegalArgumentException if it is empty or longer than a record can hold.
         */
        byte[] of(final String subject)
        {
            Objects.requireNonNull(subject, "subject");
            final int h = subject.hashCode();
            final int slot = (h ^ h >>> 16) & (SLOTS - 1);
            final Entry e = slots[slot];
            if (e != null && e.subject.equals(subject))
            {
                return e.utf8;
            }
            final byte[] utf8 = subjectBytes(subject);
            slots[slot] = new Entry(subject, utf8);
            return utf8;
        }
    }

    final void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("stream " + name + " is closed");
        }
    }

    // ---------------------------------------------------------------------------------------------- accounting

    /**
     * Accounts a newly appended message. Under the lock.
     */
    final void accountAppend(final long seq, final String subject, final long size, final long timestampNs)
    {
        if (msgs == 0)
        {
            firstSeq = seq;
            firstTimestampNs = timestampNs;
            deleted.clear();
        }
        lastSeq = seq;
        lastTimestampNs = timestampNs;
        msgs++;
        bytes += size;
        SubjectCounter c = subjects.get(subject);
        if (c == null)
        {
            c = new SubjectCounter();
            subjects.put(subject, c);
        }
        if (c.msgs == 0)
        {
            c.first = seq;
            c.firstExact = true;
        }
        c.msgs++;
        c.last = seq;
        c.lastExact = true;
    }

    /**
     * Removes one live message from the counters (not from the live range). Under the lock.
     */
    final void accountRemove(final long seq, final RecordMeta meta)
    {
        msgs--;
        bytes -= meta.size();
        final SubjectCounter c = subjects.get(meta.subject());
        if (c == null)
        {
            return;
        }
        if (--c.msgs <= 0)
        {
            subjects.remove(meta.subject());
            return;
        }
        if (seq == c.first)
        {
            c.first = seq + 1;
            c.firstExact = false;
        }
        if (seq == c.last)
        {
            c.last = seq - 1;
            c.lastExact = false;
        }
        settleSingle(c);
    }

    private static void settleSingle(final SubjectCounter c)
    {
        if (c.msgs == 1)
        {
            if (c.firstExact)
            {
                c.last = c.first;
                c.lastExact = true;
            }
            else if (c.lastExact)
            {
                c.first = c.last;
                c.firstExact = true;
            }
        }
    }

    /**
     * Marks a removed sequence deleted and moves the first sequence past any deleted prefix. Under the lock.
     */
    final void markRemoved(final long seq)
    {
        if (seq == firstSeq)
        {
            advanceFirst(seq + 1);
        }
        else
        {
            deleted.add(seq);
        }
    }

    /**
     * Moves {@link #firstSeq} to the first live sequence at or after {@code candidate}. Under the lock.
     */
    final void advanceFirst(final long candidate)
    {
        final long next = msgs == 0 ? lastSeq + 1 : Math.min(deleted.nextClear(candidate), lastSeq + 1);
        if (next <= firstSeq)
        {
            return;
        }
        firstSeq = next;
        firstTimestampNs = -1;
        if (msgs == 0)
        {
            deleted.clear();
        }
        else
        {
            deleted.removeBelow(next);
        }
        onFirstSeqAdvanced();
    }

    final boolean isLive(final long seq)
    {
        return seq >= firstSeq && seq <= lastSeq && msgs > 0 && !deleted.contains(seq);
    }

    // ---------------------------------------------------------------------------------------------- operations

    @Override
    public StoredMessage read(final long seq)
    {
        lock.lock();
        try
        {
            checkOpen();
            return isLive(seq) ? load(seq) : null;
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public long nextSeq(final long fromSeq, final String filter)
    {
        final boolean all = SubjectMatch.isAll(filter);
        long from = fromSeq;
        while (true)
        {
            lock.lock();
            try
            {
                checkOpen();
                long start = Math.max(from, firstSeq);
                if (msgs == 0 || start > lastSeq)
                {
                    return NO_SEQ;
                }
                start = deleted.nextClear(start);
                if (start > lastSeq)
                {
                    return NO_SEQ;
                }
                if (all)
                {
                    return start;
                }
                final long[] bounds = filterBounds(filter, start);
                if (bounds == null)
                {
                    return NO_SEQ;
                }
                final long scanStart = Math.max(start, bounds[0]);
                final long end = Math.min(bounds[1], scanStart + SCAN_CHUNK - 1);
                final long found = scanForward(scanStart, end, filter);
                if (found != NO_SEQ)
                {
                    return found;
                }
                if (end >= bounds[1])
                {
                    return NO_SEQ;
                }
                from = end + 1;
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    /**
     * @return {lowest possible, highest possible} sequence of a message matching {@code filter} at or after
     *     {@code start}, or null if none can match. Under the lock.
     */
    private long[] filterBounds(final String filter, final long start)
    {
        if (SubjectMatch.isLiteral(filter))
        {
            final SubjectCounter c = subjects.get(filter);
            return c == null || c.last < start ? null : new long[] {c.first, c.last};
        }
        long lo = Long.MAX_VALUE;
        long hi = -1;
        for (final Map.Entry<String, SubjectCounter> e : subjects.entrySet())
        {
            final SubjectCounter c = e.getValue();
            if (c.last >= start && SubjectMatch.matches(filter, e.getKey()))
            {
                lo = Math.min(lo, c.first);
                hi = Math.max(hi, c.last);
            }
        }
        return hi < 0 ? null : new long[] {lo, hi};
    }

    /**
     * @return the first live sequence in {@code from..to} whose subject matches, or {@link #NO_SEQ}. Under the lock.
     */
    long scanForward(final long from, final long to, final String filter)
    {
        for (long s = deleted.nextClear(Math.max(from, firstSeq)); s <= to; s = deleted.nextClear(s + 1))
        {
            final RecordMeta m = meta(s);
            if (m != null && SubjectMatch.matches(filter, m.subject()))
            {
                return s;
            }
        }
        return NO_SEQ;
    }

    @Override
    public long countFrom(final long fromSeq)
    {
        lock.lock();
        try
        {
            checkOpen();
            if (msgs == 0 || fromSeq > lastSeq)
            {
                return 0;
            }
            if (fromSeq <= firstSeq)
            {
                return msgs;
            }
            return lastSeq - fromSeq + 1 - deleted.countInRange(fromSeq, lastSeq);
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public StoreState state()
    {
        lock.lock();
        try
        {
            checkOpen();
            long firstTs = 0;
            if (msgs > 0)
            {
                if (firstTimestampNs < 0)
                {
                    final RecordMeta m = meta(firstSeq);
                    firstTimestampNs = m == null ? 0 : m.timestampNs();
                }
                firstTs = firstTimestampNs;
            }
            final long first = msgs == 0 ? (lastSeq == 0 ? 0 : lastSeq + 1) : firstSeq; // NATS: 0 until a first message
            final long numDeleted = msgs == 0 ? 0 : lastSeq - firstSeq + 1 - msgs;
            return new StoreState(first, lastSeq, msgs, bytes, firstTs, lastTimestampNs, subjects.size(),
                numDeleted, lostSeqs());
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @return sequences lost to damage, for {@link StoreState#lost()}.
     */
    List<SeqRange> lostSeqs()
    {
        return List.of();
    }

    @Override
    public SubjectState subjectState(final String subject)
    {
        Objects.requireNonNull(subject, "subject");
        lock.lock();
        try
        {
            checkOpen();
            final SubjectCounter c = subjects.get(subject);
            return c == null ? SubjectState.EMPTY : exact(subject, c);
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public Map<String, SubjectState> subjects(final String filter)
    {
        lock.lock();
        try
        {
            checkOpen();
            final TreeMap<String, SubjectState> result = new TreeMap<>();
            if (filter != null && SubjectMatch.isLiteral(filter))
            {
                final SubjectCounter c = subjects.get(filter);
                if (c != null)
                {
                    result.put(filter, exact(filter, c));
                }
                return result;
            }
            final boolean all = SubjectMatch.isAll(filter);
            for (final Map.Entry<String, SubjectCounter> e : new ArrayList<>(subjects.entrySet()))
            {
                if (all || SubjectMatch.matches(filter, e.getKey()))
                {
                    result.put(e.getKey(), exact(e.getKey(), e.getValue()));
                }
            }
            return result;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Makes a counter's bounds exact, scanning if needed. Under the lock.
     */
    private SubjectState exact(final String subject, final SubjectCounter c)
    {
        if (!c.firstExact)
        {
            final long upper = c.lastExact ? c.last : Math.min(c.last, lastSeq);
            final long found = scanForward(c.first, upper, subject);
            c.first = found == NO_SEQ ? c.last : found;
            c.firstExact = true;
            settleSingle(c);
        }
        if (!c.lastExact)
        {
            long s = Math.min(c.last, lastSeq);
            for (; s > c.first; s--)
            {
                if (!deleted.contains(s))
                {
                    final RecordMeta m = meta(s);
                    if (m != null && m.subject().equals(subject))
                    {
                        break;
                    }
                }
            }
            c.last = Math.max(s, c.first);
            c.lastExact = true;
        }
        return new SubjectState(c.msgs, c.first, c.last);
    }

    @Override
    public boolean delete(final long seq)
    {
        lock.lock();
        try
        {
            checkOpen();
            if (!isLive(seq))
            {
                return false;
            }
            final RecordMeta m = meta(seq);
            if (m == null)
            {
                return false;
            }
            persistRemoval(seq, seq);
            accountRemove(seq, m);
            onRemoved(seq);
            markRemoved(seq);
            return true;
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public long purge(final String filter, final long upToSeq, final long keep)
    {
        if (upToSeq < 0 || keep < 0 || upToSeq > 0 && keep > 0)
        {
            throw new IllegalArgumentException("invalid purge upToSeq=" + upToSeq + " keep=" + keep +
                ": both must be >= 0 and at most one > 0");
        }
        lock.lock();
        try
        {
            checkOpen();
            if (msgs == 0)
            {
                return 0;
            }
            return SubjectMatch.isAll(filter) ? purgePrefix(upToSeq, keep) : purgeFiltered(filter, upToSeq, keep);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Removes every live message below a bound (from {@code upToSeq} or {@code keep}). Under the lock.
     */
    private long purgePrefix(final long upToSeq, final long keep)
    {
        long bound;
        if (upToSeq > 0)
        {
            bound = Math.min(upToSeq, lastSeq + 1);
        }
        else if (keep > 0)
        {
            if (msgs <= keep)
            {
                return 0;
            }
            bound = firstSeq;
            for (long n = msgs - keep; n > 0; n--)
            {
                bound = deleted.nextClear(bound + 1);
            }
            bound = Math.min(bound, lastSeq + 1);
        }
        else
        {
            bound = lastSeq + 1;
        }
        if (bound <= firstSeq)
        {
            return 0;
        }
        if (bound == lastSeq + 1)
        {
            final long removed = msgs;
            persistPurgeBelow(bound);
            msgs = 0;
            bytes = 0;
            subjects.clear();
            deleted.clear();
            advanceFirst(bound);
            return removed;
        }
        // read everything first, so a damaged record aborts the purge before anything changed
        final HashMap<String, long[]> perSubject = new HashMap<>();
        long removed = 0;
        for (long s = deleted.nextClear(firstSeq); s < bound; s = deleted.nextClear(s + 1))
        {
            final RecordMeta m = meta(s);
            if (m != null)
            {
                final long[] agg = perSubject.computeIfAbsent(m.subject(), k -> new long[2]);
                agg[0]++;
                agg[1] += m.size();
                removed++;
            }
        }
        persistPurgeBelow(bound);
        for (final Map.Entry<String, long[]> e : perSubject.entrySet())
        {
            msgs -= e.getValue()[0];
            bytes -= e.getValue()[1];
            final SubjectCounter c = subjects.get(e.getKey());
            if (c != null)
            {
                c.msgs -= e.getValue()[0];
                if (c.msgs <= 0)
                {
                    subjects.remove(e.getKey());
                }
                else if (c.first < bound)
                {
                    c.first = bound;
                    c.firstExact = false;
                    settleSingle(c);
                }
            }
        }
        advanceFirst(bound);
        return removed;
    }

    /**
     * Removes live messages matching a filter. Under the lock.
     */
    private long purgeFiltered(final String filter, final long upToSeq, final long keep)
    {
        long total = 0;
        long lo = Long.MAX_VALUE;
        long hi = -1;
        final boolean literal = SubjectMatch.isLiteral(filter);
        for (final Map.Entry<String, SubjectCounter> e : subjects.entrySet())
        {
            if (literal ? e.getKey().equals(filter) : SubjectMatch.matches(filter, e.getKey()))
            {
                total += e.getValue().msgs;
                lo = Math.min(lo, e.getValue().first);
                hi = Math.max(hi, e.getValue().last);
            }
        }
        if (total == 0 || keep >= total)
        {
            return 0;
        }
        final long limit = keep > 0 ? total - keep : Long.MAX_VALUE;
        final long end = upToSeq > 0 ? Math.min(hi, upToSeq - 1) : hi;
        final List<Long> seqs = new ArrayList<>();
        final List<RecordMeta> metas = new ArrayList<>();
        for (long s = deleted.nextClear(Math.max(lo, firstSeq)); s <= end && seqs.size() < limit;
            s = deleted.nextClear(s + 1))
        {
            final RecordMeta m = meta(s);
            if (m != null && (literal ? m.subject().equals(filter) : SubjectMatch.matches(filter, m.subject())))
            {
                seqs.add(s);
                metas.add(m);
            }
        }
        int runStart = 0;
        for (int i = 1; i <= seqs.size(); i++)
        {
            if (i == seqs.size() || seqs.get(i) != seqs.get(i - 1) + 1)
            {
                if (i > runStart)
                {
                    persistRemoval(seqs.get(runStart), seqs.get(i - 1));
                }
                runStart = i;
            }
        }
        final Iterator<RecordMeta> mi = metas.iterator();
        for (final long s : seqs)
        {
            accountRemove(s, mi.next());
            onRemoved(s);
            markRemoved(s);
        }
        return seqs.size();
    }

    // ---------------------------------------------------------------------------------------------- subjects

    /**
     * A small private subject matcher (NATS wildcards), so the store does not depend on the API module's version.
     */
    static final class SubjectMatch
    {
        private SubjectMatch()
        {
        }

        static boolean isAll(final String filter)
        {
            return filter == null || filter.isEmpty() || ">".equals(filter);
        }

        static boolean isLiteral(final String pattern)
        {
            int start = 0;
            final int n = pattern.length();
            while (start <= n)
            {
                int end = pattern.indexOf('.', start);
                if (end < 0)
                {
                    end = n;
                }
                if (end - start == 1 && (pattern.charAt(start) == '*' || pattern.charAt(start) == '>'))
                {
                    return false;
                }
                start = end + 1;
            }
            return true;
        }

        static boolean matches(final String pattern, final String subject)
        {
            if (isAll(pattern))
            {
                return true;
            }
            final int pn = pattern.length();
            final int sn = subject.length();
            int p = 0;
            int s = 0;
            while (true)
            {
                int pe = pattern.indexOf('.', p);
                if (pe < 0)
                {
                    pe = pn;
                }
                int se = subject.indexOf('.', s);
                if (se < 0)
                {
                    se = sn;
                }
                final int tokenLength = pe - p;
                if (tokenLength == 1 && pattern.charAt(p) == '>' && pe == pn)
                {
                    return true;
                }
                final boolean star = tokenLength == 1 && pattern.charAt(p) == '*';
                if (!star && (se - s != tokenLength || !pattern.regionMatches(p, subject, s, tokenLength)))
                {
                    return false;
                }
                final boolean patternDone = pe == pn;
                final boolean subjectDone = se == sn;
                if (patternDone || subjectDone)
                {
                    return patternDone && subjectDone;
                }
                p = pe + 1;
                s = se + 1;
            }
        }
    }
}
