package io.jetbus.bench;

import java.util.concurrent.TimeUnit;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Baseline: raw Agrona ring buffer throughput, one producer thread to one consumer thread.
 * <p>
 * The producer and the consumer run as one JMH group. The primary score of a group adds up offer and poll calls, so
 * it means little; the honest throughput is the consumer's {@code received} counter (messages read per time unit).
 * {@code offersFailed} counts offers refused because the ring was full, {@code pollsEmpty} polls that found nothing.
 * Group {@code claim} writes with {@code tryClaim}/{@code commit}, group {@code write} with {@code write}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Group)
public class RingBufferBaselineBenchmark extends AbstractBenchmark
{
    static final int MSG_TYPE_ID = 1;
    static final int CAPACITY = 1024 * 1024;
    static final int READ_LIMIT = 64;

    /**
     * Which Agrona ring buffer to measure.
     */
    public enum RingType
    {
        /** {@link OneToOneRingBuffer}: a single producer. */
        ONE_TO_ONE,
        /** {@link ManyToOneRingBuffer}: many producers, here used by one. */
        MANY_TO_ONE
    }

    @Param
    public RingType ringType;

    @Param({ "16", "1024" })
    public int payloadBytes;

    private RingBuffer ring;
    private MutableDirectBuffer ringBuffer;
    private UnsafeBuffer payload;
    private ChecksumHandler handler;

    /**
     * Producer-side counters, reported per time unit.
     */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class OfferCounters
    {
        public long offersMade;
        public long offersFailed;

        @Setup(Level.Iteration)
        public void reset()
        {
            offersMade = 0;
            offersFailed = 0;
        }
    }

    /**
     * Consumer-side counters, reported per time unit; {@code received} is the throughput to quote.
     */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class PollCounters
    {
        public long received;
        public long pollsEmpty;

        @Setup(Level.Iteration)
        public void reset()
        {
            received = 0;
            pollsEmpty = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            CAPACITY + RingBufferDescriptor.TRAILER_LENGTH, BitUtil.CACHE_LINE_LENGTH));
        ring = ringType == RingType.ONE_TO_ONE ? new OneToOneRingBuffer(buffer) : new ManyToOneRingBuffer(buffer);
        ringBuffer = ring.buffer();
        payload = new UnsafeBuffer(new byte[payloadBytes]);
        for (int i = 0; i < payloadBytes; i++)
        {
            payload.putByte(i, (byte)i);
        }
        handler = new ChecksumHandler();
    }

    @Benchmark
    @Group("claim")
    @GroupThreads(1)
    public void claimOffer(final OfferCounters counters)
    {
        final int index = ring.tryClaim(MSG_TYPE_ID, payloadBytes);
        if (index == RingBuffer.INSUFFICIENT_CAPACITY)
        {
            counters.offersFailed++;
        }
        else
        {
            ringBuffer.putBytes(index, payload, 0, payloadBytes);
            ring.commit(index);
            counters.offersMade++;
        }
    }

    @Benchmark
    @Group("claim")
    @GroupThreads(1)
    public void claimPoll(final PollCounters counters)
    {
        poll(counters);
    }

    @Benchmark
    @Group("write")
    @GroupThreads(1)
    public void writeOffer(final OfferCounters counters)
    {
        if (ring.write(MSG_TYPE_ID, payload, 0, payloadBytes))
        {
            counters.offersMade++;
        }
        else
        {
            counters.offersFailed++;
        }
    }

    @Benchmark
    @Group("write")
    @GroupThreads(1)
    public void writePoll(final PollCounters counters)
    {
        poll(counters);
    }

    private void poll(final PollCounters counters)
    {
        final int read = ring.read(handler, READ_LIMIT);
        if (read == 0)
        {
            counters.pollsEmpty++;
        }
        else
        {
            counters.received += read;
        }
    }

    /**
     * Touches every message (its first 8 bytes and length) so the read cannot be optimised away.
     */
    static final class ChecksumHandler implements MessageHandler
    {
        long checksum;

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            checksum += buffer.getLong(index) + length;
        }
    }
}
