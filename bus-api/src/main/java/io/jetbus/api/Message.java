package io.jetbus.api;

import java.nio.ByteBuffer;

/**
 * A message: subject, optional reply subject, headers and payload.
 *
 * <p>Messages handed to a {@link MessageHandler} are flyweights over the dispatcher's ring, valid only until the
 * handler returns, and read by the dispatcher's thread only; {@link #copy()} gives one that stays valid. Messages
 * returned by {@link Subscription#nextMessage(Duration)} or by a request's future are already copies.
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
}
