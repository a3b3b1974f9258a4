package io.jetbus.example.orders;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.jetbus.api.Connection;
import io.jetbus.api.Message;
import io.jetbus.api.jetstream.AckPolicy;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.PullSubscription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Workers that reserve stock for every order in the {@code ORDERS} stream. They share the one durable pull consumer
 * {@value #CONSUMER}, so each order goes to one worker: JetStream's queue group. A worker acknowledges an order once
 * {@link Inventory#reserve(Order)} returned and publishes {@value #RESERVED}; when it threw, the worker does not
 * acknowledge and publishes {@value #FAILED}, so the order is delivered again after the ack wait, until the consumer's
 * max deliver is reached. A payload that is not an order is terminated at once.
 *
 * <p>Each worker runs on a thread of its own and takes one order at a time with
 * {@link PullSubscription#fetch(int, Duration)}. The consumer is durable: after a restart on the same storage directory
 * the workers resume after the last acknowledged order.
 */
public final class InventoryWorkers implements AutoCloseable
{
    /** The durable consumer the workers share. */
    public static final String CONSUMER = "inventory";

    /** Published (core, not stored) with {@code {"id":...}} when an order's stock is reserved and acknowledged. */
    public static final String RESERVED = "inventory.reserved";

    /** Published (core, not stored) with {@code {"id":...,"delivery":n}} when reserving failed, not acknowledged. */
    public static final String FAILED = "inventory.failed";

    /** How long one fetch waits, in real time, before the worker checks whether it should stop. */
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final long JOIN_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(10);

    private final Connection connection;
    private final Inventory inventory;
    private final List<PullSubscription> subscriptions = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    /**
     * Create or update the {@value #CONSUMER} consumer on {@code ORDERS} (which must exist) and start the workers.
     *
     * @param connection the connection to fetch, acknowledge and publish on.
     * @param inventory  where to reserve stock; called from every worker thread.
     * @param workers    how many workers; positive.
     * @param ackWait    how long an order may stay unacknowledged before it is delivered again, on the bus's clock.
     * @param maxDeliver how often an order is delivered at most; positive.
     * @throws IllegalArgumentException if a value is invalid.
     */
    public InventoryWorkers(final Connection connection, final Inventory inventory, final int workers,
        final Duration ackWait, final int maxDeliver)
    {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.inventory = Objects.requireNonNull(inventory, "inventory");
        if (workers <= 0)
        {
            throw new IllegalArgumentException("invalid workers " + workers + ": must be positive");
        }
        if (maxDeliver <= 0)
        {
            throw new IllegalArgumentException("invalid maxDeliver " + maxDeliver + ": must be positive");
        }
        connection.jetStreamManagement().addOrUpdateConsumer(OrderService.STREAM, ConsumerConfig.builder()
            .durableName(CONSUMER)
            .filterSubject(OrderService.CREATED)
            .ackPolicy(AckPolicy.EXPLICIT)
            .ackWait(ackWait)
            .maxDeliver(maxDeliver)
            .build());
        try
        {
            for (int i = 0; i < workers; i++)
            {
                final PullSubscription subscription = connection.jetStream().bind(OrderService.STREAM, CONSUMER);
                subscriptions.add(subscription);
                final Thread thread = new Thread(() -> work(subscription), "order-inventory-worker-" + i);
                thread.setDaemon(true);
                threads.add(thread);
            }
        }
        catch (final RuntimeException ex)
        {
            subscriptions.forEach(PullSubscription::unsubscribe);
            throw ex;
        }
        threads.forEach(Thread::start);
    }

    private void work(final PullSubscription subscription)
    {
        try
        {
            while (running && subscription.isActive())
            {
                for (final Message message : subscription.fetch(1, POLL))
                {
                    handle(message);
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final IllegalStateException ex)
        {
            if (running && !connection.isClosed())
            {
                throw ex;
            }
            // Closed underneath the fetch: stop quietly.
        }
    }

    private void handle(final Message message)
    {
        final Order order;
        try
        {
            order = Order.fromJson(new String(message.data(), UTF_8));
        }
        catch (final IllegalArgumentException ex)
        {
            message.term();
            return;
        }
        try
        {
            inventory.reserve(order);
        }
        catch (final RuntimeException ex)
        {
            // No ack: the consumer delivers the order again once the ack wait has passed.
            publish(FAILED, "{\"id\":\"" + order.id() + "\",\"delivery\":" + message.metaData().deliveredCount() + "}");
            return;
        }
        message.ack();
        publish(RESERVED, "{\"id\":\"" + order.id() + "\"}");
    }

    private void publish(final String subject, final String json)
    {
        if (!connection.isClosed())
        {
            connection.publish(subject, json.getBytes(UTF_8));
        }
    }

    /**
     * Stop the workers and wait for them to finish the order in hand. The consumer stays, with its position.
     *
     * @throws IllegalStateException if a worker did not stop within ten seconds.
     */
    @Override
    public void close()
    {
        running = false;
        subscriptions.forEach(PullSubscription::unsubscribe);
        for (final Thread thread : threads)
        {
            try
            {
                thread.join(JOIN_TIMEOUT_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the inventory workers", ex);
            }
            if (thread.isAlive())
            {
                throw new IllegalStateException("inventory worker " + thread.getName() + " did not stop within " +
                    JOIN_TIMEOUT_MS + " ms");
            }
        }
    }
}
