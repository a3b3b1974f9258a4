package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.Message;
import io.jetbus.api.jetstream.AckPolicy;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.JetStreamAdvisory;
import io.jetbus.api.jetstream.PullSubscription;
import io.jetbus.api.jetstream.RetentionPolicy;
import io.jetbus.api.jetstream.SequencePair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.jetbus.jetstream.ConsumersTest.data;
import static io.jetbus.jetstream.ConsumersTest.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsumerAckTest
{
    private static final Duration NO_WAIT = Duration.ZERO;
    private static final Duration ACK_WAIT = Duration.ofSeconds(10);

    private TestStream stream;
    private Consumers consumers;
    private Connection connection;

    @BeforeEach
    void setUp()
    {
        stream = new TestStream(RetentionPolicy.LIMITS);
        consumers = stream.open();
        connection = stream.bus.connect();
    }

    /** Under LIMITS retention a consumer does not tell the stream what it is done with; under WORK_QUEUE it does. */
    private void reportingDoneMessages()
    {
        stream.close();
        stream = new TestStream(RetentionPolicy.WORK_QUEUE);
        consumers = stream.open();
        connection = stream.bus.connect();
    }

    @AfterEach
    void tearDown()
    {
        stream.close();
    }

    private void publish(final int n)
    {
        for (int i = 1; i <= n; i++)
        {
            stream.publish("s.a", "m" + i);
        }
    }

    private PullSubscription pull(final ConsumerConfig.Builder builder)
    {
        return consumers.pullSubscribe(connection, builder.durableName("c").build());
    }

    @Test
    void shouldRedeliverAfterTheAckWaitWithARisingDeliveryCountWhenNotAcknowledged() throws Exception
    {
        publish(1);
        final PullSubscription sub = pull(ConsumerConfig.builder().ackWait(ACK_WAIT));
        assertThat(sub.fetch(1, NO_WAIT).get(0).metaData().deliveredCount()).isEqualTo(1);

        stream.clock.advance(ACK_WAIT.minusNanos(1));
        assertThat(sub.fetch(1, NO_WAIT)).isEmpty();
        stream.clock.advance(Duration.ofNanos(1));
        final Message second = sub.fetch(1, NO_WAIT).get(0);
        stream.clock.advance(ACK_WAIT);
        final Message third = sub.fetch(1, NO_WAIT).get(0);

        assertThat(second.metaData().deliveredCount()).isEqualTo(2);
        assertThat(second.metaData().consumerSeq()).isEqualTo(2);
        assertThat(third.metaData().deliveredCount()).isEqualTo(3);
        assertThat(third.metaData().streamSeq()).isEqualTo(1);
        third.ack();
        stream.clock.advance(ACK_WAIT.multipliedBy(5));
        assertThat(sub.fetch(1, NO_WAIT)).isEmpty();
        assertThat(sub.info().numAckPending()).isZero();
    }

    @Test
    void shouldServeRedeliveriesBeforeNewMessages() throws Exception
    {
        publish(2);
        final PullSubscription sub = pull(ConsumerConfig.builder().ackWait(ACK_WAIT));
        sub.fetch(1, NO_WAIT);
        stream.clock.advance(ACK_WAIT);

        assertThat(seqs(sub.fetch(2, NO_WAIT))).containsExactly(1L, 2L);
    }

    @Test
    void shouldWaitTheBackoffStepsBetweenRedeliveries() throws Exception
    {
        publish(1);
        final PullSubscription sub = pull(ConsumerConfig.builder()
            .backoff(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(20)));
        sub.fetch(1, NO_WAIT);

        stream.clock.advance(Duration.ofSeconds(1));
        assertThat(sub.fetch(1, NO_WAIT).get(0).metaData().deliveredCount()).isEqualTo(2);
        stream.clock.advance(Duration.ofSeconds(4));
        assertThat(sub.fetch(1, NO_WAIT)).isEmpty();
        stream.clock.advance(Duration.ofSeconds(1));
        assertThat(sub.fetch(1, NO_WAIT).get(0).metaData().deliveredCount()).isEqualTo(3);
        stream.clock.advance(Duration.ofSeconds(19));
        assertThat(sub.fetch(1, NO_WAIT)).isEmpty();
        stream.clock.advance(Duration.ofSeconds(1));
        assertThat(sub.fetch(1, NO_WAIT).get(0).metaData().deliveredCount()).isEqualTo(4);
        stream.clock.advance(Duration.ofSeconds(20)); // the last step repeats
        assertThat(sub.fetch(1, NO_WAIT).get(0).metaData().deliveredCount()).isEqualTo(5);
    }

    @Test
    void shouldStopRedeliveringAndRaiseAnAdvisoryAfterMaxDeliver() throws Exception
    {
        reportingDoneMessages();
        publish(1);
        final PullSubscription sub = pull(ConsumerConfig.builder().ackWait(ACK_WAIT).maxDeliver(2));
        sub.fetch(1, NO_WAIT);
        stream.clock.advance(ACK_WAIT);
        assertThat(sub.fetch(1, NO_WAIT).get(0).metaData().deliveredCount()).isEqualTo(2);

        stream.clock.advance(ACK_WAIT);

        assertThat(sub.fetch(1, NO_WAIT)).isEmpty();
        assertThat(stream.recorder.advisories).containsExactly(JetStreamAdvisory.maxDeliveries("S", "c", 1, 2));
        assertThat(stream.acknowledged).containsExactly("c:1");
        assertThat(sub.info().numAckPending()).isZero();
        assertThat(sub.info().ackFloor().streamSeq()).isEqualTo(1);
    }

    @Test
    void shouldPauseAtMaxAckPendingAndResumeWhenAcksFreeRoom() throws Exception
    {
        publish(5);
        final PullSubscription sub = pull(ConsumerConfig.builder().maxAckPending(2));

        final List<Message> first = sub.fetch(5, NO_WAIT);
        assertThat(seqs(first)).containsExactly(1L, 2L);
        assertThat(sub.fetch(5, NO_WAIT)).isEmpty();

        final CompletableFuture<List<Message>> waiting = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return sub.fetch(1, Duration.ofSeconds(30));
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        Await.until(() -> sub.info().numWaiting() == 1);
        first.get(0).ack();

        assertThat(seqs(waiting.get(10, TimeUnit.SECONDS))).containsExactly(3L);
        assertThat(sub.info().numAckPending()).isEqualTo(2);
        assertThat(sub.info().numPending()).isEqualTo(2);
    }

    @Test
    void shouldAcknowledgeEverythingUpToTheMessageWhenAckPolicyIsAll() throws Exception
    {
        publish(4);
        final PullSubscription sub = pull(ConsumerConfig.builder().ackPolicy(AckPolicy.ALL).ackWait(ACK_WAIT));
        final List<Message> batch = sub.fetch(4, NO_WAIT);

        batch.get(2).ack();

        assertThat(sub.info().numAckPending()).isEqualTo(1);
        assertThat(sub.info().ackFloor()).isEqualTo(new SequencePair(3, 3));
        stream.clock.advance(ACK_WAIT);
        assertThat(seqs(sub.fetch(4, NO_WAIT))).containsExactly(4L);
    }

    @Test
    void shouldNeverRedeliverWhenAckPolicyIsNone() throws Exception
    {
        publish(2);
        final PullSubscription sub = pull(ConsumerConfig.builder().ackPolicy(AckPolicy.NONE).maxAckPending(1));

        final List<Message> batch = sub.fetch(5, NO_WAIT);
        batch.get(0).ack();
        stream.clock.advance(Duration.ofHours(1));

        assertThat(data(batch)).containsExactly("m1", "m2");
        assertThat(sub.fetch(5, NO_WAIT)).isEmpty();
        assertThat(sub.info().numAckPending()).isZero();
        assertThat(sub.info().ackFloor()).isEqualTo(new SequencePair(2, 2));
        assertThat(stream.acknowledged).as("LIMITS retention: the stream is not told").isEmpty();
    }

    @Test
    void shouldRestartTheAckWaitWhenInProgress() throws Exception
    {
        publish(1);
        final PullSubscription sub = pull(ConsumerConfig.builder().ackWait(ACK_WAIT));
        final Message m = sub.fetch(1, NO_WAIT).get(0);

        stream.clock.advance(Duration.ofSeconds(8));
        m.inProgress();
        stream.clock.advance(Duration.ofSeconds(8));
        assertThat(sub.fetch(1, NO_WAIT)).isEmpty();
        stream.clock.advance(Duration.ofSeconds(2));

        assertThat(sub.fetch(1, NO_WAIT).get(0).metaData().deliveredCount()).isEqualTo(2);
    }

    @Test
    void shouldNeverRedeliverATerminatedMessageAndReportIt() throws Exception
    {
        reportingDoneMessages();
        publish(2);
        final PullSubscription sub = pull(ConsumerConfig.builder().ackWait(ACK_WAIT));
        final List<Message> batch = sub.fetch(2, NO_WAIT);

        batch.get(0).term();
        batch.get(0).term();
        stream.clock.advance(ACK_WAIT);

        assertThat(seqs(sub.fetch(2, NO_WAIT))).containsExactly(2L);
        assertThat(stream.recorder.advisories).containsExactly(JetStreamAdvisory.terminated("S", "c", 1, 1));
        assertThat(stream.acknowledged).containsExactly("c:1");
    }

    @Test
    void shouldRedeliverAtOnceWhenNakedAndAfterTheDelayWhenNakedWithDelay() throws Exception
    {
        publish(2);
        final PullSubscription sub = pull(ConsumerConfig.builder().ackWait(ACK_WAIT));
        final List<Message> batch = sub.fetch(2, NO_WAIT);

        batch.get(0).nak();
        batch.get(1).nakWithDelay(Duration.ofSeconds(3));

        final Message again = sub.fetch(2, NO_WAIT).get(0);
        assertThat(again.metaData().streamSeq()).isEqualTo(1);
        assertThat(again.metaData().deliveredCount()).isEqualTo(2);
        assertThat(sub.fetch(2, NO_WAIT)).isEmpty();
        stream.clock.advance(Duration.ofSeconds(3));
        assertThat(seqs(sub.fetch(2, NO_WAIT))).containsExactly(2L);
        assertThatThrownBy(() -> again.nakWithDelay(Duration.ofSeconds(-1)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid nak delay PT-1S: must not be negative");
    }

    @Test
    void shouldTreatASecondAckAsHarmlessWhenAckingSynchronously() throws Exception
    {
        reportingDoneMessages();
        publish(1);
        final PullSubscription sub = pull(ConsumerConfig.builder().ackWait(ACK_WAIT));
        final Message m = sub.fetch(1, NO_WAIT).get(0);

        m.ackSync(Duration.ofSeconds(1));
        m.ackSync(Duration.ofSeconds(1));
        m.ack();

        assertThat(stream.acknowledged).containsExactly("c:1");
        assertThat(sub.info().ackFloor()).isEqualTo(new SequencePair(1, 1));
    }

    @Test
    void shouldKeepOneTimerPerConsumerWhateverThePendingCount() throws Exception
    {
        publish(200);
        final PullSubscription sub = pull(ConsumerConfig.builder().ackWait(ACK_WAIT).maxAckPending(-1));
        sub.fetch(200, NO_WAIT);

        assertThat(stream.bus.timers().size()).isEqualTo(1);
        stream.clock.advance(ACK_WAIT);
        assertThat(sub.fetch(500, NO_WAIT)).hasSize(200);
        assertThat(stream.bus.timers().size()).isEqualTo(1);
    }
}
