package io.jetbus.example.orders;

import io.jetbus.test.VirtualClock;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An inventory that records every reservation attempt with the virtual time it happened at, and fails on demand, per
 * sku. Called from the worker threads.
 */
final class RecordingInventory implements Inventory
{
    /** One call of {@link #reserve(Order)}: the order, when on the virtual clock, and whether it succeeded. */
    record Attempt(Order order, Duration at, boolean reserved)
    {
    }

    private final VirtualClock clock;
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

    /** An inventory that stamps each attempt with {@code clock}'s {@link VirtualClock#elapsed()}. */
    RecordingInventory(final VirtualClock clock)
    {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Fail the next {@code times} reservations of {@code sku}. */
    RecordingInventory failNext(final String sku, final int times)
    {
        failuresLeft.put(sku, new AtomicInteger(times));
        return this;
    }

    @Override
    public void reserve(final Order order)
    {
        final AtomicInteger left = failuresLeft.get(order.sku());
        final boolean fail = left != null && left.getAndDecrement() > 0;
        attempts.add(new Attempt(order, clock.elapsed(), !fail));
        if (fail)
        {
            throw new IllegalStateException("out of stock: " + order.sku());
        }
    }

    /** The orders of every attempt, in the order they were made. */
    List<Order> attempts()
    {
        return attempts.stream().map(Attempt::order).toList();
    }

    /** When each attempt was made, as virtual time since the clock started. */
    List<Duration> attemptTimes()
    {
        return attempts.stream().map(Attempt::at).toList();
    }

    /** The orders whose stock was reserved. */
    List<Order> reserved()
    {
        return attempts.stream().filter(Attempt::reserved).map(Attempt::order).toList();
    }
}
