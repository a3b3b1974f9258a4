package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.Dispatcher;
import io.jetbus.api.Message;
import io.jetbus.api.MessageHandler;
import io.jetbus.api.SlowConsumerPolicy;
import io.jetbus.api.Subscription;
import io.jetbus.core.EmbeddedBus;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A push binding of a {@link StreamConsumer}: the handler runs on the user's dispatcher thread.
 *
 * <p>Mechanism: the binding subscribes the dispatcher to a private deliver subject and publishes empty "tokens" to it
 * with {@link EmbeddedBus#deliver}; the dispatcher, handling a token, takes up to {@value #BATCH} messages from the
 * consumer and calls the handler with each, then sends another token if it took a full batch. A token is sent
 * whenever there may be work (a stream change, an acknowledgement, a timer) and none is on its way, so the ring holds
 * at most a token or two from this binding, messages are taken at the moment they are handled (max ack pending holds
 * delivery back, never drops), and redeliveries go first. A token the ring dropped counts as not on its way, and a
 * bus timer tries again {@value #RETRY_MS} ms later, so a dispatcher that was full does not leave the consumer
 * stalled until the next stream change.
 */
final class ConsumerPushSubscription implements Subscription
{
    static final int BATCH = 64;
    static final long RETRY_MS = 1;
    private static final String DELIVER_PREFIX = "_JETBUS.PUSH.";
    private static final AtomicLong IDS = new AtomicLong();
    private static final byte[] TOKEN = new byte[0];

    private final StreamConsumer consumer;
    private final EmbeddedBus bus;
    private final Connection connection;
    private final Dispatcher dispatcher;
    private final MessageHandler handler;
    private final String deliverSubject;
    private final Subscription internal;
    private final AtomicBoolean active = new AtomicBoolean(true);
    private final AtomicLong tokensSent = new AtomicLong();
    private final AtomicLong tokensReceived = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicBoolean retryScheduled = new AtomicBoolean();
    private volatile long max;

    ConsumerPushSubscription(
        final StreamConsumer consumer, final EmbeddedBus bus, final Connection connection, final Dispatcher dispatcher,
        final MessageHandler handler)
    {
        this.consumer = consumer;
        this.bus = bus;
        this.connection = Objects.requireNonNull(connection, "connection");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.deliverSubject = DELIVER_PREFIX + Long.toString(System.identityHashCode(bus), 36) + "." +
            IDS.incrementAndGet();
        this.internal = dispatcher.subscribe(deliverSubject, this::onToken);
    }

    /**
     * There may be messages to deliver: send a token unless one is on its way.
     */
    void wake()
    {
        if (!active.get())
        {
            return;
        }
        if (!isBindingAlive())
        {
            unsubscribe();
            return;
        }
        while (true)
        {
            final long sent = tokensSent.get();
            if (sent - tokensReceived.get() - internal.droppedCount() > 0)
            {
                return;
            }
            if (tokensSent.compareAndSet(sent, sent + 1))
            {
                break;
            }
        }
        final long droppedBefore = internal.droppedCount();
        try
        {
            bus.deliver(deliverSubject, null, null, TOKEN);
        }
        catch (final RuntimeException ex)
        {
            if (internal.droppedCount() == droppedBefore)
            {
                tokensSent.decrementAndGet(); // it never reached the ring
            }
            if (!bus.isClosed() && isBindingAlive())
            {
                bus.errorListener().onError(ex);
            }
        }
        if (internal.droppedCount() != droppedBefore)
        {
            retryLater();
        }
    }

    private void retryLater()
    {
        if (!retryScheduled.compareAndSet(false, true))
        {
            return;
        }
        try
        {
            bus.timers().schedule(TimeUnit.MILLISECONDS.toNanos(RETRY_MS), () ->
            {
                retryScheduled.set(false);
                wake();
            });
        }
        catch (final IllegalStateException closing)
        {
            retryScheduled.set(false);
        }
    }

    private void onToken(final Message token)
    {
        tokensReceived.incrementAndGet();
        long pending = -1;
        for (int i = 0; i < BATCH; i++)
        {
            if (!active.get())
            {
                return;
            }
            final JetStreamMessage message = consumer.takeForPush(this, pending);
            if (message == null)
            {
                return;
            }
            pending = message.metaData().pending();
            final long count = delivered.incrementAndGet();
            try
            {
                handler.onMessage(message);
            }
            catch (final Exception ex)
            {
                bus.errorListener().onHandlerException(this, message.subject(), ex);
            }
            final long limit = max;
            if (limit > 0 && count >= limit)
            {
                unsubscribe();
                return;
            }
        }
        wake();
    }

    boolean isBindingAlive()
    {
        return internal.isActive() && !connection.isClosed();
    }

    /** The consumer was deleted or closed. */
    void consumerGone()
    {
        if (active.compareAndSet(true, false))
        {
            internal.unsubscribe();
        }
    }

    @Override
    public String subject()
    {
        final var filters = consumer.config().filterSubjects();
        return filters.isEmpty() ? ">" : filters.get(0);
    }

    @Override
    public String queueName()
    {
        return null;
    }

    @Override
    public Dispatcher dispatcher()
    {
        return dispatcher;
    }

    @Override
    public Message nextMessage(final Duration timeout)
    {
        throw new IllegalStateException("a push subscription delivers to its dispatcher's handler; nextMessage is " +
            "for synchronous subscriptions");
    }

    @Override
    public void unsubscribe()
    {
        if (active.compareAndSet(true, false))
        {
            internal.unsubscribe();
            consumer.unbind(this);
        }
    }

    @Override
    public void unsubscribe(final int max)
    {
        if (max <= 0)
        {
            throw new IllegalArgumentException("invalid max " + max + ": must be positive");
        }
        this.max = max;
        if (delivered.get() >= max)
        {
            unsubscribe();
        }
    }

    @Override
    public boolean isActive()
    {
        return active.get() && isBindingAlive();
    }

    @Override
    public long deliveredCount()
    {
        return delivered.get();
    }

    @Override
    public long pendingMessageCount()
    {
        return 0;
    }

    @Override
    public long pendingByteCount()
    {
        return 0;
    }

    @Override
    public long droppedCount()
    {
        return 0;
    }

    @Override
    public SlowConsumerPolicy slowConsumerPolicy()
    {
        return internal.slowConsumerPolicy();
    }

    @Override
    public void slowConsumerPolicy(final SlowConsumerPolicy policy)
    {
        internal.slowConsumerPolicy(policy);
    }

    @Override
    public String toString()
    {
        return "PushSubscription{stream=" + consumer.stream() + ", consumer=" + consumer.name() + "}";
    }
}
