package io.jetbus.core;

import java.util.Arrays;
import java.util.Collection;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The literal children of a {@link SubjectIndex} trie node: an open-addressing hash map from a token to a value
 * whose lookups take the token as a region of a longer subject ({@code text}, {@code start}, {@code end}), so that
 * walking a subject never cuts it into substrings.
 *
 * <p>Linear probing, power-of-two table, at most two thirds full; removal shifts later entries of the probe run
 * back instead of leaving tombstones, so a node that sees heavy subscribe/unsubscribe churn does not degrade.
 * The hash of a region equals {@link String#hashCode()} of the same token, so stored keys reuse their cached hash.
 *
 * <p>Not thread-safe: {@link SubjectIndex} reads it under its read lock and changes it under its write lock;
 * {@link SubjectFamilyCache} never changes one after it published it.
 *
 * @param <V> the value type.
 */
final class SubjectTokenMap<V>
{
    private static final int INITIAL_CAPACITY = 4;

    private String[] keys = new String[INITIAL_CAPACITY];
    private Object[] values = new Object[INITIAL_CAPACITY];
    private int size;

    int size()
    {
        return size;
    }

    boolean isEmpty()
    {
        return size == 0;
    }

    /**
     * The value of the token {@code text[start, end)}.
     */
    V get(final String text, final int start, final int end)
    {
        return get(text, start, end, hash(text, start, end));
    }

    /**
     * The value of the token {@code text[start, end)} whose {@link #hash} the caller computed already.
     */
    @SuppressWarnings("unchecked") // values only ever holds V, see put
    V get(final String text, final int start, final int end, final int hash)
    {
        final String[] keys = this.keys;
        final int mask = keys.length - 1;
        int i = slot(hash, mask);
        String key;
        while ((key = keys[i]) != null)
        {
            if (sameToken(key, text, start, end))
            {
                return (V)values[i];
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /**
     * Map a token to a value, replacing any value it had.
     */
    void put(final String token, final V value)
    {
        if ((size + 1) * 3 > keys.length * 2)
        {
            resize(keys.length * 2);
        }
        final int mask = keys.length - 1;
        int i = slot(token.hashCode(), mask);
        String key;
        while ((key = keys[i]) != null)
        {
            if (key.equals(token))
            {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = token;
        values[i] = value;
        size++;
    }

    /**
     * Remove the token {@code text[start, end)}.
     *
     * @return the value it had, or {@code null}.
     */
    @SuppressWarnings("unchecked") // values only ever holds V, see put
    V remove(final String text, final int start, final int end)
    {
        final String[] keys = this.keys;
        final Object[] values = this.values;
        final int mask = keys.length - 1;
        int i = slot(hash(text, start, end), mask);
        String key;
        while ((key = keys[i]) != null && !sameToken(key, text, start, end))
        {
            i = (i + 1) & mask;
        }
        if (key == null)
        {
            return null;
        }
        final V removed = (V)values[i];
        int hole = i;
        int j = (i + 1) & mask;
        // Backward-shift deletion: pull back each later entry of the run whose home slot is not in (hole, j].
        while ((key = keys[j]) != null)
        {
            final int home = slot(key.hashCode(), mask);
            final boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays)
            {
                keys[hole] = key;
                values[hole] = values[j];
                hole = j;
            }
            j = (j + 1) & mask;
        }
        keys[hole] = null;
        values[hole] = null;
        size--;
        return removed;
    }

    /**
     * Add every value to a collection, in no particular order.
     */
    @SuppressWarnings("unchecked") // values only ever holds V, see put
    void addValuesTo(final Collection<? super V> into)
    {
        for (int i = 0; i < keys.length; i++)
        {
            if (keys[i] != null)
            {
                into.add((V)values[i]);
            }
        }
    }

    /**
     * Whether some value satisfies the predicate.
     */
    @SuppressWarnings("unchecked") // values only ever holds V, see put
    boolean anyValue(final Predicate<? super V> predicate)
    {
        for (int i = 0; i < keys.length; i++)
        {
            if (keys[i] != null && predicate.test((V)values[i]))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether some key satisfies the predicate.
     */
    boolean anyKey(final Predicate<String> predicate)
    {
        for (final String key : keys)
        {
            if (key != null && predicate.test(key))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Pass every key and value to the action, in no particular order.
     */
    @SuppressWarnings("unchecked") // values only ever holds V, see put
    void forEach(final BiConsumer<String, ? super V> action)
    {
        for (int i = 0; i < keys.length; i++)
        {
            if (keys[i] != null)
            {
                action.accept(keys[i], (V)values[i]);
            }
        }
    }

    /**
     * A copy with the same entries, for copy-on-write use.
     */
    SubjectTokenMap<V> copy()
    {
        final SubjectTokenMap<V> copy = new SubjectTokenMap<>();
        copy.keys = Arrays.copyOf(keys, keys.length);
        copy.values = Arrays.copyOf(values, values.length);
        copy.size = size;
        return copy;
    }

    @SuppressWarnings("unchecked") // values only ever holds V, see put
    private void resize(final int capacity)
    {
        final String[] oldKeys = keys;
        final Object[] oldValues = values;
        keys = new String[capacity];
        values = new Object[capacity];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++)
        {
            if (oldKeys[i] != null)
            {
                put(oldKeys[i], (V)oldValues[i]);
            }
        }
    }

    private static boolean sameToken(final String key, final String text, final int start, final int end)
    {
        return key.length() == end - start && key.regionMatches(0, text, start, end - start);
    }

    /**
     * The same value as {@code text.substring(start, end).hashCode()}, without the substring.
     */
    static int hash(final String text, final int start, final int end)
    {
        int h = 0;
        for (int i = start; i < end; i++)
        {
            h = 31 * h + text.charAt(i);
        }
        return h;
    }

    private static int slot(final int hash, final int mask)
    {
        // String hashes of short similar tokens differ in low bits only a little: spread them first.
        final int h = hash * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }
}
