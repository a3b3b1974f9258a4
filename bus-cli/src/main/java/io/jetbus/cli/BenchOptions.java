package io.jetbus.cli;

import io.jetbus.api.jetstream.FlushPolicy;
import io.jetbus.api.jetstream.StorageType;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What a bench scenario is asked to do. Scenarios read the fields they need and ignore the rest; a new scenario with
 * options of its own adds them here and to {@link BenchCommand}.
 *
 * @param msgs    total messages (or requests) to send, over all publishers.
 * @param size    payload bytes per message.
 * @param pubs    publishing (or requesting) threads, each with its own connection.
 * @param subs    subscribers (or responders), each on its own dispatcher or thread.
 * @param storage where the JetStream scenarios' stream keeps its messages.
 * @param flush   when the JetStream scenarios' FILE stream forces its writes to the disk; {@link Flush#NONE} for
 *                {@link Storage#MEMORY}.
 */
record BenchOptions(long msgs, int size, int pubs, int subs, Storage storage, Flush flush)
{
    /** {@code --storage}: the stream's {@link StorageType}. */
    enum Storage
    {
        /** {@code file}: {@link StorageType#FILE}. */
        FILE,
        /** {@code memory}: {@link StorageType#MEMORY}. */
        MEMORY;

        StorageType type()
        {
            return this == FILE ? StorageType.FILE : StorageType.MEMORY;
        }

        /**
         * The storage named on the command line.
         *
         * @param text {@code file} or {@code memory}, any case.
         * @return the storage.
         * @throws IllegalArgumentException naming the value and the choices.
         */
        static Storage parse(final String text)
        {
            return switch (text.toLowerCase(Locale.ROOT))
            {
                case "file" -> FILE;
                case "memory" -> MEMORY;
                default -> throw new IllegalArgumentException("--storage must be file or memory: " + text);
            };
        }

        @Override
        public String toString()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code --flush}: the stream's {@link FlushPolicy}. */
    enum Flush
    {
        /** {@code none}: {@link FlushPolicy#none()}. */
        NONE,
        /** {@code interval}: {@link FlushPolicy#interval(Duration)} of {@link #INTERVAL}. */
        INTERVAL,
        /** {@code always}: {@link FlushPolicy#everyPublish()}. */
        ALWAYS;

        /** The interval of {@code --flush interval}. */
        static final Duration FLUSH_INTERVAL = Duration.ofSeconds(1);

        FlushPolicy policy()
        {
            return switch (this)
            {
                case NONE -> FlushPolicy.none();
                case INTERVAL -> FlushPolicy.interval(FLUSH_INTERVAL);
                case ALWAYS -> FlushPolicy.everyPublish();
            };
        }

        /**
         * The flush policy named on the command line.
         *
         * @param text {@code none}, {@code interval} or {@code always}, any case.
         * @return the policy.
         * @throws IllegalArgumentException naming the value and the choices.
         */
        static Flush parse(final String text)
        {
            return switch (text.toLowerCase(Locale.ROOT))
            {
                case "none" -> NONE;
                case "interval" -> INTERVAL;
                case "always" -> ALWAYS;
                default -> throw new IllegalArgumentException("--flush must be none, interval or always: " + text);
            };
        }

        @Override
        public String toString()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

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
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(flush, "flush");
        if (storage == Storage.MEMORY && flush != Flush.NONE)
        {
            throw new IllegalArgumentException("--flush " + flush + " needs --storage file: a memory stream has " +
                "nothing to flush");
        }
    }

    /**
     * Options with the default stream, {@code --storage file --flush none}.
     *
     * @param msgs total messages.
     * @param size payload bytes.
     * @param pubs publishers.
     * @param subs subscribers.
     */
    BenchOptions(final long msgs, final int size, final int pubs, final int subs)
    {
        this(msgs, size, pubs, subs, Storage.FILE, Flush.NONE);
    }

    /** The messages publisher {@code index} sends: an equal share, the first ones taking the remainder. */
    long share(final int index)
    {
        return msgs / pubs + (index < msgs % pubs ? 1 : 0);
    }

    /** The stream setup in words, e.g. {@code file storage, flush none}. */
    String streamSetup()
    {
        final String policy = flush == Flush.INTERVAL ?
            "interval " + Flush.FLUSH_INTERVAL.toSeconds() + " s" : flush.toString();
        return storage + " storage, flush " + policy;
    }
}
