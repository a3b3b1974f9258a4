package io.jetbus.api;

import io.jetbus.api.jetstream.MessageMetadata;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A message: subject, optional reply subject, headers and payload.
 *
 * <p>Messages handed to a {@link MessageHandler} are flyweights over the dispatcher's ring, valid only until the
 * handler returns, and read by the dispatcher's thread only; {@link #copy()} gives one that stays valid. Messages
 * returned by {@link Subscription#nextMessage(Duration)} or by a request's future are already copies.
 *
 * <p>Messages delivered by a JetStream consumer answer {@code true} to {@link #isJetStream()} and implement the
 * acknowledgement methods ({@link #ack()}, {@link #nak()}, {@link #inProgress()}, {@link #term()} and their
 * variants), which may be called from any thread, also on a copy after the handler returned. On other messages they
 * throw {@link IllegalStateException}. Acknowledging a message that is no longer pending (already acknowledged,
 * terminated, or past its delivery limit) does nothing, as in NATS.
 */
public interface Message
{
    /**
     * The subject the message was published to.
     *
     * @return the subject.
     */
    String subject();

    /**
     * The subject a reply should be published to.
     *
     * @return the reply subject, or {@code null} when the publisher expects no reply.
     */
    String replyTo();

    /**
     * Whether the message carries headers.
     *
     * @return {@code true} when {@link #headers()} is not empty.
     */
    boolean hasHeaders();

    /**
     * The message headers, read-only.
     *
     * @return the headers; empty, never {@code null}, when there are none.
     */
    Headers headers();

    /**
     * The payload length in bytes.
     *
     * @return the length.
     */
    int dataLength();

    /**
     * The payload as a new array (a copy for flyweight messages).
     *
     * @return the payload; empty, never {@code null}, for an empty payload.
     */
    byte[] data();

    /**
     * The payload as a read-only buffer, without copying: its remaining bytes (position to limit) are the payload.
     * For a flyweight message the buffer is a view over the ring, reused for each message and valid only while the
     * message is.
     *
     * @return the read-only payload view.
     */
    ByteBuffer dataBuffer();

    /**
     * The subscription that received this message.
     *
     * @return the subscription, or {@code null} for a message that was not received (a request's reply future
     *     completes with the inbox subscription's copy).
     */
    Subscription subscription();

    /**
     * A copy of this message that stays valid after the handler returns.
     *
     * @return an immutable copy; the message itself when it already is one.
     */
    Message copy();
    /**
     * Whether a JetStream consumer delivered this message, so that it has {@link #metaData()} and can be acknowledged.
     *
     * @return {@code false} by default; {@code true} for consumer deliveries.
     */
    default boolean isJetStream()
    {
        return false;
    }

    /**
     * Where a consumer delivery comes from: stream, consumer, sequences, delivery count.
     *
     * @return the metadata.
     * @throws IllegalStateException if this is not a JetStream message.
     */
    default MessageMetadata metaData()
    {
        throw notJetStream();
    }

    /**
     * Acknowledge the message: it will not be redelivered. Does not wait for the acknowledgement to be stored.
     *
     * @throws IllegalStateException if this is not a JetStream message.
     */
    default void ack()
    {
        throw notJetStream();
    }

    /**
     * Acknowledge the message and wait until the acknowledgement is stored, so that it survives a crash (for a durable
     * consumer on FILE storage: synced to the device, so it survives a power loss too).
     *
     * @param timeout how long to wait for the consumer, which may be busy with other acknowledgements.
     * @throws TimeoutException              if the acknowledgement was not stored in time; it may still be applied.
     * @throws InterruptedException          if the calling thread was interrupted.
     * @throws java.io.UncheckedIOException if the acknowledgement could not be written or synced.
     * @throws IllegalStateException         if this is not a JetStream message.
     */
    default void ackSync(final Duration timeout) throws TimeoutException, InterruptedException
    {
        throw notJetStream();
    }

    /**
     * Refuse the message: redeliver it at once (counts against the consumer's delivery limit).
     *
     * @throws IllegalStateException if this is not a JetStream message.
     */
    default void nak()
    {
        throw notJetStream();
    }

    /**
     * Refuse the message and have it redelivered after a delay.
     *
     * @param delay how long to wait before redelivering; zero redelivers at once.
     * @throws IllegalArgumentException if the delay is negative.
     * @throws IllegalStateException    if this is not a JetStream message.
     */
    default void nakWithDelay(final Duration delay)
    {
        throw notJetStream();
    }

    /**
     * Tell the consumer the message is still being worked on: its ack wait starts again.
     *
     * @throws IllegalStateException if this is not a JetStream message.
     */
    default void inProgress()
    {
        throw notJetStream();
    }

    /**
     * Stop the message from ever being redelivered, without acknowledging it as processed; reported as a
     * {@link io.jetbus.api.jetstream.JetStreamAdvisory.Type#TERMINATED} advisory.
     *
     * @throws IllegalStateException if this is not a JetStream message.
     */
    default void term()
    {
        throw notJetStream();
    }

    private static IllegalStateException notJetStream()
    {
        return new IllegalStateException("not a JetStream message");
    }
}
