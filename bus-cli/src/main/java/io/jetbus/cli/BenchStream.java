package io.jetbus.cli;

import io.jetbus.api.jetstream.StreamConfig;
import io.jetbus.core.EmbeddedBus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The bus and stream of the JetStream scenarios: a bench bus ({@link BenchRun#newBus}) whose storage directory is a
 * fresh temp directory, and one stream {@value #STREAM} capturing {@value #SUBJECT} with the options' storage and
 * flush policy. {@link #close()} closes the bus and deletes the directory.
 */
final class BenchStream implements AutoCloseable
{
    static final String STREAM = "BENCH";
    static final String SUBJECT = "bench.js";

    private final Path dir;
    private final EmbeddedBus bus;

    private BenchStream(final Path dir, final EmbeddedBus bus)
    {
        this.dir = dir;
        this.bus = bus;
    }

    /**
     * A new temp directory, bus and stream.
     *
     * @param options the run's options: payload size, storage and flush.
     * @param errors  receives the bus's first error.
     * @return the stream; close it.
     * @throws IOException if the temp directory cannot be created.
     */
    static BenchStream open(final BenchOptions options, final AtomicReference<Throwable> errors) throws IOException
    {
        final Path dir = Files.createTempDirectory("jetbus-bench-");
        EmbeddedBus bus = null;
        try
        {
            bus = BenchRun.newBus(options.size(), errors, dir);
            bus.connect("bench-admin").jetStreamManagement().addStream(StreamConfig.builder()
                .name(STREAM)
                .subjects(SUBJECT)
                .storage(options.storage().type())
                .flushPolicy(options.flush().policy())
                .build());
            return new BenchStream(dir, bus);
        }
        catch (final RuntimeException | Error ex)
        {
            if (bus != null)
            {
                bus.close();
            }
            CliFiles.deleteRecursively(dir);
            throw ex;
        }
    }

    EmbeddedBus bus()
    {
        return bus;
    }

    /** The storage directory, deleted by {@link #close()}. */
    Path dir()
    {
        return dir;
    }

    @Override
    public void close() throws IOException
    {
        try
        {
            bus.close();
        }
        finally
        {
            CliFiles.deleteRecursively(dir);
        }
    }
}
