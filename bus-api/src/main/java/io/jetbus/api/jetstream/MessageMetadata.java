package io.jetbus.api.jetstream;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a message delivered by a consumer comes from, returned by {@link io.jetbus.api.Message#metaData()}.
 *
 * @param stream         the stream holding the message.
 * @param consumer       the consumer that delivered it.
 * @param streamSeq      its stream sequence.
 * @param consumerSeq    the consumer sequence of this delivery.
 * @param deliveredCount how many times it has been delivered, this delivery included.
 * @param timestamp      when the stream stored it.
 * @param pending        messages matching the consumer's filter still to be delivered after this one.
 */
public record MessageMetadata(
    String stream,
    String consumer,
    long streamSeq,
    long consumerSeq,
    int deliveredCount,
    Instant timestamp,
    long pending)
{
    /**
     * Validates the metadata.
     *
     * @param stream         the stream name.
     * @param consumer       the consumer name.
     * @param streamSeq      the stream sequence.
     * @param consumerSeq    the consumer sequence.
     * @param deliveredCount the delivery count.
     * @param timestamp      the storage time.
     * @param pending        the messages still to deliver.
     * @throws NullPointerException     if the stream, consumer or timestamp is null.
     * @throws IllegalArgumentException if a sequence or the delivery count is not positive, or pending is negative.
     */
    public MessageMetadata
    {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(consumer, "consumer");
        if (streamSeq <= 0 || consumerSeq <= 0 || deliveredCount <= 0)
        {
            throw new IllegalArgumentException("invalid metadata streamSeq=" + streamSeq + ", consumerSeq=" +
                consumerSeq + ", deliveredCount=" + deliveredCount + ": each must be positive");
        }
        Objects.requireNonNull(timestamp, "timestamp");
        StreamState.checkNotNegative("pending", pending);
    }
}
