package io.jetbus.jetstream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY.md R23, {@code kill -9} during retention's cycle-file deletion: a child JVM ({@link RetentionChild})
 * appends with one-second test cycles and a limit of a few messages, so cycle files are deleted continuously, and is
 * killed with SIGKILL at a seeded random point. The test JVM then reopens the store, failing closed on any damage
 * ({@link RecoveryMode#FAIL}), and checks:
 *
 * <ul>
 *     <li>nothing is resurrected: the first sequence is at least the last one the child saw after a removal, and
 *     every sequence below it reads as absent;</li>
 *     <li>the cycles deleted below the first sequence (which the last checkpoint usually still lists) count as
 *     deleted, not as damage or lost data: the open succeeds and reports no lost sequence;</li>
 *     <li>every acknowledged sequence from the first on is there with its bytes, contiguous; retention kept the
 *     number of cycle files small; the next append takes the next sequence; reopening takes under 5 s.</li>
 * </ul>
 *
 * <p>A missing cycle <em>above</em> the first sequence (reported as a gap) is covered by
 * {@code FileStreamStoreTest.shouldReportGapWhenMiddleCycleFileIsMissing}. 10 iterations (about 1.5 s each;
 * {@code -Djetbus.r23.iterations=N} runs more), alternating the flush policy; the limits (messages per cycle,
 * messages kept) and the kill point are drawn from the seed, which each failure names. The two bugs these kills
 * found have deterministic regression tests at the end of the class.
 */
@Timeout(120)
class RetentionCrashTest
{
    private static final int ITERATIONS = Integer.getInteger("jetbus.r23.iterations", 10);
    private static final int KILL_MIN = Integer.getInteger("jetbus.r23.killMin", 100);
    private static final int KILL_RANGE = Integer.getInteger("jetbus.r23.killRange", 900);
    private static final Duration RESTART_LIMIT = Duration.ofSeconds(5);

    @TempDir
    Path tmp;

    static Stream<Integer> iterations()
    {
        return IntStream.range(0, ITERATIONS).boxed();
    }

    @ParameterizedTest(name = "kill {0}")
    @MethodSource("iterations")
    void shouldResurrectNothingAndReportNoLossWhenKilledWhileDeletingCycles(final int iteration) throws Exception
    {
        final long seed = 0x2E7E_0000L + iteration;
        final SplittableRandom random = new SplittableRandom(seed);
        final int killAfterAcks = KILL_MIN + random.nextInt(KILL_RANGE);
        final String flush = iteration % 2 == 0 ? "none" : "always";
        final Path dir = tmp.resolve("store");
        final Lines lines = runAndKill(dir, seed, flush, killAfterAcks);
        final String what = "seed " + seed + " (" + flush + ", " + lines.perCycle + " per cycle, keep " + lines.keep +
            ", killed after " + lines.maxAck + " acks, last first seq " + lines.maxFirst + ")";
        assertThat(lines.maxFirst).as("%s: retention removed messages before the kill", what).isGreaterThan(1);
        final long files = TestFiles.cycleFiles(dir).size();
        assertThat(files).as("%s: cycle files left by retention", what)
            .isLessThanOrEqualTo(lines.keep / lines.perCycle + 4);

        final AtomicLong clock = new AtomicLong(TestFiles.START_MS); // behind the child's: the store's floor rules
        final long startNs = System.nanoTime();
        try (FileStreamStore store = FileStreamStore.open(RetentionChild.config(dir, clock).build()))
        {
            assertThat(Duration.ofNanos(System.nanoTime() - startNs)).as("%s: reopening", what)
                .isLessThan(RESTART_LIMIT);
            final RecoveryReport report = store.recoveryReport();
            assertThat(report.lost()).as("%s: lost seqs; recovery events %s", what, report.events()).isEmpty();

            final StoreState state = store.state();
            final String found = what + ", reopened " + state + ", recovery " + report;
            assertThat(state.firstSeq()).as("%s: first seq after reopening", what)
                .isGreaterThanOrEqualTo(lines.maxFirst);
            assertThat(state.lastSeq()).as("%s: last seq vs the highest ACK", what)
                .isGreaterThanOrEqualTo(lines.maxAck);
            assertThat(state.msgs()).as("%s: live messages, contiguous", found)
                .isEqualTo(state.lastSeq() - state.firstSeq() + 1);
            assertThat(state.msgs()).as("%s: live messages vs the limit", what).isLessThanOrEqualTo(lines.keep + 1);
            assertThat(store.nextSeq(1, null)).as(what).isEqualTo(state.firstSeq());
            for (long seq = 1; seq < state.firstSeq(); seq++)
            {
                assertThat(store.read(seq)).as("%s: seq %d below the first seq %d", what, seq, state.firstSeq())
                    .isNull();
            }
            for (long seq = state.firstSeq(); seq <= state.lastSeq(); seq++)
            {
                assertThat(store.read(seq).data()).as("%s: seq %d", what, seq).isEqualTo(RetentionChild.payload(seq));
            }

            final long next = store.append("ret.after", null, RetentionChild.payload(state.lastSeq() + 1), 0);
            assertThat(next).as("%s: first append after reopening", what).isEqualTo(state.lastSeq() + 1);
            assertThat(store.read(next).data()).isEqualTo(RetentionChild.payload(next));
        }
    }

    /**
     * Found by the kills above: the checkpoint written when a cycle starts still counts the messages of an older
     * cycle that retention then removed with its file; reopening after a crash must not count them again (it did:
     * their removal, replayed from the journal, needed their records to uncount them, and the file was gone).
     */
    @Test
    void shouldCountOnlyLiveMessagesWhenCycleFileWasRemovedAfterLastCheckpoint()
    {
        final AtomicLong clock = new AtomicLong(TestFiles.START_MS);
        final Path dir = tmp.resolve("counts");
        final FileStreamStore store = FileStreamStore.open(TestFiles.config("C", dir, clock).build());
        for (int seq = 1; seq <= 10; seq++)
        {
            if (seq == 6)
            {
                clock.addAndGet(1000); // seqs 6..10 in a second cycle; its first append writes a checkpoint
            }
            store.append("c." + seq % 2, null, RetentionChild.payload(seq), seq);
        }
        assertThat(store.purge(null, 7, 0)).isEqualTo(6);
        assertThat(TestFiles.cycleFiles(dir)).as("the first cycle's file is removed").hasSize(1);
        final StoreState before = store.state();
        store.releaseForCrashTest();

        try (FileStreamStore reopened = FileStreamStore.open(TestFiles.config("C", dir, clock).build()))
        {
            final StoreState after = reopened.state();
            assertThat(reopened.recoveryReport().lost()).isEmpty();
            assertThat(after.firstSeq()).isEqualTo(7);
            assertThat(after.lastSeq()).isEqualTo(10);
            assertThat(after.msgs()).isEqualTo(4);
            assertThat(after.bytes()).isEqualTo(before.bytes());
            assertThat(after.numDeleted()).isZero();
            assertThat(reopened.subjectState("c.0").msgs()).isEqualTo(2);
            assertThat(reopened.subjectState("c.1").msgs()).isEqualTo(2);
        }
    }

    /**
     * Found by the kills above: Chronicle closes the old cycle with an end-of-file mark before it creates the new
     * cycle's file; a kill in between leaves that file missing or half-created (and set aside on reopening). Appends
     * after reopening must go to a new cycle, not fail with {@code WriteAfterEOFException} and turn the store
     * read-only, which they did when the clock was still in the old cycle: with the injected clocks of the kill
     * tests, or a wall clock stepped back.
     */
    @Test
    void shouldAppendToNewCycleWhenProcessDiedWhileRollingToIt() throws Exception
    {
        final AtomicLong clock = new AtomicLong(TestFiles.START_MS);
        final Path dir = tmp.resolve("roll");
        final FileStreamStore store = FileStreamStore.open(TestFiles.config("E", dir, clock).build());
        for (int seq = 1; seq <= 3; seq++)
        {
            store.append("e", null, RetentionChild.payload(seq), seq);
        }
        clock.addAndGet(1000);
        store.append("e", null, RetentionChild.payload(4), 4); // the roll: end-of-file mark, then the new file
        store.releaseForCrashTest();
        // what a kill during the roll leaves: the new cycle's file empty, and no checkpoint that knows it
        final List<Path> files = TestFiles.cycleFiles(dir);
        assertThat(files).hasSize(2);
        Files.write(files.get(1), new byte[0]);
        Files.delete(Checkpoint.file(dir));
        clock.set(TestFiles.START_MS); // reopened while the clock is still in the first cycle (or stepped back to it)

        try (FileStreamStore reopened = FileStreamStore.open(TestFiles.config("E", dir, clock).build()))
        {
            assertThat(reopened.state().lastSeq()).isEqualTo(3);
            assertThat(reopened.recoveryReport().lost()).isEmpty();
            assertThat(reopened.append("e", null, RetentionChild.payload(4), 5)).isEqualTo(4);
            assertThat(reopened.failure()).isNull();
            assertThat(reopened.read(4).data()).isEqualTo(RetentionChild.payload(4));
        }
        try (FileStreamStore again = FileStreamStore.open(TestFiles.config("E", dir, clock).build()))
        {
            assertThat(again.state().msgs()).isEqualTo(4);
            assertThat(again.append("e", null, RetentionChild.payload(5), 6)).isEqualTo(5);
            for (long seq = 1; seq <= 5; seq++)
            {
                assertThat(again.read(seq).data()).as("seq %d", seq).isEqualTo(RetentionChild.payload(seq));
            }
        }
    }

    private Lines runAndKill(final Path dir, final long seed, final String flush, final int killAfterAcks)
        throws IOException, InterruptedException
    {
        final Lines lines = new Lines();
        for (final String line : ChildJvm.runAndKill(tmp, RetentionChild.class,
            List.of("-Xmx128m", "-XX:TieredStopAtLevel=1"), List.of(dir.toString(), Long.toString(seed), flush),
            ChildJvm.after("ACK ", killAfterAcks)))
        {
            lines.add(line);
        }
        assertThat(lines.errors).as("report lines out of order or not understood").isEmpty();
        assertThat(lines.acks).as("acknowledged appends").isGreaterThanOrEqualTo(killAfterAcks);
        return lines;
    }

    /** What the child reported. */
    private static final class Lines
    {
        final List<String> errors = new ArrayList<>();
        int perCycle = 1;
        int keep;
        long acks;
        long maxAck;
        long maxFirst = 1;

        void add(final String line)
        {
            final String[] f = line.split(" ");
            try
            {
                switch (f[0])
                {
                    case "ACK" ->
                    {
                        final long seq = Long.parseLong(f[1]);
                        if (seq != maxAck + 1)
                        {
                            errors.add("ACK " + seq + " after ACK " + maxAck);
                        }
                        maxAck = seq;
                        acks++;
                    }
                    case "FIRST" ->
                    {
                        final long first = Long.parseLong(f[1]);
                        if (first < maxFirst)
                        {
                            errors.add("FIRST " + first + " after FIRST " + maxFirst);
                        }
                        maxFirst = Math.max(maxFirst, first);
                    }
                    case "LIMITS" ->
                    {
                        perCycle = Integer.parseInt(f[1]);
                        keep = Integer.parseInt(f[2]);
                    }
                    default -> errors.add(line);
                }
            }
            catch (final RuntimeException e)
            {
                errors.add(line);
            }
        }
    }
}
