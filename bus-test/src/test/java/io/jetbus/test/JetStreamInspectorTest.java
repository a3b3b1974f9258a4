package io.jetbus.test;

import io.jetbus.api.Connection;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.ConsumerInfo;
import io.jetbus.api.jetstream.JetStreamManagement;
import io.jetbus.api.jetstream.SequencePair;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The inspector's reading and waiting, against a stand-in {@link JetStreamManagement} that hands out prepared
 * information; the tests against the real engine join these once {@code bus-jetstream}'s engine is merged.
 */
@Timeout(30)
class JetStreamInspectorTest
{
    private static final Instant CREATED = Instant.parse("2024-01-01T00:00:00Z");

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
}
