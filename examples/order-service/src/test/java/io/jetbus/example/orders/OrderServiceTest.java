package io.jetbus.example.orders;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetbus.api.Connection;
import io.jetbus.api.jetstream.ConsumerInfo;
import io.jetbus.api.jetstream.JetStreamAdvisory;
import io.jetbus.api.jetstream.StorageType;
import io.jetbus.test.JetbusKit;
import io.jetbus.test.JetbusTest;
import io.jetbus.test.MessageRecorder;
import io.jetbus.test.ResponderStub;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

// "try": the services and workers run in the background for the length of a try block that never names them.
@SuppressWarnings("try")
@JetbusTest
class OrderServiceTest
{
    private static final Map<String, Long> PRICES = Map.of("apple", 120L, "pear", 95L, "broken", 1L);
    private static final Duration ACK_WAIT = Duration.ofSeconds(30);
    private static final Duration PRICING_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String STREAM = OrderService.STREAM;
    private static final String CONSUMER = InventoryWorkers.CONSUMER;

    private final RecordingInventory inventory = new RecordingInventory();

    @Test
    void shouldPriceStoreReserveAndAckWhenOrdersArePlaced(final JetbusKit kit, final Connection nc)
    {
        final MessageRecorder created = kit.record(OrderService.CREATED);
        final MessageRecorder reserved = kit.record(InventoryWorkers.RESERVED);
        try (PricingService pricing = new PricingService(nc, PRICES))
        {
            final OrderService orders = new OrderService(nc, StorageType.MEMORY, PRICING_TIMEOUT);
            try (InventoryWorkers workers = new InventoryWorkers(nc, inventory, 3, ACK_WAIT, 3))
            {
                final Order first = orders.place("o-1", "apple", 2);
                orders.place("o-2", "pear", 1);
                orders.place("o-3", "apple", 5);

                assertThat(first).isEqualTo(new Order("o-1", "apple", 2, 120));
                assertThat(created.awaitCount(3, TIMEOUT).get(0).data())
                    .isEqualTo("{\"id\":\"o-1\",\"sku\":\"apple\",\"quantity\":2,\"priceCents\":120}".getBytes(UTF_8));
                final ConsumerInfo info = kit.jetStream().awaitAllAcknowledged(STREAM, CONSUMER, TIMEOUT);
                assertThat(info.ackFloor().streamSeq()).isEqualTo(3);
                assertThat(info.numRedelivered()).isZero();
                assertThat(kit.jetStream().streamMessages(STREAM)).isEqualTo(3);
                assertThat(inventory.reserved()).extracting(Order::id).containsExactlyInAnyOrder("o-1", "o-2", "o-3");
                assertThat(inventory.attempts()).hasSize(3);
                reserved.awaitCount(3, TIMEOUT);
            }
        }
    }

    @Test
    void shouldStoreThePriceTheStubQuotesWhenPricingIsStubbed(final JetbusKit kit, final Connection nc)
    {
        final ResponderStub pricing = kit.respond(PricingService.SUBJECT).withJson("{\"priceCents\":99}");
        final OrderService orders = new OrderService(nc, StorageType.MEMORY, PRICING_TIMEOUT);

        assertThat(orders.place("o-1", "apple", 1).priceCents()).isEqualTo(99);
        assertThat(pricing.requests()).singleElement()
            .satisfies(request -> assertThat(new String(request.data(), UTF_8)).isEqualTo("{\"sku\":\"apple\"}"));
        assertThat(kit.jetStream().streamMessages(STREAM)).isEqualTo(1);
    }

    @Test
    void shouldRejectTheOrderWhenTheSkuHasNoPrice(final JetbusKit kit, final Connection nc)
    {
        try (PricingService pricing = new PricingService(nc, PRICES))
        {
            final OrderService orders = new OrderService(nc, StorageType.MEMORY, PRICING_TIMEOUT);

            assertThatThrownBy(() -> orders.place("o-1", "plum", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid sku \"plum\": the pricing service answered " +
                    "{\"sku\":\"plum\",\"error\":\"unknown sku\"}");
            assertThat(kit.jetStream().streamMessages(STREAM)).isZero();
        }
    }

    @Test
    void shouldRedeliverToAnotherAttemptAfterTheAckWaitWhenAWorkerFails(final JetbusKit kit, final Connection nc)
    {
        final MessageRecorder failed = kit.record(InventoryWorkers.FAILED);
        final MessageRecorder reserved = kit.record(InventoryWorkers.RESERVED);
        inventory.failNext("apple", 1);
        try (PricingService pricing = new PricingService(nc, PRICES))
        {
            final OrderService orders = new OrderService(nc, StorageType.MEMORY, PRICING_TIMEOUT);
            try (InventoryWorkers workers = new InventoryWorkers(nc, inventory, 2, ACK_WAIT, 3))
            {
                orders.place("o-1", "apple", 2);
                assertThat(failed.awaitCount(1, TIMEOUT).get(0).data())
                    .isEqualTo("{\"id\":\"o-1\",\"delivery\":1}".getBytes(UTF_8));
                assertThat(kit.jetStream().numAckPending(STREAM, CONSUMER)).isEqualTo(1);

                kit.advance(ACK_WAIT.minusMillis(1));
                assertThat(kit.jetStream().consumer(STREAM, CONSUMER).numRedelivered()).isZero();
                assertThat(inventory.attempts()).hasSize(1);

                kit.advance(Duration.ofMillis(1));
                kit.jetStream().awaitAllAcknowledged(STREAM, CONSUMER, TIMEOUT);
                reserved.awaitCount(1, TIMEOUT);
                assertThat(inventory.attempts()).extracting(Order::id).containsExactly("o-1", "o-1");
                assertThat(inventory.reserved()).extracting(Order::id).containsExactly("o-1");
                failed.assertCount(1);
            }
        }
    }

    @Test
    void shouldGiveUpWithAnAdvisoryWhenMaxDeliverIsReached(final JetbusKit kit, final Connection nc)
    {
        final MessageRecorder failed = kit.record(InventoryWorkers.FAILED);
        inventory.failNext("broken", Integer.MAX_VALUE);
        try (PricingService pricing = new PricingService(nc, PRICES))
        {
            final OrderService orders = new OrderService(nc, StorageType.MEMORY, PRICING_TIMEOUT);
            try (InventoryWorkers workers = new InventoryWorkers(nc, inventory, 2, ACK_WAIT, 3))
            {
                orders.place("o-9", "broken", 1);
                for (int delivery = 1; delivery <= 3; delivery++)
                {
                    failed.awaitCount(delivery, TIMEOUT);
                    kit.advance(ACK_WAIT);
                }

                final ConsumerInfo info = kit.jetStream().awaitConsumer(STREAM, CONSUMER,
                    i -> i.numAckPending() == 0 && i.numPending() == 0, "nothing left to deliver", TIMEOUT);
                assertThat(info.ackFloor().streamSeq()).isEqualTo(1);
                assertThat(kit.events().advisories()).containsExactly(
                    JetStreamAdvisory.maxDeliveries(STREAM, CONSUMER, 1, 3));
                kit.advance(ACK_WAIT);
                assertThat(failed.texts()).containsExactly("{\"id\":\"o-9\",\"delivery\":1}",
                    "{\"id\":\"o-9\",\"delivery\":2}", "{\"id\":\"o-9\",\"delivery\":3}");
                assertThat(inventory.reserved()).isEmpty();
            }
        }
    }

    @Test
    @JetbusTest(storage = StorageType.FILE)
    void shouldResumeAfterARestartWithoutRedeliveringAcknowledgedOrders(final JetbusKit kit)
    {
        final Path storageDir = kit.storageDir();
        try (PricingService pricing = new PricingService(kit.connection(), PRICES))
        {
            final OrderService orders = new OrderService(kit.connection(), StorageType.FILE, PRICING_TIMEOUT);
            try (InventoryWorkers workers = new InventoryWorkers(kit.connection(), inventory, 2, ACK_WAIT, 3))
            {
                orders.place("o-1", "apple", 1);
                orders.place("o-2", "pear", 2);
                kit.jetStream().awaitAllAcknowledged(STREAM, CONSUMER, TIMEOUT);
            }
        }
        kit.close();

        final RecordingInventory afterRestart = new RecordingInventory();
        try (JetbusKit restarted = JetbusKit.builder().storageDir(storageDir).build();
            PricingService pricing = new PricingService(restarted.connection(), PRICES))
        {
            final OrderService orders = new OrderService(restarted.connection(), StorageType.FILE, PRICING_TIMEOUT);
            assertThat(restarted.jetStream().streamMessages(STREAM)).isEqualTo(2);
            assertThat(restarted.jetStream().ackFloor(STREAM, CONSUMER)).isEqualTo(2);
            final MessageRecorder reserved = restarted.record(InventoryWorkers.RESERVED);
            try (InventoryWorkers workers =
                new InventoryWorkers(restarted.connection(), afterRestart, 2, ACK_WAIT, 3))
            {
                orders.place("o-3", "apple", 3);
                restarted.jetStream().awaitAllAcknowledged(STREAM, CONSUMER, TIMEOUT);
                reserved.awaitCount(1, TIMEOUT);
                restarted.advance(ACK_WAIT.multipliedBy(2));
                assertThat(restarted.jetStream().ackFloor(STREAM, CONSUMER)).isEqualTo(3);
            }
            assertThat(afterRestart.attempts()).extracting(Order::id).containsExactly("o-3");
            assertThat(restarted.events().handlerExceptions()).isEmpty();
            assertThat(restarted.events().errors()).isEmpty();
        }
        assertThat(inventory.reserved()).extracting(Order::id).containsExactlyInAnyOrder("o-1", "o-2");
    }

    @Test
    void shouldRejectAnInvalidOrderBeforeAskingForAPrice(final JetbusKit kit, final Connection nc)
    {
        final ResponderStub pricing = kit.respond(PricingService.SUBJECT).withJson("{\"priceCents\":1}");
        final OrderService orders = new OrderService(nc, StorageType.MEMORY, PRICING_TIMEOUT);

        assertThatThrownBy(() -> orders.place("o 1", "apple", 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid order id \"o 1\": must be 1 to 64 letters, digits, '-' or '_'");
        assertThatThrownBy(() -> orders.place("o-1", "apple", 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid quantity 0: must be positive");
        assertThat(pricing.requestCount()).isZero();
        assertThat(kit.jetStream().streamMessages(STREAM)).isZero();
    }
}
