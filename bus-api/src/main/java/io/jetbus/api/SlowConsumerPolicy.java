package io.jetbus.api;

import java.time.Duration;
import java.util.Objects;

/**
 * What a publisher does when a subscriber's ring is full: drop the message for that subscriber (counted and reported,
 * as NATS does), or block up to a timeout and then fail with {@link SlowConsumerException}.
 *
 * @param action       drop or block.
 * @param blockTimeout how long a publisher may block; {@link Duration#ZERO} for {@link Action#DROP}.
 */
public record SlowConsumerPolicy(Action action, Duration blockTimeout)
{
    /** The two things a publisher can do with a full subscriber. */
    public enum Action
    {
        /** Drop the message for that subscriber, count it and report it to the {@link ErrorListener}. */
        DROP,
        /** Wait for room up to the block timeout, then throw {@link SlowConsumerException}. */
        BLOCK
    }

    private static final SlowConsumerPolicy DROP = new SlowConsumerPolicy(Action.DROP, Duration.ZERO);

    /**
     * Validates the policy.
     *
     * @param action       drop or block.
     * @param blockTimeout how long a publisher may block.
     * @throws IllegalArgumentException if a blocking policy has a timeout that is not positive.
     */
    public SlowConsumerPolicy
    {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(blockTimeout, "blockTimeout");
        if (action == Action.BLOCK && (blockTimeout.isZero() || blockTimeout.isNegative()))
        {
            throw new IllegalArgumentException("blockTimeout must be positive for BLOCK: " + blockTimeout);
        }
        if (action == Action.DROP && !blockTimeout.isZero())
        {
            throw new IllegalArgumentException("blockTimeout must be zero for DROP: " + blockTimeout);
        }
    }

    /**
     * Drop messages a full subscriber cannot take.
     *
     * @return the drop policy.
     */
    public static SlowConsumerPolicy drop()
    {
        return DROP;
    }

    /**
     * Block the publisher until there is room, at most {@code timeout}.
     *
     * @param timeout the longest a publisher waits.
     * @return the blocking policy.
     * @throws IllegalArgumentException if the timeout is not positive.
     */
    public static SlowConsumerPolicy block(Duration timeout)
    {
        return new SlowConsumerPolicy(Action.BLOCK, timeout);
    }
}
