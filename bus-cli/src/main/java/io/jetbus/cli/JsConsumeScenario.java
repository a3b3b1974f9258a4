package io.jetbus.cli;

import io.jetbus.api.Message;
import io.jetbus.api.jetstream.AckPolicy;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.DeliverPolicy;
import io.jetbus.api.jetstream.JetStream;
import io.jetbus.api.jetstream.PullSubscription;
import io.jetbus.core.EmbeddedBus;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code js-consume}: the publishers fill the stream with {@code --msgs} messages first (the {@code published} row
 * reports that pre-fill), then {@code --subs} pull subscriptions bound to one durable consumer
 * ({@link AckPolicy#EXPLICIT}, from the first message) fetch them in batches of {@value #BATCH} and acknowledge each
 * one, sharing the work as a queue group would. Reports the consume + ack rate, overall and per subscriber. The stream
 * lives in a temp directory removed afterwards.
 */
final class JsConsumeScenario implements BenchScenario
{
    static final int BATCH = 256;
    static final String CONSUMER = "bench-consumer";
    static final Duration MAX_WAIT = Duration.ofSeconds(10);

    @Override
    public String name()
    {
        return "js-consume";
    }

    @Override
    public String summary()
    {
        return "pre-fill a stream, then pull (batches of " + BATCH + ") and acknowledge each message explicitly";
    }

    @Override
    public BenchOptions standardOptions()
    {
        return new BenchOptions(500_000, 16, 1, 1);
    }

    @Override
    public BenchResult run(final BenchOptions options, final BenchProgress progress) throws Exception
    {
        final AtomicReference<Throwable> errors = new AtomicReference<>();
        try (BenchStream stream = BenchStream.open(options, errors))
        {
            final EmbeddedBus bus = stream.bus();
            final int size = options.size();
            final BenchRun.Publishers fillers = new BenchRun.Publishers(bus, options, (index, nc) ->
            {
                final byte[] payload = new byte[size];
                final JetStream js = nc.jetStream();
                return (connection, sequence) -> js.publish(BenchStream.SUBJECT, payload);
            });
            progress.start("js-fill", options.msgs(), fillers::sent);
            final long fillStartNs = fillers.start();
            final List<BenchResult.Rate> fillRates;
            try
            {
                fillRates = fillers.await();
            }
            finally
            {
                progress.stop();
            }
            final long fillNs = System.nanoTime() - fillStartNs;

            bus.connect("bench-consumer-admin").jetStreamManagement().addOrUpdateConsumer(BenchStream.STREAM,
                ConsumerConfig.builder().durableName(CONSUMER).ackPolicy(AckPolicy.EXPLICIT)
                    .deliverPolicy(DeliverPolicy.ALL).build());
            final int subs = Math.max(1, options.subs());
            final Consumers consumers = new Consumers(bus, subs, options.msgs(), size);
            progress.start(name(), options.msgs(), consumers::consumed);
            final long startNs = consumers.start();
            try
            {
                consumers.await();
            }
            finally
            {
                progress.stop();
            }
            final Throwable error = errors.get();
            if (error != null)
            {
                throw new IllegalStateException("the bus reported an error", error);
            }
            final String note = "stream: " + options.streamSetup() + "; published = the pre-fill, delivered = " +
                "fetched and acked by " + subs + " pull subscription" + (subs == 1 ? "" : "s") + " of one durable " +
                "consumer, batches of " + BATCH;
            return new BenchResult(name(), options, consumers.lastNs() - startNs, options.msgs(), fillNs,
                consumers.consumed(), 0, fillRates, consumers.rates(), null, null, note);
        }
    }

    /**
     * Subscriber threads, each with its own connection and pull subscription bound to {@link #CONSUMER}, released
     * together by {@link #start()}. Each reserves up to a batch of the messages still to take before it fetches, so
     * that no fetch waits at the end for messages that are not there.
     */
    static final class Consumers
    {
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicLong toReserve;
        private final AtomicLong[] counts;
        private final long[] firstNs;
        private final long[] lastNs;
        private final CountDownLatch ready;
        private final CountDownLatch go = new CountDownLatch(1);
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Consumers(final EmbeddedBus bus, final int subs, final long msgs, final int size)
        {
            toReserve = new AtomicLong(msgs);
            counts = new AtomicLong[subs];
            firstNs = new long[subs];
            lastNs = new long[subs];
            ready = new CountDownLatch(subs);
            for (int s = 0; s < subs; s++)
            {
                final int index = s;
                counts[s] = new AtomicLong();
                final PullSubscription subscription =
                    bus.connect("bench-sub-" + s).jetStream().bind(BenchStream.STREAM, CONSUMER);
                final Thread thread = new Thread(() -> consume(subscription, index, size), "bench-sub-" + s);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        private void consume(final PullSubscription subscription, final int index, final int size)
        {
            try
            {
                final byte[] target = new byte[size];
                final AtomicLong count = counts[index];
                ready.countDown();
                go.await();
                final long first = System.nanoTime();
                long last = first;
                int batch;
                while ((batch = reserve()) > 0)
                {
                    final List<Message> messages = subscription.fetch(batch, MAX_WAIT);
                    if (messages.size() < batch)
                    {
                        toReserve.addAndGet(batch - messages.size());
                        if (messages.isEmpty())
                        {
                            throw new TimeoutException("subscriber " + index + " fetched nothing within " + MAX_WAIT +
                                " with " + toReserve.get() + " messages left to take");
                        }
                    }
                    for (final Message message : messages)
                    {
                        final ByteBuffer data = message.dataBuffer();
                        data.get(target, 0, Math.min(target.length, data.remaining()));
                        message.ack();
                        count.lazySet(count.get() + 1);
                    }
                    last = System.nanoTime();
                }
                firstNs[index] = first;
                lastNs[index] = last;
            }
            catch (final Throwable error)
            {
                failure.compareAndSet(null, error);
                toReserve.set(0);
                ready.countDown();
            }
        }

        /** Up to a batch of the messages no subscriber has reserved yet; 0 when none are left. */
        private int reserve()
        {
            while (true)
            {
                final long left = toReserve.get();
                if (left <= 0)
                {
                    return 0;
                }
                final int batch = (int)Math.min(BATCH, left);
                if (toReserve.compareAndSet(left, left - batch))
                {
                    return batch;
                }
            }
        }

        long start() throws InterruptedException
        {
            ready.await();
            final long startNs = System.nanoTime();
            go.countDown();
            return startNs;
        }

        void await() throws Exception
        {
            final long deadlineNs = System.nanoTime() + BenchRun.RUN_TIMEOUT.toNanos();
            for (final Thread thread : threads)
            {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime())));
                if (thread.isAlive())
                {
                    throw new TimeoutException("subscriber " + thread.getName() + " did not finish within " +
                        BenchRun.RUN_TIMEOUT);
                }
            }
            final Throwable error = failure.get();
            if (error instanceof Exception)
            {
                throw (Exception)error;
            }
            if (error != null)
            {
                throw new IllegalStateException("subscriber failed", error);
            }
        }

        /** Messages fetched and acknowledged so far, all subscribers together. */
        long consumed()
        {
            long sum = 0;
            for (final AtomicLong count : counts)
            {
                sum += count.get();
            }
            return sum;
        }

        /** When the last message was acknowledged; after {@link #await()}. */
        long lastNs()
        {
            long max = 0;
            for (final long ns : lastNs)
            {
                max = Math.max(max, ns);
            }
            return max;
        }

        List<BenchResult.Rate> rates()
        {
            final List<BenchResult.Rate> rates = new ArrayList<>();
            for (int s = 0; s < counts.length; s++)
            {
                rates.add(new BenchResult.Rate(counts[s].get(), lastNs[s] - firstNs[s]));
            }
            return rates;
        }
    }
}
