package io.jetbus.test;

import io.jetbus.core.EmbeddedBus;
import io.jetbus.core.TimeSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A clock that moves only when the test says so. Give it to {@link EmbeddedBus.Builder#timeSource(TimeSource)} (the
 * {@link JetbusTest} extension does) and every bus timer is under the test's control: request timeouts, and the
 * JetStream engine's ack-wait redeliveries, backoffs, nak delays, max-age expiries and duplicate windows.
 *
 * <p>{@link #advance(Duration)} fires everything that falls due, in deadline order (ties in scheduling order), on the
 * calling thread, before it returns; timers that fired timers schedule run too when they fall due within the advance.
 * Work that a timer hands to another thread (a redelivery pushed to a dispatcher) still runs on that thread: follow
 * the advance with {@link JetbusKit#awaitIdle()}, or use {@link JetbusKit#advance(Duration)}, which does both.
 *
 * <p>The wall clock ({@link #now()}, {@link #epochNanos()}) starts at {@link #DEFAULT_START} unless told otherwise; the
 * monotonic clock ({@link #nanoTime()}) starts at one second. Safe for concurrent use: advances are serialised, and
 * reads see the time of the timer being fired. Timers must not advance the clock themselves.
 */
public final class VirtualClock implements TimeSource
{
    /** Where the wall clock starts by default: 2024-01-01T00:00:00Z, so that tests see stable timestamps. */
    public static final Instant DEFAULT_START = Instant.parse("2024-01-01T00:00:00Z");

    private static final long ORIGIN_NS = TimeUnit.SECONDS.toNanos(1);

    private final long startEpochNs;
    private final CopyOnWriteArrayList<Timers> attached = new CopyOnWriteArrayList<>();
    private final ReentrantLock advanceLock = new ReentrantLock();
    private volatile long nowNs = ORIGIN_NS;
    private volatile Thread firingThread;

    /**
     * A clock whose wall time starts at {@link #DEFAULT_START}.
     */
    public VirtualClock()
    {
        this(DEFAULT_START);
    }

    /**
     * A clock whose wall time starts at {@code start}.
     *
     * @param start the initial wall-clock time.
     * @throws IllegalArgumentException if {@code start} does not fit in nanoseconds since the epoch (before 1677 or
     *                                  after 2262).
     */
    public VirtualClock(final Instant start)
    {
        Objects.requireNonNull(start, "start");
        try
        {
            startEpochNs = Math.addExact(Math.multiplyExact(start.getEpochSecond(), 1_000_000_000L), start.getNano());
        }
        catch (final ArithmeticException ex)
        {
            throw new IllegalArgumentException("invalid clock start " + start + ": must fit in nanoseconds since " +
                "the epoch (1677 to 2262)", ex);
        }
    }

    /**
     * The current wall-clock time.
     *
     * @return the start time plus everything advanced so far.
     */
    public Instant now()
    {
        final long epochNs = epochNanos();
        return Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L), Math.floorMod(epochNs, 1_000_000_000L));
    }

    /**
     * How far the clock has been advanced since it was made.
     *
     * @return the elapsed virtual time.
     */
    public Duration elapsed()
    {
        return Duration.ofNanos(nowNs - ORIGIN_NS);
    }

    @Override
    public long nanoTime()
    {
        return nowNs;
    }

    @Override
    public long epochNanos()
    {
        return startEpochNs + (nowNs - ORIGIN_NS);
    }

    /**
     * Always true: buses on this clock start no timer thread and let {@link #advance(Duration)} fire their timers.
     *
     * @return {@code true}.
     */
    @Override
    public boolean isManual()
    {
        return true;
    }

    @Override
    public void attach(final Timers timers)
    {
        attached.add(Objects.requireNonNull(timers, "timers"));
    }

    @Override
    public void detach(final Timers timers)
    {
        attached.remove(timers);
    }

    /**
     * Move the clock forward, firing every timer of every attached bus that falls due, in deadline order, before
     * returning. The clock reads each timer's deadline while the timer runs, and {@code now + duration} at the end.
     *
     * @param duration how far to move; zero fires only what is due now.
     * @return the number of timers fired.
     * @throws IllegalArgumentException if {@code duration} is negative.
     * @throws IllegalStateException    if called from a timer this clock is firing.
     */
    public int advance(final Duration duration)
    {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative())
        {
            throw new IllegalArgumentException("invalid advance " + duration + ": the clock cannot go back");
        }
        final long durationNs;
        try
        {
            durationNs = duration.toNanos();
        }
        catch (final ArithmeticException ex)
        {
            throw new IllegalArgumentException("invalid advance " + duration + ": too large for nanoseconds", ex);
        }
        if (firingThread == Thread.currentThread())
        {
            throw new IllegalStateException("a timer cannot advance the clock that fires it");
        }
        advanceLock.lock();
        try
        {
            firingThread = Thread.currentThread();
            return fireUntil(saturatedAdd(nowNs, durationNs));
        }
        finally
        {
            firingThread = null;
            advanceLock.unlock();
        }
    }

    /**
     * Move the clock forward to a wall-clock time, firing what falls due on the way, as {@link #advance(Duration)}.
     *
     * @param time the wall-clock time to move to.
     * @return the number of timers fired.
     * @throws IllegalArgumentException if {@code time} is before {@link #now()}.
     * @throws IllegalStateException    if called from a timer this clock is firing.
     */
    public int advanceTo(final Instant time)
    {
        Objects.requireNonNull(time, "time");
        final Instant now = now();
        if (time.isBefore(now))
        {
            throw new IllegalArgumentException("invalid advanceTo " + time + ": before the clock's time " + now);
        }
        return advance(Duration.between(now, time));
    }

    /**
     * How long until the earliest timer of any attached bus falls due.
     *
     * @return the time to the next timer (zero if one is due now), or empty when no timer is scheduled.
     */
    public Optional<Duration> untilNextTimer()
    {
        final long next = nextDeadlineNs();
        return next == Long.MAX_VALUE ? Optional.empty() : Optional.of(Duration.ofNanos(Math.max(0, next - nowNs)));
    }

    @Override
    public String toString()
    {
        return "VirtualClock{" + now() + ", elapsed=" + elapsed() + '}';
    }

    private int fireUntil(final long targetNs)
    {
        int fired = 0;
        while (true)
        {
            final long next = nextDeadlineNs();
            if (next == Long.MAX_VALUE || next - targetNs > 0)
            {
                break;
            }
            nowNs = Math.max(nowNs, next);
            for (final Timers timers : attached)
            {
                fired += timers.runDue(nowNs);
            }
        }
        nowNs = targetNs;
        return fired;
    }

    private long nextDeadlineNs()
    {
        long next = Long.MAX_VALUE;
        for (final Timers timers : attached)
        {
            next = Math.min(next, timers.nextDeadlineNs());
        }
        return next;
    }

    private static long saturatedAdd(final long a, final long b)
    {
        final long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE - 1 : sum;
    }
}
