package io.jetbus.core;

import io.jetbus.api.Dispatcher;
import io.jetbus.api.MessageHandler;

/**
 * A subscription whose messages go into its dispatcher's ring and on to its handler.
 */
final class DispatcherSubscription extends BusSubscription
{
    final BusDispatcher dispatcher;
    final MessageHandler handler;
    int slot;

    DispatcherSubscription(
        final BusConnection connection,
        final BusDispatcher dispatcher,
        final String subject,
        final String queueName,
        final MessageHandler handler)
    {
        super(connection, subject, queueName);
        this.dispatcher = dispatcher;
        this.handler = handler;
    }

    @Override
    boolean offer(final Outgoing message)
    {
        return dispatcher.offer(message, slot, id);
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
