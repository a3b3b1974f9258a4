package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.Message;
import io.jetbus.api.jetstream.AckPolicy;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.ConsumerInfo;
import io.jetbus.api.jetstream.JetStream;
import io.jetbus.api.jetstream.PullSubscription;
import io.jetbus.api.jetstream.StorageType;
import io.jetbus.api.jetstream.StreamConfig;
import io.jetbus.core.EmbeddedBus;
import io.jetbus.core.ManualTimeSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY.md R11, a slow JetStream consumer: a durable pull consumer with {@code maxAckPending=1000} takes its
 * first 1000 messages and then neither acknowledges nor fetches while a FILE stream receives
 * {@value #MESSAGES} more. The messages stay on disk: the heap after a full GC stays flat, delivery pauses (nothing
 * is handed out beyond the 1000 outstanding) without dropping anything, and once the consumer resumes it gets every
 * message, in order, exactly once.
 *
 * <p>The plan publishes 1 000 000 messages; this test publishes {@value #MESSAGES} of {@value #PAYLOAD} bytes
 * (about 100 MB on disk, a few seconds) to stay within the module's CI time. The heap grows by about 0.5 MiB here;
 * the bound, 16 MiB, is exceeded by any heap cost of 84 bytes or more per message (keeping the payloads would cost
 * 100 MiB). The plan's volume: {@code -Djetbus.r11.messages=1000000}.
 */
@Timeout(180)
class JetStreamSlowConsumerTest
{
    private static final int MESSAGES = 200_000;
    private static final int PAYLOAD = 512;
    private static final int MAX_ACK_PENDING = 1_000;
    private static final int SAMPLES = 4;
    /** Heap growth allowed from start to end, after a full GC. */
    private static final long MAX_HEAP_GROWTH = 16L << 20;

    @TempDir
    Path tmp;

    @Test
    void shouldKeepHeapFlatAndLoseNothingWhenPullConsumerStopsFetching() throws Exception
    {
        final int messages = Integer.getInteger("jetbus.r11.messages", MESSAGES);
        final ManualTimeSource clock = new ManualTimeSource(); // no ack wait expires: nothing is redelivered
        try (EmbeddedBus bus = EmbeddedBus.builder().storageDir(tmp).timeSource(clock).build())
        {
            final Connection nc = bus.connect();
            nc.jetStreamManagement().addStream(StreamConfig.builder().name("SLOW").subjects("slow.>")
                .storage(StorageType.FILE).build());
            final JetStream js = nc.jetStream();
            final PullSubscription sub = js.pullSubscribe("SLOW", ConsumerConfig.builder().durableName("C")
                .ackPolicy(AckPolicy.EXPLICIT).ackWait(Duration.ofSeconds(30)).maxAckPending(MAX_ACK_PENDING).build());

            // the consumer takes what it may, and stops
            publish(js, 0, MAX_ACK_PENDING * 2);
            final List<Message> outstanding = sub.fetch(MAX_ACK_PENDING * 2, Duration.ZERO);
            assertThat(outstanding).as("delivered up to max ack pending").hasSize(MAX_ACK_PENDING);
            assertThat(sub.fetch(1, Duration.ZERO)).as("delivery paused at max ack pending").isEmpty();

            final long baseline = usedHeapAfterGc();
            final List<Long> samples = new ArrayList<>();
            int published = MAX_ACK_PENDING * 2;
            for (int i = 1; i <= SAMPLES; i++)
            {
                final int upTo = (int)((long)messages * i / SAMPLES);
                publish(js, published, upTo);
                published = Math.max(published, upTo);
                final ConsumerInfo info = sub.info();
                assertThat(info.numAckPending()).as("outstanding").isEqualTo(MAX_ACK_PENDING);
                assertThat(info.numPending()).as("waiting in the stream").isEqualTo(published - MAX_ACK_PENDING);
                assertThat(info.delivered().streamSeq()).isEqualTo(MAX_ACK_PENDING);
                assertThat(sub.fetch(1, Duration.ZERO)).as("still paused after %d", published).isEmpty();
                samples.add(usedHeapAfterGc() - baseline);
            }
            assertThat(samples).as("heap growth after GC at each quarter of %d publishes (bytes)", messages)
                .allSatisfy(growth -> assertThat(growth).isLessThan(MAX_HEAP_GROWTH));

            // resume: the outstanding ones are acknowledged, then everything else arrives in order
            long expected = 1;
            for (final Message m : outstanding)
            {
                check(m, expected++);
                m.ack();
            }
            while (expected <= published)
            {
                final List<Message> batch = sub.fetch(MAX_ACK_PENDING, Duration.ofSeconds(10));
                assertThat(batch).as("fetch after seq %d", expected - 1).isNotEmpty();
                for (final Message m : batch)
                {
                    check(m, expected++);
                    m.ack();
                }
            }
            assertThat(sub.fetch(1, Duration.ZERO)).as("nothing beyond the last message").isEmpty();
            final ConsumerInfo info = sub.info();
            assertThat(info.numPending()).isZero();
            assertThat(info.numAckPending()).isZero();
            assertThat(info.numRedelivered()).isZero();
            assertThat(info.ackFloor().streamSeq()).isEqualTo(published);
        }
    }

    private static void publish(final JetStream js, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            js.publish("slow." + (i % 4), payload(i + 1));
        }
    }

    /** {@value #PAYLOAD} bytes that name their sequence. */
    private static byte[] payload(final long seq)
    {
        final byte[] b = new byte[PAYLOAD];
        ByteBuffer.wrap(b).putLong(seq).putLong(PAYLOAD - 8, ~seq);
        return b;
    }

    private static void check(final Message m, final long seq)
    {
        final long got = m.metaData().streamSeq();
        if (got != seq || m.metaData().deliveredCount() != 1 || !Arrays.equals(m.data(), payload(seq)))
        {
            throw new AssertionError("expected seq " + seq + " delivered once, got seq " + got + " delivery " +
                m.metaData().deliveredCount() + " on " + m.subject());
        }
    }

    private static long usedHeapAfterGc()
    {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++)
        {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
