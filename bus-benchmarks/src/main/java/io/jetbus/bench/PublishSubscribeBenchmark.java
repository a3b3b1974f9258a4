package io.jetbus.bench;

import io.jetbus.api.Connection;
import io.jetbus.api.Subscription;
import io.jetbus.core.EmbeddedBus;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
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
 * Core publish to one asynchronous subscriber: the benchmark thread publishes, the subscriber's dispatcher thread
 * handles. Compare {@code received} with {@link RingBufferBaselineBenchmark}'s {@code claimPoll:received}
 * (MANY_TO_ONE) from the same run: the same two threads, the same payload sizes.
 * <p>
 * The primary score counts publish calls, dropped ones included; the throughput to quote is {@code received}, the
 * messages the handler ran for per time unit. A publisher that outpaces its subscriber finds the ring full and the
 * message is dropped (the default slow-consumer policy), which {@code dropped} counts, as the baseline's
 * {@code offersFailed} counts refused offers. {@code publishBytes} publishes a {@code byte[]},
 * {@code publishBuffer} a direct {@link ByteBuffer}; both handlers read the payload through the zero-copy view, so
 * {@code -prof gc} shows what a steady-state publish and delivery allocate.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class PublishSubscribeBenchmark extends AbstractBenchmark
{
    static final String SUBJECT = "bench.pubsub";

    /** The fixture of the running trial (one benchmark thread), for the counters' iteration hooks. */
    private static volatile PublishSubscribeBenchmark current;

    @Param({ "16", "1024" })
    public int payloadBytes;

    @Param
    public DispatcherIdle idle;

    private EmbeddedBus bus;
    private Connection nc;
    private Subscription subscription;
    private final BusBenchmarks.CountingHandler handler = new BusBenchmarks.CountingHandler();
    private byte[] payload;
    private ByteBuffer payloadBuffer;

    /**
     * Messages handled and dropped during the iteration, per time unit.
     */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counters
    {
        public long received;
        public long dropped;
        private long receivedAtStart;
        private long droppedAtStart;

        @Setup(Level.Iteration)
        public void start()
        {
            receivedAtStart = current.handler.count();
            droppedAtStart = current.subscription.droppedCount();
        }

        @TearDown(Level.Iteration)
        public void end()
        {
            received = current.handler.count() - receivedAtStart;
            dropped = current.subscription.droppedCount() - droppedAtStart;
        }
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        bus = BusBenchmarks.quietBus(idle).build();
        nc = bus.connect("bench");
        subscription = nc.createDispatcher(handler).subscribe(SUBJECT);
        payload = new byte[payloadBytes];
        payloadBuffer = ByteBuffer.allocateDirect(payloadBytes);
        current = this;
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        bus.close();
    }

    @Benchmark
    public void publishBytes(final Counters counters)
    {
        nc.publish(SUBJECT, payload);
    }

    @Benchmark
    public void publishBuffer(final Counters counters)
    {
        nc.publish(SUBJECT, null, null, payloadBuffer);
    }
}
