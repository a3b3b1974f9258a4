package io.jetbus.core;

import io.jetbus.api.ErrorListener;
import io.jetbus.api.Subscription;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Test helpers: waiting on a condition with a deadline (never a fixed sleep), and a recording error listener.
 */
final class Tests
{
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Tests()
    {
    }

    static byte[] bytes(final String text)
    {
        return text.getBytes(UTF_8);
    }

    static String text(final byte[] bytes)
    {
        return new String(bytes, UTF_8);
    }

    /** Wait until the condition holds, polling with short parks, or fail with the message after 10 s. */
    static void await(final BooleanSupplier condition, final String message)
    {
        final long deadlineNs = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out waiting: " + message);
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }

    static long jetbusThreads()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.isAlive() && t.getName().startsWith("jetbus-"))
            .count();
    }

    /** Records what the bus reports. */
    static final class RecordingErrorListener implements ErrorListener
    {
        final List<Throwable> handlerErrors = new CopyOnWriteArrayList<>();
        final List<String> handlerSubjects = new CopyOnWriteArrayList<>();
        final List<Long> slowConsumerReports = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();

        @Override
        public void onHandlerException(final Subscription subscription, final String subject, final Throwable error)
        {
            handlerSubjects.add(subject);
            handlerErrors.add(error);
        }

        @Override
        public void onSlowConsumer(final Subscription subscription, final long droppedCount)
        {
            slowConsumerReports.add(droppedCount);
        }

        @Override
        public void onError(final Throwable error)
        {
            errors.add(error);
        }
    }
}
