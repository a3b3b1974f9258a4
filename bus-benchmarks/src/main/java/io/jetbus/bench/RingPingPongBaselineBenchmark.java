package io.jetbus.bench;

import java.util.concurrent.TimeUnit;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
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
 * Baseline: request-reply round trip over two raw Agrona {@link OneToOneRingBuffer}s, one per direction.
 * <p>
 * The benchmark thread writes a request carrying a sequence number and busy-spins until the echo comes back on the
 * response ring. A responder thread, started per trial, echoes each request; it idles between polls with the
 * {@link ResponderIdle} strategy under test. SampleTime mode reports the round-trip percentiles.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class RingPingPongBaselineBenchmark extends AbstractBenchmark
{
    static final int MSG_TYPE_ID = 1;
    static final int CAPACITY = 64 * 1024;
    static final int READ_LIMIT = 16;
    static final long STOP_TIMEOUT_MS = 10_000;
    static final int LIVENESS_CHECK_MASK = (1 << 20) - 1;

    /**
     * How the responder waits when the request ring is empty.
     */
    public enum ResponderIdle
    {
        /** {@link BusySpinIdleStrategy}: never yields the core. */
        BUSY_SPIN,
        /** {@link BackoffIdleStrategy} with Agrona's defaults: spin, then yield, then park up to 1 ms. */
        BACKOFF
    }

    @Param
    public ResponderIdle responderIdle;

    @Param({ "16", "1024" })
    public int payloadBytes;

    private OneToOneRingBuffer requests;
    private OneToOneRingBuffer responses;
    private UnsafeBuffer payload;
    private final ReplyHandler replyHandler = new ReplyHandler();
    private long sequence;
    private volatile boolean running;
    private Thread responder;

    @Setup(Level.Trial)
    public void startResponder()
    {
        requests = new OneToOneRingBuffer(newRingBuffer());
        responses = new OneToOneRingBuffer(newRingBuffer());
        payload = new UnsafeBuffer(new byte[payloadBytes]);
        final IdleStrategy idleStrategy =
            responderIdle == ResponderIdle.BUSY_SPIN ? new BusySpinIdleStrategy() : new BackoffIdleStrategy();
        running = true;
        responder = new Thread(() -> respond(idleStrategy), "ping-pong-responder");
        responder.setDaemon(true);
        responder.start();
    }

    @TearDown(Level.Trial)
    public void stopResponder() throws InterruptedException
    {
        running = false;
        responder.join(STOP_TIMEOUT_MS);
        if (responder.isAlive())
        {
            throw new IllegalStateException("responder did not stop within " + STOP_TIMEOUT_MS + " ms");
        }
    }

    @Benchmark
    public long roundTrip()
    {
        final long expected = ++sequence;
        payload.putLong(0, expected);
        if (!requests.write(MSG_TYPE_ID, payload, 0, payloadBytes))
        {
            throw new IllegalStateException("request ring full with one request in flight");
        }

        int spins = 0;
        while (responses.read(replyHandler, 1) == 0)
        {
            Thread.onSpinWait();
            if ((++spins & LIVENESS_CHECK_MASK) == 0 && !responder.isAlive())
            {
                throw new IllegalStateException("responder thread died");
            }
        }

        if (replyHandler.sequence != expected)
        {
            throw new IllegalStateException("reply " + replyHandler.sequence + " != request " + expected);
        }
        return expected;
    }

    private void respond(final IdleStrategy idleStrategy)
    {
        final MessageHandler echo = (msgTypeId, buffer, index, length) ->
        {
            if (!responses.write(msgTypeId, buffer, index, length))
            {
                throw new IllegalStateException("response ring full with one reply in flight");
            }
        };
        while (running)
        {
            idleStrategy.idle(requests.read(echo, READ_LIMIT));
        }
    }

    private static UnsafeBuffer newRingBuffer()
    {
        return new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            CAPACITY + RingBufferDescriptor.TRAILER_LENGTH, BitUtil.CACHE_LINE_LENGTH));
    }

    /**
     * Keeps the sequence number of the last reply read.
     */
    static final class ReplyHandler implements MessageHandler
    {
        long sequence;

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            sequence = buffer.getLong(index);
        }
    }
}
