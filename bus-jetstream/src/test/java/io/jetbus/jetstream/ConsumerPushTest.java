package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.Dispatcher;
import io.jetbus.api.Message;
import io.jetbus.api.SlowConsumerPolicy;
import io.jetbus.api.Subscription;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.JetStreamApiException;
import io.jetbus.api.jetstream.RetentionPolicy;
import io.jetbus.core.EmbeddedBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsumerPushTest
{
    private static final Duration ACK_WAIT = Duration.ofSeconds(10);

    private TestStream stream;
    private Consumers consumers;
    private Connection connection;
    private Dispatcher dispatcher;
    private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> threads = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp()
    {
        stream = new TestStream(RetentionPolicy.LIMITS);
        consumers = stream.open();
        connection = stream.bus.connect();
        dispatcher = connection.createDispatcher();
    }

    @AfterEach
    void tearDown()
    {
        stream.close();
    }

    private Subscription push(final ConsumerConfig config)
    {
        return consumers.pushSubscribe(connection, config, dispatcher, m ->
        {
            threads.add(Thread.currentThread().getName());
            received.add(m);
        });
    }

    private Message take() throws InterruptedException
    {
        final Message m = received.poll(10, TimeUnit.SECONDS);
        assertThat(m).as("a pushed message").isNotNull();
        return m;
    }

    private static String text(final Message m)
    {
        return new String(m.data(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldCallTheHandlerOnTheDispatcherThreadInOrder() throws Exception
    {
        stream.publish("s.a", "1");
        final Subscription sub = push(ConsumerConfig.builder().durableName("p").build());
        stream.publish("s.b", "2");

        final Message first = take();
        final Message second = take();

        assertThat(text(first)).isEqualTo("1");
        assertThat(text(second)).isEqualTo("2");
        assertThat(second.subject()).isEqualTo("s.b");
        assertThat(second.metaData().consumerSeq()).isEqualTo(2);
        assertThat(second.subscription()).isSameAs(sub);
        assertThat(threads.take()).isNotEqualTo(Thread.currentThread().getName());
        assertThat(sub.subject()).isEqualTo(">");
        assertThat(sub.dispatcher()).isSameAs(dispatcher);
        assertThat(sub.deliveredCount()).isEqualTo(2);
    }

    @Test
    void shouldPauseAtMaxAckPendingWithoutDroppingAndResumeOnAck() throws Exception
    {
        for (int i = 1; i <= 5; i++)
        {
            stream.publish("s.a", Integer.toString(i));
        }
        push(ConsumerConfig.builder().durableName("p").maxAckPending(2).build());
        final Message first = take();
        take();

        connection.flush(Duration.ofSeconds(10));
        assertThat(received).isEmpty();
        assertThat(consumers.info("p").numAckPending()).isEqualTo(2);
        assertThat(consumers.info("p").numPending()).isEqualTo(3);

        first.ack();
        assertThat(text(take())).isEqualTo("3");
        connection.flush(Duration.ofSeconds(10));
        assertThat(received).isEmpty();
    }

    @Test
    void shouldRedeliverToTheHandlerAfterTheAckWait() throws Exception
    {
        stream.publish("s.a", "1");
        push(ConsumerConfig.builder().durableName("p").ackWait(ACK_WAIT).build());
        assertThat(take().metaData().deliveredCount()).isEqualTo(1);

        stream.clock.advance(ACK_WAIT);

        final Message again = take();
        assertThat(again.metaData().deliveredCount()).isEqualTo(2);
        again.ack();
        assertThat(consumers.info("p").numAckPending()).isZero();
    }

    @Test
    void shouldDeliverAMessageBacklogLargerThanABatch() throws Exception
    {
        for (int i = 1; i <= 3 * ConsumerPushSubscription.BATCH + 5; i++)
        {
            stream.publish("s.a", Integer.toString(i));
        }
        push(ConsumerConfig.builder().durableName("p").maxAckPending(-1).build());

        for (int i = 1; i <= 3 * ConsumerPushSubscription.BATCH + 5; i++)
        {
            assertThat(text(take())).isEqualTo(Integer.toString(i));
        }
    }

    @Test
    void shouldTryAgainWhenItsDispatcherWasFullAndDroppedTheWakeUp() throws Exception
    {
        // the system clock: the retry is the only thing that can wake the binding, and it runs on the bus's timer
        try (EmbeddedBus small = EmbeddedBus.builder().errorListener(stream.recorder).maxPayload(1024)
            .ringCapacity(16 * 1024).slowConsumerPolicy(SlowConsumerPolicy.drop()).build())
        {
            final TestStream shared = new TestStream(RetentionPolicy.LIMITS, new MemoryStreamStore("S"), null, small,
                stream);
            final Consumers pushConsumers = shared.open();
            final Connection nc = small.connect();
            final Dispatcher busy = nc.createDispatcher();
            final CountDownLatch blocked = new CountDownLatch(1);
            final CountDownLatch release = new CountDownLatch(1);
            final Semaphore handled = new Semaphore(0);
            final Subscription core = busy.subscribe("core.x", m ->
            {
                blocked.countDown();
                release.await();
                handled.release();
            });
            pushConsumers.pushSubscribe(nc, ConsumerConfig.builder().durableName("p").build(), busy,
                m -> received.add(m));
            nc.publish("core.x", new byte[100]);
            assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
            int published = 1;
            while (core.droppedCount() == 0)
            {
                nc.publish("core.x", new byte[100]); // fill the blocked dispatcher's ring
                published++;
            }

            shared.publish("s.a", "after the ring filled"); // its wake-up token is dropped
            release.countDown();
            assertThat(handled.tryAcquire(published - (int)core.droppedCount(), 10, TimeUnit.SECONDS))
                .as("the dispatcher drained its ring").isTrue();
            assertThat(text(take())).isEqualTo("after the ring filled");
            shared.close();
        }
    }

    @Test
    void shouldReportAHandlerThatThrowsAndGoOn() throws Exception
    {
        stream.publish("s.a", "1");
        stream.publish("s.a", "2");
        consumers.pushSubscribe(connection, ConsumerConfig.builder().build(), dispatcher, m ->
        {
            received.add(m);
            if (text(m).equals("1"))
            {
                throw new IllegalStateException("boom");
            }
        });

        assertThat(text(take())).isEqualTo("1");
        assertThat(text(take())).isEqualTo("2");
        assertThat(stream.recorder.handlerErrors).extracting(Throwable::getMessage).containsExactly("boom");
    }

    @Test
    void shouldDeleteAnEphemeralPushConsumerOnUnsubscribeAndRefuseASecondBinding()
    {
        final Subscription ephemeral = push(ConsumerConfig.builder().build());
        final ConsumerConfig durable = ConsumerConfig.builder().durableName("d").build();
        final Subscription bound = push(durable);
        assertThat(consumers.count()).isEqualTo(2);

        assertThatThrownBy(() -> push(durable)).isInstanceOf(JetStreamApiException.class)
            .hasMessage("consumer already exists and is still active: \"d\" on stream \"S\"");
        assertThatThrownBy(() -> consumers.bind(connection, "d")).isInstanceOf(JetStreamApiException.class)
            .extracting(e -> ((JetStreamApiException)e).errorCode())
            .isEqualTo(JetStreamApiException.CONSUMER_EXISTING_ACTIVE);
        ephemeral.unsubscribe();
        bound.unsubscribe();

        assertThat(ephemeral.isActive()).isFalse();
        assertThat(consumers.names()).containsExactly("d");
        assertThat(push(durable).isActive()).isTrue();
    }

    @Test
    void shouldRefuseAClosedDispatcher()
    {
        dispatcher.close();

        assertThatThrownBy(() -> push(ConsumerConfig.builder().build())).isInstanceOf(IllegalStateException.class)
            .hasMessage("dispatcher is closed");
        assertThat(consumers.count()).isZero();
    }
}
