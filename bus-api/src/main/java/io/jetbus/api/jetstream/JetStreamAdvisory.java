package io.jetbus.api.jetstream;

import java.util.Objects;

/**
 * A JetStream event worth reporting that no caller can be thrown to, passed to
 * {@link io.jetbus.api.ErrorListener#onAdvisory(JetStreamAdvisory)}. The first two types match the NATS consumer
 * advisories of the same names; the others report what recovery found in the stored data.
 *
 * @param type       what happened.
 * @param stream     the stream concerned.
 * @param consumer   the consumer concerned, or {@code null} when the advisory is about the stream only.
 * @param streamSeq  the stream sequence of the message concerned, or {@link #NO_SEQUENCE}.
 * @param deliveries how many times that message was delivered, or 0 when not about a delivery.
 * @param detail     what happened in words; empty when the type says it all.
 */
public record JetStreamAdvisory(
    Type type,
    String stream,
    String consumer,
    long streamSeq,
    int deliveries,
    String detail)
{
    /** The value of {@link #streamSeq()} when the advisory is not about one message: {@code 0}. */
    public static final long NO_SEQUENCE = 0;

    /** The kinds of advisory. */
    public enum Type
    {
        /**
         * A message reached the consumer's {@link ConsumerConfig#maxDeliver()} without being acknowledged; it is
         * no longer redelivered (NATS {@code $JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES}).
         */
        MAX_DELIVERIES,
        /**
         * A message was terminated with {@link io.jetbus.api.Message#term()}; it is never redelivered (NATS
         * {@code $JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED}).
         */
        TERMINATED,
        /** Recovery found fewer records than were written (a torn tail after a crash or power loss). */
        LOST_DATA,
        /** A stored record failed its checksum or sequence check and is not served. */
        CORRUPT_DATA,
        /** A consumer's stored position pointed past the recovered end of its stream and was moved back. */
        STATE_CLAMPED
    }

    /**
     * Validates the advisory.
     *
     * @param type       the type.
     * @param stream     the stream name.
     * @param consumer   the consumer name, or {@code null}.
     * @param streamSeq  the stream sequence, or {@link #NO_SEQUENCE}.
     * @param deliveries the delivery count, or 0.
     * @param detail     the description, or empty.
     * @throws NullPointerException     if the type, stream or detail is null.
     * @throws IllegalArgumentException if the sequence or delivery count is negative.
     */
    public JetStreamAdvisory
    {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(detail, "detail");
        StreamState.checkNotNegative("streamSeq", streamSeq);
        StreamState.checkNotNegative("deliveries", deliveries);
    }

    /**
     * A message reached the consumer's delivery limit.
     *
     * @param stream     the stream.
     * @param consumer   the consumer.
     * @param streamSeq  the message's stream sequence.
     * @param deliveries how many times it was delivered.
     * @return the advisory.
     */
    public static JetStreamAdvisory maxDeliveries(
        final String stream, final String consumer, final long streamSeq, final int deliveries)
    {
        return new JetStreamAdvisory(Type.MAX_DELIVERIES, stream, consumer, streamSeq, deliveries, "");
    }

    /**
     * A message was terminated by its consumer's handler.
     *
     * @param stream     the stream.
     * @param consumer   the consumer.
     * @param streamSeq  the message's stream sequence.
     * @param deliveries how many times it was delivered.
     * @return the advisory.
     */
    public static JetStreamAdvisory terminated(
        final String stream, final String consumer, final long streamSeq, final int deliveries)
    {
        return new JetStreamAdvisory(Type.TERMINATED, stream, consumer, streamSeq, deliveries, "");
    }

    /**
     * Something about the stream's stored data or a consumer's stored state, found by recovery.
     *
     * @param type     {@link Type#LOST_DATA}, {@link Type#CORRUPT_DATA} or {@link Type#STATE_CLAMPED}.
     * @param stream   the stream.
     * @param consumer the consumer for {@link Type#STATE_CLAMPED}, otherwise {@code null}.
     * @param detail   what was found: files, offsets, sequences, counts.
     * @return the advisory.
     * @throws IllegalArgumentException if the type is about a delivery.
     */
    public static JetStreamAdvisory recovery(
        final Type type, final String stream, final String consumer, final String detail)
    {
        if (type == Type.MAX_DELIVERIES || type == Type.TERMINATED)
        {
            throw new IllegalArgumentException("invalid recovery advisory type " + type +
                ": must be LOST_DATA, CORRUPT_DATA or STATE_CLAMPED");
        }
        return new JetStreamAdvisory(type, stream, consumer, NO_SEQUENCE, 0, detail);
    }
}
