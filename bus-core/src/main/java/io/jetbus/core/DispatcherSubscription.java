package io.jetbus.core;

import io.jetbus.api.Dispatcher;
import io.jetbus.api.MessageHandler;

/**
 * A subscription whose messages go into its dispatcher's rings and on to its handler.
 *
 * <p>Counters without atomic read-modify-writes: a publisher that owns a lane into the dispatcher counts what it
 * routes in that lane's own cell ({@code routed[lane.index]}), the dispatcher thread alone counts what it delivers
 * and discards ({@code settled}); publishers without a lane share the base class's atomic counters. Each cell is
 * padded to a cache line of its own.
 */
final class DispatcherSubscription extends BusSubscription
{
    final BusDispatcher dispatcher;
    final MessageHandler handler;
    /** The {@link MessageDescriptor#SUBJECT} flag when records for this subscription must carry their subject. */
    final int subjectFlag;
    /** This subscription's key in its dispatcher, set once under the dispatcher's lock before it is routed. */
    int key;
    private final SubscriptionCounters[] routed;
    private final SubscriptionCounters settled = new SubscriptionCounters();

    DispatcherSubscription(
        final BusConnection connection,
        final BusDispatcher dispatcher,
        final String subject,
        final String queueName,
        final MessageHandler handler,
        final int lanes)
    {
        super(connection, subject, queueName);
        this.dispatcher = dispatcher;
        this.handler = handler;
        subjectFlag = isLiteral() ? 0 : MessageDescriptor.SUBJECT;
        routed = new SubscriptionCounters[lanes];
        for (int i = 0; i < lanes; i++)
        {
            routed[i] = new SubscriptionCounters();
        }
    }

    @Override
    boolean offer(final Outgoing message)
    {
        return dispatcher.offer(message, this);
    }

    /** The owner of lane {@code lane} routed a message here. */
    void onRouted(final PublisherLane lane, final int bytes)
    {
        routed[lane.index].add(bytes);
        endSlowEpisode();
    }

    /** The owner of lane {@code lane} counted a message whose write then failed. */
    void onRoutingFailed(final PublisherLane lane, final int bytes)
    {
        routed[lane.index].remove(bytes);
    }

    /** Dispatcher thread only. */
    @Override
    void onDelivered(final int bytes)
    {
        final SubscriptionCounters settled = this.settled;
        settled.add(bytes);
        if (reachedMax(settled.messages))
        {
            unsubscribe();
        }
    }

    /** Dispatcher thread only. */
    @Override
    void onDiscarded(final int bytes)
    {
        settled.discard(bytes);
    }

    @Override
    public long deliveredCount()
    {
        return settled.messages();
    }

    @Override
    long discardedCount()
    {
        return settled.other();
    }

    @Override
    long settledBytes()
    {
        return settled.bytes();
    }

    @Override
    long routedMessages()
    {
        long sum = super.routedMessages();
        for (final SubscriptionCounters cell : routed)
        {
            sum += cell.messages();
        }
        return sum;
    }

    @Override
    long routedBytes()
    {
        long sum = super.routedBytes();
        for (final SubscriptionCounters cell : routed)
        {
            sum += cell.bytes();
        }
        return sum;
    }

    @Override
    void onUnsubscribed()
    {
        dispatcher.releaseSlot(this);
    }

    @Override
    public Dispatcher dispatcher()
    {
        return dispatcher;
    }

    @Override
    Thread consumerThread()
    {
        return dispatcher.thread();
    }
}
