package io.jetbus.core;

import io.jetbus.api.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.jetbus.core.Tests.TIMEOUT;
import static io.jetbus.core.Tests.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a publisher lane's memory is released: never while either side may still use it, and no later than the
 * owner's next lane or, for an owner that has ended, the dispatcher's close.
 */
@Timeout(30)
class PublisherLaneTest
{
    private final EmbeddedBus bus = EmbeddedBus.builder().ringCapacity(64 * 1024).maxPayload(1024).build();
    private final Connection nc = bus.connect();

    @AfterEach
    void close()
    {
        bus.close();
    }

    @Test
    void shouldLetTheOwnerFreeItsLaneIntoAStoppedDispatcherWhenItOpensItsNextLane() throws Exception
    {
        final BusDispatcher first = (BusDispatcher)nc.createDispatcher(m -> { });
        first.subscribe("first");
        nc.publish("first", bytes("x"));
        final PublisherLane lane = first.lanes()[0];
        assertThat(lane.owner).isSameAs(Thread.currentThread());

        final Thread closer = new Thread(first::close);
        closer.start();
        closer.join(TIMEOUT.toMillis());
        assertThat(first.isActive()).isFalse();
        assertThat(lane.isFreed()).as("the owner is alive: the dispatcher leaves its lane to it").isFalse();
        nc.publish("first", bytes("routed nowhere")); // no subscriber any more

        final BusDispatcher second = (BusDispatcher)nc.createDispatcher(m -> { });
        second.subscribe("second");
        nc.publish("second", bytes("y"));

        assertThat(lane.isFreed()).isTrue();
        assertThat(second.lanes()[0].isFreed()).isFalse();
    }

    @Test
    void shouldLetTheOwnerFreeItsLaneWhenItClosesTheDispatcher()
    {
        final BusDispatcher dispatcher = (BusDispatcher)nc.createDispatcher(m -> { });
        dispatcher.subscribe("s");
        nc.publish("s", bytes("x"));
        final PublisherLane lane = dispatcher.lanes()[0];

        dispatcher.close();

        assertThat(lane.isFreed()).isTrue();
    }

    @Test
    void shouldFreeTheLaneOfAnEndedOwnerWhenTheDispatcherCloses() throws Exception
    {
        final CountDownLatch handled = new CountDownLatch(1);
        final BusDispatcher dispatcher = (BusDispatcher)nc.createDispatcher(m -> handled.countDown());
        dispatcher.subscribe("s");
        final Thread publisher = new Thread(() -> nc.publish("s", bytes("x")));
        publisher.start();
        publisher.join(TIMEOUT.toMillis());
        assertThat(handled.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        final PublisherLane lane = dispatcher.lanes()[0];
        assertThat(lane.owner).isSameAs(publisher);

        dispatcher.close();

        assertThat(lane.isFreed()).isTrue();
    }

    @Test
    void shouldKeepDeliveringThroughTheLaneOfALiveOwnerUntilClose() throws Exception
    {
        final CountDownLatch handled = new CountDownLatch(2);
        final BusDispatcher dispatcher = (BusDispatcher)nc.createDispatcher(m -> handled.countDown());
        dispatcher.subscribe("s");
        nc.publish("s", bytes("1"));
        final BusDispatcher other = (BusDispatcher)nc.createDispatcher(m -> { });
        other.subscribe("o");
        nc.publish("o", bytes("opens a second lane, frees nothing live"));
        nc.publish("s", bytes("2"));
        nc.flush(Duration.ofSeconds(10));

        assertThat(handled.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(dispatcher.lanes()[0].isFreed()).isFalse();
    }
}
