package io.jetbus.api;

import io.jetbus.api.jetstream.JetStreamAdvisory;

/**
 * Told about problems the bus cannot throw to a caller: handlers that threw, subscribers that fell behind, JetStream
 * advisories, and internal failures. Each method has a default that does nothing; {@link #logging()} logs through
 * {@link System.Logger}.
 *
 * <p>Called from bus threads (dispatchers, publishers); implementations must be safe for concurrent use, quick, and
 * must not throw.
 */
public interface ErrorListener
{
    /**
     * A message handler threw. The dispatcher went on with the next message.
     *
     * @param subscription the subscription whose handler threw.
     * @param subject      the subject of the message being handled.
     * @param error        what the handler threw.
     */
    default void onHandlerException(Subscription subscription, String subject, Throwable error)
    {
    }

    /**
     * A subscription could not keep up and a publisher dropped messages for it. Called once per episode: again only
     * after the subscription has caught up and then fallen behind anew.
     *
     * @param subscription the slow subscription.
     * @param droppedCount the total number of messages it has dropped so far.
     */
    default void onSlowConsumer(Subscription subscription, long droppedCount)
    {
    }

    /**
     * A JetStream event worth reporting: a message reached its delivery limit or was terminated, or recovery found
     * lost or damaged data.
     *
     * @param advisory what happened, to which stream, consumer and message.
     */
    default void onAdvisory(JetStreamAdvisory advisory)
    {
    }

    /**
     * Some other failure inside the bus.
     *
     * @param error what went wrong.
     */
    default void onError(Throwable error)
    {
    }

    /**
     * A listener that logs every event through {@link System.Logger} named {@code io.jetbus}.
     *
     * @return the logging listener; the bus's default.
     */
    static ErrorListener logging()
    {
        return LoggingErrorListener.INSTANCE;
    }
}
