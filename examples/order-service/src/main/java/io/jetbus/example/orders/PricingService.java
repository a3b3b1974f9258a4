package io.jetbus.example.orders;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.jetbus.api.Connection;
import io.jetbus.api.Dispatcher;
import io.jetbus.api.Message;

import java.util.Map;
import java.util.Objects;

/**
 * Answers {@code pricing.lookup} requests ({@code {"sku":"apple"}}) with the unit price in cents
 * ({@code {"sku":"apple","priceCents":120}}), or {@code {"sku":"pear","error":"unknown sku"}}.
 */
public final class PricingService implements AutoCloseable
{
    /** The subject the service answers on. */
    public static final String SUBJECT = "pricing.lookup";

    private final Connection connection;
    private final Map<String, Long> pricesCents;
    private final Dispatcher dispatcher;

    /**
     * Start answering on {@link #SUBJECT}.
     *
     * @param connection  the connection to answer on.
     * @param pricesCents the unit price in cents of each sku.
     */
    public PricingService(final Connection connection, final Map<String, Long> pricesCents)
    {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.pricesCents = Map.copyOf(pricesCents);
        dispatcher = connection.createDispatcher(this::onRequest);
        dispatcher.subscribe(SUBJECT);
    }

    private void onRequest(final Message request)
    {
        if (request.replyTo() == null)
        {
            return;
        }
        final String sku = JsonFields.string(new String(request.data(), UTF_8), "sku");
        Order.checkName("sku", sku);
        final Long price = pricesCents.get(sku);
        final String reply = price == null ?
            "{\"sku\":\"" + sku + "\",\"error\":\"unknown sku\"}" :
            "{\"sku\":\"" + sku + "\",\"priceCents\":" + price + "}";
        connection.publish(request.replyTo(), reply.getBytes(UTF_8));
    }

    /**
     * Stop answering.
     */
    @Override
    public void close()
    {
        dispatcher.close();
    }
}
