package io.jetbus.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.io.Closeable;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Baseline: raw Chronicle Queue append and sequential tailer read, binary wire, no sync.
 * <p>
 * {@code append} copies a {@code byte[]} payload into one document per call. Each iteration appends to a fresh queue
 * (created in the iteration's setup, deleted in its teardown) so that disk use stays bounded by one iteration: up to a
 * few GiB for 1 KiB payloads with 2 s iterations. {@code read} copies each document of a queue pre-filled with
 * {@code messages} messages (default 2,000,000) into a {@code byte[]}, restarting from the first one when it reaches
 * the end. Queues live in temp directories under {@code java.io.tmpdir}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ChronicleBaselineBenchmark extends AbstractBenchmark
{
    /**
     * A fresh queue and appender per iteration.
     */
    @State(Scope.Thread)
    public static class AppendState
    {
        @Param({ "16", "1024" })
        public int payloadBytes;

        Path dir;
        ChronicleQueue queue;
        ExcerptAppender appender;
        byte[] payload;

        @Setup(Level.Iteration)
        public void open()
        {
            payload = pattern(payloadBytes);
            dir = BenchmarkFiles.createTempDirectory("jetbus-bench-append-");
            queue = openQueue(dir);
            appender = queue.createAppender();
        }

        @TearDown(Level.Iteration)
        public void close()
        {
            closeQueue(appender, queue);
            BenchmarkFiles.deleteRecursively(dir);
        }
    }

    /**
     * A queue filled once per trial and a tailer over it.
     */
    @State(Scope.Thread)
    public static class TailState
    {
        @Param({ "16", "1024" })
        public int payloadBytes;

        /** Messages in the queue; {@link JetStreamConsumeBenchmark} fills its stream with as many. */
        @Param({ "2000000" })
        public int messages;

        Path dir;
        ChronicleQueue queue;
        ExcerptTailer tailer;
        byte[] target;
        long restarts;

        @Setup(Level.Trial)
        public void fill()
        {
            final byte[] payload = pattern(payloadBytes);
            target = new byte[payloadBytes];
            dir = BenchmarkFiles.createTempDirectory("jetbus-bench-tail-");
            queue = openQueue(dir);
            fillQueue(queue, payload, messages);
            tailer = queue.createTailer();
        }

        @TearDown(Level.Trial)
        public void close()
        {
            closeQueue(tailer, queue);
            BenchmarkFiles.deleteRecursively(dir);
        }
    }

    @Benchmark
    public void append(final AppendState state)
    {
        append(state.appender, state.payload);
    }

    @Benchmark
    public int read(final TailState state)
    {
        return readOrRestart(state);
    }

    /**
     * Read the next document of the state's queue, or go back to its start at the end (once per {@code messages}
     * calls: the restart costs one call that returns no message).
     *
     * @param state the filled queue and its tailer.
     * @return the bytes read, 0 for the restart.
     */
    static int readOrRestart(final TailState state)
    {
        final int read = read(state.tailer, state.target);
        if (read < 0)
        {
            state.tailer.toStart();
            state.restarts++;
            return 0;
        }
        return read;
    }

    /**
     * Append one document holding the payload.
     *
     * @param appender the queue's appender.
     * @param payload  the bytes to copy in.
     */
    static void append(final ExcerptAppender appender, final byte[] payload)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            dc.wire().bytes().write(payload);
        }
    }

    /**
     * Read the next document into {@code target}.
     *
     * @param tailer the tailer.
     * @param target receives up to its length of the document's bytes.
     * @return the bytes read, or -1 when the tailer is at the end of the queue.
     */
    static int read(final ExcerptTailer tailer, final byte[] target)
    {
        try (DocumentContext dc = tailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                return -1;
            }
            final Bytes<?> bytes = dc.wire().bytes();
            return bytes.read(target, 0, (int)Math.min(target.length, bytes.readRemaining()));
        }
    }

    /**
     * Append {@code count} documents holding the payload.
     *
     * @param queue   the queue.
     * @param payload the bytes of each.
     * @param count   documents.
     */
    static void fillQueue(final ChronicleQueue queue, final byte[] payload, final long count)
    {
        try (ExcerptAppender appender = queue.createAppender())
        {
            for (long i = 0; i < count; i++)
            {
                append(appender, payload);
            }
        }
    }

    static ChronicleQueue openQueue(final Path dir)
    {
        // Calling this static method initialises AbstractBenchmark first, which disables Chronicle's analytics,
        // announcer and disk monitor before the first Chronicle class loads.
        return SingleChronicleQueueBuilder.binary(dir).build();
    }

    static void closeQueue(final Closeable excerpt, final ChronicleQueue queue)
    {
        if (excerpt != null)
        {
            excerpt.close();
        }
        if (queue != null)
        {
            queue.close();
        }
    }

    static byte[] pattern(final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)i;
        }
        return bytes;
    }
}
