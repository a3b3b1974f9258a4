package io.jetbus.bench;

import io.jetbus.api.Connection;
import io.jetbus.api.Subscription;
import io.jetbus.core.EmbeddedBus;

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
 * One publisher, several asynchronous subscribers on one subject, each on its own dispatcher: {@code fanOut} gives
 * every subscriber every message, {@code queueGroup} makes them one queue group so each message goes to one member.
 * {@code received} counts deliveries (handler calls, all subscribers together) per time unit; compare with
 * {@link RingBufferBaselineBenchmark}'s MANY_TO_ONE {@code claimPoll:received} from the same run.
 * {@code dropped} counts deliveries dropped because a subscriber's ring was full.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class FanOutBenchmark extends AbstractBenchmark implements DeliveryCounters.Source
{
    static final String SUBJECT = "bench.fanout";

    @Param({ "4" })
    public int subscribers;

    @Param({ "16", "1024" })
    public int payloadBytes;

    @Param
    public DispatcherIdle idle;

    /** Whether the subscribers form one queue group. */
    public enum Kind
    {
        /** Every subscriber gets every message. */
        FAN_OUT,
        /** One queue group: each message goes to one member. */
        QUEUE_GROUP
    }

    @Param
    public Kind kind;

    private EmbeddedBus bus;
    private Connection nc;
    private Subscription[] subscriptions;
    private BusBenchmarks.CountingHandler[] handlers;
    private byte[] payload;

    @Setup(Level.Trial)
    public void setUp()
    {
        bus = BusBenchmarks.quietBus(idle).build();
        nc = bus.connect("bench");
        subscriptions = new Subscription[subscribers];
        handlers = new BusBenchmarks.CountingHandler[subscribers];
        for (int i = 0; i < subscribers; i++)
        {
            handlers[i] = new BusBenchmarks.CountingHandler();
            subscriptions[i] = kind == Kind.QUEUE_GROUP ?
                nc.createDispatcher(handlers[i]).subscribe(SUBJECT, "workers") :
                nc.createDispatcher(handlers[i]).subscribe(SUBJECT);
        }
        payload = new byte[payloadBytes];
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
        return BusBenchmarks.received(handlers);
    }

    @Override
    public long dropped()
    {
        return BusBenchmarks.dropped(subscriptions);
    }

    @Benchmark
    public void publish(final DeliveryCounters counters)
    {
        nc.publish(SUBJECT, payload);
    }
}
