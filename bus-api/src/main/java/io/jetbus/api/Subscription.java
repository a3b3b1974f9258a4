package io.jetbus.api;

import java.time.Duration;

/**
 * Interest in a subject or pattern, either synchronous (taken with {@link #nextMessage(Duration)}) or on a
 * {@link Dispatcher}.
 *
 * <p>Safe for concurrent use, except that {@link #nextMessage(Duration)} is meant for one consuming thread.
 */
public interface Subscription extends AutoCloseable
{
    /**
     * The subject or pattern subscribed to.
     *
     * @return the subject.
     */
    String subject();

    /**
     * The queue group this subscription is a member of.
     *
     * @return the queue name, or {@code null} when not in a queue group.
     */
    String queueName();

    /**
     * The dispatcher this subscription runs on.
     *
     * @return the dispatcher, or {@code null} for a synchronous subscription.
     */
    Dispatcher dispatcher();

    /**
     * Take the next message of a synchronous subscription, waiting up to the timeout.
     *
     * @param timeout how long to wait; zero or negative returns at once.
     * @return the message (valid after the call), or {@code null} if none arrived in time.
     * @throws InterruptedException  if the calling thread was interrupted.
     * @throws IllegalStateException if this subscription belongs to a dispatcher, or is no longer active and empty.
     */
    Message nextMessage(Duration timeout) throws InterruptedException;

    /**
     * Stop receiving messages. Idempotent. Messages already queued on a synchronous subscription can still be taken.
     */
    void unsubscribe();

    /**
     * Unsubscribe automatically once {@code max} messages in all have been delivered; at once if that many already
     * have been.
     *
     * @param max the total number of messages to deliver.
     * @throws IllegalArgumentException if {@code max} is not positive.
     */
    void unsubscribe(int max);

    /**
     * Whether messages still reach this subscription.
     *
     * @return {@code false} once unsubscribed.
     */
    boolean isActive();

    /**
     * Messages delivered so far: handed to the handler, or taken by {@link #nextMessage(Duration)}.
     *
     * @return the count.
     */
    long deliveredCount();

    /**
     * Messages routed to this subscription and not yet delivered.
     *
     * @return the count.
     */
    long pendingMessageCount();

    /**
     * Payload bytes routed to this subscription and not yet delivered.
     *
     * @return the byte count.
     */
    long pendingByteCount();

    /**
     * Messages dropped because this subscription could not keep up.
     *
     * @return the count.
     */
    long droppedCount();

    /**
     * What a publisher does when this subscription's ring is full.
     *
     * @return the policy.
     */
    SlowConsumerPolicy slowConsumerPolicy();

    /**
     * Change what a publisher does when this subscription's ring is full.
     *
     * @param policy the new policy.
     */
    void slowConsumerPolicy(SlowConsumerPolicy policy);

    /**
     * Same as {@link #unsubscribe()}.
     */
    @Override
    default void close()
    {
        unsubscribe();
    }
}
