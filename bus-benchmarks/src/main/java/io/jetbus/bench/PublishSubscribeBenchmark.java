package io.jetbus.bench;

import io.jetbus.api.Connection;
import io.jetbus.api.Subscription;
import io.jetbus.core.EmbeddedBus;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

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
public class PublishSubscribeBenchmark extends AbstractBenchmark implements DeliveryCounters.Source
{
    static final String SUBJECT = "bench.pubsub";

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

    @Setup(Level.Trial)
    public void setUp()
    {
        bus = BusBenchmarks.quietBus(idle).build();
        nc = bus.connect("bench");
        subscription = nc.createDispatcher(handler).subscribe(SUBJECT);
        payload = new byte[payloadBytes];
        payloadBuffer = ByteBuffer.allocateDirect(payloadBytes);
        DeliveryCounters.measure(this);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        bus.close();
    }

    @Override
    public long received()
    {
        return handler.count();
    }

    @Override
    public long dropped()
    {
        return subscription.droppedCount();
    }

    @Benchmark
    public void publishBytes(final DeliveryCounters counters)
    {
        nc.publish(SUBJECT, payload);
    }

    @Benchmark
    public void publishBuffer(final DeliveryCounters counters)
    {
        nc.publish(SUBJECT, null, null, payloadBuffer);
    }
}
