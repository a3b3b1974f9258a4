package io.jetbus.jetstream;

/**
 * An inclusive range of stream sequences.
 *
 * @param first the first sequence, from 1.
 * @param last  the last sequence, at least {@code first}.
 */
record SeqRange(long first, long last)
{
    SeqRange
    {
        if (first < 1 || last < first)
        {
            throw new IllegalArgumentException(
                "invalid seq range " + first + ".." + last + ": need 1 <= first <= last");
        }
    }

    /**
     * @return how many sequences the range holds.
     */
    long count()
    {
        return last - first + 1;
    }

    @Override
    public String toString()
    {
        return first == last ? Long.toString(first) : first + ".." + last;
    }
}
