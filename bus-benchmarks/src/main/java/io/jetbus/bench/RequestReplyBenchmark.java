package io.jetbus.bench;

import io.jetbus.api.Connection;
import io.jetbus.api.Message;
import io.jetbus.core.EmbeddedBus;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
 * Request-reply round trip: the benchmark thread sends a request and busy-spins until the reply's future completes;
 * a responder on a dispatcher echoes the payload (zero-copy) to the reply subject. SampleTime reports the round-trip
 * percentiles. Compare with {@link RingPingPongBaselineBenchmark} from the same run (BACKOFF with {@code DEFAULT},
 * BUSY_SPIN with {@code BUSY_SPIN}).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class RequestReplyBenchmark extends AbstractBenchmark
{
    static final String SUBJECT = "bench.echo";
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Param
    public DispatcherIdle idle;

    @Param({ "16", "1024" })
    public int payloadBytes;

    private EmbeddedBus bus;
    private Connection requester;
    private byte[] payload;

    @Setup(Level.Trial)
    public void setUp()
    {
        bus = BusBenchmarks.quietBus(idle).build();
        final Connection responder = bus.connect("responder");
        responder.createDispatcher(m -> responder.publish(m.replyTo(), null, null, m.dataBuffer())).subscribe(SUBJECT);
        requester = bus.connect("requester");
        payload = new byte[payloadBytes];
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        bus.close();
    }

    @Benchmark
    public Message roundTrip()
    {
        final CompletableFuture<Message> reply = requester.request(SUBJECT, payload, TIMEOUT);
        while (!reply.isDone())
        {
            Thread.onSpinWait();
        }
        return reply.join();
    }
}
