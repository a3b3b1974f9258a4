package io.jetbus.jetstream;

import net.openhft.chronicle.core.time.TimeProvider;

import java.util.function.LongSupplier;

/**
 * The clock Chronicle uses to choose the cycle file, never earlier than a floor. The floor keeps appends out of
 * cycles older than the newest one (Chronicle would otherwise append into an old cycle if the wall clock went back)
 * and moves them past a sealed, damaged cycle.
 */
final class FloorTimeProvider implements TimeProvider
{
    private final LongSupplier clockMs;
    private volatile long floorMs = Long.MIN_VALUE;

    FloorTimeProvider(final LongSupplier clockMs)
    {
        this.clockMs = clockMs;
    }

    /**
     * Raises the floor; it never goes down.
     *
     * @param ms epoch milliseconds.
     */
    void raiseFloor(final long ms)
    {
        if (ms > floorMs)
        {
            floorMs = ms;
        }
    }

    @Override
    public long currentTimeMillis()
    {
        return Math.max(clockMs.getAsLong(), floorMs);
    }
}
