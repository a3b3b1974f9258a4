package io.jetbus.cli;

import io.jetbus.api.Connection;
import io.jetbus.api.Message;
import io.jetbus.api.Subscription;
import io.jetbus.core.EmbeddedBus;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code request}: each publisher sends its share of requests one at a time, waiting for each reply; the
 * subscribers are responders in one queue group that echo the payload. Reports requests per second and the
 * round-trip latency percentiles.
 */
final class RequestScenario implements BenchScenario
{
    static final String SUBJECT = "bench.request";
    static final String QUEUE = "bench-responders";
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Override
    public String name()
    {
        return "request";
    }

    @Override
    public String summary()
    {
        return "request-reply round trips, one outstanding request per publisher; latency percentiles";
    }

    @Override
    public BenchOptions standardOptions()
    {
        return new BenchOptions(100_000, 16, 1, 1);
    }

    @Override
    public BenchResult run(final BenchOptions options, final BenchProgress progress) throws Exception
    {
        final AtomicReference<Throwable> errors = new AtomicReference<>();
        try (EmbeddedBus bus = BenchRun.newBus(options.size(), errors))
        {
            final int responders = Math.max(1, options.subs());
            final Connection responder = bus.connect("bench-responder");
            final List<BenchRun.Subscriber> counters = new ArrayList<>();
            final List<Subscription> subscriptions = new ArrayList<>();
            for (int s = 0; s < responders; s++)
            {
                final BenchRun.Subscriber counter = new BenchRun.Subscriber(false);
                counters.add(counter);
                subscriptions.add(responder.createDispatcher(m ->
                {
                    responder.publish(m.replyTo(), null, null, m.dataBuffer());
                    counter.onMessage(m);
                }).subscribe(SUBJECT, QUEUE));
            }
            final Histogram[] histograms = new Histogram[options.pubs()];
            final int size = options.size();
            final BenchRun.Publishers requesters = new BenchRun.Publishers(bus, options, index ->
            {
                final byte[] payload = new byte[size];
                final Histogram histogram = new Histogram(3);
                histograms[index] = histogram;
                return (nc, sequence) ->
                {
                    final long sentNs = System.nanoTime();
                    final CompletableFuture<Message> reply = nc.request(SUBJECT, payload, TIMEOUT);
                    reply.get(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
                    histogram.recordValue(System.nanoTime() - sentNs);
                };
            });
            progress.start(name(), options.msgs(), requesters::sent);
            final long startNs = requesters.start();
            final List<BenchResult.Rate> rates;
            try
            {
                rates = requesters.await();
            }
            finally
            {
                progress.stop();
            }
            final long elapsedNs = System.nanoTime() - startNs;
            final Histogram latency = new Histogram(3);
            for (final Histogram histogram : histograms)
            {
                latency.add(histogram);
            }
            final List<BenchResult.Rate> responderRates = new ArrayList<>();
            for (final BenchRun.Subscriber counter : counters)
            {
                responderRates.add(counter.rate());
            }
            return new BenchResult(name(), options, elapsedNs, options.msgs(), latency.getTotalCount(),
                BenchRun.dropped(subscriptions), rates, responderRates, latency, "round trip");
        }
    }
}
