package io.jetbus.cli;

import io.jetbus.api.Connection;
import io.jetbus.api.ErrorListener;
import io.jetbus.api.Message;
import io.jetbus.api.MessageHandler;
import io.jetbus.api.SlowConsumerPolicy;
import io.jetbus.api.Subscription;
import io.jetbus.core.EmbeddedBus;
import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Helpers the scenarios share: a bus configured for benchmarking, publisher threads released together, and
 * subscribers that count, time and (optionally) measure end-to-end latency.
 */
final class BenchRun
{
    /** How long a scenario may run before it is abandoned as stuck. */
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

    /** Payload bytes that carry the publish time, for end-to-end latency. */
    static final int TIMESTAMP_BYTES = Long.BYTES;

    private static final int PROGRESS_EVERY = 256;
    private static final int MIN_MAX_PAYLOAD = 64 * 1024;

    private BenchRun()
    {
    }

    /**
     * A bus on which a full ring blocks the publisher (every message arrives, as with NATS flow control) and which
     * reports errors to the given holder instead of logging them. Its max payload is the message size or 64 KiB,
     * whichever is larger, so that its rings (sized from the max payload: 1 MiB for 64 KiB) stay small when there
     * are many publishers and subscribers.
     *
     * @param size   the payload size of the run.
     * @param errors receives the first error.
     * @return the bus.
     */
    static EmbeddedBus newBus(final int size, final AtomicReference<Throwable> errors)
    {
        return EmbeddedBus.builder()
            .maxPayload(Math.max(MIN_MAX_PAYLOAD, size))
            .slowConsumerPolicy(SlowConsumerPolicy.block(Duration.ofSeconds(60)))
            .errorListener(new ErrorListener()
            {
                @Override
                public void onHandlerException(final Subscription subscription, final String subject,
                    final Throwable error)
                {
                    errors.compareAndSet(null, error);
                }

                @Override
                public void onError(final Throwable error)
                {
                    errors.compareAndSet(null, error);
                }
            })
            .build();
    }

    /** What a publisher thread does for each of its messages. */
    @FunctionalInterface
    interface PublishAction
    {
        /**
         * Send message {@code sequence} of this publisher.
         *
         * @param nc       the publisher's own connection.
         * @param sequence 0-based, per publisher.
         * @throws Exception if sending fails.
         */
        void send(Connection nc, long sequence) throws Exception;
    }

    /** Creates one publisher's action; called on the publisher's thread before the start signal. */
    @FunctionalInterface
    interface PublisherFactory
    {
        PublishAction create(int index);
    }

    /**
     * Publisher threads, each with its own connection, released together by {@link #start()}.
     */
    static final class Publishers
    {
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicLongArray sent;
        private final long[] firstNs;
        private final long[] lastNs;
        private final long[] counts;
        private final CountDownLatch ready;
        private final CountDownLatch go = new CountDownLatch(1);
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Publishers(final EmbeddedBus bus, final BenchOptions options, final PublisherFactory factory)
        {
            final int pubs = options.pubs();
            sent = new AtomicLongArray(pubs);
            firstNs = new long[pubs];
            lastNs = new long[pubs];
            counts = new long[pubs];
            ready = new CountDownLatch(pubs);
            for (int p = 0; p < pubs; p++)
            {
                final int index = p;
                final long count = options.share(p);
                counts[p] = count;
                final Connection nc = bus.connect("bench-pub-" + p);
                final Thread thread = new Thread(() -> publish(nc, index, count, factory), "bench-pub-" + p);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        private void publish(final Connection nc, final int index, final long count, final PublisherFactory factory)
        {
            try
            {
                final PublishAction action = factory.create(index);
                ready.countDown();
                go.await();
                final long startNs = System.nanoTime();
                for (long i = 0; i < count; i++)
                {
                    action.send(nc, i);
                    if ((i & (PROGRESS_EVERY - 1)) == 0)
                    {
                        sent.lazySet(index, i);
                    }
                }
                lastNs[index] = System.nanoTime();
                firstNs[index] = startNs;
                sent.set(index, count);
            }
            catch (final Throwable error)
            {
                failure.compareAndSet(null, error);
                ready.countDown();
            }
        }

        /**
         * Release every publisher once all are ready.
         *
         * @return the start time, {@link System#nanoTime()}.
         * @throws InterruptedException if interrupted while waiting for them to be ready.
         */
        long start() throws InterruptedException
        {
            ready.await();
            final long startNs = System.nanoTime();
            go.countDown();
            return startNs;
        }

        /** Messages sent so far, all publishers together (a little behind while they run). */
        long sent()
        {
            long sum = 0;
            for (int i = 0; i < sent.length(); i++)
            {
                sum += sent.get(i);
            }
            return sum;
        }

        /**
         * Wait for every publisher to finish.
         *
         * @return each publisher's rate.
         * @throws Exception the first publisher's failure, or a timeout.
         */
        List<BenchResult.Rate> await() throws Exception
        {
            final long deadlineNs = System.nanoTime() + RUN_TIMEOUT.toNanos();
            for (final Thread thread : threads)
            {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime())));
                if (thread.isAlive())
                {
                    throw new TimeoutException("publisher " + thread.getName() + " did not finish within " +
                        RUN_TIMEOUT);
                }
            }
            final Throwable error = failure.get();
            if (error instanceof Exception)
            {
                throw (Exception)error;
            }
            if (error != null)
            {
                throw new IllegalStateException("publisher failed", error);
            }
            final List<BenchResult.Rate> rates = new ArrayList<>();
            for (int p = 0; p < counts.length; p++)
            {
                rates.add(new BenchResult.Rate(counts[p], lastNs[p] - firstNs[p]));
            }
            return rates;
        }
    }

    /**
     * A subscriber's handler: counts what it handles, when the first and last arrived and, when asked, how long
     * each took from its publisher (the first 8 payload bytes carry the publish time). Dispatcher thread writes, any
     * thread reads after {@link #count()}.
     */
    static final class Subscriber implements MessageHandler
    {
        private final AtomicLong count = new AtomicLong();
        private final Histogram latency;
        private long firstNs;
        private long lastNs;

        Subscriber(final boolean measureLatency)
        {
            latency = measureLatency ? new Histogram(3) : null;
        }

        @Override
        public void onMessage(final Message message)
        {
            final long nowNs = System.nanoTime();
            if (firstNs == 0)
            {
                firstNs = nowNs;
            }
            lastNs = nowNs;
            if (latency != null)
            {
                final ByteBuffer data = message.dataBuffer();
                latency.recordValue(Math.max(0, nowNs - data.getLong(data.position())));
            }
            count.lazySet(count.get() + 1);
        }

        long count()
        {
            return count.get();
        }

        BenchResult.Rate rate()
        {
            count();
            return new BenchResult.Rate(count(), lastNs - firstNs);
        }

        long lastNs()
        {
            count();
            return lastNs;
        }

        Histogram latency()
        {
            count();
            return latency;
        }
    }

    /**
     * Wait until the subscribers handled (or dropped) {@code expected} messages together.
     *
     * @param subscribers   the handlers.
     * @param subscriptions their subscriptions, for drop counts.
     * @param expected      deliveries to wait for.
     * @param errors        the bus's first error, which ends the wait.
     * @throws Exception on a bus error or a timeout.
     */
    static void awaitDeliveries(final List<Subscriber> subscribers, final List<Subscription> subscriptions,
        final long expected, final AtomicReference<Throwable> errors) throws Exception
    {
        final long deadlineNs = System.nanoTime() + RUN_TIMEOUT.toNanos();
        while (delivered(subscribers) + dropped(subscriptions) < expected)
        {
            final Throwable error = errors.get();
            if (error != null)
            {
                throw new IllegalStateException("the bus reported an error", error);
            }
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new TimeoutException("subscribers handled " + delivered(subscribers) + " of " + expected +
                    " messages within " + RUN_TIMEOUT);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    static long delivered(final List<Subscriber> subscribers)
    {
        long sum = 0;
        for (final Subscriber subscriber : subscribers)
        {
            sum += subscriber.count();
        }
        return sum;
    }

    static long dropped(final List<Subscription> subscriptions)
    {
        long sum = 0;
        for (final Subscription subscription : subscriptions)
        {
            sum += subscription.droppedCount();
        }
        return sum;
    }

    /** Latencies of all subscribers together, or null when none measured them. */
    static Histogram mergedLatency(final List<Subscriber> subscribers)
    {
        Histogram merged = null;
        for (final Subscriber subscriber : subscribers)
        {
            final Histogram latency = subscriber.latency();
            if (latency != null)
            {
                if (merged == null)
                {
                    merged = new Histogram(3);
                }
                merged.add(latency);
            }
        }
        return merged;
    }
}
