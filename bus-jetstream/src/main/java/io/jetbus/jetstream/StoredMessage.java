package io.jetbus.jetstream;

import java.util.Objects;

/**
 * One message as stored in a stream. The arrays are the caller's own copies.
 *
 * @param seq              the stream sequence, from 1.
 * @param timestampEpochNs when the stream accepted it, in nanoseconds since the epoch.
 * @param subject          the subject it was published to.
 * @param headers          the encoded headers; empty when there are none.
 * @param data             the payload; may be empty.
 */
record StoredMessage(long seq, long timestampEpochNs, String subject, byte[] headers, byte[] data)
{
    StoredMessage
    {
        if (seq < 1)
        {
            throw new IllegalArgumentException("invalid seq " + seq + ": must be >= 1");
        }
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(data, "data");
    }
}
