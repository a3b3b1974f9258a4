package io.jetbus.core;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;

/**
 * The {@link SubjectIndex}'s cache of subject families: a map from a family, the part of a subject up to and
 * including the dot before its last token ({@code _INBOX.b1-7.} for {@code _INBOX.b1-7.k3}), to a value, looked up
 * by a region of the subject so that a lookup cuts no substring and allocates nothing.
 *
 * <p>Copy-on-write, in {@value #SHARDS} shards chosen by the family's hash: each change publishes a new
 * {@link SubjectTokenMap} for its shard and never touches a published one, so lookups take no lock, and adding a
 * family copies only its shard. A shard holds at most {@code capacity / }{@value #SHARDS} families (at least one);
 * when it is full, the next family starts it afresh, so forgotten families (replies to closed connections) cannot
 * pin it.
 *
 * <p>Safe for concurrent use; the index calls {@link #putIfAbsent} under its read lock and {@link #removeIf} under
 * its write lock, so the two never overlap.
 *
 * @param <V> the value type.
 */
final class SubjectFamilyCache<V>
{
    static final int SHARDS = 32;

    private final int shardCapacity;
    private final AtomicReferenceArray<SubjectTokenMap<V>> shards = new AtomicReferenceArray<>(SHARDS);

    /**
     * An empty cache.
     *
     * @param capacity about the most families held.
     */
    SubjectFamilyCache(final int capacity)
    {
        shardCapacity = Math.max(1, capacity / SHARDS);
        for (int i = 0; i < SHARDS; i++)
        {
            shards.set(i, new SubjectTokenMap<>());
        }
    }

    /**
     * The value of the family {@code subject[0, familyEnd)}.
     *
     * @param subject   a subject.
     * @param familyEnd the index after the dot before its last token.
     * @return the value, or {@code null}.
     */
    V get(final String subject, final int familyEnd)
    {
        final int hash = SubjectTokenMap.hash(subject, 0, familyEnd);
        return shards.get(shard(hash)).get(subject, 0, familyEnd, hash);
    }

    /**
     * Add the family {@code subject[0, familyEnd)} unless it is there.
     *
     * @return the value now cached: {@code value}, or the one another thread added first.
     */
    V putIfAbsent(final String subject, final int familyEnd, final V value)
    {
        final String family = subject.substring(0, familyEnd);
        final int hash = family.hashCode();
        final int shard = shard(hash);
        while (true)
        {
            final SubjectTokenMap<V> current = shards.get(shard);
            final V raced = current.get(subject, 0, familyEnd, hash);
            if (raced != null)
            {
                return raced;
            }
            final SubjectTokenMap<V> next = current.size() >= shardCapacity ? new SubjectTokenMap<>() : current.copy();
            next.put(family, value);
            if (shards.compareAndSet(shard, current, next))
            {
                return value;
            }
        }
    }

    /**
     * Drop the families the predicate selects. Must not run concurrently with {@link #putIfAbsent}.
     */
    void removeIf(final Predicate<String> drop)
    {
        for (int shard = 0; shard < SHARDS; shard++)
        {
            final SubjectTokenMap<V> current = shards.get(shard);
            if (current.anyKey(drop))
            {
                final SubjectTokenMap<V> kept = new SubjectTokenMap<>();
                current.forEach((family, value) ->
                {
                    if (!drop.test(family))
                    {
                        kept.put(family, value);
                    }
                });
                shards.set(shard, kept);
            }
        }
    }

    /**
     * The number of families cached, for tests and the index's cheap check.
     *
     * @return the count, exact when no change runs.
     */
    int size()
    {
        int size = 0;
        for (int shard = 0; shard < SHARDS; shard++)
        {
            size += shards.get(shard).size();
        }
        return size;
    }

    /** The top bits of the spread hash: the map inside a shard picks slots by mostly other bits. */
    private static int shard(final int hash)
    {
        return (hash * 0x9E3779B9) >>> (Integer.SIZE - Integer.numberOfTrailingZeros(SHARDS));
    }
}
