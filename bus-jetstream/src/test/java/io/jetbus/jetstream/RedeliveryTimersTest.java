package io.jetbus.jetstream;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RedeliveryTimersTest
{
    private static final long S = 1_000_000_000L;
    private static final long T0 = 50 * S;

    @Test
    void shouldTrackEarliestDeadlineAcrossScheduleAndCancel()
    {
        final RedeliveryTimers timers = new RedeliveryTimers(T0);
        assertThat(timers.nextDeadlineNs()).isEqualTo(RedeliveryTimers.NULL_DEADLINE);

        final long late = timers.schedule(1, T0 + 9 * S);
        final long early = timers.schedule(2, T0 + 3 * S);
        timers.schedule(3, T0 + 5 * S);
        assertThat(timers.nextDeadlineNs()).isEqualTo(T0 + 3 * S);

        timers.cancel(early, T0 + 3 * S);
        assertThat(timers.nextDeadlineNs()).isEqualTo(T0 + 5 * S);
        timers.cancel(late, T0 + 9 * S);
        assertThat(timers.nextDeadlineNs()).isEqualTo(T0 + 5 * S);
    }

    @Test
    void shouldKeepALowerBoundWithoutScanningWhenTheEarliestIsCancelled()
    {
        final RedeliveryTimers timers = new RedeliveryTimers(T0);
        final long first = timers.schedule(1, T0 + 3 * S);
        final long second = timers.schedule(2, T0 + 5 * S);

        timers.cancel(first, T0 + 3 * S);
        assertThat(timers.deadlineLowerBoundNs()).as("still the cancelled deadline: a bound").isEqualTo(T0 + 3 * S);
        assertThat(timers.expire(T0 + 4 * S)).as("waking at the bound finds nothing due").isZero();
        assertThat(timers.deadlineLowerBoundNs()).as("exact after the expire scanned").isEqualTo(T0 + 5 * S);

        timers.schedule(3, T0 + 4 * S);
        assertThat(timers.deadlineLowerBoundNs()).isEqualTo(T0 + 4 * S);
        timers.cancel(second, T0 + 5 * S);
        assertThat(timers.nextDeadlineNs()).isEqualTo(T0 + 4 * S);
        assertThat(timers.expire(T0 + 4 * S)).isEqualTo(1);
        assertThat(timers.deadlineLowerBoundNs()).as("no timer left").isEqualTo(RedeliveryTimers.NULL_DEADLINE);
    }

    @Test
    void shouldExpireOnlyDueTimersAcrossManyWheelRotations()
    {
        final RedeliveryTimers timers = new RedeliveryTimers(T0);
        for (long seq = 1; seq <= 100; seq++)
        {
            timers.schedule(seq, T0 + seq * S);
        }

        assertThat(timers.expire(T0 + 50 * S - 1)).isEqualTo(49);
        assertThat(timers.nextDeadlineNs()).isEqualTo(T0 + 50 * S);
        assertThat(timers.expire(T0 + 10_000 * S)).isEqualTo(51);
        assertThat(timers.nextDeadlineNs()).isEqualTo(RedeliveryTimers.NULL_DEADLINE);
        assertThat(timers.expire(T0 + 20_000 * S)).isZero();
    }

    @Test
    void shouldListExpiredSequences()
    {
        final RedeliveryTimers timers = new RedeliveryTimers(T0);
        timers.schedule(7, T0 + 1);
        timers.schedule(8, T0 + 2);
        timers.schedule(9, T0 + 3 * S);

        final int count = timers.expire(T0 + 2);
        final List<Long> expired = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            expired.add(timers.expiredStreamSeq(i));
        }

        assertThat(expired).containsExactlyInAnyOrder(7L, 8L);
    }

    @Test
    void shouldClampDeadlinesThatOverflow()
    {
        assertThat(RedeliveryTimers.deadline(T0, S)).isEqualTo(T0 + S);
        assertThat(RedeliveryTimers.deadline(T0, Long.MAX_VALUE)).isEqualTo(RedeliveryTimers.LATEST_DEADLINE);
        assertThat(RedeliveryTimers.deadline(-T0, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE - T0);
    }

    @Test
    void shouldSortByDeadlineThenSequence()
    {
        final Random random = new Random(5);
        final int count = 2_000;
        final long[] deadlines = new long[count + 3];
        final long[] seqs = new long[count + 3];
        for (int i = 0; i < count; i++)
        {
            deadlines[i] = random.nextInt(50);
            seqs[i] = random.nextInt(1_000_000);
        }

        RedeliveryTimers.sort(deadlines, seqs, count);

        for (int i = 1; i < count; i++)
        {
            assertThat(deadlines[i - 1] < deadlines[i] ||
                (deadlines[i - 1] == deadlines[i] && seqs[i - 1] <= seqs[i])).as("index %d", i).isTrue();
        }
        assertThat(deadlines[count]).isZero();
    }
}
