package io.jetbus.test;

import io.jetbus.api.ErrorListener;
import io.jetbus.api.Subscription;
import io.jetbus.api.jetstream.JetStreamAdvisory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the bus reported to its error listener during a test: handler exceptions, slow consumers (dropped messages),
 * internal errors and JetStream advisories. {@link JetbusTest} fails a test that leaves handler exceptions, slow
 * consumers or errors here; a test that provokes one on purpose asserts on it and then calls {@link #clear()}.
 *
 * <p>Safe for concurrent use: bus threads add, the test reads.
 */
public final class BusEvents
{
    private final List<HandlerException> handlerExceptions = new CopyOnWriteArrayList<>();
    private final List<SlowConsumer> slowConsumers = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final List<JetStreamAdvisory> advisories = new CopyOnWriteArrayList<>();
    private final ErrorListener listener = new Listener();

    BusEvents()
    {
    }

    /**
     * Handlers that threw, in the order reported.
     *
     * @return an immutable copy.
     */
    public List<HandlerException> handlerExceptions()
    {
        return List.copyOf(handlerExceptions);
    }

    /**
     * Slow-consumer reports (messages dropped for a subscription), in the order reported.
     *
     * @return an immutable copy.
     */
    public List<SlowConsumer> slowConsumers()
    {
        return List.copyOf(slowConsumers);
    }

    /**
     * Other failures inside the bus, such as a timer task that threw, in the order reported.
     *
     * @return an immutable copy.
     */
    public List<Throwable> errors()
    {
        return List.copyOf(errors);
    }

    /**
     * JetStream advisories (deliveries exhausted, messages terminated, recovery findings), in the order reported.
     * They never fail a test on their own.
     *
     * @return an immutable copy.
     */
    public List<JetStreamAdvisory> advisories()
    {
        return List.copyOf(advisories);
    }

    /**
     * Forget everything reported so far, once the test has checked what it expected.
     */
    public void clear()
    {
        handlerExceptions.clear();
        slowConsumers.clear();
        errors.clear();
        advisories.clear();
    }

    ErrorListener listener()
    {
        return listener;
    }

    /** The failures the extension reports, as lines; empty when there are none of the kinds switched on. */
    List<String> problems(final boolean handlerExceptionsFail, final boolean slowConsumersFail,
        final boolean errorsFail)
    {
        final List<String> lines = new ArrayList<>();
        if (handlerExceptionsFail)
        {
            for (final HandlerException e : handlerExceptions)
            {
                lines.add("handler of " + e.subscription() + " threw on \"" + e.subject() + "\": " + e.error());
            }
        }
        if (slowConsumersFail)
        {
            for (final SlowConsumer s : slowConsumers)
            {
                lines.add("messages dropped for slow consumer " + s.subscription() + ": " + s.droppedCount() +
                    " dropped so far");
            }
        }
        if (errorsFail)
        {
            for (final Throwable error : errors)
            {
                lines.add("bus error: " + error);
            }
        }
        return lines;
    }

    /** The throwables to attach to a failure: handler exceptions first, then errors. */
    List<Throwable> causes(final boolean handlerExceptionsFail, final boolean errorsFail)
    {
        final List<Throwable> causes = new ArrayList<>();
        if (handlerExceptionsFail)
        {
            for (final HandlerException e : handlerExceptions)
            {
                causes.add(e.error());
            }
        }
        if (errorsFail)
        {
            causes.addAll(errors);
        }
        return causes;
    }

    @Override
    public String toString()
    {
        return "BusEvents{handlerExceptions=" + handlerExceptions.size() + ", slowConsumers=" + slowConsumers.size() +
            ", errors=" + errors.size() + ", advisories=" + advisories.size() + '}';
    }

    /**
     * A handler that threw.
     *
     * @param subscription the subscription whose handler threw.
     * @param subject      the subject of the message it was handling.
     * @param error        what it threw.
     */
    public record HandlerException(Subscription subscription, String subject, Throwable error)
    {
        /**
         * Checks the components.
         *
         * @param subscription the subscription.
         * @param subject      the subject.
         * @param error        the error.
         */
        public HandlerException
        {
            Objects.requireNonNull(subscription, "subscription");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * A subscription that could not keep up, so messages were dropped for it.
     *
     * @param subscription the slow subscription.
     * @param droppedCount how many messages it had dropped when reported.
     */
    public record SlowConsumer(Subscription subscription, long droppedCount)
    {
        /**
         * Checks the components.
         *
         * @param subscription the subscription.
         * @param droppedCount the dropped count.
         */
        public SlowConsumer
        {
            Objects.requireNonNull(subscription, "subscription");
        }
    }

    private final class Listener implements ErrorListener
    {
        @Override
        public void onHandlerException(final Subscription subscription, final String subject, final Throwable error)
        {
            handlerExceptions.add(new HandlerException(subscription, subject, error));
        }

        @Override
        public void onSlowConsumer(final Subscription subscription, final long droppedCount)
        {
            slowConsumers.add(new SlowConsumer(subscription, droppedCount));
        }

        @Override
        public void onAdvisory(final JetStreamAdvisory advisory)
        {
            advisories.add(advisory);
        }

        @Override
        public void onError(final Throwable error)
        {
            errors.add(error);
        }
    }
}
