package io.jetbus.core;

import io.jetbus.api.Message;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A synchronous subscription: publishers queue copies, bounded by the bus's pending limits; the application takes
 * them with {@link #nextMessage(Duration)}.
 */
final class SyncSubscription extends BusSubscription
{
    private final LinkedBlockingQueue<ImmutableMessage> queue = new LinkedBlockingQueue<>();
    private final int maxPendingMessages;
    private final long maxPendingBytes;

    SyncSubscription(final BusConnection connection, final String subject, final String queueName)
    {
        super(connection, subject, queueName);
        maxPendingMessages = connection.bus.maxPendingMessages();
        maxPendingBytes = connection.bus.maxPendingBytes();
    }

    @Override
    boolean offer(final Outgoing message)
    {
        if (queue.size() >= maxPendingMessages || pendingByteCount() + message.dataLength > maxPendingBytes)
        {
            return false;
        }
        final ImmutableMessage copy = message.toMessage(this);
        onRouted(message.dataLength);
        queue.add(copy);
        return true;
    }

    @Override
    public Message nextMessage(final Duration timeout) throws InterruptedException
    {
        Objects.requireNonNull(timeout, "timeout");
        if (reachedMax() || (!isActive() && queue.isEmpty()))
        {
            throw inactive();
        }
        final ImmutableMessage message = timeout.isNegative() || timeout.isZero() ?
            queue.poll() : queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (message == null)
        {
            return null;
        }
        onDelivered(message.dataLength());
        return message;
    }

    @Override
    void onUnsubscribed()
    {
        if (reachedMax())
        {
            queue.clear();
        }
    }

    /** Drop what is queued: the connection is closing. */
    void discardPending()
    {
        queue.clear();
    }

    private IllegalStateException inactive()
    {
        return new IllegalStateException("subscription to \"" + subject() + "\" is no longer active" +
            (reachedMax() ? " (auto-unsubscribed after " + deliveredCount() + " messages)" : ""));
    }
}
