package io.jetbus.api;

/**
 * Called on a dispatcher's thread for each message of a subscription.
 *
 * <p>The message is a flyweight over the dispatcher's ring and is valid only until this method returns: keep
 * {@link Message#copy()}, or the bytes of {@link Message#data()}, never the message itself. A handler that throws is
 * reported to the bus's {@link ErrorListener} and the dispatcher goes on with the next message.
 */
@FunctionalInterface
public interface MessageHandler
{
    /**
     * Handle one message.
     *
     * @param message valid only until this method returns.
     * @throws Exception reported to the error listener; the dispatcher goes on.
     */
    void onMessage(Message message) throws Exception;
}
