package io.jetbus.api;

/**
 * A publisher waited for room in the ring of a subscription whose {@link SlowConsumerPolicy} blocks, and the timeout
 * elapsed. Subscriptions that had room received the message.
 */
public class SlowConsumerException extends JetbusException
{
    private static final long serialVersionUID = 1L;

    /**
     * A publisher gave up waiting on a full subscriber.
     *
     * @param message names the subscription and the timeout.
     */
    public SlowConsumerException(final String message)
    {
        super(message);
    }
}
