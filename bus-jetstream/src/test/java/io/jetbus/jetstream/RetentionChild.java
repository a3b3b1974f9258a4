package io.jetbus.jetstream;

import io.jetbus.api.jetstream.FlushPolicy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process {@link RetentionCrashTest} kills: appends to a {@link FileStreamStore} with one-second test cycles and
 * applies a tiny message limit after every append, so that whole cycle files are deleted all the time, until it is
 * killed with SIGKILL.
 *
 * <p>Why the store and not the bus: the roll cycle is not part of the public {@code StreamConfig} (streams use
 * {@code FAST_HOURLY}, decided by the wall clock), and the store is where cycle files are deleted. The child rolls
 * to a new cycle every few appends by moving an injected clock, and removes the oldest messages the two ways
 * {@code Stream} enforces limits: {@code purge(keep)} for {@code maxMsgs} and {@code delete(firstSeq)} for
 * {@code maxBytes}.
 *
 * <p>Arguments: directory, seed, {@code always} or {@code none} (flush policy), report file. Lines, to a
 * {@link ChildReport}, each printed after its call returned: {@code ACK seq} after an append, {@code FIRST seq} (the
 * first live sequence) after a removal, and once at the start {@code LIMITS perCycle keep}.
 */
final class RetentionChild
{
    static final String STREAM = "RET";

    private RetentionChild()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final Path dir = Path.of(args[0]);
        final SplittableRandom random = new SplittableRandom(Long.parseLong(args[1]));
        final FlushPolicy flush = "always".equals(args[2]) ? FlushPolicy.everyPublish() : FlushPolicy.none();
        final ChildReport out = new ChildReport(Path.of(args[3]));
        final int perCycle = 5 + random.nextInt(30);
        final int keep = 1 + random.nextInt(40);
        final AtomicLong clock = new AtomicLong(TestFiles.START_MS);
        final FileStreamStore store = FileStreamStore.open(config(dir, clock).flushPolicy(flush).build());
        out.println("LIMITS " + perCycle + " " + keep);
        for (long k = 0; ; k++)
        {
            if (k % perCycle == perCycle - 1)
            {
                clock.addAndGet(1000); // the next append starts a new cycle file
            }
            final long seq = store.append("ret." + k % 3, null, payload(k + 1), clock.get() * 1_000_000);
            out.println("ACK " + seq);
            if (store.state().msgs() > keep)
            {
                if (random.nextBoolean())
                {
                    store.purge(null, 0, keep);
                }
                else
                {
                    while (store.state().msgs() > keep)
                    {
                        store.delete(store.state().firstSeq());
                    }
                }
                out.println("FIRST " + store.state().firstSeq());
            }
        }
    }

    /**
     * The store's configuration, the same in the child and in the test that reopens its files.
     */
    static FileStoreConfig.Builder config(final Path dir, final AtomicLong clock)
    {
        return TestFiles.config(STREAM, dir, clock);
    }

    /** The payload of a sequence: {@link CrashChild#payload} of publisher 7. */
    static byte[] payload(final long seq)
    {
        return CrashChild.payload(7, seq);
    }
}
