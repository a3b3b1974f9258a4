package io.jetbus.example.orders;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.jetbus.api.Connection;
import io.jetbus.api.Message;
import io.jetbus.api.jetstream.JetStream;
import io.jetbus.api.jetstream.PubAck;
import io.jetbus.api.jetstream.StorageType;
import io.jetbus.api.jetstream.StreamConfig;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionException;

/**
 * Places orders: asks the pricing service for the unit price over request-reply, then stores {@code orders.created}
 * in the {@code ORDERS} stream, which it creates (or finds) on construction.
 */
public final class OrderService
{
    /** The stream of order events. */
    public static final String STREAM = "ORDERS";

    /** The subjects the stream captures. */
    public static final String SUBJECTS = "orders.>";

    /** The subject of a placed order. */
    public static final String CREATED = "orders.created";

    private final Connection connection;
    private final JetStream jetStream;
    private final Duration pricingTimeout;

    /**
     * Create (or find, after a restart) the {@code ORDERS} stream.
     *
     * @param connection     the connection to request prices and publish on.
     * @param storage        where the stream is stored; {@link StorageType#FILE} needs a bus with a storage directory.
     * @param pricingTimeout how long to wait for a price, on the bus's clock.
     * @throws io.jetbus.api.jetstream.JetStreamApiException if {@code ORDERS} exists with another configuration.
     */
    public OrderService(final Connection connection, final StorageType storage, final Duration pricingTimeout)
    {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.pricingTimeout = Objects.requireNonNull(pricingTimeout, "pricingTimeout");
        connection.jetStreamManagement().addStream(StreamConfig.builder()
            .name(STREAM)
            .subjects(SUBJECTS)
            .storage(Objects.requireNonNull(storage, "storage"))
            .build());
        jetStream = connection.jetStream();
    }

    /**
     * Price an order and store it as {@code orders.created}. Blocks until the price has arrived and the stream has
     * stored the order.
     *
     * @param id       the order id, also the message id of the publish.
     * @param sku      the article.
     * @param quantity how many.
     * @return the order as stored, with its price.
     * @throws IllegalArgumentException if a value is invalid or the pricing service does not know the sku.
     * @throws IllegalStateException    if the pricing service did not answer in time (or there is none).
     */
    public Order place(final String id, final String sku, final int quantity)
    {
        Order.checkName("order id", id);
        Order.checkName("sku", sku);
        if (quantity <= 0)
        {
            throw new IllegalArgumentException("invalid quantity " + quantity + ": must be positive");
        }
        final Order order = new Order(id, sku, quantity, price(sku));
        final PubAck ack = jetStream.publish(CREATED, order.toJson().getBytes(UTF_8));
        assert STREAM.equals(ack.stream()) : ack;
        return order;
    }

    private long price(final String sku)
    {
        final String reply;
        try
        {
            final Message message = connection.request(PricingService.SUBJECT,
                ("{\"sku\":\"" + sku + "\"}").getBytes(UTF_8), pricingTimeout).join();
            reply = new String(message.data(), UTF_8);
        }
        catch (final CompletionException ex)
        {
            throw new IllegalStateException("no price for sku \"" + sku + "\": " + ex.getCause(), ex.getCause());
        }
        if (JsonFields.has(reply, "error"))
        {
            throw new IllegalArgumentException("invalid sku \"" + sku + "\": the pricing service answered " + reply);
        }
        return JsonFields.number(reply, "priceCents");
    }
}
