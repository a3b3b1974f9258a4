package io.jetbus.bench;

import io.jetbus.api.Message;
import io.jetbus.api.jetstream.AckPolicy;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.DeliverPolicy;
import io.jetbus.api.jetstream.JetStream;
import io.jetbus.api.jetstream.JetStreamManagement;
import io.jetbus.api.jetstream.PullSubscription;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
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
 * Consume and acknowledge from a stream pre-filled with {@code messages} messages, through the public API: a durable
 * pull consumer ({@link AckPolicy#EXPLICIT}, {@link DeliverPolicy#ALL}) fetches {@code batch} messages at a time and
 * each call of {@code fetchAndAck} takes one of them, copies its payload into a {@code byte[]} and acknowledges it
 * ({@link Message#ack()}, which does not wait for the acknowledgement to be stored). Beside it, in the same class,
 * {@code chronicleRead} is the baseline: {@link ChronicleBaselineBenchmark#read}'s state and code, a raw Chronicle
 * tailer copying each document of a queue holding the same number of documents of the same payload.
 * <p>
 * Both scores are messages per microsecond. When the consumer has taken every message it is deleted and a new one
 * starts from the first message (as the baseline's tailer goes back to the start), once per {@code messages} calls.
 * The stream is filled once per trial through {@code jetStream().publish}; its temp directory is deleted in the
 * trial's teardown.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class JetStreamConsumeBenchmark extends AbstractBenchmark
{
    static final Duration MAX_WAIT = Duration.ofSeconds(10);

    /**
     * The filled stream and the current consumer.
     */
    @State(Scope.Thread)
    public static class ConsumeState
    {
        @Param({ "FILE_FLUSH_NONE" })
        public StreamSetup stream;

        @Param({ "16", "1024" })
        public int payloadBytes;

        /** Messages in the stream; the same parameter sets the baseline's queue. */
        @Param({ "2000000" })
        public int messages;

        @Param({ "256" })
        public int batch;

        StreamFixture fixture;
        JetStream js;
        JetStreamManagement jsm;
        byte[] target;
        PullSubscription subscription;
        String consumerName;
        int consumers;
        long taken;
        List<Message> fetched = List.of();
        int next;

        @Setup(Level.Trial)
        public void fill()
        {
            target = new byte[payloadBytes];
            fixture = StreamFixture.open(stream);
            js = fixture.jetStream();
            jsm = fixture.connection().jetStreamManagement();
            fixture.fill(messages, ChronicleBaselineBenchmark.pattern(payloadBytes));
            subscribe();
        }

        @TearDown(Level.Trial)
        public void close()
        {
            fixture.close();
        }

        /** A new durable consumer from the first message. */
        void subscribe()
        {
            consumerName = "bench-" + consumers++;
            subscription = js.pullSubscribe(StreamFixture.STREAM, ConsumerConfig.builder()
                .durableName(consumerName)
                .ackPolicy(AckPolicy.EXPLICIT)
                .deliverPolicy(DeliverPolicy.ALL)
                .build());
            taken = 0;
        }

        /** Delete the consumer that took every message and start a new one. */
        void restart()
        {
            subscription.unsubscribe();
            jsm.deleteConsumer(StreamFixture.STREAM, consumerName);
            subscribe();
        }

        Message take() throws InterruptedException
        {
            if (next == fetched.size())
            {
                if (taken == messages)
                {
                    restart();
                }
                // never ask for more than is left: a fetch waits its whole maxWait for a batch it cannot fill
                fetched = subscription.fetch((int)Math.min(batch, messages - taken), MAX_WAIT);
                next = 0;
                if (fetched.isEmpty())
                {
                    throw new IllegalStateException("no message within " + MAX_WAIT + " after " + taken + " of " +
                        messages + " from consumer " + consumerName);
                }
            }
            taken++;
            return fetched.get(next++);
        }
    }

    @Benchmark
    public int fetchAndAck(final ConsumeState state) throws InterruptedException
    {
        final Message message = state.take();
        final ByteBuffer data = message.dataBuffer();
        final int length = data.remaining();
        data.get(state.target, 0, length);
        message.ack();
        return length;
    }

    @Benchmark
    public int chronicleRead(final ChronicleBaselineBenchmark.TailState state)
    {
        return ChronicleBaselineBenchmark.readOrRestart(state);
    }
}
