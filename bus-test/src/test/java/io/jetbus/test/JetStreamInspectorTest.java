package io.jetbus.test;

import io.jetbus.api.Connection;
import io.jetbus.api.Dispatcher;
import io.jetbus.api.Message;
import io.jetbus.api.jetstream.AckPolicy;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.ConsumerInfo;
import io.jetbus.api.jetstream.JetStreamAdvisory;
import io.jetbus.api.jetstream.JetStreamManagement;
import io.jetbus.api.jetstream.PullSubscription;
import io.jetbus.api.jetstream.SequencePair;
import io.jetbus.api.jetstream.StorageType;
import io.jetbus.api.jetstream.StreamConfig;
import io.jetbus.api.jetstream.StreamInfo;
import io.jetbus.api.jetstream.StreamState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The inspector's reading and waiting: first against a stand-in {@link JetStreamManagement} that hands out prepared
 * information (the waiting and its failure message), then against the real engine of {@code bus-jetstream} on the
 * kit's bus (pending, ack pending, redelivered and ack floor as messages are fetched, acknowledged, nak'ed,
 * terminated and given up on the virtual clock).
 */
@Timeout(30)
class JetStreamInspectorTest
{
    private static final Instant CREATED = Instant.parse("2024-01-01T00:00:00Z");
    private static final Duration ACK_WAIT = Duration.ofSeconds(30);

    private final JetbusKit kit = JetbusKit.builder().build();
    private final ConcurrentLinkedQueue<ConsumerInfo> consumerInfos = new ConcurrentLinkedQueue<>();
    private final JetStreamInspector inspector = new JetStreamInspector(kit, connection(management()));

    @AfterEach
    void close()
    {
        kit.close();
    }

    private static ConsumerInfo info(final long pending, final int ackPending, final long delivered, final long floor)
    {
        return new ConsumerInfo("ORDERS", "billing", ConsumerConfig.builder().durableName("billing").build(), CREATED,
            new SequencePair(delivered, delivered), new SequencePair(floor, floor), pending, ackPending, 0, 0);
    }

    /** Each call takes the next prepared consumer information; the last one stays. */
    private JetStreamManagement management()
    {
        final StreamInfo stream = new StreamInfo(StreamConfig.builder().name("ORDERS").subjects("orders.>").build(),
            new StreamState(12, 1200, 1, CREATED, 12, CREATED, 1, 0, 3), CREATED);
        return (JetStreamManagement)Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {JetStreamManagement.class}, (proxy, method, args) ->
            {
                switch (method.getName())
                {
                    case "streamInfo":
                        return stream;
                    case "consumerInfo":
                        return consumerInfos.size() > 1 ? consumerInfos.poll() : consumerInfos.peek();
                    default:
                        throw new UnsupportedOperationException(method.getName());
                }
            });
    }

    private static Connection connection(final JetStreamManagement management)
    {
        return (Connection)Proxy.newProxyInstance(JetStreamInspectorTest.class.getClassLoader(),
            new Class<?>[] {Connection.class}, (proxy, method, args) ->
            {
                if (method.getName().equals("jetStreamManagement"))
                {
                    return management;
                }
                throw new UnsupportedOperationException(method.getName());
            });
    }

    @Test
    void shouldReadStreamAndConsumerPositions()
    {
        consumerInfos.add(info(4, 2, 8, 6));

        assertThat(inspector.streamMessages("ORDERS")).isEqualTo(12);
        assertThat(inspector.stream("ORDERS").config().name()).isEqualTo("ORDERS");
        assertThat(inspector.numPending("ORDERS", "billing")).isEqualTo(4);
        assertThat(inspector.numAckPending("ORDERS", "billing")).isEqualTo(2);
        assertThat(inspector.ackFloor("ORDERS", "billing")).isEqualTo(6);
        assertThat(inspector.consumer("ORDERS", "billing").name()).isEqualTo("billing");
    }

    @Test
    void shouldWaitUntilEverythingIsAcknowledged()
    {
        consumerInfos.addAll(List.of(info(2, 3, 10, 7), info(0, 1, 12, 11), info(0, 0, 12, 12)));

        final ConsumerInfo done = inspector.awaitAllAcknowledged("ORDERS", "billing", JetbusKit.DEFAULT_TIMEOUT);

        assertThat(done.ackFloor().streamSeq()).isEqualTo(12);
        assertThat(consumerInfos).hasSize(1);
    }

    @Test
    void shouldShowWhereTheConsumerStandsWhenItDoesNotCatchUp()
    {
        consumerInfos.add(info(2, 3, 10, 7));

        assertThatThrownBy(() -> inspector.awaitAllAcknowledged("ORDERS", "billing", Duration.ofMillis(5)))
            .isInstanceOf(AssertionError.class)
            .hasMessage("expected consumer ORDERS/billing to reach: nothing pending and nothing awaiting " +
                "acknowledgement within PT0.005S, but it is at numPending=2, numAckPending=3, numRedelivered=0, " +
                "delivered=10, ackFloor=7");
    }

    // ------------------------------------------------------------------------------------------ the real engine

    /** A durable pull consumer on a real {@code ORDERS} stream of the kit's bus, after publishing {@code count}. */
    private PullSubscription ordersWithConsumer(final int count, final ConsumerConfig.Builder consumer)
    {
        final Connection nc = kit.connection();
        nc.jetStreamManagement().addStream(StreamConfig.builder().name("ORDERS").subjects("orders.>")
            .storage(StorageType.MEMORY).build());
        for (int i = 1; i <= count; i++)
        {
            nc.jetStream().publish("orders.created", ("{\"id\":" + i + "}").getBytes(UTF_8));
        }
        nc.jetStream().publish("orders.shipped", "{\"id\":1}".getBytes(UTF_8)); // not the consumer's filter
        return nc.jetStream().pullSubscribe("ORDERS", consumer.build());
    }

    private static ConsumerConfig.Builder billing()
    {
        return ConsumerConfig.builder()
            .durableName("billing")
            .filterSubject("orders.created")
            .ackPolicy(AckPolicy.EXPLICIT)
            .ackWait(ACK_WAIT)
            .maxDeliver(3);
    }

    private static List<Message> fetch(final PullSubscription sub, final int count) throws InterruptedException
    {
        final List<Message> messages = sub.fetch(count, JetbusKit.DEFAULT_TIMEOUT);
        assertThat(messages).hasSize(count);
        return messages;
    }

    @Test
    void shouldReadPendingAckPendingAndAckFloorOfARealConsumerAsItFetchesAndAcks() throws Exception
    {
        final PullSubscription sub = ordersWithConsumer(5, billing());
        final JetStreamInspector js = kit.jetStream();

        assertThat(js.streamMessages("ORDERS")).isEqualTo(6);
        assertThat(js.numPending("ORDERS", "billing")).isEqualTo(5);
        assertThat(js.numAckPending("ORDERS", "billing")).isZero();
        assertThat(js.ackFloor("ORDERS", "billing")).isZero();

        final List<Message> first = fetch(sub, 3);
        assertThat(js.numPending("ORDERS", "billing")).isEqualTo(2);
        assertThat(js.numAckPending("ORDERS", "billing")).isEqualTo(3);
        assertThat(js.ackFloor("ORDERS", "billing")).isZero();

        first.get(0).ack();
        first.get(2).ack();
        assertThat(js.numAckPending("ORDERS", "billing")).isEqualTo(1);
        assertThat(js.ackFloor("ORDERS", "billing")).as("seq 2 is still unacknowledged").isEqualTo(1);

        first.get(1).ack();
        assertThat(js.ackFloor("ORDERS", "billing")).isEqualTo(3);
        assertThat(js.numAckPending("ORDERS", "billing")).isZero();
        assertThat(js.consumer("ORDERS", "billing").delivered()).isEqualTo(new SequencePair(3, 3));

        fetch(sub, 2).forEach(Message::ack);
        final ConsumerInfo done = js.awaitAllAcknowledged("ORDERS", "billing", JetbusKit.DEFAULT_TIMEOUT);
        assertThat(done.ackFloor()).isEqualTo(new SequencePair(5, 5));
        assertThat(done.numPending()).isZero();
        assertThat(js.stream("ORDERS").state().lastSeq()).isEqualTo(6);
    }

    @Test
    void shouldCountRedeliveriesAfterTheAckWaitOnTheVirtualClockAndAfterNaks() throws Exception
    {
        final PullSubscription sub = ordersWithConsumer(2, billing().maxDeliver(5));
        final JetStreamInspector js = kit.jetStream();
        fetch(sub, 2);

        kit.advance(ACK_WAIT.minusMillis(1));
        assertThat(js.numAckPending("ORDERS", "billing")).isEqualTo(2);
        assertThat(js.numRedelivered("ORDERS", "billing")).isZero();

        kit.advance(Duration.ofMillis(1));
        assertThat(js.numAckPending("ORDERS", "billing")).as("due again, still unacknowledged").isEqualTo(2);
        assertThat(js.numRedelivered("ORDERS", "billing")).as("counted once delivered again").isZero();
        final List<Message> again = fetch(sub, 2);
        assertThat(again).extracting(m -> m.metaData().deliveredCount()).containsExactly(2, 2);
        assertThat(js.numRedelivered("ORDERS", "billing")).isEqualTo(2);
        assertThat(js.consumer("ORDERS", "billing").delivered()).isEqualTo(new SequencePair(4, 2));

        again.get(0).ack();
        assertThat(js.numRedelivered("ORDERS", "billing")).isEqualTo(1);
        assertThat(js.ackFloor("ORDERS", "billing")).isEqualTo(1);

        again.get(1).nak();
        final Message third = fetch(sub, 1).get(0);
        assertThat(third.metaData().deliveredCount()).isEqualTo(3);
        assertThat(js.numRedelivered("ORDERS", "billing")).isEqualTo(1);

        third.nakWithDelay(Duration.ofSeconds(5));
        kit.advance(Duration.ofSeconds(5).minusMillis(1));
        assertThat(js.numAckPending("ORDERS", "billing")).isEqualTo(1);
        assertThat(js.consumer("ORDERS", "billing").delivered()).isEqualTo(new SequencePair(5, 2));
        kit.advance(Duration.ofMillis(1));
        final Message fourth = fetch(sub, 1).get(0);
        assertThat(fourth.metaData().deliveredCount()).isEqualTo(4);
        assertThat(js.consumer("ORDERS", "billing").delivered()).isEqualTo(new SequencePair(6, 2));

        fourth.ack();
        final ConsumerInfo done = js.awaitAllAcknowledged("ORDERS", "billing", JetbusKit.DEFAULT_TIMEOUT);
        assertThat(done.ackFloor()).isEqualTo(new SequencePair(6, 2));
        assertThat(done.numRedelivered()).isZero();
    }

    @Test
    void shouldMoveTheAckFloorPastAMessageThatReachedMaxDeliverOrWasTerminated() throws Exception
    {
        final PullSubscription sub = ordersWithConsumer(3, billing());
        final JetStreamInspector js = kit.jetStream();
        final List<Message> first = fetch(sub, 3);
        first.get(1).term();
        first.get(2).ack();
        assertThat(js.ackFloor("ORDERS", "billing")).isZero();
        assertThat(js.numAckPending("ORDERS", "billing")).isEqualTo(1);

        for (int delivery = 2; delivery <= 3; delivery++)
        {
            kit.advance(ACK_WAIT);
            assertThat(fetch(sub, 1).get(0).metaData().deliveredCount()).isEqualTo(delivery);
        }
        assertThat(js.numRedelivered("ORDERS", "billing")).isEqualTo(1);
        kit.advance(ACK_WAIT);

        final ConsumerInfo info = js.awaitAllAcknowledged("ORDERS", "billing", JetbusKit.DEFAULT_TIMEOUT);
        assertThat(info.ackFloor().streamSeq()).isEqualTo(3);
        assertThat(info.numRedelivered()).isZero();
        assertThat(kit.events().advisories()).containsExactly(
            JetStreamAdvisory.terminated("ORDERS", "billing", 2, 1),
            JetStreamAdvisory.maxDeliveries("ORDERS", "billing", 1, 3));
    }

    @Test
    void shouldNotFailAWaitWhoseConditionHoldsWhileTheBusKeepsPublishing() throws Exception
    {
        final PullSubscription sub = ordersWithConsumer(1, billing());
        fetch(sub, 1).get(0).ack();
        final AtomicBoolean pinging = new AtomicBoolean(true);
        final Connection nc = kit.connection();
        final Dispatcher ping = nc.createDispatcher(m ->
        {
            if (pinging.get())
            {
                nc.publish("ping", m.data());
            }
        });
        ping.subscribe("ping");
        nc.publish("ping", new byte[1]);
        try
        {
            assertThat(kit.jetStream().awaitAllAcknowledged("ORDERS", "billing", Duration.ofSeconds(5)).ackFloor())
                .isEqualTo(new SequencePair(1, 1));
            assertThatThrownBy(() -> kit.jetStream().awaitConsumer("ORDERS", "billing", info -> info.numPending() > 0,
                "something pending", Duration.ofMillis(120)))
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("(and the bus never became idle: something keeps publishing)");
        }
        finally
        {
            pinging.set(false);
            ping.close();
        }
    }
}
