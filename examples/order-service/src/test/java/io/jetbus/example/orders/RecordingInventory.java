package io.jetbus.example.orders;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An inventory that records reservations and fails on demand, per sku. */
final class RecordingInventory implements Inventory
{
    private final List<Order> reserved = new CopyOnWriteArrayList<>();
    private final List<Order> attempts = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

    /** Fail the next {@code times} reservations of {@code sku}. */
    RecordingInventory failNext(final String sku, final int times)
    {
        failuresLeft.put(sku, new AtomicInteger(times));
        return this;
    }

    @Override
    public void reserve(final Order order)
    {
        attempts.add(order);
        final AtomicInteger left = failuresLeft.get(order.sku());
        if (left != null && left.getAndDecrement() > 0)
        {
            throw new IllegalStateException("out of stock: " + order.sku());
        }
        reserved.add(order);
    }

    List<Order> reserved()
    {
        return List.copyOf(reserved);
    }

    List<Order> attempts()
    {
        return List.copyOf(attempts);
    }
}
