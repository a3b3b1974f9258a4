package io.jetbus.jetstream;

import io.jetbus.api.jetstream.FlushPolicy;
import io.jetbus.api.jetstream.StorageFullException;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child JVM of {@link DiskFullTest}: publishes 1 KiB messages into a store on a small tmpfs until it is
 * refused, waits for the parent to enlarge the file system, publishes again and verifies every record.
 */
final class DiskFullChild
{
    private DiskFullChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[0]);
        final FileStoreConfig config = FileStoreConfig.builder("FULL", dir)
            .blockSize(1 << 20)
            .reserveBytes(4L << 20)
            .spaceCheckIntervalBytes(256 << 10)
            .flushPolicy(FlushPolicy.none())
            .build();
        final byte[] payload = new byte[1024];
        try (FileStreamStore store = FileStreamStore.open(config))
        {
            long last = 0;
            try
            {
                while (true)
                {
                    payload[0] = (byte)last;
                    last = store.append("fill", null, payload, last);
                }
            }
            catch (final StorageFullException e)
            {
                System.out.println("FULL " + last + " " + e.getMessage());
                System.out.flush();
            }
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (!"REMOUNTED".equals(in.readLine()))
            {
                System.exit(3);
            }
            for (int i = 0; i < 100; i++)
            {
                last = store.append("more", null, payload, i);
            }
            System.out.println("RESUMED " + last);
            for (long seq = 1; seq <= last; seq++)
            {
                if (store.read(seq) == null)
                {
                    System.out.println("MISSING " + seq);
                    System.exit(4);
                }
            }
            System.out.println("OK " + last);
        }
    }
}
