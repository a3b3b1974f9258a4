package io.jetbus.jetstream;

import io.jetbus.api.jetstream.FlushPolicy;
import io.jetbus.api.jetstream.StorageFullException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Flush policies (group commit, interval, sync failure) and the free-space reserve (RELIABILITY.md 3.5, 3.9).
 */
@Timeout(60)
class FileStreamStoreDurabilityTest
{
    @TempDir
    Path tmp;

    final AtomicLong clock = new AtomicLong(TestFiles.START_MS);
    final List<StreamStore> opened = new ArrayList<>();
    final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void closeAll() throws Exception
    {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        opened.forEach(StreamStore::close);
    }

    FileStreamStore open(final FileStoreConfig.Builder builder)
    {
        final FileStreamStore s = FileStreamStore.open(builder.build());
        opened.add(s);
        return s;
    }

    FileStoreConfig.Builder config()
    {
        return TestFiles.config("S", tmp.resolve("S"), clock);
    }

    /**
     * Appends and waits for durability as {@link Stream} does: the append and its mark under one lock, the wait
     * outside it.
     */
    static long appendDurably(final FileStreamStore store, final String subject, final byte[] data, final long ts)
    {
        final long seq;
        final long mark;
        synchronized (store)
        {
            seq = store.append(subject, null, data, ts);
            mark = store.writeMark();
        }
        store.awaitDurable(mark);
        return seq;
    }

    static boolean deleteDurably(final FileStreamStore store, final long seq)
    {
        final boolean deleted = store.delete(seq);
        store.awaitDurable(store.writeMark());
        return deleted;
    }

    static void awaitTicket(final FileStreamStore store, final long ticket)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.writeTicket() < ticket)
        {
            assertThat(System.nanoTime()).as("appends did not arrive").isLessThan(deadline);
            LockSupport.parkNanos(100_000);
        }
    }

    @Test
    void shouldCoverManyAppendsWithOneSyncWhenEveryPublish() throws Exception
    {
        final CountDownLatch firstSyncMayFinish = new CountDownLatch(1);
        final CountDownLatch firstSyncEntered = new CountDownLatch(1);
        final AtomicInteger syncs = new AtomicInteger(Integer.MIN_VALUE);
        final FileStreamStore store = open(config().flushPolicy(FlushPolicy.everyPublish()).beforeSync(() ->
        {
            if (syncs.incrementAndGet() == 1)
            {
                firstSyncEntered.countDown();
                try
                {
                    firstSyncMayFinish.await(10, TimeUnit.SECONDS);
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }));
        appendDurably(store, "warm.up", new byte[] {0}, 0); // creates the cycle file (and its checkpoint)
        final long syncsBefore = store.syncCount();
        final long ticket = store.writeTicket();
        syncs.set(0);
        final List<Future<Long>> first = new ArrayList<>();
        first.add(pool.submit(() -> appendDurably(store, "p.0", new byte[] {0}, 0)));
        assertThat(firstSyncEntered.await(10, TimeUnit.SECONDS)).isTrue();
        // the first append is now inside its sync; seven more append and wait for the next one
        for (int t = 1; t < 8; t++)
        {
            final int p = t;
            first.add(pool.submit(() -> appendDurably(store, "p." + p, new byte[] {(byte)p}, p)));
        }
        awaitTicket(store, ticket + 8);
        firstSyncMayFinish.countDown();
        for (final Future<Long> f : first)
        {
            assertThat(f.get(10, TimeUnit.SECONDS)).isBetween(2L, 9L);
        }
        assertThat(store.syncCount() - syncsBefore).isEqualTo(2);

        // free-running: 8 threads x 200 appends, contiguous, order per thread, far fewer syncs than appends
        final List<Future<long[]>> runs = new ArrayList<>();
        for (int t = 0; t < 8; t++)
        {
            final int p = t;
            runs.add(pool.submit(() ->
            {
                final long[] seqs = new long[200];
                for (int k = 0; k < seqs.length; k++)
                {
                    seqs[k] = appendDurably(store, "q." + p, new byte[] {(byte)k}, k);
                }
                return seqs;
            }));
        }
        final boolean[] seen = new boolean[9 + 1600 + 1];
        for (final Future<long[]> f : runs)
        {
            final long[] seqs = f.get(30, TimeUnit.SECONDS);
            for (int k = 0; k < seqs.length; k++)
            {
                assertThat(seen[(int)seqs[k]]).isFalse();
                seen[(int)seqs[k]] = true;
                assertThat(k == 0 || seqs[k] > seqs[k - 1]).isTrue();
            }
        }
        assertThat(store.state().lastSeq()).isEqualTo(1609);
        assertThat(store.syncCount()).isLessThan(1609);
    }

    @Test
    void shouldBecomeReadOnlyWhenSyncFails()
    {
        final AtomicInteger calls = new AtomicInteger(Integer.MIN_VALUE);
        final FileStreamStore store = open(config().flushPolicy(FlushPolicy.everyPublish())
            .checkpointEveryAppends(Long.MAX_VALUE).beforeSync(() ->
            {
                if (calls.incrementAndGet() == 2)
                {
                    throw new IllegalStateException("disk gone");
                }
            }));
        assertThat(appendDurably(store, "a", new byte[] {1}, 1)).isEqualTo(1);
        calls.set(1); // the next sync fails
        assertThatThrownBy(() -> appendDurably(store, "a", new byte[] {2}, 2))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("stream S could not sync: sync failed: java.lang.IllegalStateException: disk gone");
        assertThatThrownBy(() -> store.append("a", null, new byte[] {3}, 3))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("stream S is read-only after a storage failure: sync failed: " +
                "java.lang.IllegalStateException: disk gone");
        assertThatThrownBy(() -> store.delete(1))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageStartingWith("stream S is read-only after a storage failure");
        assertThat(store.read(1).data()).containsExactly(1);
        assertThat(store.state().lastSeq()).isEqualTo(2);
    }

    @Test
    void shouldSyncInBackgroundWhenInterval() throws Exception
    {
        final CountDownLatch synced = new CountDownLatch(2);
        final FileStreamStore store = open(config().flushPolicy(FlushPolicy.interval(Duration.ofMillis(5)))
            .beforeSync(synced::countDown));
        store.append("a", null, new byte[] {1}, 1);
        assertThat(synced.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(store.syncCount()).isGreaterThanOrEqualTo(1);
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals("jetbus-sync-S"));
        store.close();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("jetbus-sync-S"));
    }

    @Test
    void shouldRefuseAppendsBelowReserveAndResumeWhenSpaceReturns()
    {
        final AtomicLong usable = new AtomicLong(10_000);
        final FileStreamStore store = open(config().reserveBytes(1_000).spaceCheckIntervalBytes(1)
            .usableSpace(usable::get));
        assertThat(store.append("a", null, new byte[] {1}, 1)).isEqualTo(1);
        usable.set(999);
        assertThatThrownBy(() -> store.append("a", null, new byte[] {2}, 2))
            .isInstanceOf(StorageFullException.class)
            .hasMessage("storage dir " + store.dir + " is full: usable space 999 bytes is below the reserve of " +
                "1000 bytes")
            .satisfies(e ->
            {
                final StorageFullException full = (StorageFullException)e;
                assertThat(full.usableBytes()).isEqualTo(999);
                assertThat(full.reserveBytes()).isEqualTo(1000);
                assertThat(full.directory()).isEqualTo(store.dir.toString());
            });
        assertThat(store.state().lastSeq()).isEqualTo(1);
        usable.set(5_000);
        assertThat(store.append("a", null, new byte[] {3}, 3)).isEqualTo(2);
        assertThat(store.read(2).data()).containsExactly(3);
    }

    @Test
    void shouldCheckSpaceOnlyEveryFewMegabytes()
    {
        final AtomicInteger measured = new AtomicInteger();
        final FileStreamStore store = open(config().reserveBytes(1).spaceCheckIntervalBytes(10_000)
            .usableSpace(() ->
            {
                measured.incrementAndGet();
                return Long.MAX_VALUE;
            }));
        for (int i = 0; i < 100; i++)
        {
            store.append("a", null, new byte[500], i);
        }
        // 100 x 535 bytes = 53 500 bytes: one check at the start, then one per 10 000 bytes
        assertThat(measured.get()).isBetween(5, 7);
    }

    @Test
    void shouldStayUsableWhenAnInterruptedThreadAppendsAndDeletes() throws Exception
    {
        final FileStreamStore store = open(config().flushPolicy(FlushPolicy.everyPublish()));
        appendDurably(store, "a", new byte[] {1}, 1);
        final Future<Boolean> interrupted = pool.submit(() ->
        {
            Thread.currentThread().interrupt();
            clock.addAndGet(1000); // a new cycle file: directory sync and a new channel, all while interrupted
            appendDurably(store, "a", new byte[] {2}, 2);
            deleteDurably(store, 1);
            appendDurably(store, "a", new byte[] {3}, 3);
            return Thread.interrupted();
        });
        assertThat(interrupted.get(10, TimeUnit.SECONDS)).as("interrupt status kept").isTrue();
        assertThat(store.failure()).isNull();
        assertThat(appendDurably(store, "a", new byte[] {4}, 4)).isEqualTo(4);
        assertThat(store.read(3).data()).containsExactly(3);
        assertThat(store.read(1)).isNull();
    }

    @Test
    void shouldDefaultReserveToTwoBlocksPlus64MiB()
    {
        final FileStoreConfig c = FileStoreConfig.builder("S", tmp).blockSize(1 << 20).build();
        assertThat(c.reserveBytes).isEqualTo(2 * (1 << 20) + (64L << 20));
    }
}
