package io.jetbus.jetstream;

import io.jetbus.api.jetstream.FlushPolicy;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How a {@link FileStreamStore} is opened. Immutable; built with {@link #builder(String, Path)}.
 */
final class FileStoreConfig
{
    static final long DEFAULT_BLOCK_SIZE = 16L << 20;
    static final long DEFAULT_SPACE_CHECK_INTERVAL_BYTES = 4L << 20;
    static final Duration DEFAULT_CHRONICLE_TIMEOUT = Duration.ofMillis(1500);
    static final long DEFAULT_CHECKPOINT_EVERY_APPENDS = 100_000;
    static final long DEFAULT_JOURNAL_COMPACT_BYTES = 1L << 20;

    /**
     * Test hook, null unless a test sets it: the {@code beforeSync} of every store whose builder is not given one,
     * so a child JVM can report each sync of the stores its bus opens (PowerLossTest). Read when the builder is made.
     */
    static volatile Runnable defaultBeforeSync;

    final String streamName;
    final Path directory;
    final RollCycle rollCycle;
    final long blockSize;
    final FlushPolicy flushPolicy;
    final RecoveryMode recoveryMode;
    final long reserveBytes;
    final LongSupplier usableSpace;
    final long spaceCheckIntervalBytes;
    final LongSupplier clockMs;
    final Duration chronicleTimeout;
    final long checkpointEveryAppends;
    final long journalCompactBytes;
    final Runnable beforeSync;

    private FileStoreConfig(final Builder b)
    {
        streamName = b.streamName;
        directory = b.directory;
        rollCycle = b.rollCycle;
        blockSize = b.blockSize;
        flushPolicy = b.flushPolicy;
        recoveryMode = b.recoveryMode;
        reserveBytes = b.reserveBytes < 0 ? 2 * b.blockSize + (64L << 20) : b.reserveBytes;
        usableSpace = b.usableSpace;
        spaceCheckIntervalBytes = b.spaceCheckIntervalBytes;
        clockMs = b.clockMs;
        chronicleTimeout = b.chronicleTimeout;
        checkpointEveryAppends = b.checkpointEveryAppends;
        journalCompactBytes = b.journalCompactBytes;
        beforeSync = b.beforeSync;
    }

    /**
     * @param streamName the stream, for messages.
     * @param directory  the stream's own directory (created if absent).
     * @return a builder with the defaults.
     */
    static Builder builder(final String streamName, final Path directory)
    {
        return new Builder(streamName, directory);
    }

    /**
     * @return the largest record (subject, headers, data and 34 bytes of framing) the store accepts: a quarter of
     *     the block size, which Chronicle needs as headroom.
     */
    long maxRecordBytes()
    {
        return Math.min(blockSize / 4, Integer.MAX_VALUE - 64);
    }

    /**
     * Builds a {@link FileStoreConfig}. Each setter checks its argument.
     */
    static final class Builder
    {
        private final String streamName;
        private final Path directory;
        private RollCycle rollCycle = RollCycles.FAST_HOURLY;
        private long blockSize = DEFAULT_BLOCK_SIZE;
        private FlushPolicy flushPolicy = FlushPolicy.none();
        private RecoveryMode recoveryMode = RecoveryMode.FAIL;
        private long reserveBytes = -1;
        private LongSupplier usableSpace;
        private long spaceCheckIntervalBytes = DEFAULT_SPACE_CHECK_INTERVAL_BYTES;
        private LongSupplier clockMs = System::currentTimeMillis;
        private Duration chronicleTimeout = DEFAULT_CHRONICLE_TIMEOUT;
        private long checkpointEveryAppends = DEFAULT_CHECKPOINT_EVERY_APPENDS;
        private long journalCompactBytes = DEFAULT_JOURNAL_COMPACT_BYTES;
        private Runnable beforeSync = defaultBeforeSync != null ? defaultBeforeSync : () ->
        {
        };

        private Builder(final String streamName, final Path directory)
        {
            this.streamName = Objects.requireNonNull(streamName, "streamName");
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /**
         * @param rollCycle how often a new cycle file starts (retention deletes whole files). Default FAST_HOURLY.
         */
        Builder rollCycle(final RollCycle rollCycle)
        {
            this.rollCycle = Objects.requireNonNull(rollCycle, "rollCycle");
            return this;
        }

        /**
         * @param blockSize the Chronicle mapping chunk, a power of two &gt;= 64 KiB. Default 16 MiB.
         */
        Builder blockSize(final long blockSize)
        {
            if (blockSize < 64 << 10 || Long.bitCount(blockSize) != 1)
            {
                throw new IllegalArgumentException(
                    "invalid blockSize " + blockSize + ": must be a power of two >= 65536");
            }
            this.blockSize = blockSize;
            return this;
        }

        Builder flushPolicy(final FlushPolicy flushPolicy)
        {
            this.flushPolicy = Objects.requireNonNull(flushPolicy, "flushPolicy");
            return this;
        }

        Builder recoveryMode(final RecoveryMode recoveryMode)
        {
            this.recoveryMode = Objects.requireNonNull(recoveryMode, "recoveryMode");
            return this;
        }

        /**
         * @param reserveBytes refuse appends when usable disk space is below this. Default 2 x blockSize + 64 MiB.
         */
        Builder reserveBytes(final long reserveBytes)
        {
            if (reserveBytes < 0)
            {
                throw new IllegalArgumentException("invalid reserveBytes " + reserveBytes + ": must be >= 0");
            }
            this.reserveBytes = reserveBytes;
            return this;
        }

        /**
         * @param usableSpace measures usable bytes on the store's file system; default
         *                    {@link java.nio.file.FileStore#getUsableSpace()}.
         */
        Builder usableSpace(final LongSupplier usableSpace)
        {
            this.usableSpace = Objects.requireNonNull(usableSpace, "usableSpace");
            return this;
        }

        /**
         * @param bytes re-measure free space after this many bytes appended (also on each new cycle and after a
         *              refusal). Default 4 MiB.
         */
        Builder spaceCheckIntervalBytes(final long bytes)
        {
            if (bytes < 1)
            {
                throw new IllegalArgumentException("invalid spaceCheckIntervalBytes " + bytes + ": must be >= 1");
            }
            this.spaceCheckIntervalBytes = bytes;
            return this;
        }

        /**
         * @param clockMs wall-clock milliseconds that decide the cycle file (tests inject one to roll on demand).
         */
        Builder clockMs(final LongSupplier clockMs)
        {
            this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
            return this;
        }

        /**
         * @param timeout Chronicle's {@code timeoutMS}: bounds a stall on a half-written file. Default 1.5 s.
         */
        Builder chronicleTimeout(final Duration timeout)
        {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero())
            {
                throw new IllegalArgumentException("invalid chronicleTimeout " + timeout + ": must be > 0");
            }
            this.chronicleTimeout = timeout;
            return this;
        }

        /**
         * @param appends write a checkpoint after this many appends (also on a new cycle and on close).
         */
        Builder checkpointEveryAppends(final long appends)
        {
            if (appends < 1)
            {
                throw new IllegalArgumentException("invalid checkpointEveryAppends " + appends + ": must be >= 1");
            }
            this.checkpointEveryAppends = appends;
            return this;
        }

        /**
         * @param bytes compact the deletion journal at a checkpoint once it is larger than this.
         */
        Builder journalCompactBytes(final long bytes)
        {
            if (bytes < 1)
            {
                throw new IllegalArgumentException("invalid journalCompactBytes " + bytes + ": must be >= 1");
            }
            this.journalCompactBytes = bytes;
            return this;
        }

        /**
         * @param hook runs before each sync of the data files (tests use it to observe group commit).
         */
        Builder beforeSync(final Runnable hook)
        {
            this.beforeSync = Objects.requireNonNull(hook, "hook");
            return this;
        }

        FileStoreConfig build()
        {
            return new FileStoreConfig(this);
        }
    }
}
