package io.jetbus.jetstream;

import io.jetbus.api.jetstream.CorruptRecordException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * RELIABILITY.md R5: torn and truncated files, and the torn record a crash leaves.
 */
@Timeout(60)
class FileStreamStoreRecoveryTest
{
    static final int PER_CYCLE = 10;
    static final int RECORDS = 20;

    @TempDir
    Path tmp;

    final AtomicLong clock = new AtomicLong(TestFiles.START_MS);
    final List<StreamStore> opened = new ArrayList<>();
    Path dir;
    /** Record locations of the last fill: {position, length, cycle} per seq. */
    final List<long[]> locations = new ArrayList<>();

    @AfterEach
    void closeAll()
    {
        opened.forEach(StreamStore::close);
    }

    FileStreamStore open(final RecoveryMode mode)
    {
        final FileStreamStore s = FileStreamStore.open(
            TestFiles.config("ORDERS", dir, clock).recoveryMode(mode).build());
        opened.add(s);
        return s;
    }

    static byte[] payload(final long seq)
    {
        return ("payload-" + seq).getBytes(StandardCharsets.UTF_8);
    }

    /** Two cycles of ten records, closed cleanly (so a checkpoint names seq 20). */
    void fill()
    {
        dir = tmp.resolve("ORDERS");
        final FileStreamStore store = open(RecoveryMode.FAIL);
        for (long seq = 1; seq <= RECORDS; seq++)
        {
            if (seq == PER_CYCLE + 1)
            {
                clock.addAndGet(1000);
            }
            store.append("orders." + seq, null, payload(seq), seq);
        }
        locations.add(null);
        for (long seq = 1; seq <= RECORDS; seq++)
        {
            locations.add(store.recordLocation(seq));
        }
        store.close();
        opened.remove(store);
    }

    Path activeCycle()
    {
        final List<Path> files = TestFiles.cycleFiles(dir);
        return files.get(files.size() - 1);
    }

    static void truncate(final Path file, final long size) throws IOException
    {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            ch.truncate(size);
        }
    }

    static void write(final Path file, final long position, final byte[] bytes) throws IOException
    {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            ch.write(ByteBuffer.wrap(bytes), position);
        }
    }

    void assertServesExactly(final StreamStore store, final long first, final long last)
    {
        for (long seq = first; seq <= last; seq++)
        {
            assertThat(store.read(seq).data()).as("seq %d", seq).isEqualTo(payload(seq));
        }
    }

    /** After repair: the prefix is served, the lost tail never, a new publish is readable, and stays so. */
    void assertRepairedAt(final FileStreamStore store, final long firstLost)
    {
        assertThat(store.recoveryReport().lost()).containsExactly(new SeqRange(firstLost, RECORDS));
        assertThat(store.state().lastSeq()).isEqualTo(firstLost - 1);
        assertServesExactly(store, 1, firstLost - 1);
        assertThat(store.read(firstLost)).isNull();
        final long seq = store.append("after", null, "new".getBytes(StandardCharsets.UTF_8), 99);
        assertThat(seq).isEqualTo(firstLost);
        assertThat(store.read(seq).data()).isEqualTo("new".getBytes(StandardCharsets.UTF_8));
        store.close();

        final FileStreamStore again = open(RecoveryMode.FAIL);
        assertThat(again.recoveryReport().lost()).isEmpty();
        assertServesExactly(again, 1, firstLost - 1);
        assertThat(again.read(firstLost).data()).isEqualTo("new".getBytes(StandardCharsets.UTF_8));
        assertThat(again.append("again", null, new byte[] {1}, 100)).isEqualTo(firstLost + 1);
        assertThat(again.read(firstLost + 1).data()).containsExactly(1);
    }

    @Test
    void shouldFailClosedWhenActiveCycleIsTruncatedMidRecord() throws Exception
    {
        fill();
        final long[] loc = locations.get(15);
        truncate(activeCycle(), loc[0] + loc[1] / 2);
        assertThatThrownBy(() -> open(RecoveryMode.FAIL))
            .isInstanceOf(CorruptRecordException.class)
            .hasMessageStartingWith("corrupt data in stream ORDERS, file " + activeCycle() + ", position " +
                loc[0] + ", seqs 15..")
            .hasMessageContaining("CRC32C mismatch")
            .hasMessageEndingWith("repair with recovery mode TRUNCATE_TAIL or SKIP")
            .satisfies(e -> assertThat(((CorruptRecordException)e).firstSeq()).isEqualTo(15));
    }

    @ParameterizedTest
    @EnumSource(value = RecoveryMode.class, names = {"TRUNCATE_TAIL", "SKIP"})
    void shouldServeValidPrefixWhenActiveCycleIsTruncatedMidRecord(final RecoveryMode mode) throws Exception
    {
        fill();
        final long[] loc = locations.get(15);
        truncate(activeCycle(), loc[0] + loc[1] / 2);
        assertRepairedAt(open(mode), 15);
    }

    @Test
    void shouldFailClosedWhenActiveCycleIsTruncatedAtRecordBoundary() throws Exception
    {
        fill();
        truncate(activeCycle(), locations.get(15)[0] - 4);
        assertThatThrownBy(() -> open(RecoveryMode.FAIL))
            .isInstanceOf(CorruptRecordException.class)
            .hasMessageContaining("stream ORDERS, file " + activeCycle())
            .satisfies(e -> assertThat(((CorruptRecordException)e).firstSeq()).isEqualTo(15));
    }

    @ParameterizedTest
    @EnumSource(value = RecoveryMode.class, names = {"TRUNCATE_TAIL", "SKIP"})
    void shouldKeepNewPublishVisibleWhenActiveCycleWasTruncatedAtRecordBoundary(final RecoveryMode mode)
        throws Exception
    {
        fill();
        truncate(activeCycle(), locations.get(15)[0] - 4);
        assertRepairedAt(open(mode), 15);
    }

    @Test
    void shouldDetectBoundaryTruncationByChronicleCountWhenCheckpointIsMissing() throws Exception
    {
        fill();
        Files.delete(dir.resolve(Checkpoint.FILE_NAME));
        truncate(activeCycle(), locations.get(15)[0] - 4);
        assertThatThrownBy(() -> open(RecoveryMode.FAIL))
            .isInstanceOf(CorruptRecordException.class)
            .satisfies(e -> assertThat(((CorruptRecordException)e).firstSeq()).isEqualTo(15));
        final FileStreamStore store = open(RecoveryMode.TRUNCATE_TAIL);
        assertThat(store.recoveryReport().lost()).isNotEmpty().first()
            .satisfies(r -> assertThat(r.first()).isEqualTo(15));
        assertServesExactly(store, 1, 14);
        assertThat(store.read(store.append("x", null, new byte[] {7}, 1)).data()).containsExactly(7);
    }

    @Test
    void shouldFailClosedNamingFileWhenCycleIsTruncatedInsideItsHeader() throws Exception
    {
        fill();
        final Path active = activeCycle();
        truncate(active, 100);
        assertThatThrownBy(() -> open(RecoveryMode.FAIL))
            .isInstanceOf(CorruptRecordException.class)
            .hasMessageStartingWith("corrupt data in stream ORDERS, file " + active + ", position 0, seqs 11..20: " +
                "cycle file cannot be used: incomplete or damaged cycle header")
            .hasMessageContaining("(file 100 bytes)");
    }

    @ParameterizedTest
    @EnumSource(value = RecoveryMode.class, names = {"TRUNCATE_TAIL", "SKIP"})
    void shouldQuarantineAndReportWhenCycleIsTruncatedToZero(final RecoveryMode mode) throws Exception
    {
        fill();
        final Path active = activeCycle();
        truncate(active, 0);
        final FileStreamStore store = open(mode);
        assertThat(store.recoveryReport().events()).anyMatch(e -> e.startsWith("damaged cycle file " + active));
        assertThat(TestFiles.cycleFiles(dir)).hasSize(1);
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
            .anyMatch(n -> n.startsWith(active.getFileName() + ".quarantined-"));
        assertRepairedAt(store, 11);
    }

    @Test
    void shouldNotApplyOldDeletionsToSequencesReusedAfterTruncation() throws Exception
    {
        fill();
        try (FileStreamStore store = open(RecoveryMode.FAIL))
        {
            assertThat(store.delete(18)).isTrue();
        }
        opened.clear();
        truncate(activeCycle(), locations.get(15)[0] - 4);
        final FileStreamStore store = open(RecoveryMode.TRUNCATE_TAIL);
        for (long seq = 15; seq <= 18; seq++)
        {
            assertThat(store.append("reused", null, payload(seq), seq)).isEqualTo(seq);
        }
        store.close();
        final FileStreamStore again = open(RecoveryMode.FAIL);
        assertServesExactly(again, 15, 18);
        assertThat(again.state().msgs()).isEqualTo(18);
    }

    @Test
    void shouldSkipDamagedMiddleRecordAndKeepLaterOnes() throws Exception
    {
        fill();
        final long[] loc = locations.get(13);
        write(activeCycle(), loc[0] + loc[1] - 6, new byte[] {0x7F}); // inside seq 13's payload
        final FileStreamStore lazy = open(RecoveryMode.FAIL);
        // the checkpoint spares reading seq 13 at open; reading it finds the damage
        assertThatThrownBy(() -> lazy.read(13))
            .isInstanceOf(CorruptRecordException.class)
            .hasMessageContaining("seq 13: CRC32C mismatch");
        assertServesExactly(lazy, 14, RECORDS);
        lazy.close();

        Files.delete(dir.resolve(Checkpoint.FILE_NAME));
        assertThatThrownBy(() -> open(RecoveryMode.FAIL)).isInstanceOf(CorruptRecordException.class);
        final FileStreamStore store = open(RecoveryMode.SKIP);
        assertThat(store.recoveryReport().lost()).containsExactly(new SeqRange(13, 13));
        assertThat(store.read(13)).isNull();
        assertServesExactly(store, 1, 12);
        assertServesExactly(store, 14, RECORDS);
        assertThat(store.append("after", null, payload(21), 1)).isEqualTo(21);
        store.close();

        final FileStreamStore again = open(RecoveryMode.FAIL);
        assertThat(again.recoveryReport().lost()).isEmpty();
        assertThat(again.read(13)).isNull();
        assertServesExactly(again, 14, 21);
        Files.delete(dir.resolve(Checkpoint.FILE_NAME));
        again.close();
        final FileStreamStore scanned = open(RecoveryMode.FAIL); // the repair is journaled: no checkpoint needed
        assertThat(scanned.recoveryReport().lost()).isEmpty();
        assertServesExactly(scanned, 14, 21);
    }

    @Test
    void shouldRecoverSilentlyWhenLastRecordIsTornByCrash() throws Exception
    {
        fill();
        // a writer killed inside a document leaves header 0 at the write position and partial bytes after it
        final long[] last = locations.get(RECORDS);
        final long next = (last[0] + last[1] + 3) & ~3L;
        write(activeCycle(), next + 4, "partial record bytes".getBytes(StandardCharsets.UTF_8));

        final FileStreamStore store = open(RecoveryMode.FAIL);
        assertThat(store.recoveryReport().lost()).isEmpty();
        assertThat(store.recoveryReport().events()).isEmpty();
        assertServesExactly(store, 1, RECORDS);
        final long seq = store.append("after", null, payload(21), 1);
        assertThat(seq).isEqualTo(21);
        assertThat(store.read(21).data()).isEqualTo(payload(21));
        store.close();
        final FileStreamStore again = open(RecoveryMode.FAIL);
        assertServesExactly(again, 1, 21);
    }

    enum Ending
    {
        CLOSE, CRASH, NO_CHECKPOINT
    }

    @ParameterizedTest
    @EnumSource(Ending.class)
    void shouldKeepLastTimestampOfPurgedStreamAcrossReopen(final Ending ending) throws Exception
    {
        fill();
        final FileStreamStore store = open(RecoveryMode.FAIL);
        assertThat(store.purge(null, 0, 0)).isEqualTo(RECORDS);
        end(store, ending);

        final FileStreamStore again = open(RecoveryMode.FAIL);
        assertThat(again.recoveryReport().lost()).isEmpty();
        assertThat(again.state().msgs()).isZero();
        assertThat(again.state().lastSeq()).isEqualTo(RECORDS);
        assertThat(again.state().lastTimestampNs()).isEqualTo(RECORDS);
        assertThat(again.append("x", null, new byte[] {7}, 99)).isEqualTo(RECORDS + 1);
        assertThat(again.state().lastTimestampNs()).isEqualTo(99);
    }

    @ParameterizedTest
    @EnumSource(Ending.class)
    void shouldKeepLastTimestampOfDeletedLastMessageAcrossReopen(final Ending ending) throws Exception
    {
        fill();
        final FileStreamStore store = open(RecoveryMode.FAIL);
        assertThat(store.delete(RECORDS)).isTrue();
        end(store, ending);

        final FileStreamStore again = open(RecoveryMode.FAIL);
        assertThat(again.state().msgs()).isEqualTo(RECORDS - 1);
        assertThat(again.state().lastSeq()).isEqualTo(RECORDS);
        assertThat(again.state().lastTimestampNs()).isEqualTo(RECORDS);
    }

    private void end(final FileStreamStore store, final Ending ending) throws IOException
    {
        if (ending == Ending.CLOSE)
        {
            store.close();
        }
        else
        {
            store.releaseForCrashTest();
        }
        opened.remove(store);
        if (ending == Ending.NO_CHECKPOINT)
        {
            Files.delete(dir.resolve(Checkpoint.FILE_NAME));
        }
    }

    @Test
    void shouldScanAndKeepRecordsAppendedAfterLastCheckpointWhenProcessDied()
    {
        dir = tmp.resolve("ORDERS");
        final FileStreamStore store = open(RecoveryMode.FAIL);
        for (long seq = 1; seq <= RECORDS; seq++)
        {
            store.append("orders." + seq, null, payload(seq), seq);
        }
        store.delete(5);
        store.releaseForCrashTest();
        opened.remove(store);

        final FileStreamStore again = open(RecoveryMode.FAIL);
        assertThat(again.recoveryReport().lost()).isEmpty();
        assertThat(again.recoveryReport().recordsScanned()).isEqualTo(RECORDS - 2);
        assertThat(again.read(5)).isNull();
        assertThat(again.state().msgs()).isEqualTo(RECORDS - 1);
        assertServesExactly(again, 6, RECORDS);
    }

    @Test
    void shouldSetAsideHalfCreatedNewestCycleFile() throws Exception
    {
        fill();
        // a crash while Chronicle created the next cycle file: header never completed
        final Path half = dir.resolve("20231114-221322T.cq4");
        Files.write(half, new byte[4096]);

        final long start = System.nanoTime();
        final FileStreamStore store = open(RecoveryMode.FAIL);
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
        assertThat(store.recoveryReport().lost()).isEmpty();
        assertThat(store.recoveryReport().events()).anyMatch(e -> e.startsWith("half-created cycle file " + half));
        assertServesExactly(store, 1, RECORDS);
        assertThat(store.append("x", null, payload(21), 1)).isEqualTo(21);
        assertThat(store.read(21).data()).isEqualTo(payload(21));
    }

    @Test
    void shouldIgnoreChronicleDiscardFiles() throws Exception
    {
        fill();
        Files.write(dir.resolve("20231114-221322T.cq4-1700000002000.discard"), new byte[1024]);
        final FileStreamStore store = open(RecoveryMode.FAIL);
        assertThat(store.recoveryReport().events()).isEmpty();
        assertServesExactly(store, 1, RECORDS);
    }
}
