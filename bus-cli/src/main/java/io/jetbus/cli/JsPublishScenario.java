package io.jetbus.cli;

import io.jetbus.api.jetstream.JetStream;
import io.jetbus.api.jetstream.PubAck;
import org.HdrHistogram.Histogram;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code js-pub}: each publisher sends its share with the synchronous {@code jetStream().publish}, which returns once
 * the stream stored the message (and, with {@code --flush always}, forced it to the disk). {@code js-pub-async}: each
 * publisher keeps up to {@value #WINDOW} {@code publishAsync} calls in flight and waits for the oldest when the window
 * is full, so one sync can cover many of its publishes. Reports the publish rate, overall and per publisher, and the
 * latency of each publish until its {@code PubAck} (for {@code js-pub-async}, until its future completed). Nobody
 * consumes: {@code --subs} is ignored. The stream lives in a temp directory removed afterwards.
 */
final class JsPublishScenario implements BenchScenario
{
    static final int WINDOW = 64;

    private final boolean async;

    /**
     * @param async whether to publish with {@code publishAsync} and a window of {@value #WINDOW} in flight.
     */
    JsPublishScenario(final boolean async)
    {
        this.async = async;
    }

    @Override
    public String name()
    {
        return async ? "js-pub-async" : "js-pub";
    }

    @Override
    public String summary()
    {
        return async ?
            "JetStream publishAsync, " + WINDOW + " in flight per publisher (--storage, --flush); latency until acked" :
            "synchronous JetStream publish into a stream (--storage, --flush); publish latency percentiles";
    }

    @Override
    public BenchOptions standardOptions()
    {
        return new BenchOptions(1_000_000, 16, 1, 0);
    }

    @Override
    public BenchResult run(final BenchOptions options, final BenchProgress progress) throws Exception
    {
        final AtomicReference<Throwable> errors = new AtomicReference<>();
        try (BenchStream stream = BenchStream.open(options, errors))
        {
            final Histogram[] histograms = new Histogram[options.pubs()];
            final int size = options.size();
            final BenchRun.Publishers publishers = new BenchRun.Publishers(stream.bus(), options, (index, nc) ->
            {
                final byte[] payload = new byte[size];
                final Histogram histogram = new Histogram(3);
                histograms[index] = histogram;
                final JetStream js = nc.jetStream();
                if (async)
                {
                    return asyncAction(js, payload, histogram, options.share(index));
                }
                return (connection, sequence) ->
                {
                    final long sentNs = System.nanoTime();
                    js.publish(BenchStream.SUBJECT, payload);
                    histogram.recordValue(System.nanoTime() - sentNs);
                };
            });
            progress.start(name(), options.msgs(), publishers::sent);
            final long startNs = publishers.start();
            final List<BenchResult.Rate> rates;
            try
            {
                rates = publishers.await();
            }
            finally
            {
                progress.stop();
            }
            final long elapsedNs = System.nanoTime() - startNs;
            final Throwable error = errors.get();
            if (error != null)
            {
                throw new IllegalStateException("the bus reported an error", error);
            }
            final Histogram latency = new Histogram(3);
            for (final Histogram histogram : histograms)
            {
                latency.add(histogram);
            }
            return new BenchResult(name(), options, elapsedNs, options.msgs(), elapsedNs, 0, 0, rates, List.of(),
                latency, async ? "publishAsync until its future completed" : "publish until PubAck",
                "stream: " + options.streamSetup());
        }
    }

    /**
     * Keeps up to {@link #WINDOW} publishes in flight, records each one's time from send to completion, and drains
     * them all with the last of the publisher's {@code count}.
     */
    private static BenchRun.PublishAction asyncAction(
        final JetStream js, final byte[] payload, final Histogram histogram, final long count)
    {
        final ArrayDeque<CompletableFuture<PubAck>> inFlight = new ArrayDeque<>(WINDOW);
        final long[] sentNs = new long[WINDOW];
        final long[] doneNs = new long[WINDOW];
        return (connection, sequence) ->
        {
            if (inFlight.size() == WINDOW)
            {
                awaitOldest(inFlight, histogram, sentNs, doneNs, sequence - WINDOW);
            }
            final int slot = (int)(sequence % WINDOW);
            sentNs[slot] = System.nanoTime();
            // joining the dependent future, not the publish's own, makes sure the time was written
            inFlight.addLast(js.publishAsync(BenchStream.SUBJECT, payload)
                .whenComplete((ack, error) -> doneNs[slot] = System.nanoTime()));
            if (sequence == count - 1)
            {
                for (long s = sequence - inFlight.size() + 1; !inFlight.isEmpty(); s++)
                {
                    awaitOldest(inFlight, histogram, sentNs, doneNs, s);
                }
            }
        };
    }

    private static void awaitOldest(final ArrayDeque<CompletableFuture<PubAck>> inFlight, final Histogram histogram,
        final long[] sentNs, final long[] doneNs, final long sequence)
    {
        inFlight.pollFirst().join();
        final int slot = (int)(sequence % WINDOW);
        histogram.recordValue(Math.max(0, doneNs[slot] - sentNs[slot]));
    }
}
