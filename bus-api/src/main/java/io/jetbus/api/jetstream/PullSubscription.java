package io.jetbus.api.jetstream;

import io.jetbus.api.Message;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;

/**
 * A subscription that takes messages from a consumer on request: {@link #fetch(int, Duration)} a batch,
 * {@link #iterate(int, Duration)} over one as it arrives, or take the {@link #next(Duration)} one.
 *
 * <p>Safe for concurrent use: concurrent requests are served in arrival order and each message goes to one request.
 * Messages returned are copies, valid after the call, with the acknowledgement methods of
 * {@link Message#ack()} and its siblings; each delivered message counts against
 * {@link ConsumerConfig#maxAckPending()} until acknowledged. Redeliveries are served before new messages.
 *
 * <p>Every method except {@link #consumerName()}, {@link #stream()}, {@link #isActive()}, {@link #unsubscribe()}
 * and {@link #close()} throws {@link IllegalStateException} once the subscription is no longer active.
 */
public interface PullSubscription extends AutoCloseable
{
    /**
     * The stream the consumer reads.
     *
     * @return the stream name.
     */
    String stream();

    /**
     * The consumer's name: its durable name, its given name, or the name generated for an ephemeral consumer.
     *
     * @return the consumer name.
     */
    String consumerName();

    /**
     * Take up to {@code batch} messages, waiting up to {@code maxWait}. Returns as soon as the batch is full or
     * {@code maxWait} has elapsed, whichever comes first, as nats.java's {@code fetch} does: with fewer messages than
     * asked for, it waits out {@code maxWait}.
     *
     * @param batch   the most messages to take; positive.
     * @param maxWait the longest to wait; zero returns what is available at once.
     * @return the messages in delivery order; empty when none arrived in time, never {@code null}.
     * @throws IllegalArgumentException if the batch is not positive or the wait negative.
     * @throws InterruptedException     if the calling thread was interrupted; messages taken so far stay delivered
     *                                  and are redelivered after their ack wait.
     */
    List<Message> fetch(int batch, Duration maxWait) throws InterruptedException;

    /**
     * Take up to {@code batch} messages one by one as they arrive, waiting in all up to {@code maxWait}. Unlike
     * {@link #fetch(int, Duration)}, each message is available as soon as it is delivered.
     *
     * <p>{@link Iterator#hasNext()} blocks until a message arrives ({@code true}), or the batch is complete or
     * {@code maxWait} has elapsed since this call ({@code false}). When the waiting thread is interrupted,
     * {@code hasNext()} returns {@code false} and leaves the thread's interrupt flag set. The iterator is for one
     * thread; {@link Iterator#remove()} is not supported.
     *
     * @param batch   the most messages to take; positive.
     * @param maxWait the longest to wait in all.
     * @return the iterator.
     * @throws IllegalArgumentException if the batch is not positive or the wait negative.
     */
    Iterator<Message> iterate(int batch, Duration maxWait);

    /**
     * Take one message, waiting up to {@code maxWait}.
     *
     * @param maxWait the longest to wait; zero returns at once.
     * @return the message, or {@code null} when none arrived in time.
     * @throws IllegalArgumentException if the wait is negative.
     * @throws InterruptedException     if the calling thread was interrupted.
     */
    Message next(Duration maxWait) throws InterruptedException;

    /**
     * The consumer's current configuration and position.
     *
     * @return the consumer information.
     * @throws JetStreamApiException if the consumer or its stream was deleted.
     */
    ConsumerInfo info();

    /**
     * Whether requests can still be made.
     *
     * @return {@code false} once unsubscribed, or once the consumer or its stream was deleted.
     */
    boolean isActive();

    /**
     * Stop this subscription. Waiting requests return what they have. An ephemeral consumer is deleted with its last
     * subscription; a durable one stays, and its unacknowledged messages are redelivered to the next subscriber after
     * their ack wait. Idempotent.
     */
    void unsubscribe();

    /**
     * Same as {@link #unsubscribe()}.
     */
    @Override
    default void close()
    {
        unsubscribe();
    }
}
