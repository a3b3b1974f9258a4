package io.jetbus.example.orders;

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

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

/**
 * The order service, the pricing service and the inventory workers together on a bus of their own for each test: the
 * happy path, a failing worker redelivered after the ack wait, max deliver reached, a restart from FILE storage, and
 * pricing that fails or does not answer. Time is virtual: the ack wait and the pricing timeout pass when a test
 * advances the clock, so no test waits for them; {@link #TIMEOUT} only bounds the real-time waits for the workers.
 *
 * <p>The code between {@code // readme:NAME} and {@code // end} is shown in the README ("Testing your event-driven
 * code"); {@link OrderServiceReadmeTest} checks that the two stay the same.
 */
// "try": the services and workers run for the length of a try block that never names them.
@SuppressWarnings("try")
// readme:order_class
@JetbusTest
class OrderServiceTest
{
    static final Map<String, Long> PRICES = Map.of("apple", 120L, "pear", 95L, "broken", 1L);
    static final Duration ACK_WAIT = Duration.ofSeconds(30);       // virtual: passes when the test advances it
    static final Duration PRICING_TIMEOUT = Duration.ofSeconds(2); // virtual too
    static final Duration TIMEOUT = Duration.ofSeconds(5);         // real: the longest a wait for the workers takes
    static final String STREAM = OrderService.STREAM;              // "ORDERS"
    static final String CONSUMER = InventoryWorkers.CONSUMER;      // "inventory", shared by the workers
    // end

    // readme:order_happy_path
    @Test
    void shouldPriceStoreReserveAndAcknowledgeEveryOrder(JetbusKit kit, Connection nc)
    {
        RecordingInventory inventory = new RecordingInventory(kit.clock());
        MessageRecorder reserved = kit.record(InventoryWorkers.RESERVED);
        OrderService orders = new OrderService(nc, StorageType.MEMORY, PRICING_TIMEOUT);
        try (PricingService pricing = new PricingService(nc, PRICES);
             InventoryWorkers workers = new InventoryWorkers(nc, inventory, 3, ACK_WAIT, 3))
        {
            Order first = orders.place("o-1", "apple", 2);
            orders.place("o-2", "pear", 1);
            orders.place("o-3", "apple", 5);

            assertThat(first.priceCents()).isEqualTo(120);              // priced over request-reply
            ConsumerInfo info = kit.jetStream().awaitAllAcknowledged(STREAM, CONSUMER, TIMEOUT);
            assertThat(info.ackFloor().streamSeq()).isEqualTo(3);
            assertThat(info.numRedelivered()).isZero();
            reserved.awaitCount(3, TIMEOUT);
            assertThat(reserved.texts()).containsExactlyInAnyOrder(
                "{\"id\":\"o-1\"}", "{\"id\":\"o-2\"}", "{\"id\":\"o-3\"}");
            assertThat(inventory.attempts()).extracting(Order::id)     // one worker each, no duplicates
                .containsExactlyInAnyOrder("o-1", "o-2", "o-3");
        }
    }
    // end

    // readme:order_redelivery
    @Test
    void shouldRedeliverAfterTheAckWaitWhenAWorkerFails(JetbusKit kit, Connection nc)
    {
        RecordingInventory inventory = new RecordingInventory(kit.clock()).failNext("apple", 1);
        MessageRecorder failed = kit.record(InventoryWorkers.FAILED);
        OrderService orders = new OrderService(nc, StorageType.MEMORY, PRICING_TIMEOUT);
        try (PricingService pricing = new PricingService(nc, PRICES);
             InventoryWorkers workers = new InventoryWorkers(nc, inventory, 2, ACK_WAIT, 3))
        {
            orders.place("o-1", "apple", 2);
            failed.awaitCount(1, TIMEOUT);                  // delivery 1 threw: not acknowledged
            assertThat(kit.jetStream().numAckPending(STREAM, CONSUMER)).isEqualTo(1);

            kit.advance(ACK_WAIT.minusMillis(1));           // 29.999 s later: not due yet
            assertThat(kit.jetStream().numRedelivered(STREAM, CONSUMER)).isZero();

            kit.advance(Duration.ofMillis(1));              // the ack wait is over: delivery 2
            kit.jetStream().awaitAllAcknowledged(STREAM, CONSUMER, TIMEOUT);
            assertThat(inventory.attemptTimes()).containsExactly(Duration.ZERO, ACK_WAIT);
            assertThat(inventory.reserved()).extracting(Order::id).containsExactly("o-1");
            assertThat(failed.texts()).containsExactly("{\"id\":\"o-1\",\"delivery\":1}");
        }
    }
    // end

    // readme:order_max_deliver
    @Test
    void shouldGiveUpWithAnAdvisoryWhenMaxDeliverIsReached(JetbusKit kit, Connection nc)
    {
        RecordingInventory inventory = new RecordingInventory(kit.clock()).failNext("broken", Integer.MAX_VALUE);
        MessageRecorder failed = kit.record(InventoryWorkers.FAILED);
        OrderService orders = new OrderService(nc, StorageType.MEMORY, PRICING_TIMEOUT);
        try (PricingService pricing = new PricingService(nc, PRICES);
             InventoryWorkers workers = new InventoryWorkers(nc, inventory, 2, ACK_WAIT, 3))
        {
            orders.place("o-9", "broken", 1);
            for (int delivery = 1; delivery <= 3; delivery++)
            {
                failed.awaitCount(delivery, TIMEOUT);
                kit.advance(ACK_WAIT);                      // the ack wait runs out once more
            }

            kit.jetStream().awaitAllAcknowledged(STREAM, CONSUMER, TIMEOUT);   // given up counts as done
            assertThat(kit.jetStream().ackFloor(STREAM, CONSUMER)).isEqualTo(1);
            assertThat(kit.events().advisories())
                .containsExactly(JetStreamAdvisory.maxDeliveries(STREAM, CONSUMER, 1, 3));
            assertThat(inventory.attemptTimes())
                .containsExactly(Duration.ZERO, ACK_WAIT, ACK_WAIT.multipliedBy(2));
            assertThat(inventory.reserved()).isEmpty();
        }
    }
    // end

    // readme:order_restart
    @Test
    @JetbusTest(storage = StorageType.FILE)                 // in a fresh temporary directory
    void shouldResumeAfterARestartWithoutRedeliveringAcknowledgedOrders(JetbusKit kit)
    {
        RecordingInventory beforeRestart = new RecordingInventory(kit.clock());
        OrderService orders = new OrderService(kit.connection(), StorageType.FILE, PRICING_TIMEOUT);
        try (PricingService pricing = new PricingService(kit.connection(), PRICES);
             InventoryWorkers workers = new InventoryWorkers(kit.connection(), beforeRestart, 2, ACK_WAIT, 3))
        {
            orders.place("o-1", "apple", 1);
            orders.place("o-2", "pear", 2);
            kit.jetStream().awaitAllAcknowledged(STREAM, CONSUMER, TIMEOUT);
        }
        kit.close();                                        // the bus stops; its files stay
        assertThat(beforeRestart.reserved()).extracting(Order::id).containsExactlyInAnyOrder("o-1", "o-2");

        try (JetbusKit restarted = JetbusKit.builder().storageDir(kit.storageDir()).build();
             PricingService pricing = new PricingService(restarted.connection(), PRICES))
        {
            assertThat(restarted.jetStream().streamMessages(STREAM)).isEqualTo(2);        // both stored
            assertThat(restarted.jetStream().ackFloor(STREAM, CONSUMER)).isEqualTo(2);   // and acknowledged
            RecordingInventory afterRestart = new RecordingInventory(restarted.clock());
            OrderService ordersAgain = new OrderService(restarted.connection(), StorageType.FILE, PRICING_TIMEOUT);
            try (InventoryWorkers workers =
                     new InventoryWorkers(restarted.connection(), afterRestart, 2, ACK_WAIT, 3))
            {
                ordersAgain.place("o-3", "apple", 3);
                restarted.jetStream().awaitAllAcknowledged(STREAM, CONSUMER, TIMEOUT);
                restarted.advance(ACK_WAIT.multipliedBy(2));    // nothing acknowledged comes again
            }
            assertThat(afterRestart.attempts()).extracting(Order::id).containsExactly("o-3");
        }
    }
    // end

    // readme:order_pricing_timeout
    @Test
    void shouldRejectTheOrderWhenPricingDoesNotAnswerInTime(JetbusKit kit, Connection nc)
    {
        ResponderStub pricing = kit.respond(PricingService.SUBJECT).with(request -> null);   // never answers
        OrderService orders = new OrderService(nc, StorageType.MEMORY, PRICING_TIMEOUT);

        CompletableFuture<Order> placing = CompletableFuture.supplyAsync(() -> orders.place("o-1", "apple", 1));
        pricing.awaitRequests(1, TIMEOUT);
        kit.advance(PRICING_TIMEOUT);                       // the request times out now, not in 2 s

        assertThat(placing).failsWithin(TIMEOUT).withThrowableThat().havingCause()
            .isInstanceOf(IllegalStateException.class)
            .withMessage("no price for sku \"apple\": java.util.concurrent.TimeoutException: request to " +
                "\"pricing.lookup\" timed out after PT2S");
        assertThat(kit.jetStream().streamMessages(STREAM)).isZero();
    }
    // end

    @Test
    void shouldStoreThePriceTheStubQuotesWhenPricingIsStubbed(JetbusKit kit, Connection nc)
    {
        ResponderStub pricing = kit.respond(PricingService.SUBJECT).withJson("{\"priceCents\":99}");
        OrderService orders = new OrderService(nc, StorageType.MEMORY, PRICING_TIMEOUT);

        assertThat(orders.place("o-1", "apple", 1).priceCents()).isEqualTo(99);
        assertThat(pricing.requests()).singleElement()
            .satisfies(request -> assertThat(request.data()).asString().isEqualTo("{\"sku\":\"apple\"}"));
        assertThat(kit.jetStream().streamMessages(STREAM)).isEqualTo(1);
    }

    @Test
    void shouldRejectTheOrderWhenTheSkuHasNoPrice(JetbusKit kit, Connection nc)
    {
        OrderService orders = new OrderService(nc, StorageType.MEMORY, PRICING_TIMEOUT);
        try (PricingService pricing = new PricingService(nc, PRICES))
        {
            assertThatThrownBy(() -> orders.place("o-1", "plum", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid sku \"plum\": the pricing service answered " +
                    "{\"sku\":\"plum\",\"error\":\"unknown sku\"}");
            assertThat(kit.jetStream().streamMessages(STREAM)).isZero();
        }
    }

    @Test
    void shouldRejectAnInvalidOrderBeforeAskingForAPrice(JetbusKit kit, Connection nc)
    {
        ResponderStub pricing = kit.respond(PricingService.SUBJECT).withJson("{\"priceCents\":1}");
        OrderService orders = new OrderService(nc, StorageType.MEMORY, PRICING_TIMEOUT);

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
