package io.jetbus.api;

import io.jetbus.api.jetstream.JetStream;
import io.jetbus.api.jetstream.JetStreamManagement;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * A connection to an embedded bus: publish, subscribe, request-reply.
 *
 * <p>Safe for concurrent use. Messages published by one thread reach each subscription in publish order. A connection
 * owns its dispatchers and subscriptions: {@link #close()} closes them all.
 *
 * <p>Every method except {@link #isClosed()}, {@link #name()} and {@link #close()} throws
 * {@link IllegalStateException} once the connection is closed.
 */
public interface Connection extends AutoCloseable
{
    /**
     * The name given at connect time, for diagnostics.
     *
     * @return the connection name.
     */
    String name();

    /**
     * Publish a message to every subscription matching the subject.
     *
     * @param subject to publish to; a literal subject, no wildcards.
     * @param data    the payload, copied before this method returns; {@code null} is an empty payload.
     * @throws IllegalArgumentException if the subject is invalid or the payload exceeds the bus's max payload.
     * @throws SlowConsumerException    if a subscriber with a blocking slow-consumer policy stayed full too long.
     */
    void publish(String subject, byte[] data);

    /**
     * Publish a message with headers.
     *
     * @param subject to publish to; a literal subject, no wildcards.
     * @param headers the headers, or {@code null} for none.
     * @param data    the payload, copied before this method returns; {@code null} is an empty payload.
     * @throws IllegalArgumentException if the subject is invalid or the message exceeds the bus's max payload.
     * @throws SlowConsumerException    if a subscriber with a blocking slow-consumer policy stayed full too long.
     */
    void publish(String subject, Headers headers, byte[] data);

    /**
     * Publish a message that asks for a reply on {@code replyTo}.
     *
     * @param subject to publish to; a literal subject, no wildcards.
     * @param replyTo the subject a responder should publish its reply to, or {@code null} for none.
     * @param data    the payload, copied before this method returns; {@code null} is an empty payload.
     * @throws IllegalArgumentException if a subject is invalid or the payload exceeds the bus's max payload.
     * @throws SlowConsumerException    if a subscriber with a blocking slow-consumer policy stayed full too long.
     */
    void publish(String subject, String replyTo, byte[] data);

    /**
     * Publish a message with a reply subject and headers.
     *
     * @param subject to publish to; a literal subject, no wildcards.
     * @param replyTo the subject a responder should publish its reply to, or {@code null} for none.
     * @param headers the headers, or {@code null} for none.
     * @param data    the payload, copied before this method returns; {@code null} is an empty payload.
     * @throws IllegalArgumentException if a subject is invalid or the message exceeds the bus's max payload.
     * @throws SlowConsumerException    if a subscriber with a blocking slow-consumer policy stayed full too long.
     */
    void publish(String subject, String replyTo, Headers headers, byte[] data);

    /**
     * Publish the bytes between the buffer's position and limit, copied straight into each subscriber's ring with
     * no intermediate array. The buffer's position and limit are not changed.
     *
     * @param subject to publish to; a literal subject, no wildcards.
     * @param replyTo the subject a responder should publish its reply to, or {@code null} for none.
     * @param headers the headers, or {@code null} for none.
     * @param data    the payload slice; heap or direct.
     * @throws IllegalArgumentException if a subject is invalid or the message exceeds the bus's max payload.
     * @throws SlowConsumerException    if a subscriber with a blocking slow-consumer policy stayed full too long.
     */
    void publish(String subject, String replyTo, Headers headers, ByteBuffer data);

    /**
     * Subscribe synchronously: messages queue up until taken with {@link Subscription#nextMessage(Duration)}.
     *
     * @param subject a subject or pattern ({@code *}, {@code >}).
     * @return the subscription.
     * @throws IllegalArgumentException if the pattern is invalid.
     */
    Subscription subscribe(String subject);

    /**
     * Subscribe synchronously as a member of a queue group: each message goes to one member of the group.
     *
     * @param subject   a subject or pattern ({@code *}, {@code >}).
     * @param queueName the queue group name.
     * @return the subscription.
     * @throws IllegalArgumentException if the pattern or queue name is invalid.
     */
    Subscription subscribe(String subject, String queueName);

    /**
     * Create a dispatcher with no default handler: each subscription gives its own.
     *
     * @return a new dispatcher with its own thread.
     */
    Dispatcher createDispatcher();

    /**
     * Create a dispatcher: one thread that calls handlers for the subscriptions made on it.
     *
     * @param handler the default handler for subscriptions made without one.
     * @return a new dispatcher with its own thread.
     */
    Dispatcher createDispatcher(MessageHandler handler);

    /**
     * Send a request and wait asynchronously for the first reply.
     *
     * @param subject to send the request to.
     * @param data    the payload; {@code null} is an empty payload.
     * @param timeout how long to wait for a reply.
     * @return a future completed with the reply, or exceptionally with {@link NoRespondersException} when no
     *     subscriber matches the subject, or with {@link TimeoutException} when no reply came in time.
     * @throws IllegalArgumentException if the subject is invalid, the payload too large or the timeout not positive.
     */
    CompletableFuture<Message> request(String subject, byte[] data, Duration timeout);

    /**
     * Send a request with headers and wait asynchronously for the first reply.
     *
     * @param subject to send the request to.
     * @param headers the headers, or {@code null} for none.
     * @param data    the payload; {@code null} is an empty payload.
     * @param timeout how long to wait for a reply.
     * @return a future completed with the reply, or exceptionally with {@link NoRespondersException} or
     *     {@link TimeoutException}.
     * @throws IllegalArgumentException if the subject is invalid, the payload too large or the timeout not positive.
     */
    CompletableFuture<Message> request(String subject, Headers headers, byte[] data, Duration timeout);

    /**
     * A new unique inbox subject, {@code _INBOX.<unique>}, for hand-made request-reply.
     *
     * @return the inbox subject.
     */
    String createInbox();

    /**
     * Publishing to streams and subscribing through consumers.
     *
     * @return this connection's JetStream context.
     * @throws IllegalStateException if the connection is closed, or if module {@code io.jetbus:bus-jetstream} is not on
     *                               the class path (the message names the module).
     */
    JetStream jetStream();

    /**
     * Managing streams and consumers.
     *
     * @return this connection's JetStream management context.
     * @throws IllegalStateException if the connection is closed, or if module {@code io.jetbus:bus-jetstream} is not on
     *                               the class path (the message names the module).
     */
    JetStreamManagement jetStreamManagement();

    /**
     * Wait until every message published on the bus before this call has been handed to its subscribers: taken by
     * dispatcher handlers (which have returned), or queued on synchronous subscriptions.
     *
     * @param timeout how long to wait.
     * @throws TimeoutException     if the messages were not all handled in time.
     * @throws InterruptedException if the calling thread was interrupted.
     */
    void flush(Duration timeout) throws TimeoutException, InterruptedException;

    /**
     * Stop taking new messages, let handlers finish what is pending, then close the connection.
     *
     * @param timeout how long to let pending messages drain.
     * @return a future completed with {@code true} when everything drained in time, {@code false} if the timeout
     *     elapsed first; the connection is closed in both cases.
     */
    CompletableFuture<Boolean> drain(Duration timeout);

    /**
     * Whether this connection is closed.
     *
     * @return {@code true} once {@link #close()} or a drain has closed it.
     */
    boolean isClosed();

    /**
     * Close every dispatcher and subscription of this connection. Idempotent; pending messages are discarded.
     */
    @Override
    void close();
}
