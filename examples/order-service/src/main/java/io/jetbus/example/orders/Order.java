package io.jetbus.example.orders;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An order as stored in the {@code ORDERS} stream.
 *
 * @param id         the order id: 1 to 64 letters, digits, {@code -} or {@code _}.
 * @param sku        the article: 1 to 64 letters, digits, {@code -} or {@code _}.
 * @param quantity   how many; positive.
 * @param priceCents the unit price the pricing service quoted, in cents; not negative.
 */
public record Order(String id, String sku, int quantity, long priceCents)
{
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /**
     * Checks the components.
     *
     * @param id         the order id.
     * @param sku        the article.
     * @param quantity   how many.
     * @param priceCents the unit price in cents.
     * @throws IllegalArgumentException if a component breaks its rule.
     */
    public Order
    {
        checkName("order id", id);
        checkName("sku", sku);
        if (quantity <= 0)
        {
            throw new IllegalArgumentException("invalid quantity " + quantity + ": must be positive");
        }
        if (priceCents < 0)
        {
            throw new IllegalArgumentException("invalid price " + priceCents + " cents: must not be negative");
        }
    }

    /**
     * The order as the JSON payload of {@code orders.created}.
     *
     * @return e.g. {@code {"id":"o-1","sku":"apple","quantity":2,"priceCents":120}}.
     */
    public String toJson()
    {
        return "{\"id\":\"" + id + "\",\"sku\":\"" + sku + "\",\"quantity\":" + quantity + ",\"priceCents\":" +
            priceCents + "}";
    }

    /**
     * Read an order written by {@link #toJson()}.
     *
     * @param json the payload.
     * @return the order.
     * @throws IllegalArgumentException if a field is missing or invalid.
     */
    public static Order fromJson(final String json)
    {
        return new Order(JsonFields.string(json, "id"), JsonFields.string(json, "sku"),
            Math.toIntExact(JsonFields.number(json, "quantity")), JsonFields.number(json, "priceCents"));
    }

    static void checkName(final String what, final String value)
    {
        Objects.requireNonNull(value, what);
        if (!NAME.matcher(value).matches())
        {
            throw new IllegalArgumentException("invalid " + what + " \"" + value + "\": must be 1 to 64 letters, " +
                "digits, '-' or '_'");
        }
    }
}
