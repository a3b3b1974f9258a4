package io.jetbus.core;

/**
 * The connection's one multiplexed reply subscription, {@code _INBOX.<connection>.*}: a reply completes the
 * matching request's future on the responder's thread, with no ring and no thread of its own.
 */
final class InboxSubscription extends BusSubscription
{
    InboxSubscription(final BusConnection connection, final String pattern)
    {
        super(connection, pattern, null);
    }

    @Override
    boolean offer(final Outgoing message)
    {
        onRouted(message.dataLength);
        if (connection.onReply(message, this))
        {
            onDelivered(message.dataLength);
        }
        return true;
    }

    @Override
    void onUnsubscribed()
    {
    }
}
