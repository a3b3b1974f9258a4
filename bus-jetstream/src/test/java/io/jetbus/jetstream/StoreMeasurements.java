package io.jetbus.jetstream;

import io.jetbus.api.jetstream.FlushPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Manual measurements, not a test: append rate per flush policy with 8 threads, bytes on disk per 100 B message,
 * and open time of a large stream with and without its checkpoint. Run with the test class path and the JVM flags:
 * {@code java <flags> -cp ... io.jetbus.jetstream.StoreMeasurements <dir> [messages]}.
 */
final class StoreMeasurements
{
    private StoreMeasurements()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path root = Path.of(args[0]);
        final int large = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        appendRate(root.resolve("none"), FlushPolicy.none(), 400_000);
        appendRate(root.resolve("every"), FlushPolicy.everyPublish(), 40_000);
        openTime(root.resolve("large"), large);
    }

    private static FileStoreConfig.Builder config(final Path dir)
    {
        return FileStoreConfig.builder("M", dir).reserveBytes(0);
    }

    private static void appendRate(final Path dir, final FlushPolicy policy, final int total) throws Exception
    {
        final byte[] payload = new byte[100];
        try (FileStreamStore store = FileStreamStore.open(config(dir).flushPolicy(policy).build()))
        {
            for (int i = 0; i < 20_000; i++)
            {
                store.append("warm.up", null, payload, i);
            }
            final ExecutorService pool = Executors.newFixedThreadPool(8);
            final long start = System.nanoTime();
            final List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++)
            {
                final String subject = "orders.p" + t;
                futures.add(pool.submit(() ->
                {
                    for (int i = 0; i < total / 8; i++)
                    {
                        store.append(subject, null, payload, i);
                        store.awaitDurable(store.writeMark()); // as a stream does after releasing its lock
                    }
                }));
            }
            for (final Future<?> f : futures)
            {
                f.get();
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            System.out.printf("%s, 8 threads: %,d appends in %.2f s = %,.0f appends/s, %,d syncs%n",
                policy.mode(), total, seconds, total / seconds, store.syncCount());
        }
    }

    private static void openTime(final Path dir, final int messages) throws Exception
    {
        final byte[] payload = new byte[100];
        long start = System.nanoTime();
        try (FileStreamStore store = FileStreamStore.open(config(dir).build()))
        {
            for (int i = 0; i < messages; i++)
            {
                store.append("orders.created", null, payload, i);
            }
        }
        System.out.printf("wrote %,d messages in %.2f s%n", messages, (System.nanoTime() - start) / 1e9);
        final long[] sizes = diskUsage(dir);
        System.out.printf("on disk: %,d bytes allocated (%,d apparent) = %.1f bytes per 100 B message%n",
            sizes[0], sizes[1], (double)sizes[0] / messages);
        for (int round = 0; round < 2; round++)
        {
            start = System.nanoTime();
            try (FileStreamStore store = FileStreamStore.open(config(dir).build()))
            {
                System.out.printf("open with checkpoint: %.0f ms, %d records scanned, last seq %d%n",
                    (System.nanoTime() - start) / 1e6, store.recoveryReport().recordsScanned(),
                    store.state().lastSeq());
            }
        }
        Files.delete(dir.resolve(Checkpoint.FILE_NAME));
        start = System.nanoTime();
        try (FileStreamStore store = FileStreamStore.open(config(dir).build()))
        {
            System.out.printf("open without checkpoint (full scan): %.0f ms, %d records scanned%n",
                (System.nanoTime() - start) / 1e6, store.recoveryReport().recordsScanned());
        }
        start = System.nanoTime();
        try (FileStreamStore store = FileStreamStore.open(config(dir).build()))
        {
            System.out.printf("open again with the rebuilt checkpoint: %.0f ms, %d records scanned%n",
                (System.nanoTime() - start) / 1e6, store.recoveryReport().recordsScanned());
        }
    }

    /**
     * @return {allocated bytes (du), apparent bytes (file sizes)}.
     */
    private static long[] diskUsage(final Path dir) throws IOException, InterruptedException
    {
        long apparent = 0;
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path f : files.toList())
            {
                apparent += Files.size(f);
            }
        }
        final Process du = new ProcessBuilder("du", "-sB1", dir.toString()).redirectErrorStream(true).start();
        final String out = new String(du.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        du.waitFor();
        return new long[] {Long.parseLong(out.trim().split("\\s+")[0]), apparent};
    }
}
