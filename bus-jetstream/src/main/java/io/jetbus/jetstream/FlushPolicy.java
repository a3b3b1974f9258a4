package io.jetbus.jetstream;

import java.time.Duration;
import java.util.Objects;

/**
 * When a {@link FileStreamStore} forces written records to the device (RELIABILITY.md 1.6). Every policy survives a
 * process crash; they differ on power loss.
 *
 * @param mode       the policy.
 * @param interval   for {@link Mode#INTERVAL}: the time between background syncs; otherwise {@link Duration#ZERO}.
 */
record FlushPolicy(Mode mode, Duration interval)
{
    /**
     * The policies.
     */
    enum Mode
    {
        /** Never force; the kernel writes back on its own schedule. */
        NONE,
        /** A background sync every {@link FlushPolicy#interval()}. */
        INTERVAL,
        /** Each append returns only after a sync that covers it (group commit). */
        EVERY_PUBLISH
    }

    static final FlushPolicy NONE = new FlushPolicy(Mode.NONE, Duration.ZERO);
    static final FlushPolicy EVERY_PUBLISH = new FlushPolicy(Mode.EVERY_PUBLISH, Duration.ZERO);

    FlushPolicy
    {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(interval, "interval");
        if (mode == Mode.INTERVAL ? interval.isNegative() || interval.isZero() : !interval.isZero())
        {
            throw new IllegalArgumentException(
                "invalid flush interval " + interval + " for " + mode + ": must be > 0 for INTERVAL, else zero");
        }
    }

    /**
     * @param interval time between syncs, &gt; 0.
     * @return an {@link Mode#INTERVAL} policy.
     */
    static FlushPolicy interval(final Duration interval)
    {
        return new FlushPolicy(Mode.INTERVAL, interval);
    }
}
