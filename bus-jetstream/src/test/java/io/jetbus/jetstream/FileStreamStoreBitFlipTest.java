package io.jetbus.jetstream;

import io.jetbus.api.jetstream.CorruptRecordException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * RELIABILITY.md R6: one random bit flipped in a record's payload or header, a cycle file header, Chronicle's
 * metadata, the checkpoint or the journal. Whatever the flip, a read returns the original bytes, null, or a
 * {@link CorruptRecordException}; never other bytes. Seeded; 100 trials.
 */
@Timeout(120)
class FileStreamStoreBitFlipTest
{
    /** Override with env JETBUS_BITFLIP_SEED / JETBUS_BITFLIP_TRIALS for longer runs (nightly: 10 000). */
    static final long SEED = Long.parseLong(System.getenv().getOrDefault("JETBUS_BITFLIP_SEED", "1592635775"));
    static final int TRIALS = Integer.parseInt(System.getenv().getOrDefault("JETBUS_BITFLIP_TRIALS", "100"));
    static final int PER_CYCLE = 15;
    static final int RECORDS = 30;

    enum Target
    {
        PAYLOAD, RECORD_HEADER, FILE_HEADER, METADATA, CHECKPOINT, JOURNAL
    }

    @TempDir
    static Path tmp;

    static Path base;
    static final Map<Long, StoredMessage> ORIGINAL = new HashMap<>();
    static final Map<Long, long[]> LOCATION = new HashMap<>();
    static final List<Long> DELETED = List.of(4L, 17L);

    static FileStoreConfig.Builder config(final Path dir, final RecoveryMode mode)
    {
        return TestFiles.config("FLIP", dir, new AtomicLong(TestFiles.START_MS + 10_000)).recoveryMode(mode)
            .chronicleTimeout(java.time.Duration.ofMillis(500));
    }

    @BeforeAll
    static void createBase()
    {
        base = tmp.resolve("base");
        final AtomicLong clock = new AtomicLong(TestFiles.START_MS);
        try (FileStreamStore store = FileStreamStore.open(TestFiles.config("FLIP", base, clock).build()))
        {
            final Random random = new Random(SEED);
            for (long seq = 1; seq <= RECORDS; seq++)
            {
                if (seq == PER_CYCLE + 1)
                {
                    clock.addAndGet(1000);
                }
                final byte[] data = new byte[8 + random.nextInt(120)];
                random.nextBytes(data);
                final byte[] headers =
                    seq % 3 == 0 ? "NATS/1.0\r\nk: v\r\n\r\n".getBytes(StandardCharsets.UTF_8) : null;
                store.append("flip." + seq % 4, headers, data, seq * 1000);
                ORIGINAL.put(seq, store.read(seq));
                LOCATION.put(seq, store.recordLocation(seq));
            }
            DELETED.forEach(store::delete);
        }
    }

    @Test
    void shouldNeverServeWrongBytesWhenOneBitFlips() throws Exception
    {
        final Random random = new Random(SEED);
        final Map<Target, int[]> outcomes = new EnumMap<>(Target.class);
        long slowestOpenNs = 0;
        for (int trial = 0; trial < TRIALS; trial++)
        {
            final Target target = Target.values()[trial % Target.values().length];
            final Path dir = tmp.resolve("trial-" + trial);
            copy(base, dir);
            final long damagedSeq = flip(dir, target, random);
            final String what = "trial " + trial + " (seed " + SEED + ", " + target + ", seq " + damagedSeq + ", " +
                lastFlip + ")";

            final RecoveryMode repair = random.nextBoolean() ? RecoveryMode.TRUNCATE_TAIL : RecoveryMode.SKIP;
            final long start = System.nanoTime();
            FileStreamStore store;
            boolean failedClosed = false;
            try
            {
                store = FileStreamStore.open(config(dir, RecoveryMode.FAIL).build());
            }
            catch (final CorruptRecordException e)
            {
                assertThat(e.getMessage()).as(what).startsWith("corrupt data in stream FLIP, file ");
                failedClosed = true;
                store = FileStreamStore.open(config(dir, repair).build());
            }
            final long openNs = System.nanoTime() - start;
            if (openNs > 2_000_000_000L)
            {
                System.out.println("slow open: " + what + " took " + openNs / 1_000_000 + " ms");
            }
            slowestOpenNs = Math.max(slowestOpenNs, openNs);
            outcomes.computeIfAbsent(target, t -> new int[2])[failedClosed ? 1 : 0]++;
            try
            {
                checkReads(store, damagedSeq, target, what);
                final long seq = store.append("after.flip", null, new byte[] {42}, 1);
                assertThat(store.read(seq).data()).as(what).containsExactly(42);
            }
            finally
            {
                store.close();
                delete(dir);
            }
        }
        System.out.println("bit flip outcomes {opened, failed closed then repaired}: " + outcomesText(outcomes) +
            ", slowest open " + slowestOpenNs / 1_000_000 + " ms");
        assertThat(slowestOpenNs).isLessThan(5_000_000_000L);
    }

    private static String outcomesText(final Map<Target, int[]> outcomes)
    {
        final StringBuilder sb = new StringBuilder();
        outcomes.forEach((t, o) -> sb.append(t).append('=').append(o[0]).append('/').append(o[1]).append(' '));
        return sb.toString().trim();
    }

    private static void checkReads(
        final FileStreamStore store, final long damagedSeq, final Target target, final String what)
    {
        final List<SeqRange> lost = store.recoveryReport().lost();
        for (long seq = 1; seq <= RECORDS; seq++)
        {
            final StoredMessage expected = ORIGINAL.get(seq);
            final StoredMessage actual;
            try
            {
                actual = store.read(seq);
            }
            catch (final CorruptRecordException e)
            {
                assertThat(e.firstSeq()).as(what).isEqualTo(seq);
                if (target == Target.RECORD_HEADER)
                {
                    // a damaged Chronicle length also hides the records Chronicle must walk past to reach later ones
                    assertThat(seq).as(what + ": records before the damaged one must be served")
                        .isGreaterThanOrEqualTo(damagedSeq);
                }
                else if (target != Target.FILE_HEADER)
                {
                    assertThat(seq).as(what + ": only the damaged record may fail").isEqualTo(damagedSeq);
                }
                continue;
            }
            if (actual == null)
            {
                final long s = seq;
                final boolean allowed = DELETED.contains(seq) || lost.stream().anyMatch(r -> r.first() <= s &&
                    s <= r.last()) || seq >= damagedSeq && damagedSeq > 0 || target == Target.FILE_HEADER;
                assertThat(allowed).as(what + ": seq " + seq + " vanished without a report").isTrue();
                continue;
            }
            assertThat(actual.subject()).as(what + " seq " + seq).isEqualTo(expected.subject());
            assertThat(actual.headers()).as(what + " seq " + seq).isEqualTo(expected.headers());
            assertThat(actual.data()).as(what + " seq " + seq).isEqualTo(expected.data());
            assertThat(actual.timestampEpochNs()).as(what + " seq " + seq).isEqualTo(expected.timestampEpochNs());
        }
    }

    /**
     * @return the seq whose record was damaged, or 0 when the flip hit no record.
     */
    private static long flip(final Path dir, final Target target, final Random random) throws IOException
    {
        final List<Path> cycles = TestFiles.cycleFiles(dir);
        final long seq = 1 + random.nextInt(RECORDS);
        final long[] loc = LOCATION.get(seq);
        final Path cycleFile = cycles.get(seq <= PER_CYCLE ? 0 : 1);
        switch (target)
        {
            case PAYLOAD ->
            {
                final StoredMessage m = ORIGINAL.get(seq);
                final long dataStart = loc[0] + RecordCodec.HEADER_LENGTH +
                    m.subject().getBytes(StandardCharsets.UTF_8).length + m.headers().length;
                flipBit(cycleFile, dataStart + random.nextInt(m.data().length), random);
                return seq;
            }
            case RECORD_HEADER ->
            {
                flipBit(cycleFile, loc[0] - 4 + random.nextInt(4 + RecordCodec.HEADER_LENGTH), random);
                return seq;
            }
            case FILE_HEADER ->
            {
                final Path file = cycles.get(random.nextInt(cycles.size()));
                final long firstRecord = LOCATION.get(file.equals(cycles.get(0)) ? 1L : PER_CYCLE + 1L)[0] - 4;
                flipBit(file, random.nextBoolean() ? random.nextInt(256) : (long)(random.nextDouble() * firstRecord),
                    random);
                return 0;
            }
            case METADATA ->
            {
                final Path meta = dir.resolve(random.nextBoolean() ? "metadata.cq4t" : FileStoreRecovery.IDENTITY_FILE);
                flipBit(meta, (long)(random.nextDouble() * Math.min(Files.size(meta), 1024)), random);
                return 0;
            }
            case CHECKPOINT ->
            {
                final Path ckpt = dir.resolve(Checkpoint.FILE_NAME);
                flipBit(ckpt, random.nextInt((int)Files.size(ckpt)), random);
                return 0;
            }
            case JOURNAL ->
            {
                final Path journal = dir.resolve(StoreJournal.FILE_NAME);
                flipBit(journal, random.nextInt((int)Files.size(journal)), random);
                return 0;
            }
            default -> throw new IllegalStateException("unknown target " + target);
        }
    }

    private static String lastFlip;

    private static void flipBit(final Path file, final long position, final Random random) throws IOException
    {
        lastFlip = file.getFileName() + " @" + position;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, position);
            final int bit = random.nextInt(8);
            lastFlip += " bit " + bit;
            b.put(0, (byte)(b.get(0) ^ (1 << bit)));
            b.rewind();
            ch.write(b, position);
        }
    }

    private static void delete(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path f : files.toList())
            {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    private static void copy(final Path from, final Path to)
    {
        try (Stream<Path> files = Files.list(from))
        {
            Files.createDirectories(to);
            for (final Path f : files.toList())
            {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void shouldHaveDamagedRecordsRejectedByCodecForEveryBitOfARecord()
    {
        final RecordCodec.Encoder encoder = new RecordCodec.Encoder();
        final int length = encoder.encode(7, 123, "a.b".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2},
            new byte[] {3, 4, 5});
        final byte[] record = encoder.buffer().clone();
        for (int bit = 0; bit < length * 8; bit++)
        {
            final byte[] copy = record.clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            if (RecordCodec.check(copy, length, 7) == null)
            {
                fail("bit " + bit + " flipped and the record still checks out");
            }
        }
        assertThat(RecordCodec.check(record, length, 7)).isNull();
        assertThat(RecordCodec.check(record, length, 8)).isEqualTo("record holds seq 7 where seq 8 belongs");
        assertThat(new ArrayList<>(List.of(RecordCodec.check(record, length - 1, 7))).get(0))
            .startsWith("CRC32C mismatch");
    }
}
