package io.jetbus.cli;

/**
 * What a bench scenario is asked to do. Scenarios read the fields they need and ignore the rest; a new scenario with
 * options of its own (say {@code js-pub --storage file --flush always}) adds them here and to {@link BenchCommand}.
 *
 * @param msgs total messages (or requests) to send, over all publishers.
 * @param size payload bytes per message.
 * @param pubs publishing (or requesting) threads, each with its own connection.
 * @param subs subscribers (or responders), each on its own dispatcher.
 */
record BenchOptions(long msgs, int size, int pubs, int subs)
{
    BenchOptions
    {
        if (msgs <= 0)
        {
            throw new IllegalArgumentException("--msgs must be positive: " + msgs);
        }
        if (size < 0)
        {
            throw new IllegalArgumentException("--size must be >= 0: " + size);
        }
        if (pubs <= 0)
        {
            throw new IllegalArgumentException("--pubs must be positive: " + pubs);
        }
        if (subs < 0)
        {
            throw new IllegalArgumentException("--subs must be >= 0: " + subs);
        }
    }

    /** The messages publisher {@code index} sends: an equal share, the first ones taking the remainder. */
    long share(final int index)
    {
        return msgs / pubs + (index < msgs % pubs ? 1 : 0);
    }
}
