package io.jetbus.jetstream;

import io.jetbus.api.jetstream.AckPolicy;
import io.jetbus.api.jetstream.ConsumerConfig;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The acknowledgement settings of a consumer, as {@link AckTracker} uses them: times in nanoseconds. Durations too
 * long for a {@code long} of nanoseconds (over 292 years) saturate.
 *
 * @param ackPolicy     how messages are acknowledged.
 * @param ackWaitNs     the wait after each delivery when there is no backoff; positive.
 * @param maxDeliver    the most deliveries of one message, or {@link AckTracker#UNLIMITED}.
 * @param backoffNs     the waits after successive deliveries, each positive; empty for a constant wait.
 * @param maxAckPending the most pending messages before new deliveries pause, or {@link AckTracker#UNLIMITED}.
 */
record AckSettings(AckPolicy ackPolicy, long ackWaitNs, int maxDeliver, long[] backoffNs, int maxAckPending)
{
    AckSettings
    {
        Objects.requireNonNull(ackPolicy, "ackPolicy");
        if (ackWaitNs <= 0)
        {
            throw new IllegalArgumentException("invalid ackWaitNs " + ackWaitNs + ": must be positive");
        }
        if (maxDeliver != AckTracker.UNLIMITED && maxDeliver <= 0)
        {
            throw new IllegalArgumentException("invalid maxDeliver " + maxDeliver +
                ": must be -1 (unlimited) or positive");
        }
        backoffNs = Objects.requireNonNull(backoffNs, "backoffNs").clone();
        for (int i = 0; i < backoffNs.length; i++)
        {
            if (backoffNs[i] <= 0)
            {
                throw new IllegalArgumentException("invalid backoffNs " + Arrays.toString(backoffNs) + ": entry " +
                    i + " is " + backoffNs[i] + ", must be positive");
            }
        }
        if (maxAckPending != AckTracker.UNLIMITED && maxAckPending <= 0)
        {
            throw new IllegalArgumentException("invalid maxAckPending " + maxAckPending +
                ": must be -1 (unlimited) or positive");
        }
    }

    /**
     * The settings of a consumer configuration.
     *
     * @param config the consumer configuration.
     * @return its acknowledgement settings.
     */
    static AckSettings of(final ConsumerConfig config)
    {
        final List<Duration> backoff = config.backoff();
        final long[] backoffNs = new long[backoff.size()];
        for (int i = 0; i < backoffNs.length; i++)
        {
            backoffNs[i] = saturatedNanos(backoff.get(i));
        }
        return new AckSettings(config.ackPolicy(), saturatedNanos(config.ackWait()), config.maxDeliver(), backoffNs,
            config.maxAckPending());
    }

    @Override
    public long[] backoffNs()
    {
        return backoffNs.clone();
    }

    @Override
    public boolean equals(final Object o)
    {
        return this == o || (o instanceof AckSettings other && ackPolicy == other.ackPolicy &&
            ackWaitNs == other.ackWaitNs && maxDeliver == other.maxDeliver &&
            Arrays.equals(backoffNs, other.backoffNs) && maxAckPending == other.maxAckPending);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(ackPolicy, ackWaitNs, maxDeliver, Arrays.hashCode(backoffNs), maxAckPending);
    }

    @Override
    public String toString()
    {
        return "AckSettings[ackPolicy=" + ackPolicy + ", ackWaitNs=" + ackWaitNs + ", maxDeliver=" + maxDeliver +
            ", backoffNs=" + Arrays.toString(backoffNs) + ", maxAckPending=" + maxAckPending + "]";
    }

    private static long saturatedNanos(final Duration duration)
    {
        try
        {
            return duration.toNanos();
        }
        catch (final ArithmeticException ex)
        {
            return Long.MAX_VALUE - 1;
        }
    }
}
