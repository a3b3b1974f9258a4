package io.jetbus.jetstream;

import io.jetbus.api.jetstream.FlushPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileStreamStoreTest
{
    @TempDir
    Path tmp;

    final AtomicLong clock = new AtomicLong(TestFiles.START_MS);
    final List<StreamStore> opened = new ArrayList<>();

    @AfterEach
    void closeAll()
    {
        opened.forEach(StreamStore::close);
    }

    FileStreamStore open(final FileStoreConfig.Builder builder)
    {
        final FileStreamStore s = FileStreamStore.open(builder.build());
        opened.add(s);
        return s;
    }

    FileStreamStore open()
    {
        return open(TestFiles.config("ORDERS", tmp.resolve("ORDERS"), clock));
    }

    static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Appends {@code n} messages to each store, moving the clock to a new one-second cycle every {@code perCycle}. */
    void fill(final int n, final int perCycle, final StreamStore... stores)
    {
        for (int i = 0; i < n; i++)
        {
            if (i > 0 && i % perCycle == 0)
            {
                clock.addAndGet(1000);
            }
            for (final StreamStore store : stores)
            {
                store.append("s." + (i % 3), null, bytes("payload-" + i), clock.get() * 1_000_000L + i);
            }
        }
    }

    static void assertSameContent(final StreamStore a, final StreamStore b)
    {
        assertThat(b.state()).isEqualTo(a.state());
        assertThat(b.subjects(null)).isEqualTo(a.subjects(null));
        for (long s = a.state().firstSeq(); s <= a.state().lastSeq(); s++)
        {
            final StoredMessage x = a.read(s);
            final StoredMessage y = b.read(s);
            if (x == null)
            {
                assertThat(y).isNull();
            }
            else
            {
                assertThat(y.subject()).isEqualTo(x.subject());
                assertThat(y.data()).isEqualTo(x.data());
                assertThat(y.timestampEpochNs()).isEqualTo(x.timestampEpochNs());
            }
        }
    }

    @Test
    void shouldRestoreEverythingWhenClosedAndReopened()
    {
        final MemoryStreamStore expected = new MemoryStreamStore("ORDERS");
        opened.add(expected);
        FileStreamStore store = open();
        fill(50, 10, store, expected);
        for (final StreamStore s : List.of(store, expected))
        {
            s.delete(7);
            s.delete(1);
            s.delete(49);
            s.purge("s.2", 20, 0);
        }
        store.close();
        store = open();
        assertThat(store.recoveryReport().checkpointUsed()).isTrue();
        assertThat(store.recoveryReport().recordsScanned()).isZero();
        assertThat(store.recoveryReport().lost()).isEmpty();
        assertSameContent(expected, store);
        assertThat(store.append("s.new", null, bytes("after"), 1)).isEqualTo(51);
        assertThat(store.read(51).data()).isEqualTo(bytes("after"));
    }

    @Test
    void shouldRebuildSameStateByFullScanWhenCheckpointIsMissing() throws Exception
    {
        FileStreamStore store = open();
        fill(40, 7, store);
        store.delete(3);
        store.delete(40);
        store.purge(null, 5, 0);
        final StoreState before = store.state();
        final Map<String, SubjectState> subjectsBefore = store.subjects(null);
        store.close();
        Files.delete(tmp.resolve("ORDERS").resolve(Checkpoint.FILE_NAME));

        store = open();
        assertThat(store.recoveryReport().checkpointUsed()).isFalse();
        // 35 live records, plus seq 1: the first of a cycle is read to learn its sequence
        assertThat(store.recoveryReport().recordsScanned()).isEqualTo(36);
        assertThat(store.recoveryReport().events()).anyMatch(e -> e.startsWith("no checkpoint"));
        assertThat(store.state()).isEqualTo(before);
        assertThat(store.subjects(null)).isEqualTo(subjectsBefore);
        assertThat(store.read(3)).isNull();
        assertThat(store.read(6).data()).isEqualTo(bytes("payload-5"));
    }

    @Test
    void shouldScanOnlyRecordsAfterCheckpointWhenReopened()
    {
        FileStreamStore store = open(TestFiles.config("ORDERS", tmp.resolve("ORDERS"), clock)
            .checkpointEveryAppends(100));
        fill(250, 60, store);
        // the last checkpoint was written at seq 200 (and on each new cycle); simulate a crash by not closing
        final StoreState before = store.state();
        store.releaseForCrashTest();
        opened.remove(store);

        store = open();
        assertThat(store.recoveryReport().checkpointUsed()).isTrue();
        assertThat(store.recoveryReport().recordsScanned()).isBetween(1L, 60L);
        assertThat(store.state()).isEqualTo(before);
        assertThat(store.read(250).data()).isEqualTo(bytes("payload-249"));
    }

    @Test
    void shouldNameCycleFilesLikeChronicle()
    {
        final FileStreamStore store = open();
        fill(3, 1, store);
        final List<String> names = TestFiles.cycleFiles(tmp.resolve("ORDERS")).stream()
            .map(p -> p.getFileName().toString()).toList();
        assertThat(names).containsExactly("20231114-221320T.cq4", "20231114-221321T.cq4", "20231114-221322T.cq4");
        assertThat(store.cycleFileName(1_700_000_001)).isEqualTo("20231114-221321T.cq4");
    }

    @Test
    void shouldDeleteCycleFilesWhenNothingInThemIsRetained()
    {
        FileStreamStore store = open();
        fill(30, 10, store);
        final Path dir = tmp.resolve("ORDERS");
        assertThat(TestFiles.cycleFiles(dir)).hasSize(3);
        store.purge(null, 15, 0);
        assertThat(TestFiles.cycleFiles(dir)).hasSize(2);
        store.purge(null, 0, 0);
        assertThat(TestFiles.cycleFiles(dir)).hasSize(1).first()
            .satisfies(p -> assertThat(p.getFileName().toString()).isEqualTo("20231114-221322T.cq4"));
        assertThat(store.state().firstSeq()).isEqualTo(31);
        store.close();

        store = open();
        assertThat(store.recoveryReport().lost()).isEmpty();
        assertThat(store.state().firstSeq()).isEqualTo(31);
        assertThat(store.state().lastSeq()).isEqualTo(30);
        assertThat(store.append("x", null, bytes("y"), 1)).isEqualTo(31);
    }

    @Test
    void shouldTreatMissingCycleBelowFirstSeqAsExpectedWhenCheckpointIsGone() throws Exception
    {
        FileStreamStore store = open();
        fill(30, 10, store);
        store.delete(1);
        for (long s = 2; s <= 10; s++)
        {
            store.delete(s);
        }
        store.close();
        final Path dir = tmp.resolve("ORDERS");
        assertThat(TestFiles.cycleFiles(dir)).hasSize(2);
        Files.delete(dir.resolve(Checkpoint.FILE_NAME));

        store = open();
        assertThat(store.recoveryReport().lost()).isEmpty();
        assertThat(store.state().firstSeq()).isEqualTo(11);
        assertThat(store.state().msgs()).isEqualTo(20);
    }

    @Test
    void shouldReportGapWhenMiddleCycleFileIsMissing() throws Exception
    {
        FileStreamStore store = open();
        fill(30, 10, store);
        store.close();
        final Path dir = tmp.resolve("ORDERS");
        Files.delete(TestFiles.cycleFiles(dir).get(1));

        store = open();
        assertThat(store.recoveryReport().lost()).containsExactly(new SeqRange(11, 20));
        assertThat(store.state().lost()).containsExactly(new SeqRange(11, 20));
        assertThat(store.state().msgs()).isEqualTo(20);
        assertThat(store.state().numDeleted()).isEqualTo(10);
        assertThat(store.read(15)).isNull();
        assertThat(store.read(21).data()).isEqualTo(bytes("payload-20"));
        assertThat(store.nextSeq(11, null)).isEqualTo(21);
        assertThat(store.append("x", null, bytes("y"), 1)).isEqualTo(31);
        store.close();

        store = open();
        assertThat(store.recoveryReport().checkpointUsed()).isTrue();
        assertThat(store.state().msgs()).isEqualTo(21);
        assertThat(store.read(31).data()).isEqualTo(bytes("y"));
    }

    @Test
    void shouldRebuildChronicleMetadataWhenItIsDeleted() throws Exception
    {
        FileStreamStore store = open();
        fill(20, 10, store);
        store.close();
        Files.delete(tmp.resolve("ORDERS").resolve("metadata.cq4t"));

        store = open();
        assertThat(store.state().msgs()).isEqualTo(20);
        assertThat(store.read(20).data()).isEqualTo(bytes("payload-19"));
        assertThat(store.append("x", null, bytes("y"), 1)).isEqualTo(21);
        assertThat(store.read(21).data()).isEqualTo(bytes("y"));
    }

    @Test
    void shouldKeepAppendingInNewestCycleWhenClockGoesBackwards()
    {
        FileStreamStore store = open();
        fill(10, 5, store);
        store.close();
        clock.addAndGet(-60_000);
        store = open();
        assertThat(store.append("x", null, bytes("late"), 1)).isEqualTo(11);
        assertThat(TestFiles.cycleFiles(tmp.resolve("ORDERS"))).hasSize(2);
        store.close();
        store = open();
        assertThat(store.read(11).data()).isEqualTo(bytes("late"));
    }

    @Test
    void shouldAckOnlyStoredRecordsWhenClosedDuringPublish() throws Exception
    {
        for (int iteration = 0; iteration < 10; iteration++)
        {
            final Path dir = tmp.resolve("close-" + iteration);
            final FileStreamStore store = FileStreamStore.open(TestFiles.config("C", dir, clock)
                .flushPolicy(iteration % 2 == 0 ? FlushPolicy.everyPublish() : FlushPolicy.none()).build());
            final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            final java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(4);
            final List<java.util.concurrent.Future<List<Long>>> acks = new ArrayList<>();
            for (int t = 0; t < 4; t++)
            {
                acks.add(pool.submit(() ->
                {
                    final List<Long> acked = new ArrayList<>();
                    running.countDown();
                    try
                    {
                        while (true)
                        {
                            final long seq = store.append("p", null, bytes("m"), 1);
                            store.awaitDurable(store.writeMark()); // as a Stream does, outside its lock
                            acked.add(seq);
                        }
                    }
                    catch (final IllegalStateException e)
                    {
                        assertThat(e).hasMessage("stream C is closed");
                    }
                    return acked;
                }));
            }
            running.await();
            store.close();
            final List<Long> all = new ArrayList<>();
            for (final java.util.concurrent.Future<List<Long>> f : acks)
            {
                all.addAll(f.get(10, java.util.concurrent.TimeUnit.SECONDS));
            }
            pool.shutdown();
            final FileStreamStore reopened = open(TestFiles.config("C", dir, clock));
            assertThat(reopened.recoveryReport().lost()).isEmpty();
            assertThat(reopened.state().lastSeq()).isGreaterThanOrEqualTo(all.size());
            for (final long seq : all)
            {
                assertThat(reopened.read(seq).data()).isEqualTo(bytes("m"));
            }
            reopened.close();
        }
    }

    @Test
    void shouldRefuseSecondOpenOfSameDirectory()
    {
        open();
        assertThatThrownBy(this::open)
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("stream ORDERS is already open in this JVM (directory " + tmp.resolve("ORDERS") + ")");
    }

    @Test
    void shouldRejectRecordLargerThanQuarterOfBlock()
    {
        final FileStreamStore store = open();
        final int max = (1 << 20) / 4;
        assertThat(store.append("s", null, new byte[max - RecordCodec.OVERHEAD - 1], 1)).isEqualTo(1);
        assertThatThrownBy(() -> store.append("s", null, new byte[max], 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("message of " + (max + RecordCodec.OVERHEAD + 1) + " bytes (with headers, subject and " +
                "framing) exceeds the store's maximum record size of " + max + " bytes");
        assertThat(store.read(1).data()).hasSize(max - RecordCodec.OVERHEAD - 1);
    }
}
