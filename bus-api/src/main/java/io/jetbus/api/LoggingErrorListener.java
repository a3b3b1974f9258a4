package io.jetbus.api;

import io.jetbus.api.jetstream.JetStreamAdvisory;

import java.lang.System.Logger.Level;

/**
 * The default {@link ErrorListener}: logs through {@link System.Logger}, which an application routes to its own
 * logging framework.
 */
final class LoggingErrorListener implements ErrorListener
{
    static final LoggingErrorListener INSTANCE = new LoggingErrorListener();

    private final System.Logger logger = System.getLogger("io.jetbus");

    private LoggingErrorListener()
    {
    }

    @Override
    public void onHandlerException(final Subscription subscription, final String subject, final Throwable error)
    {
        logger.log(Level.WARNING, "handler of subscription to \"" + subscription.subject() +
            "\" threw on a message to \"" + subject + "\"", error);
    }

    @Override
    public void onSlowConsumer(final Subscription subscription, final long droppedCount)
    {
        logger.log(Level.WARNING, "slow consumer: subscription to \"" + subscription.subject() +
            "\" has dropped " + droppedCount + " messages");
    }

    @Override
    public void onAdvisory(final JetStreamAdvisory advisory)
    {
        final Level level = switch (advisory.type())
        {
            case TERMINATED -> Level.INFO;
            case MAX_DELIVERIES, STATE_CLAMPED -> Level.WARNING;
            case LOST_DATA, CORRUPT_DATA -> Level.ERROR;
        };
        logger.log(level, "JetStream advisory " + advisory.type() + ": stream \"" + advisory.stream() + "\"" +
            (advisory.consumer() == null ? "" : ", consumer \"" + advisory.consumer() + "\"") +
            (advisory.streamSeq() == JetStreamAdvisory.NO_SEQUENCE ? "" : ", stream sequence " + advisory.streamSeq()) +
            (advisory.deliveries() == 0 ? "" : ", deliveries " + advisory.deliveries()) +
            (advisory.detail().isEmpty() ? "" : ": " + advisory.detail()));
    }

    @Override
    public void onError(final Throwable error)
    {
        logger.log(Level.ERROR, "bus error", error);
    }
}
