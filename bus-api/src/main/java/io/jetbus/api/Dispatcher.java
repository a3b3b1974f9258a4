package io.jetbus.api;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One thread that drains one ring buffer and calls the handlers of the subscriptions made on it, one message at a
 * time, in arrival order.
 *
 * <p>Safe for concurrent use. Handlers run on the dispatcher's thread and may publish, subscribe, unsubscribe and
 * request. A handler that throws is reported to the bus's {@link ErrorListener} and the dispatcher goes on.
 */
public interface Dispatcher extends AutoCloseable
{
    /**
     * Subscribe with the dispatcher's default handler.
     *
     * @param subject a subject or pattern.
     * @return the subscription.
     * @throws IllegalArgumentException if the pattern is invalid.
     * @throws IllegalStateException    if the dispatcher has no default handler or is closed.
     */
    Subscription subscribe(String subject);

    /**
     * Subscribe as a member of a queue group with the dispatcher's default handler.
     *
     * @param subject   a subject or pattern.
     * @param queueName the queue group name.
     * @return the subscription.
     * @throws IllegalArgumentException if the pattern or queue name is invalid.
     * @throws IllegalStateException    if the dispatcher has no default handler or is closed.
     */
    Subscription subscribe(String subject, String queueName);

    /**
     * Subscribe with a handler of its own.
     *
     * @param subject a subject or pattern.
     * @param handler called for each message.
     * @return the subscription.
     * @throws IllegalArgumentException if the pattern is invalid.
     * @throws IllegalStateException    if the dispatcher is closed.
     */
    Subscription subscribe(String subject, MessageHandler handler);

    /**
     * Subscribe as a member of a queue group with a handler of its own.
     *
     * @param subject   a subject or pattern.
     * @param queueName the queue group name.
     * @param handler   called for each message.
     * @return the subscription.
     * @throws IllegalArgumentException if the pattern or queue name is invalid.
     * @throws IllegalStateException    if the dispatcher is closed.
     */
    Subscription subscribe(String subject, String queueName, MessageHandler handler);

    /**
     * Stop taking new messages, let handlers finish what is pending, then close the dispatcher.
     *
     * @param timeout how long to let pending messages drain.
     * @return a future completed with {@code true} when everything drained in time, {@code false} otherwise.
     */
    CompletableFuture<Boolean> drain(Duration timeout);

    /**
     * Whether the dispatcher still runs.
     *
     * @return {@code false} once closed.
     */
    boolean isActive();

    /**
     * Unsubscribe every subscription, stop the thread and free the ring. Idempotent; pending messages are
     * discarded. Called from the dispatcher's own handler, it returns at once and the thread stops after the handler.
     */
    @Override
    void close();
}
