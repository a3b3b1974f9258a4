package io.jetbus.api.jetstream;

import io.jetbus.api.Headers;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A message read directly from a stream by {@link JetStreamManagement#message(String, long)} or
 * {@link JetStreamManagement#lastMessage(String, String)}. Immutable: the payload is copied in and out.
 *
 * @param stream  the stream holding the message.
 * @param subject the subject it was published to.
 * @param seq     its stream sequence.
 * @param headers its headers, read-only; empty when it had none.
 * @param data    its payload; empty, never {@code null}, when it had none.
 * @param time    when the stream stored it.
 */
public record MessageInfo(String stream, String subject, long seq, Headers headers, byte[] data, Instant time)
{
    private static final byte[] EMPTY = new byte[0];

    /**
     * Validates the message and copies its payload and headers.
     *
     * @param stream  the stream name.
     * @param subject the subject.
     * @param seq     the stream sequence.
     * @param headers the headers, or {@code null} for none.
     * @param data    the payload, or {@code null} for none.
     * @param time    the storage time.
     * @throws NullPointerException     if the stream, subject or time is null.
     * @throws IllegalArgumentException if the sequence is not positive.
     */
    public MessageInfo
    {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(subject, "subject");
        if (seq <= 0)
        {
            throw new IllegalArgumentException("invalid seq " + seq + ": must be positive");
        }
        headers = headers == null ? Headers.empty() : headers.readOnlyCopy();
        data = data == null || data.length == 0 ? EMPTY : data.clone();
        Objects.requireNonNull(time, "time");
    }

    /**
     * The payload, as a new array.
     *
     * @return a copy of the payload.
     */
    @Override
    public byte[] data()
    {
        return data.length == 0 ? data : data.clone();
    }

    /**
     * Equal when every component is, the payload compared by content.
     *
     * @param o the other object.
     * @return whether {@code o} is an equal {@link MessageInfo}.
     */
    @Override
    public boolean equals(final Object o)
    {
        return this == o || (o instanceof MessageInfo other && seq == other.seq && stream.equals(other.stream) &&
            subject.equals(other.subject) && headers.equals(other.headers) && Arrays.equals(data, other.data) &&
            time.equals(other.time));
    }

    /**
     * A hash over every component, the payload by content.
     *
     * @return the hash code.
     */
    @Override
    public int hashCode()
    {
        return Objects.hash(stream, subject, seq, headers, Arrays.hashCode(data), time);
    }

    /**
     * The message without its payload bytes.
     *
     * @return a description naming stream, subject, sequence, headers, payload length and time.
     */
    @Override
    public String toString()
    {
        return "MessageInfo[stream=" + stream + ", subject=" + subject + ", seq=" + seq + ", headers=" + headers +
            ", dataLength=" + data.length + ", time=" + time + "]";
    }
}
