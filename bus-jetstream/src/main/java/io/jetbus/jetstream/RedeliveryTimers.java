package io.jetbus.jetstream;

import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The redelivery deadlines of one consumer's pending messages: an Agrona {@link DeadlineTimerWheel} whose timers map
 * to stream sequences, plus the earliest deadline so a virtual clock can step to it. One thread only; no allocation
 * once the tables have grown.
 *
 * <p>The wheel polls one tick per call and does not know its earliest deadline. {@link #expire(long)} therefore winds
 * the wheel to the tick of the earliest deadline before each poll: no timer lies in the ticks skipped, so a big jump of
 * the clock costs one poll per tick that holds due timers, not one per tick elapsed.
 *
 * <p>The earliest deadline is kept as a lower bound, {@link #deadlineLowerBoundNs()}: cancelling the timer that holds
 * it (acknowledging the oldest pending message, the common case) leaves the bound in place rather than scanning the
 * wheel, so a consumer acknowledging in order pays no scan per ack. A caller that sleeps until the bound wakes at
 * worst early, finds nothing due, and asks again. {@link #nextDeadlineNs()} makes the bound exact with one scan.
 */
final class RedeliveryTimers
{
    /** The value of a deadline that is not set, as {@link DeadlineTimerWheel#NULL_DEADLINE}. */
    static final long NULL_DEADLINE = DeadlineTimerWheel.NULL_DEADLINE;

    /** The value of a timer id that is not set. */
    static final long NULL_TIMER = -1;

    /** The latest deadline a timer may have; later ones are clamped to it. */
    static final long LATEST_DEADLINE = NULL_DEADLINE - 1;

    private static final long TICK_RESOLUTION_NS = 1L << 20;
    // Few spokes: same-time deliveries share a spoke and grow every spoke's allocation, so spokes multiply memory.
    private static final int TICKS_PER_WHEEL = 16;

    private final DeadlineTimerWheel wheel;
    private final DeadlineTimerWheel.TimerHandler expiryCollector = this::onTimerExpiry;
    private final DeadlineTimerWheel.TimerConsumer deadlineScanner = this::onTimerScan;
    private final Long2LongHashMap streamSeqByTimerId = new Long2LongHashMap(NULL_TIMER);

    /** No timer is due before it; NULL_DEADLINE when no timer runs. */
    private long nextDeadlineNs = NULL_DEADLINE;
    /** Whether {@link #nextDeadlineNs} is the deadline of a running timer, not just a bound. */
    private boolean nextDeadlineExact = true;
    private long scanMinDeadlineNs;
    private long[] expiredSeqs = new long[16];
    private int expiredCount;

    /**
     * Timers starting at the current time.
     *
     * @param nowNs the current time, which starts the wheel.
     */
    RedeliveryTimers(final long nowNs)
    {
        wheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, nowNs, TICK_RESOLUTION_NS, TICKS_PER_WHEEL);
    }

    /**
     * The deadline {@code waitNs} after {@code nowNs}, clamped to {@link #LATEST_DEADLINE}.
     *
     * @param nowNs  the current time.
     * @param waitNs the wait; zero or positive.
     * @return the deadline.
     */
    static long deadline(final long nowNs, final long waitNs)
    {
        final long deadlineNs = nowNs + waitNs;
        return deadlineNs < nowNs || deadlineNs > LATEST_DEADLINE ? LATEST_DEADLINE : deadlineNs;
    }

    /**
     * Start a timer for a message.
     *
     * @param streamSeq  the message's stream sequence.
     * @param deadlineNs when it is due; at most {@link #LATEST_DEADLINE}.
     * @return the timer id, for {@link #cancel(long, long)}.
     */
    long schedule(final long streamSeq, final long deadlineNs)
    {
        final long timerId = wheel.scheduleTimer(deadlineNs);
        streamSeqByTimerId.put(timerId, streamSeq);
        if (deadlineNs < nextDeadlineNs)
        {
            nextDeadlineNs = deadlineNs;
            nextDeadlineExact = true;
        }
        return timerId;
    }

    /**
     * Stop a timer.
     *
     * @param timerId    the id {@link #schedule(long, long)} returned.
     * @param deadlineNs the deadline it was scheduled with.
     */
    void cancel(final long timerId, final long deadlineNs)
    {
        wheel.cancelTimer(timerId);
        streamSeqByTimerId.remove(timerId);
        if (wheel.timerCount() == 0)
        {
            nextDeadlineNs = NULL_DEADLINE;
            nextDeadlineExact = true;
        }
        else if (deadlineNs == nextDeadlineNs)
        {
            nextDeadlineExact = false; // still a lower bound
        }
    }

    /**
     * The earliest deadline of a running timer, exact: scans the wheel if the timer that held it was cancelled.
     *
     * @return the deadline, or {@link #NULL_DEADLINE} when no timer runs.
     */
    long nextDeadlineNs()
    {
        if (!nextDeadlineExact)
        {
            scanMinDeadlineNs = NULL_DEADLINE;
            if (wheel.timerCount() > 0)
            {
                wheel.forEach(deadlineScanner);
            }
            nextDeadlineNs = scanMinDeadlineNs;
            nextDeadlineExact = true;
        }
        return nextDeadlineNs;
    }

    /**
     * A time no running timer is due before, without a scan: the earliest deadline, or earlier when the timer that
     * held the earliest was cancelled since.
     *
     * @return the bound, or {@link #NULL_DEADLINE} when no timer runs.
     */
    long deadlineLowerBoundNs()
    {
        return wheel.timerCount() == 0 ? NULL_DEADLINE : nextDeadlineNs;
    }

    /**
     * Stop every timer due by {@code nowNs} and list its message, read with {@link #expiredStreamSeq(int)} until the
     * next call. The order is the wheel's; callers sort.
     *
     * @param nowNs the current time.
     * @return how many timers expired.
     */
    int expire(final long nowNs)
    {
        expiredCount = 0;
        while (wheel.timerCount() > 0)
        {
            final long next = nextDeadlineNs();
            if (next > nowNs)
            {
                break;
            }
            wheel.currentTickTime(next);
            if (wheel.poll(nowNs, expiryCollector, Integer.MAX_VALUE) == 0)
            {
                throw new IllegalStateException("timer wheel fired nothing at nowNs=" + nowNs +
                    " with a deadline due at " + next);
            }
            nextDeadlineExact = false;
        }
        return expiredCount;
    }

    /**
     * A message whose timer expired in the last {@link #expire(long)}.
     *
     * @param index from 0 to the count {@code expire} returned.
     * @return the message's stream sequence.
     */
    long expiredStreamSeq(final int index)
    {
        return expiredSeqs[index];
    }

    /**
     * Sort parallel arrays by (deadline, sequence) in place: heap sort, no allocation, O(n log n) even for the
     * thousands of timers a big jump of a virtual clock can expire at once.
     *
     * @param deadlines the deadlines, the primary key.
     * @param seqs      the stream sequences, the secondary key.
     * @param count     how many leading elements to sort.
     */
    static void sort(final long[] deadlines, final long[] seqs, final int count)
    {
        for (int i = count / 2 - 1; i >= 0; i--)
        {
            siftDown(deadlines, seqs, i, count);
        }
        for (int end = count - 1; end > 0; end--)
        {
            swap(deadlines, seqs, 0, end);
            siftDown(deadlines, seqs, 0, end);
        }
    }

    /**
     * An array with room for {@code required} elements: {@code array} itself, or a copy at least twice as long.
     *
     * @param array    the array.
     * @param required the length needed.
     * @return an array of at least that length, holding the elements of {@code array}.
     */
    static long[] ensureCapacity(final long[] array, final int required)
    {
        return required <= array.length ? array : Arrays.copyOf(array, Math.max(required, array.length * 2));
    }

    private boolean onTimerExpiry(final TimeUnit timeUnit, final long nowNs, final long timerId)
    {
        expiredSeqs = ensureCapacity(expiredSeqs, expiredCount + 1);
        expiredSeqs[expiredCount++] = streamSeqByTimerId.remove(timerId);
        return true;
    }

    private void onTimerScan(final long deadlineNs, final long timerId)
    {
        if (deadlineNs < scanMinDeadlineNs)
        {
            scanMinDeadlineNs = deadlineNs;
        }
    }

    private static void siftDown(final long[] deadlines, final long[] seqs, final int start, final int end)
    {
        int root = start;
        while (true)
        {
            int child = 2 * root + 1;
            if (child >= end)
            {
                return;
            }
            if (child + 1 < end && less(deadlines, seqs, child, child + 1))
            {
                child++;
            }
            if (!less(deadlines, seqs, root, child))
            {
                return;
            }
            swap(deadlines, seqs, root, child);
            root = child;
        }
    }

    private static boolean less(final long[] deadlines, final long[] seqs, final int a, final int b)
    {
        return deadlines[a] < deadlines[b] || (deadlines[a] == deadlines[b] && seqs[a] < seqs[b]);
    }

    private static void swap(final long[] deadlines, final long[] seqs, final int a, final int b)
    {
        final long d = deadlines[a];
        deadlines[a] = deadlines[b];
        deadlines[b] = d;
        final long s = seqs[a];
        seqs[a] = seqs[b];
        seqs[b] = s;
    }
}
