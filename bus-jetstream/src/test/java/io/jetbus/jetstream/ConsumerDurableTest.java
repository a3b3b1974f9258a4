package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.Message;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.ConsumerInfo;
import io.jetbus.api.jetstream.DeliverPolicy;
import io.jetbus.api.jetstream.JetStreamAdvisory;
import io.jetbus.api.jetstream.PullSubscription;
import io.jetbus.api.jetstream.RetentionPolicy;
import io.jetbus.api.jetstream.SequencePair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static io.jetbus.jetstream.ConsumersTest.seqs;
import static org.assertj.core.api.Assertions.assertThat;

class ConsumerDurableTest
{
    private static final Duration NO_WAIT = Duration.ZERO;
    private static final Duration ACK_WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final AtomicLong storeClock = new AtomicLong(TestFiles.START_MS);
    private TestStream stream;
    private Consumers consumers;
    private Connection connection;

    private void open(final Path streamDir, final Path consumersDir) throws IOException
    {
        Files.createDirectories(consumersDir);
        final FileStreamStore store = FileStreamStore.open(TestFiles.config("S", streamDir, storeClock).build());
        stream = new TestStream(RetentionPolicy.LIMITS, store, consumersDir, null, null);
        consumers = stream.open();
        connection = stream.bus.connect();
    }

    private void reopen() throws IOException
    {
        stream.close();
        open(dir.resolve("stream"), dir.resolve("consumers"));
    }

    @AfterEach
    void tearDown()
    {
        if (stream != null)
        {
            stream.close();
        }
    }

    private void publish(final int n)
    {
        for (int i = 1; i <= n; i++)
        {
            stream.publish("s.a", "m" + i);
        }
    }

    private static final ConsumerConfig DURABLE = ConsumerConfig.builder().durableName("dur").ackWait(ACK_WAIT)
        .build();

    @Test
    void shouldKeepAcksAndRedeliverOnlyUnackedMessagesWhenReopened() throws Exception
    {
        open(dir.resolve("stream"), dir.resolve("consumers"));
        publish(5);
        final PullSubscription sub = consumers.pullSubscribe(connection, DURABLE);
        final List<Message> batch = sub.fetch(5, NO_WAIT);
        batch.get(0).ack();
        batch.get(1).ack();
        batch.get(3).ackSync(Duration.ofSeconds(1));
        final ConsumerInfo before = sub.info();

        reopen();

        final ConsumerInfo after = consumers.info("dur");
        assertThat(after.config()).isEqualTo(DURABLE);
        assertThat(after.created()).isEqualTo(before.created());
        assertThat(after.delivered()).isEqualTo(new SequencePair(5, 5));
        assertThat(after.ackFloor()).isEqualTo(new SequencePair(2, 2));
        assertThat(after.numAckPending()).isEqualTo(2);
        final PullSubscription again = consumers.bind(connection, "dur");
        assertThat(again.fetch(5, NO_WAIT)).isEmpty();
        stream.clock.advance(ACK_WAIT);
        final List<Message> redelivered = again.fetch(5, NO_WAIT);
        assertThat(seqs(redelivered)).containsExactly(3L, 5L);
        assertThat(redelivered.get(0).metaData().deliveredCount()).isEqualTo(2);
        assertThat(redelivered.get(0).metaData().consumerSeq()).isEqualTo(6);
        stream.publish("s.a", "m6");
        assertThat(seqs(again.fetch(5, NO_WAIT))).containsExactly(6L);
    }

    @Test
    void shouldReplayTheAckLogWhenTheProcessDiedWithoutClosing() throws Exception
    {
        open(dir.resolve("stream"), dir.resolve("consumers"));
        publish(4);
        final PullSubscription sub = consumers.pullSubscribe(connection, DURABLE);
        final List<Message> batch = sub.fetch(3, NO_WAIT);
        batch.get(1).ack();
        batch.get(0).term();
        // a copy of the files as a crash would leave them: the log was written, no snapshot on close
        copy(dir.resolve("consumers"), dir.resolve("crashed"));
        stream.close();

        open(dir.resolve("stream"), dir.resolve("crashed"));

        final ConsumerInfo info = consumers.info("dur");
        assertThat(info.delivered()).isEqualTo(new SequencePair(3, 3));
        assertThat(info.ackFloor().streamSeq()).isEqualTo(2);
        assertThat(info.numAckPending()).isEqualTo(1);
        final PullSubscription again = consumers.bind(connection, "dur");
        final List<Message> fresh = again.fetch(5, NO_WAIT);
        assertThat(seqs(fresh)).containsExactly(4L);
        fresh.get(0).ack();
        stream.clock.advance(ACK_WAIT);
        assertThat(seqs(again.fetch(5, NO_WAIT))).containsExactly(3L);
    }

    @Test
    void shouldKeepTheStartPositionOfANewConsumerWhenReopened() throws Exception
    {
        open(dir.resolve("stream"), dir.resolve("consumers"));
        publish(3);
        consumers.addOrUpdate(ConsumerConfig.builder().durableName("new").deliverPolicy(DeliverPolicy.NEW).build());

        reopen();
        stream.publish("s.a", "m4");

        assertThat(seqs(consumers.bind(connection, "new").fetch(5, NO_WAIT))).containsExactly(4L);
    }

    @Test
    void shouldKeepAnUpdatedConfigurationAndForgetDeletedConsumers() throws Exception
    {
        open(dir.resolve("stream"), dir.resolve("consumers"));
        consumers.addOrUpdate(DURABLE);
        consumers.addOrUpdate(ConsumerConfig.builder().durableName("gone").build());
        final ConsumerConfig updated = ConsumerConfig.builder(DURABLE).maxDeliver(4).description("d").build();
        consumers.addOrUpdate(updated);
        consumers.delete("gone");
        consumers.pullSubscribe(connection, ConsumerConfig.builder().build()); // ephemeral: never stored

        reopen();

        assertThat(consumers.names()).containsExactly("dur");
        assertThat(consumers.info("dur").config()).isEqualTo(updated);
        assertThat(Files.exists(dir.resolve("consumers").resolve("gone"))).isFalse();
    }

    @Test
    void shouldRemoveEveryConsumersStateWhenTheStreamIsDeleted() throws Exception
    {
        open(dir.resolve("stream"), dir.resolve("consumers"));
        consumers.addOrUpdate(DURABLE);

        consumers.deleteAll();

        try (Stream<Path> left = Files.list(dir.resolve("consumers")))
        {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void shouldClampAndReportStateThatPointsPastTheEndOfTheStream() throws Exception
    {
        open(dir.resolve("stream"), dir.resolve("consumers"));
        publish(3);
        consumers.pullSubscribe(connection, DURABLE).fetch(3, NO_WAIT);
        stream.close();
        stream = null;
        // the stream lost its data (a new, empty store), the consumer state survived
        open(dir.resolve("other-stream"), dir.resolve("consumers"));
        stream.publish("s.a", "x1");

        final ConsumerInfo info = consumers.info("dur");

        assertThat(info.delivered().streamSeq()).isZero();
        assertThat(info.numAckPending()).isZero();
        assertThat(stream.recorder.advisories).extracting(JetStreamAdvisory::type)
            .containsExactly(JetStreamAdvisory.Type.STATE_CLAMPED);
        assertThat(seqs(consumers.bind(connection, "dur").fetch(5, NO_WAIT))).containsExactly(1L);
    }

    private static void copy(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> walk = Files.walk(from))
        {
            for (final Path p : walk.sorted(Comparator.naturalOrder()).toList())
            {
                final Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(p, target);
                }
            }
        }
    }
}
