package io.jetbus.api.jetstream;

import java.time.Instant;
import java.util.Objects;

/**
 * A consumer's configuration and position, as returned by {@link JetStreamManagement} and
 * {@link PullSubscription#info()}.
 *
 * @param stream         the stream the consumer reads.
 * @param name           the consumer name (the durable name, the given name, or a generated one).
 * @param config         the consumer's configuration.
 * @param created        when the consumer was created.
 * @param delivered      the last delivery: its consumer sequence and the highest stream sequence delivered.
 * @param ackFloor       the position up to which every delivery is acknowledged (or terminated).
 * @param numPending     messages matching the filter that were not yet delivered.
 * @param numAckPending  messages delivered and not yet acknowledged.
 * @param numRedelivered of those, messages delivered more than once.
 * @param numWaiting     pull requests waiting for messages.
 */
public record ConsumerInfo(
    String stream,
    String name,
    ConsumerConfig config,
    Instant created,
    SequencePair delivered,
    SequencePair ackFloor,
    long numPending,
    int numAckPending,
    int numRedelivered,
    int numWaiting)
{
    /**
     * Validates the information.
     *
     * @param stream         the stream name.
     * @param name           the consumer name.
     * @param config         the configuration.
     * @param created        the creation time.
     * @param delivered      the delivered position.
     * @param ackFloor       the acknowledged position.
     * @param numPending     the undelivered count.
     * @param numAckPending  the unacknowledged count.
     * @param numRedelivered the redelivered count.
     * @param numWaiting     the waiting pull request count.
     * @throws NullPointerException     if a component is null.
     * @throws IllegalArgumentException if a count is negative.
     */
    public ConsumerInfo
    {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(delivered, "delivered");
        Objects.requireNonNull(ackFloor, "ackFloor");
        StreamState.checkNotNegative("numPending", numPending);
        StreamState.checkNotNegative("numAckPending", numAckPending);
        StreamState.checkNotNegative("numRedelivered", numRedelivered);
        StreamState.checkNotNegative("numWaiting", numWaiting);
    }
}
