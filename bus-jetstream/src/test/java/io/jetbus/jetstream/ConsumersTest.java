package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.Message;
import io.jetbus.api.jetstream.AckPolicy;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.ConsumerInfo;
import io.jetbus.api.jetstream.DeliverPolicy;
import io.jetbus.api.jetstream.JetStreamApiException;
import io.jetbus.api.jetstream.MessageMetadata;
import io.jetbus.api.jetstream.PullSubscription;
import io.jetbus.api.jetstream.RetentionPolicy;
import io.jetbus.api.jetstream.SequencePair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsumersTest
{
    private static final Duration NO_WAIT = Duration.ZERO;

    private TestStream stream;
    private Consumers consumers;
    private Connection connection;

    private void open(final RetentionPolicy retention)
    {
        stream = new TestStream(retention);
        consumers = stream.open();
        connection = stream.bus.connect();
    }

    @AfterEach
    void tearDown()
    {
        if (stream != null)
        {
            stream.close();
        }
    }

    static List<String> data(final List<Message> messages)
    {
        final List<String> out = new ArrayList<>();
        for (final Message m : messages)
        {
            out.add(new String(m.data(), StandardCharsets.UTF_8));
        }
        return out;
    }

    static List<Long> seqs(final List<Message> messages)
    {
        final List<Long> out = new ArrayList<>();
        for (final Message m : messages)
        {
            out.add(m.metaData().streamSeq());
        }
        return out;
    }

    private PullSubscription pull(final ConsumerConfig.Builder builder)
    {
        return consumers.pullSubscribe(connection, builder.build());
    }

    @Test
    void shouldDeliverEveryMessageInOrderWhenDeliverPolicyIsAll() throws Exception
    {
        open(RetentionPolicy.LIMITS);
        stream.publish("s.a", "1");
        stream.publish("s.b", "2");
        stream.publish("s.a", "3");
        final PullSubscription sub = pull(ConsumerConfig.builder().durableName("d"));

        final List<Message> batch = sub.fetch(10, NO_WAIT);

        assertThat(data(batch)).containsExactly("1", "2", "3");
        assertThat(batch.get(0).subject()).isEqualTo("s.a");
        assertThat(batch.get(0).isJetStream()).isTrue();
    }

    @Test
    void shouldStartAfterTheLastMessageWhenDeliverPolicyIsNew() throws Exception
    {
        open(RetentionPolicy.LIMITS);
        stream.publish("s.a", "old");
        final PullSubscription sub = pull(ConsumerConfig.builder().deliverPolicy(DeliverPolicy.NEW));
        assertThat(sub.fetch(10, NO_WAIT)).isEmpty();

        stream.publish("s.a", "new");

        assertThat(data(sub.fetch(10, NO_WAIT))).containsExactly("new");
    }

    @Test
    void shouldStartAtTheLastMatchingMessageWhenDeliverPolicyIsLast() throws Exception
    {
        open(RetentionPolicy.LIMITS);
        stream.publish("s.a", "a1");
        stream.publish("s.a", "a2");
        stream.publish("s.b", "b1");
        final PullSubscription all = pull(ConsumerConfig.builder().deliverPolicy(DeliverPolicy.LAST));
        final PullSubscription onA = pull(ConsumerConfig.builder().deliverPolicy(DeliverPolicy.LAST)
            .filterSubject("s.a"));

        assertThat(data(all.fetch(10, NO_WAIT))).containsExactly("b1");
        assertThat(data(onA.fetch(10, NO_WAIT))).containsExactly("a2");
        stream.publish("s.a", "a3");
        assertThat(data(onA.fetch(10, NO_WAIT))).containsExactly("a3");
    }

    @Test
    void shouldStartAtTheSequenceOrTheNextWhenDeliverPolicyIsByStartSequence() throws Exception
    {
        open(RetentionPolicy.LIMITS);
        for (int i = 1; i <= 5; i++)
        {
            stream.publish("s.a", "m" + i);
        }
        stream.store.delete(3);
        final PullSubscription sub = pull(ConsumerConfig.builder().deliverPolicy(DeliverPolicy.BY_START_SEQUENCE)
            .optStartSeq(3));

        assertThat(data(sub.fetch(10, NO_WAIT))).containsExactly("m4", "m5");
        assertThat(sub.info().delivered()).isEqualTo(new SequencePair(2, 5));
    }

    @Test
    void shouldStartAtTheFirstMessageStoredAtOrAfterTheTimeWhenDeliverPolicyIsByStartTime() throws Exception
    {
        open(RetentionPolicy.LIMITS);
        for (int i = 1; i <= 6; i++)
        {
            stream.publish("s.a", "m" + i);
            stream.clock.advance(Duration.ofSeconds(1));
        }
        // m1 was stored at epoch 1 s, m4 at 4 s
        final Instant t = Instant.ofEpochSecond(3, 500_000_000);
        final PullSubscription sub = pull(ConsumerConfig.builder().deliverPolicy(DeliverPolicy.BY_START_TIME)
            .optStartTime(t));

        assertThat(data(sub.fetch(10, NO_WAIT))).containsExactly("m4", "m5", "m6");
        final PullSubscription none = pull(ConsumerConfig.builder().deliverPolicy(DeliverPolicy.BY_START_TIME)
            .optStartTime(Instant.ofEpochSecond(100)));
        assertThat(none.fetch(10, NO_WAIT)).isEmpty();
    }

    @Test
    void shouldDeliverTheLastOfEachSubjectThenNewOnesWhenDeliverPolicyIsLastPerSubject() throws Exception
    {
        open(RetentionPolicy.LIMITS);
        stream.publish("s.a", "a1");
        stream.publish("s.b", "b1");
        stream.publish("s.a", "a2");
        stream.publish("s.c", "c1");
        stream.publish("s.b", "b2");
        final PullSubscription sub = pull(ConsumerConfig.builder().deliverPolicy(DeliverPolicy.LAST_PER_SUBJECT)
            .filterSubjects("s.a", "s.b"));
        assertThat(sub.info().numPending()).isEqualTo(2);

        assertThat(data(sub.fetch(10, NO_WAIT))).containsExactly("a2", "b2");
        stream.publish("s.c", "c2");
        stream.publish("s.a", "a3");
        assertThat(data(sub.fetch(10, NO_WAIT))).containsExactly("a3");
    }

    @Test
    void shouldDeliverOnlyMatchingMessagesWhenFilterSubjectsAreSet() throws Exception
    {
        open(RetentionPolicy.LIMITS);
        stream.publish("s.a.1", "a1");
        stream.publish("s.b.1", "b1");
        stream.publish("s.c.1", "c1");
        stream.publish("s.b.2", "b2");
        final PullSubscription sub = pull(ConsumerConfig.builder().filterSubjects("s.b.*", "s.c.>"));

        assertThat(sub.info().numPending()).isEqualTo(3);
        assertThat(data(sub.fetch(10, NO_WAIT))).containsExactly("b1", "c1", "b2");
        assertThat(sub.info().numPending()).isZero();
    }

    @Test
    void shouldCarryMetadataWhenDelivered() throws Exception
    {
        open(RetentionPolicy.LIMITS);
        stream.publish("s.a", "1");
        stream.publish("s.a", "2");
        stream.publish("s.a", "3");
        final PullSubscription sub = pull(ConsumerConfig.builder().durableName("meta"));

        final Message m = sub.fetch(1, NO_WAIT).get(0);

        assertThat(m.metaData()).isEqualTo(new MessageMetadata("S", "meta", 1, 1, 1, Instant.ofEpochSecond(1), 2));
        assertThat(m.replyTo()).isEqualTo("$JS.ACK.S.meta.1.1.1.1000000000.2");
        assertThat(m.copy()).isSameAs(m);
        assertThat(m.subscription()).isNull();
    }

    @Test
    void shouldReportPositionsAndCountsInInfo() throws Exception
    {
        open(RetentionPolicy.LIMITS);
        for (int i = 1; i <= 5; i++)
        {
            stream.publish("s.a", "m" + i);
        }
        final PullSubscription sub = pull(ConsumerConfig.builder().durableName("info")
            .ackWait(Duration.ofSeconds(10)));
        final List<Message> batch = sub.fetch(3, NO_WAIT);
        batch.get(0).ack();
        batch.get(2).ack();
        stream.clock.advance(Duration.ofSeconds(10));
        assertThat(seqs(sub.fetch(1, NO_WAIT))).containsExactly(2L);

        final ConsumerInfo info = sub.info();

        assertThat(info.stream()).isEqualTo("S");
        assertThat(info.name()).isEqualTo("info");
        assertThat(info.created()).isEqualTo(Instant.ofEpochSecond(1));
        assertThat(info.delivered()).isEqualTo(new SequencePair(4, 3));
        assertThat(info.ackFloor()).isEqualTo(new SequencePair(3, 1)); // delivery 2 was superseded by delivery 4
        assertThat(info.numPending()).isEqualTo(2);
        assertThat(info.numAckPending()).isEqualTo(1);
        assertThat(info.numRedelivered()).isEqualTo(1);
        assertThat(info.numWaiting()).isZero();
        assertThat(consumers.info("info")).isEqualTo(info);
    }

    @Test
    void shouldWaitForTheFirstMessageAndWakeOnPublishWhenFetching() throws Exception
    {
        open(RetentionPolicy.LIMITS);
        final PullSubscription sub = pull(ConsumerConfig.builder().durableName("w"));
        final CompletableFuture<List<Message>> fetched = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return sub.fetch(2, Duration.ofSeconds(30));
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        Await.until(() -> sub.info().numWaiting() == 1);

        stream.publish("s.a", "1");
        stream.publish("s.a", "2");

        assertThat(data(fetched.get(10, TimeUnit.SECONDS))).containsExactly("1", "2");
        assertThat(sub.info().numWaiting()).isZero();
    }

    @Test
    void shouldReturnFewerMessagesWhenTheWaitRunsOut() throws Exception
    {
        open(RetentionPolicy.LIMITS);
        stream.publish("s.a", "1");
        final PullSubscription sub = pull(ConsumerConfig.builder());

        final long t0 = System.nanoTime();
        final List<Message> batch = sub.fetch(5, Duration.ofMillis(50));

        assertThat(data(batch)).containsExactly("1");
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(sub.next(Duration.ofMillis(20))).isNull();
    }

    @Test
    void shouldHandOutMessagesOneByOneWhenIterating() throws Exception
    {
        open(RetentionPolicy.LIMITS);
        stream.publish("s.a", "1");
        stream.publish("s.a", "2");
        stream.publish("s.a", "3");
        final PullSubscription sub = pull(ConsumerConfig.builder());

        final Iterator<Message> it = sub.iterate(2, Duration.ofMillis(20));
        final List<Message> got = new ArrayList<>();
        it.forEachRemaining(got::add);

        assertThat(data(got)).containsExactly("1", "2");
        assertThat(data(List.of(sub.next(NO_WAIT)))).containsExactly("3");
    }

    @Test
    void shouldRejectBadRequestsWhenFetching()
    {
        open(RetentionPolicy.LIMITS);
        final PullSubscription sub = pull(ConsumerConfig.builder());

        assertThatThrownBy(() -> sub.fetch(0, NO_WAIT)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid batch 0: must be positive");
        assertThatThrownBy(() -> sub.fetch(1, Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid maxWait PT-0.001S: must not be negative");
        sub.unsubscribe();
        assertThat(sub.isActive()).isFalse();
        assertThatThrownBy(() -> sub.fetch(1, NO_WAIT)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("is no longer active");
    }

    @Test
    void shouldDeleteAnEphemeralConsumerWhenItsSubscriptionEnds()
    {
        open(RetentionPolicy.LIMITS);
        final PullSubscription ephemeral = pull(ConsumerConfig.builder());
        final PullSubscription durable = pull(ConsumerConfig.builder().durableName("keep"));
        assertThat(consumers.count()).isEqualTo(2);

        ephemeral.unsubscribe();
        durable.unsubscribe();

        assertThat(consumers.names()).containsExactly("keep");
    }

    @Test
    void shouldDeleteAnEphemeralConsumerWhenItsConnectionCloses()
    {
        open(RetentionPolicy.LIMITS);
        final Connection other = stream.bus.connect();
        consumers.pullSubscribe(other, ConsumerConfig.builder().build());
        assertThat(consumers.count()).isEqualTo(1);

        other.close();

        assertThat(consumers.count()).isZero();
    }

    @Test
    void shouldBindToAnExistingDurableWithTheSameConfigAndRefuseAnother() throws Exception
    {
        open(RetentionPolicy.LIMITS);
        stream.publish("s.a", "1");
        stream.publish("s.a", "2");
        final ConsumerConfig config = ConsumerConfig.builder().durableName("d").build();
        final PullSubscription first = consumers.pullSubscribe(connection, config);
        final PullSubscription second = consumers.pullSubscribe(connection, config);
        final PullSubscription bound = consumers.bind(connection, "d");

        assertThat(data(first.fetch(1, NO_WAIT))).containsExactly("1");
        assertThat(data(second.fetch(1, NO_WAIT))).containsExactly("2");
        assertThat(bound.consumerName()).isEqualTo("d");
        assertThatThrownBy(() -> consumers.pullSubscribe(connection,
            ConsumerConfig.builder().durableName("d").maxDeliver(3).build()))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("consumer already exists with a different configuration: \"d\" on stream \"S\"");
        assertThatThrownBy(() -> consumers.bind(connection, "nope"))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("consumer not found: \"nope\" on stream \"S\"")
            .extracting(e -> ((JetStreamApiException)e).errorCode())
            .isEqualTo(JetStreamApiException.CONSUMER_NOT_FOUND);
    }

    @Test
    void shouldManageConsumersByName()
    {
        open(RetentionPolicy.LIMITS);
        consumers.addOrUpdate(ConsumerConfig.builder().durableName("b").build());
        final ConsumerInfo a = consumers.addOrUpdate(ConsumerConfig.builder().durableName("a").build());

        assertThat(a.name()).isEqualTo("a");
        assertThat(consumers.names()).containsExactly("a", "b");
        assertThat(consumers.infos()).extracting(ConsumerInfo::name).containsExactly("a", "b");
        assertThat(consumers.delete("a")).isTrue();
        assertThat(consumers.delete("a")).isFalse();
        assertThat(consumers.count()).isEqualTo(1);
        assertThatThrownBy(() -> consumers.info("a")).isInstanceOf(JetStreamApiException.class)
            .hasMessage("consumer not found: \"a\" on stream \"S\"");
    }

    @Test
    void shouldUpdateWhatNatsAllowsAndRejectTheRest() throws Exception
    {
        open(RetentionPolicy.LIMITS);
        stream.publish("s.a", "1");
        final ConsumerConfig original = ConsumerConfig.builder().durableName("u").ackWait(Duration.ofSeconds(30))
            .build();
        consumers.addOrUpdate(original);
        final PullSubscription sub = consumers.bind(connection, "u");
        assertThat(sub.fetch(1, NO_WAIT)).hasSize(1);

        final ConsumerInfo updated = consumers.addOrUpdate(ConsumerConfig.builder(original)
            .description("faster").ackWait(Duration.ofSeconds(1)).maxDeliver(5).filterSubject("s.>").build());

        assertThat(updated.config().ackWait()).isEqualTo(Duration.ofSeconds(1));
        assertThat(updated.numAckPending()).isEqualTo(1);
        stream.clock.advance(Duration.ofSeconds(1));
        assertThat(sub.fetch(1, NO_WAIT).get(0).metaData().deliveredCount()).isEqualTo(2);
        assertThatThrownBy(() -> consumers.addOrUpdate(ConsumerConfig.builder(original)
            .ackPolicy(AckPolicy.ALL).build()))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("consumer create failed for \"u\": ackPolicy can not be updated: EXPLICIT -> ALL");
        assertThatThrownBy(() -> consumers.addOrUpdate(ConsumerConfig.builder(original)
            .deliverPolicy(DeliverPolicy.NEW).build()))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("consumer create failed for \"u\": deliverPolicy can not be updated: ALL -> NEW");
    }

    @Test
    void shouldRefuseOverlappingConsumersWhenRetentionIsWorkQueue()
    {
        open(RetentionPolicy.WORK_QUEUE);
        consumers.addOrUpdate(ConsumerConfig.builder().durableName("orders").filterSubject("s.orders.>").build());

        assertThatThrownBy(() -> consumers.addOrUpdate(ConsumerConfig.builder().durableName("x")
            .filterSubject("s.*.eu").build()))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("filtered consumer not unique on workqueue stream \"S\": filter \"s.*.eu\" overlaps " +
                "\"s.orders.>\" of consumer \"orders\"")
            .extracting(e -> ((JetStreamApiException)e).errorCode())
            .isEqualTo(JetStreamApiException.WORK_QUEUE_CONSUMER_NOT_UNIQUE);
        assertThatThrownBy(() -> consumers.pullSubscribe(connection, ConsumerConfig.builder().build()))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("multiple non-filtered consumers not allowed on workqueue stream \"S\"");
        assertThatThrownBy(() -> consumers.addOrUpdate(ConsumerConfig.builder().durableName("y")
            .filterSubject("s.other").ackPolicy(AckPolicy.ALL).build()))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("workqueue stream requires explicit ack: stream \"S\", got ackPolicy=ALL");
        assertThatThrownBy(() -> consumers.addOrUpdate(ConsumerConfig.builder().durableName("y")
            .filterSubject("s.other").deliverPolicy(DeliverPolicy.NEW).build()))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("consumer must be deliver all on workqueue stream \"S\", got deliverPolicy=NEW");
        consumers.addOrUpdate(ConsumerConfig.builder().durableName("other").filterSubject("s.other").build());
        assertThat(consumers.names()).containsExactly("orders", "other");
    }

    @Test
    void shouldRemoveAWorkQueueMessageOnceAcknowledged() throws Exception
    {
        open(RetentionPolicy.WORK_QUEUE);
        stream.publish("s.a", "1");
        stream.publish("s.a", "2");
        final PullSubscription sub = pull(ConsumerConfig.builder().durableName("wq"));

        final List<Message> batch = sub.fetch(2, NO_WAIT);
        batch.get(1).ack();

        assertThat(stream.acknowledged).containsExactly("wq:2");
        assertThat(stream.store.state().msgs()).isEqualTo(1);
        assertThat(sub.info().numAckPending()).isEqualTo(1);
    }

    @Test
    void shouldReportInterestAndRemoveAMessageOnceEveryMatchingConsumerIsDone() throws Exception
    {
        open(RetentionPolicy.INTEREST);
        stream.publish("s.a", "dropped: no interest");
        final PullSubscription onA = pull(ConsumerConfig.builder().durableName("a").filterSubject("s.a"));
        final PullSubscription all = pull(ConsumerConfig.builder().durableName("all"));
        assertThat(consumers.hasInterest("s.a")).isTrue();
        final long seq = stream.publish("s.a", "kept");
        assertThat(stream.store.state().msgs()).isEqualTo(1);
        assertThat(consumers.allDone(seq, "s.a")).isFalse();

        onA.fetch(1, NO_WAIT).get(0).ack();
        assertThat(consumers.allDone(seq, "s.a")).isFalse();
        assertThat(stream.store.state().msgs()).isEqualTo(1);
        all.fetch(1, NO_WAIT).get(0).term();

        assertThat(consumers.allDone(seq, "s.a")).isTrue();
        assertThat(stream.store.state().msgs()).isZero();
        assertThat(stream.acknowledged).containsExactly("a:2", "all:2");
    }

    @Test
    void shouldSkipMessagesRemovedUnderneathAndForgetPendingOnes() throws Exception
    {
        open(RetentionPolicy.LIMITS);
        for (int i = 1; i <= 6; i++)
        {
            stream.publish("s.a", "m" + i);
        }
        final PullSubscription sub = pull(ConsumerConfig.builder().durableName("p")
            .ackWait(Duration.ofSeconds(5)));
        assertThat(seqs(sub.fetch(2, NO_WAIT))).containsExactly(1L, 2L);

        stream.store.purge(null, 4, 0); // removes 1..3
        stream.store.delete(5);
        stream.changed();

        assertThat(sub.info().numAckPending()).isZero();
        assertThat(seqs(sub.fetch(10, NO_WAIT))).containsExactly(4L, 6L);
        stream.clock.advance(Duration.ofSeconds(5));
        stream.store.delete(6);
        assertThat(seqs(sub.fetch(10, NO_WAIT))).containsExactly(4L);
        assertThat(sub.info().numAckPending()).isEqualTo(1);
    }
}
