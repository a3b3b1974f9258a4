package io.jetbus.jetstream;

import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Helpers for file store tests.
 */
final class TestFiles
{
    /** A fixed start time: 2023-11-14T22:13:20Z. */
    static final long START_MS = 1_700_000_000_000L;

    private TestFiles()
    {
    }

    /**
     * A config for tests: one-second cycles driven by {@code clock}, small blocks, a tiny reserve.
     */
    static FileStoreConfig.Builder config(final String name, final Path dir, final AtomicLong clock)
    {
        return FileStoreConfig.builder(name, dir)
            .rollCycle(TestRollCycles.TEST_SECONDLY)
            .blockSize(1 << 20)
            .reserveBytes(0)
            .clockMs(clock::get);
    }

    static List<Path> cycleFiles(final Path dir)
    {
        try (Stream<Path> s = Files.list(dir))
        {
            return s.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().toList();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
