package io.jetbus.cli;

import io.jetbus.api.jetstream.JetStream;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code js-pub}: each publisher sends its share with the synchronous {@code jetStream().publish}, which returns once
 * the stream stored the message (and, with {@code --flush always}, forced it to the disk). Reports the publish rate,
 * overall and per publisher, and the latency of each publish call (until its {@code PubAck}). Nobody consumes:
 * {@code --subs} is ignored. The stream lives in a temp directory removed afterwards.
 */
final class JsPublishScenario implements BenchScenario
{
    @Override
    public String name()
    {
        return "js-pub";
    }

    @Override
    public String summary()
    {
        return "synchronous JetStream publish into a stream (--storage, --flush); publish latency percentiles";
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
                latency, "publish until PubAck", "stream: " + options.streamSetup());
        }
    }
}
