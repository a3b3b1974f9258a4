package io.jetbus.api.jetstream;

import java.util.Objects;

/**
 * The acknowledgement of a JetStream publish: the message is stored (under the stream's {@link FlushPolicy}).
 *
 * @param stream    the stream that stored the message.
 * @param seq       the message's stream sequence; for a duplicate, the sequence of the message stored first.
 * @param duplicate {@code true} when the message ID was seen within the duplicate window and nothing new was stored.
 */
public record PubAck(String stream, long seq, boolean duplicate)
{
    /**
     * Validates the acknowledgement.
     *
     * @param stream    the stream name.
     * @param seq       the stream sequence.
     * @param duplicate whether the publish was a duplicate.
     * @throws NullPointerException     if the stream is null.
     * @throws IllegalArgumentException if the sequence is not positive.
     */
    public PubAck
    {
        Objects.requireNonNull(stream, "stream");
        if (seq <= 0)
        {
            throw new IllegalArgumentException("invalid seq " + seq + ": must be positive");
        }
    }
}
