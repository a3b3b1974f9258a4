package io.jetbus.bench;

import io.jetbus.api.jetstream.JetStream;
import io.jetbus.api.jetstream.PubAck;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import net.openhft.chronicle.queue.ExcerptAppender;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Stream publish through the public API, {@code connection.jetStream().publish(subject, payload)} (the synchronous
 * call that returns the {@link PubAck}), beside a raw Chronicle Queue append of the same payload in the same class:
 * <ul>
 *     <li>{@code publish}: one thread, for every {@link StreamSetup} ({@code -p stream=...});</li>
 *     <li>{@code publish8Threads}: eight threads publishing to one stream at once, by default with
 *     {@link StreamSetup#FILE_FLUSH_EVERY_PUBLISH} ({@code -p groupStream=...}), where concurrent publishes may share
 *     one force (group commit); JMH sums the eight threads' rates;</li>
 *     <li>{@code publishAsync8Threads}: the same eight threads with {@code publishAsync}, a window of publishes in
 *     flight per thread, so one force can cover many per thread;</li>
 *     <li>{@code chronicleAppend}: the baseline, {@link ChronicleBaselineBenchmark#append}'s state and code: one
 *     {@link ExcerptAppender} writing the payload into a {@code SingleChronicleQueue} in a temp directory, no
 *     sync.</li>
 * </ul>
 * Each iteration opens a fresh bus and stream (and the baseline a fresh queue) in a new temp directory and deletes it
 * in its teardown, so disk and heap use stay bounded by one iteration and every iteration starts from an empty store.
 * The score is publishes (appends) per microsecond; {@code -prof gc} reports the bytes each allocates.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class JetStreamPublishBenchmark extends AbstractBenchmark
{
    static final int ASYNC_WINDOW = 64;

    /**
     * A fresh stream per iteration, shared by the benchmark's threads through one JetStream context (it is safe for
     * concurrent use and keeps no per-caller state).
     */
    @State(Scope.Benchmark)
    public abstract static class AbstractStreamState
    {
        @Param({ "16", "1024" })
        public int payloadBytes;

        StreamFixture fixture;
        JetStream js;
        byte[] payload;

        /**
         * The stream to open.
         *
         * @return the setup under test.
         */
        abstract StreamSetup setup();

        @Setup(Level.Iteration)
        public void open()
        {
            payload = ChronicleBaselineBenchmark.pattern(payloadBytes);
            fixture = StreamFixture.open(setup());
            js = fixture.jetStream();
        }

        @TearDown(Level.Iteration)
        public void close()
        {
            fixture.close();
        }
    }

    /**
     * The stream of {@code publish}: every setup by default.
     */
    @State(Scope.Benchmark)
    public static class StreamState extends AbstractStreamState
    {
        @Param
        public StreamSetup stream;

        @Override
        StreamSetup setup()
        {
            return stream;
        }
    }

    /**
     * The stream of {@code publish8Threads}: every-publish flush by default, where group commit matters.
     */
    @State(Scope.Benchmark)
    public static class GroupStreamState extends AbstractStreamState
    {
        @Param({ "FILE_FLUSH_EVERY_PUBLISH" })
        public StreamSetup groupStream;

        @Override
        StreamSetup setup()
        {
            return groupStream;
        }
    }

    @Benchmark
    public PubAck publish(final StreamState state)
    {
        return state.js.publish(StreamFixture.SUBJECT, state.payload);
    }

    @Benchmark
    @Threads(8)
    public PubAck publish8Threads(final GroupStreamState state)
    {
        return state.js.publish(StreamFixture.SUBJECT, state.payload);
    }

    /**
     * Eight threads, each with {@value #ASYNC_WINDOW} {@code publishAsync} calls in flight before it waits for the last
     * one's future (futures complete in publish order); the score counts each publish.
     */
    @Benchmark
    @Threads(8)
    @OperationsPerInvocation(ASYNC_WINDOW)
    public PubAck publishAsync8Threads(final GroupStreamState state)
    {
        CompletableFuture<PubAck> last = null;
        for (int i = 0; i < ASYNC_WINDOW; i++)
        {
            last = state.js.publishAsync(StreamFixture.SUBJECT, state.payload);
        }
        return last.join();
    }

    @Benchmark
    public void chronicleAppend(final ChronicleBaselineBenchmark.AppendState state)
    {
        ChronicleBaselineBenchmark.append(state.appender, state.payload);
    }
}
