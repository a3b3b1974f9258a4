package io.jetbus.core;

import io.jetbus.api.Dispatcher;
import io.jetbus.api.Message;
import io.jetbus.api.SlowConsumerPolicy;
import io.jetbus.api.Subjects;
import io.jetbus.api.Subscription;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the subject index routes to: a subscription with its counters and slow-consumer policy. Subclasses decide
 * where a message goes: a dispatcher's ring, a synchronous queue, or the connection's request futures.
 */
abstract class BusSubscription implements Subscription
{
    final BusConnection connection;
    final int id;
    private final String subject;
    private final String queueName;
    private final boolean literal;
    private final AtomicLong routedMessages = new AtomicLong();
    private final AtomicLong routedBytes = new AtomicLong();
    private final AtomicLong deliveredMessages = new AtomicLong();
    private final AtomicLong settledBytes = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean active = new AtomicBoolean(true);
    private volatile boolean slow;
    private volatile long max = Long.MAX_VALUE;
    private volatile SlowConsumerPolicy policy;

    BusSubscription(final BusConnection connection, final String subject, final String queueName)
    {
        this.connection = connection;
        this.id = connection.bus.nextSubscriptionId();
        this.subject = subject;
        this.queueName = queueName;
        this.literal = Subjects.isValidPublish(subject);
        this.policy = connection.bus.slowConsumerPolicy();
    }

    /**
     * Hand the message to this subscription without blocking, and count it as routed when it was taken.
     *
     * @return false when there is no room: the caller applies the slow-consumer policy.
     */
    abstract boolean offer(Outgoing message);

    /** Called once when the subscription stops: release what it holds. */
    abstract void onUnsubscribed();

    boolean isLiteral()
    {
        return literal;
    }

    /** Count a message handed to {@link #offer}; for subscriptions that more than one publisher may reach at once. */
    void onRouted(final int bytes)
    {
        routedMessages.incrementAndGet();
        routedBytes.addAndGet(bytes);
        endSlowEpisode();
    }

    /** A message got through: a slow-consumer episode, if one was going on, is over. */
    final void endSlowEpisode()
    {
        if (slow)
        {
            slow = false;
        }
    }

    /** A routed message was handed to the application. Returns false when it must be discarded instead. */
    boolean beginDelivery()
    {
        return active.get() && !reachedMax();
    }

    boolean reachedMax()
    {
        return deliveredCount() >= max;
    }

    void onDelivered(final int bytes)
    {
        settledBytes.addAndGet(bytes);
        if (deliveredMessages.incrementAndGet() >= max)
        {
            unsubscribe();
        }
    }

    /** Whether a delivery count reached the auto-unsubscribe limit. */
    final boolean reachedMax(final long delivered)
    {
        return delivered >= max;
    }

    void onDiscarded(final int bytes)
    {
        settledBytes.addAndGet(bytes);
        discarded.incrementAndGet();
    }

    long routedMessages()
    {
        return routedMessages.get();
    }

    long routedBytes()
    {
        return routedBytes.get();
    }

    long discardedCount()
    {
        return discarded.get();
    }

    long settledBytes()
    {
        return settledBytes.get();
    }

    /** Count a drop; true when this starts a slow-consumer episode, which the caller reports once. */
    boolean onDropped()
    {
        dropped.incrementAndGet();
        if (!slow)
        {
            slow = true;
            return true;
        }
        return false;
    }

    @Override
    public String subject()
    {
        return subject;
    }

    @Override
    public String queueName()
    {
        return queueName;
    }

    @Override
    public Dispatcher dispatcher()
    {
        return null;
    }

    @Override
    public Message nextMessage(final Duration timeout) throws InterruptedException
    {
        throw new IllegalStateException("subscription to \"" + subject + "\" belongs to a dispatcher: messages go " +
            "to its handler, not to nextMessage");
    }

    @Override
    public void unsubscribe()
    {
        if (active.compareAndSet(true, false))
        {
            connection.removeSubscription(this);
            onUnsubscribed();
        }
    }

    @Override
    public void unsubscribe(final int max)
    {
        if (max <= 0)
        {
            throw new IllegalArgumentException("max must be positive: " + max);
        }
        this.max = max;
        if (deliveredCount() >= max)
        {
            unsubscribe();
        }
    }

    @Override
    public boolean isActive()
    {
        return active.get();
    }

    @Override
    public long deliveredCount()
    {
        return deliveredMessages.get();
    }

    @Override
    public long pendingMessageCount()
    {
        // Settled counts first: a message settled after this read is still counted as routed below.
        final long settled = deliveredCount() + discardedCount();
        return Math.max(0, routedMessages() - settled);
    }

    @Override
    public long pendingByteCount()
    {
        final long settled = settledBytes();
        return Math.max(0, routedBytes() - settled);
    }

    @Override
    public long droppedCount()
    {
        return dropped.get();
    }

    @Override
    public SlowConsumerPolicy slowConsumerPolicy()
    {
        return policy;
    }

    @Override
    public void slowConsumerPolicy(final SlowConsumerPolicy policy)
    {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** The thread that must never block on this subscription (it would wait for itself), or null. */
    Thread consumerThread()
    {
        return null;
    }

    @Override
    public String toString()
    {
        return getClass().getSimpleName() + "{subject=" + subject + (queueName == null ? "" : ", queue=" + queueName) +
            ", id=" + id + '}';
    }
}
