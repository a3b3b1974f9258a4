package io.jetbus.cli;

import io.jetbus.api.Connection;
import io.jetbus.api.Message;
import io.jetbus.api.jetstream.AckPolicy;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.FlushPolicy;
import io.jetbus.api.jetstream.JetStream;
import io.jetbus.api.jetstream.PullSubscription;
import io.jetbus.api.jetstream.StorageType;
import io.jetbus.api.jetstream.StreamConfig;
import io.jetbus.core.EmbeddedBus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * {@code jetbus soak}: the long-running check of the reliability plan (R20). A publisher at a fixed rate into a FILE
 * stream with a byte limit, a durable consumer that checks sequence continuity and acks, and a core queue group; every
 * sample interval it prints heap after GC, RSS, buffer pools, threads, open files and the bytes on disk, so a leak
 * shows as a slope.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
    description = "Run a steady publish-consume load for a while and print resource samples (leak hunting).")
final class SoakCommand implements Callable<Integer>
{
    @Option(names = "--duration", paramLabel = "DURATION", description = "How long to run, e.g. 30m or 120s " +
        "(default: ${DEFAULT-VALUE}).", defaultValue = "2m", converter = DurationConverter.class)
    Duration duration;

    @Option(names = "--rate", paramLabel = "MSGS", description = "Publishes per second (default: ${DEFAULT-VALUE}).",
        defaultValue = "20000")
    int rate;

    @Option(names = "--sample", paramLabel = "DURATION", description = "Time between samples (default: " +
        "${DEFAULT-VALUE}).", defaultValue = "10s", converter = DurationConverter.class)
    Duration sample;

    @Option(names = "--max-bytes", paramLabel = "BYTES", description = "The stream's byte limit (default: " +
        "${DEFAULT-VALUE}).", defaultValue = "67108864")
    long maxBytes;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception
    {
        if (rate <= 0)
        {
            throw new IllegalArgumentException("invalid --rate " + rate + ": must be > 0");
        }
        final Path dir = Files.createTempDirectory("jetbus-soak-");
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong published = new AtomicLong();
        final AtomicLong consumed = new AtomicLong();
        final AtomicLong queued = new AtomicLong();
        final AtomicReference<String> failure = new AtomicReference<>();
        try (EmbeddedBus bus = EmbeddedBus.builder().storageDir(dir).build(); Connection nc = bus.connect("soak"))
        {
            nc.jetStreamManagement().addStream(StreamConfig.builder().name("SOAK").subjects("soak.>")
                .storage(StorageType.FILE).maxBytes(maxBytes).flushPolicy(FlushPolicy.interval(Duration.ofSeconds(1)))
                .build());
            final JetStream js = nc.jetStream();
            final PullSubscription sub = js.pullSubscribe("SOAK", ConsumerConfig.builder().durableName("checker")
                .ackPolicy(AckPolicy.EXPLICIT).build());
            for (int i = 0; i < 3; i++)
            {
                nc.createDispatcher(m -> queued.incrementAndGet()).subscribe("soak.>", "workers");
            }
            final Thread publisher = new Thread(() -> publish(js, running, published, failure), "soak-publisher");
            final Thread consumer = new Thread(() -> consume(sub, running, consumed, failure), "soak-consumer");
            publisher.start();
            consumer.start();
            out.printf("soak: %,d msgs/s for %s into a FILE stream (max bytes %,d) in %s%n", rate, duration, maxBytes,
                dir);
            out.printf("%8s %12s %12s %12s %10s %10s %10s %8s %6s %12s%n", "t", "published", "consumed", "queue grp",
                "heap MiB", "RSS MiB", "direct MiB", "threads", "fds", "disk MiB");
            final long startNs = System.nanoTime();
            final long endNs = startNs + duration.toNanos();
            while (System.nanoTime() < endNs && failure.get() == null)
            {
                LockSupport.parkNanos(Math.min(sample.toNanos(), endNs - System.nanoTime()));
                sampleLine(dir, (System.nanoTime() - startNs) / 1_000_000_000L, published.get(), consumed.get(),
                    queued.get());
            }
            running.set(false);
            publisher.join(TimeUnit.SECONDS.toMillis(10));
            consumer.join(TimeUnit.SECONDS.toMillis(10));
        }
        finally
        {
            CliFiles.deleteRecursively(dir);
        }
        if (failure.get() != null)
        {
            out.println("soak FAILED: " + failure.get());
            return 1;
        }
        out.printf("soak passed: %,d published, %,d consumed in order with no gap%n", published.get(), consumed.get());
        return 0;
    }

    private void publish(final JetStream js, final AtomicBoolean running, final AtomicLong published,
        final AtomicReference<String> failure)
    {
        final long intervalNs = 1_000_000_000L / rate;
        final byte[] payload = new byte[128];
        long nextNs = System.nanoTime();
        try
        {
            while (running.get())
            {
                ByteBuffer.wrap(payload).putLong(published.get() + 1);
                js.publish("soak.data", payload);
                published.incrementAndGet();
                nextNs += intervalNs;
                final long waitNs = nextNs - System.nanoTime();
                if (waitNs > 0)
                {
                    LockSupport.parkNanos(waitNs);
                }
            }
        }
        catch (final RuntimeException e)
        {
            failure.compareAndSet(null, "publisher: " + e);
        }
    }

    private static void consume(final PullSubscription sub, final AtomicBoolean running, final AtomicLong consumed,
        final AtomicReference<String> failure)
    {
        long expected = 1;
        try
        {
            while (running.get())
            {
                for (final Message m : sub.fetch(1_000, Duration.ofMillis(100)))
                {
                    final long seq = m.metaData().streamSeq();
                    if (seq != expected && m.metaData().deliveredCount() == 1)
                    {
                        failure.compareAndSet(null, "consumer expected seq " + expected + " and got " + seq);
                        return;
                    }
                    expected = seq + 1;
                    m.ack();
                    consumed.incrementAndGet();
                }
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        catch (final RuntimeException e)
        {
            failure.compareAndSet(null, "consumer: " + e);
        }
    }

    private void sampleLine(final Path dir, final long seconds, final long published, final long consumed,
        final long queued) throws IOException
    {
        System.gc();
        final long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        final List<BufferPoolMXBean> pools = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class);
        final long direct = pools.stream().mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        out.printf("%7ds %,12d %,12d %,12d %10.1f %10.1f %10.1f %8d %6d %12.1f%n", seconds, published, consumed, queued,
            mib(heap), mib(rssBytes()), mib(direct), Thread.activeCount(), count(Path.of("/proc/self/fd")),
            mib(diskBytes(dir)));
    }

    private static double mib(final long bytes)
    {
        return bytes / (1024.0 * 1024.0);
    }

    /** VmRSS from /proc/self/status, or -1 where there is no /proc. */
    private static long rssBytes() throws IOException
    {
        final Path status = Path.of("/proc/self/status");
        if (!Files.exists(status))
        {
            return -1;
        }
        try (Stream<String> lines = Files.lines(status))
        {
            return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).orElse(-1L);
        }
    }

    private static long count(final Path dir) throws IOException
    {
        if (!Files.isDirectory(dir))
        {
            return -1;
        }
        try (Stream<Path> entries = Files.list(dir))
        {
            return entries.count();
        }
    }

    private static long diskBytes(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            return files.filter(Files::isRegularFile).mapToLong(f ->
            {
                try
                {
                    return Files.size(f);
                }
                catch (final IOException gone)
                {
                    return 0;
                }
            }).sum();
        }
    }
}
