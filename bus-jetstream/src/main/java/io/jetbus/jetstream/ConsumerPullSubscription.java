package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.Message;
import io.jetbus.api.jetstream.ConsumerInfo;
import io.jetbus.api.jetstream.PullSubscription;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pull subscription bound to a {@link StreamConsumer}. Requests wait on the consumer, woken by stream changes,
 * acknowledgements and redelivery timers; never by polling.
 */
final class ConsumerPullSubscription implements PullSubscription
{
    private final StreamConsumer consumer;
    private final Connection connection;
    private final AtomicBoolean active = new AtomicBoolean(true);

    ConsumerPullSubscription(final StreamConsumer consumer, final Connection connection)
    {
        this.consumer = consumer;
        this.connection = Objects.requireNonNull(connection, "connection");
    }

    @Override
    public String stream()
    {
        return consumer.stream();
    }

    @Override
    public String consumerName()
    {
        return consumer.name();
    }

    @Override
    public List<Message> fetch(final int batch, final Duration maxWait) throws InterruptedException
    {
        checkBatch(batch);
        final long waitNs = checkWait(maxWait);
        checkActive();
        return consumer.fetch(this, batch, waitNs);
    }

    @Override
    public Iterator<Message> iterate(final int batch, final Duration maxWait)
    {
        checkBatch(batch);
        final long deadline = System.nanoTime() + checkWait(maxWait);
        checkActive();
        return new Iterator<>()
        {
            private int taken;
            private Message next;

            @Override
            public boolean hasNext()
            {
                if (next != null)
                {
                    return true;
                }
                if (taken >= batch || !isActive())
                {
                    return false;
                }
                try
                {
                    final List<Message> one = consumer.fetch(ConsumerPullSubscription.this, 1,
                        Math.max(0, deadline - System.nanoTime()));
                    if (one.isEmpty())
                    {
                        return false;
                    }
                    next = one.get(0);
                    taken++;
                    return true;
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }

            @Override
            public Message next()
            {
                if (!hasNext())
                {
                    throw new NoSuchElementException("no more messages in this batch");
                }
                final Message m = next;
                next = null;
                return m;
            }
        };
    }

    @Override
    public Message next(final Duration maxWait) throws InterruptedException
    {
        final long waitNs = checkWait(maxWait);
        checkActive();
        final List<Message> one = consumer.fetch(this, 1, waitNs);
        return one.isEmpty() ? null : one.get(0);
    }

    @Override
    public ConsumerInfo info()
    {
        return consumer.info();
    }

    @Override
    public boolean isActive()
    {
        return active.get() && !connection.isClosed() && !consumer.isClosed();
    }

    @Override
    public void unsubscribe()
    {
        if (active.compareAndSet(true, false))
        {
            consumer.unbind(this);
        }
    }

    boolean isConnectionClosed()
    {
        return connection.isClosed();
    }

    /** The consumer was deleted or closed. */
    void consumerGone()
    {
        active.set(false);
    }

    @Override
    public String toString()
    {
        return "PullSubscription{stream=" + consumer.stream() + ", consumer=" + consumer.name() + "}";
    }

    private void checkActive()
    {
        if (!isActive())
        {
            if (connection.isClosed())
            {
                unsubscribe();
                throw new IllegalStateException("pull subscription to consumer \"" + consumer.name() +
                    "\" of stream \"" + consumer.stream() + "\" is no longer active: its connection is closed");
            }
            throw new IllegalStateException("pull subscription to consumer \"" + consumer.name() + "\" of stream \"" +
                consumer.stream() + "\" is no longer active");
        }
    }

    private static void checkBatch(final int batch)
    {
        if (batch <= 0)
        {
            throw new IllegalArgumentException("invalid batch " + batch + ": must be positive");
        }
    }

    private static long checkWait(final Duration maxWait)
    {
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative())
        {
            throw new IllegalArgumentException("invalid maxWait " + maxWait + ": must not be negative");
        }
        return JetStreamMessage.saturatedNanos(maxWait);
    }
}
