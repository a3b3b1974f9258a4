package io.jetbus.bench;

import io.jetbus.api.Connection;
import io.jetbus.api.jetstream.JetStream;
import io.jetbus.api.jetstream.StreamConfig;
import io.jetbus.core.EmbeddedBus;

import java.nio.file.Path;

/**
 * An embedded bus with one stream {@value #STREAM} capturing {@value #SUBJECT}, its storage directory in a fresh temp
 * directory under {@code java.io.tmpdir}; {@link #close()} closes the bus and deletes the directory. The JetStream
 * benchmarks open one per iteration or trial, as {@link ChronicleBaselineBenchmark} opens its queues.
 * <p>
 * The bus keeps the default error listener (it logs): a storage fault in a benchmark should be seen, not counted.
 */
final class StreamFixture implements AutoCloseable
{
    static final String STREAM = "BENCH";
    static final String SUBJECT = "bench.js";

    private final Path dir;
    private final EmbeddedBus bus;
    private final Connection connection;
    private final JetStream jetStream;

    private StreamFixture(final Path dir, final EmbeddedBus bus, final StreamSetup setup)
    {
        this.dir = dir;
        this.bus = bus;
        connection = bus.connect("bench-js");
        connection.jetStreamManagement().addStream(StreamConfig.builder()
            .name(STREAM)
            .subjects(SUBJECT)
            .storage(setup.storage())
            .flushPolicy(setup.flushPolicy())
            .build());
        jetStream = connection.jetStream();
    }

    /**
     * A new bus in a new temp directory, with the stream.
     *
     * @param setup the stream's storage and flush policy.
     * @return the fixture; close it.
     */
    static StreamFixture open(final StreamSetup setup)
    {
        final Path dir = BenchmarkFiles.createTempDirectory("jetbus-bench-js-");
        EmbeddedBus bus = null;
        try
        {
            bus = EmbeddedBus.builder().storageDir(dir).build();
            return new StreamFixture(dir, bus, setup);
        }
        catch (final RuntimeException | Error ex)
        {
            if (bus != null)
            {
                bus.close();
            }
            BenchmarkFiles.deleteRecursively(dir);
            throw ex;
        }
    }

    /**
     * The fixture's connection.
     *
     * @return the connection that created the stream.
     */
    Connection connection()
    {
        return connection;
    }

    /**
     * The JetStream context of {@link #connection()}; safe for concurrent use.
     *
     * @return the context.
     */
    JetStream jetStream()
    {
        return jetStream;
    }

    /**
     * Publish {@code count} copies of the payload to {@value #SUBJECT} through the public API.
     *
     * @param count   messages.
     * @param payload the payload.
     */
    void fill(final long count, final byte[] payload)
    {
        for (long i = 0; i < count; i++)
        {
            jetStream.publish(SUBJECT, payload);
        }
    }

    /**
     * Close the bus and delete its directory (a closed fixture is closed again without effect).
     */
    @Override
    public void close()
    {
        try
        {
            bus.close();
        }
        finally
        {
            BenchmarkFiles.deleteRecursively(dir);
        }
    }
}
