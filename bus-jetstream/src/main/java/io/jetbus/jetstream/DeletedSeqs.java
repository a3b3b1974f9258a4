package io.jetbus.jetstream;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of sequences (the deleted ones inside a stream's live range): a sparse bitmap of 64 Ki-bit blocks, so a
 * dense run and a scattered handful both stay small. One thread only (the owner's lock).
 */
final class DeletedSeqs
{
    private static final int BLOCK_SHIFT = 16;
    private static final int WORDS = 1 << (BLOCK_SHIFT - 6);
    private static final long BLOCK_MASK = (1L << BLOCK_SHIFT) - 1;

    private final TreeMap<Long, Block> blocks = new TreeMap<>();
    private long size;

    private static final class Block
    {
        final long[] words = new long[WORDS];
        int count;
    }

    /**
     * @return how many sequences the set holds.
     */
    long size()
    {
        return size;
    }

    boolean isEmpty()
    {
        return size == 0;
    }

    void clear()
    {
        blocks.clear();
        size = 0;
    }

    boolean contains(final long seq)
    {
        final Block b = blocks.get(seq >>> BLOCK_SHIFT);
        if (b == null)
        {
            return false;
        }
        final int bit = (int)(seq & BLOCK_MASK);
        return (b.words[bit >>> 6] & (1L << bit)) != 0;
    }

    /**
     * @param seq a sequence.
     * @return true if it was not in the set.
     */
    boolean add(final long seq)
    {
        final Block b = blocks.computeIfAbsent(seq >>> BLOCK_SHIFT, k -> new Block());
        final int bit = (int)(seq & BLOCK_MASK);
        final long mask = 1L << bit;
        final long w = b.words[bit >>> 6];
        if ((w & mask) != 0)
        {
            return false;
        }
        b.words[bit >>> 6] = w | mask;
        b.count++;
        size++;
        return true;
    }

    /**
     * Adds every sequence of {@code from..to} (inclusive).
     *
     * @param from first sequence.
     * @param to   last sequence.
     * @return how many were not in the set.
     */
    long addRange(final long from, final long to)
    {
        long added = 0;
        long s = from;
        while (s <= to)
        {
            final long key = s >>> BLOCK_SHIFT;
            final long blockEnd = Math.min(to, (key << BLOCK_SHIFT) + BLOCK_MASK);
            final Block b = blocks.computeIfAbsent(key, k -> new Block());
            while (s <= blockEnd)
            {
                final int bit = (int)(s & BLOCK_MASK);
                final int wordIndex = bit >>> 6;
                final int bits = (int)Math.min(64 - (bit & 63), blockEnd - s + 1);
                final long mask = (bits == 64 ? -1L : (1L << bits) - 1) << (bit & 63);
                final long before = b.words[wordIndex];
                final int newBits = Long.bitCount(mask & ~before);
                b.words[wordIndex] = before | mask;
                b.count += newBits;
                added += newBits;
                s += bits;
            }
        }
        size += added;
        return added;
    }

    boolean remove(final long seq)
    {
        final Long key = seq >>> BLOCK_SHIFT;
        final Block b = blocks.get(key);
        if (b == null)
        {
            return false;
        }
        final int bit = (int)(seq & BLOCK_MASK);
        final long mask = 1L << bit;
        final long w = b.words[bit >>> 6];
        if ((w & mask) == 0)
        {
            return false;
        }
        b.words[bit >>> 6] = w & ~mask;
        size--;
        if (--b.count == 0)
        {
            blocks.remove(key);
        }
        return true;
    }

    /**
     * Removes every sequence below {@code seq}.
     *
     * @param seq the exclusive bound.
     */
    void removeBelow(final long seq)
    {
        final long key = seq >>> BLOCK_SHIFT;
        final Iterator<Map.Entry<Long, Block>> it = blocks.headMap(key, false).entrySet().iterator();
        while (it.hasNext())
        {
            size -= it.next().getValue().count;
            it.remove();
        }
        final Block b = blocks.get(key);
        if (b != null)
        {
            for (long s = key << BLOCK_SHIFT; s < seq; s++)
            {
                remove(s);
            }
        }
    }

    /**
     * @param from a sequence.
     * @return the smallest sequence &gt;= {@code from} that is not in the set.
     */
    long nextClear(final long from)
    {
        long seq = from;
        while (true)
        {
            final Block b = blocks.get(seq >>> BLOCK_SHIFT);
            if (b == null)
            {
                return seq;
            }
            int bit = (int)(seq & BLOCK_MASK);
            int wordIndex = bit >>> 6;
            long inverted = ~b.words[wordIndex] & (-1L << (bit & 63));
            while (inverted == 0 && ++wordIndex < WORDS)
            {
                inverted = ~b.words[wordIndex];
            }
            if (wordIndex < WORDS)
            {
                return ((seq >>> BLOCK_SHIFT) << BLOCK_SHIFT) + ((long)wordIndex << 6) +
                    Long.numberOfTrailingZeros(inverted);
            }
            seq = ((seq >>> BLOCK_SHIFT) + 1) << BLOCK_SHIFT;
        }
    }

    /**
     * @param from a sequence.
     * @return the smallest sequence &gt;= {@code from} in the set, or -1 if none.
     */
    long nextSet(final long from)
    {
        long seq = from;
        while (true)
        {
            final Map.Entry<Long, Block> e = blocks.ceilingEntry(seq >>> BLOCK_SHIFT);
            if (e == null)
            {
                return -1;
            }
            final long base = e.getKey() << BLOCK_SHIFT;
            if (seq < base)
            {
                seq = base;
            }
            final long[] words = e.getValue().words;
            int bit = (int)(seq & BLOCK_MASK);
            int wordIndex = bit >>> 6;
            long w = words[wordIndex] & (-1L << (bit & 63));
            while (w == 0 && ++wordIndex < WORDS)
            {
                w = words[wordIndex];
            }
            if (wordIndex < WORDS)
            {
                return base + ((long)wordIndex << 6) + Long.numberOfTrailingZeros(w);
            }
            seq = base + (1L << BLOCK_SHIFT);
        }
    }

    /**
     * @param from first sequence (inclusive).
     * @param to   last sequence (inclusive).
     * @return how many sequences of the range are in the set.
     */
    long countInRange(final long from, final long to)
    {
        if (to < from || size == 0)
        {
            return 0;
        }
        long n = 0;
        for (final Map.Entry<Long, Block> e : blocks.subMap(from >>> BLOCK_SHIFT, true, to >>> BLOCK_SHIFT, true)
            .entrySet())
        {
            final long base = e.getKey() << BLOCK_SHIFT;
            if (base >= from && base + BLOCK_MASK <= to)
            {
                n += e.getValue().count;
            }
            else
            {
                final long lo = Math.max(from, base);
                final long hi = Math.min(to, base + BLOCK_MASK);
                for (long s = nextSet(lo); s != -1 && s <= hi; s = nextSet(s + 1))
                {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Receives maximal runs of consecutive sequences.
     */
    @FunctionalInterface
    interface RunConsumer
    {
        void onRun(long first, long last);
    }

    /**
     * Calls {@code consumer} with each maximal run of consecutive sequences in the set, in order.
     *
     * @param consumer receives the runs.
     */
    void forEachRun(final RunConsumer consumer)
    {
        long s = nextSet(0);
        while (s != -1)
        {
            final long end = nextClear(s) - 1;
            consumer.onRun(s, end);
            s = nextSet(end + 1);
        }
    }
}
