package io.jetbus.core;

/**
 * Where the bus reads time: a monotonic clock for timeouts and deadlines, and a wall clock for message timestamps.
 *
 * <p>The system source is the default. A manual source (the virtual clock of {@code bus-test}) moves only when told
 * to; the bus then starts no timer thread and instead {@link #attach(Timers) attaches} its timers so the source can
 * fire everything that falls due, in order, as it advances. Implementations are safe for concurrent use.
 */
public interface TimeSource
{
    /**
     * Monotonic time for deadlines.
     *
     * @return nanoseconds from an arbitrary origin.
     */
    long nanoTime();

    /**
     * Wall-clock time for message timestamps.
     *
     * @return nanoseconds since the epoch.
     */
    long epochNanos();

    /**
     * Whether this source moves only when its owner advances it.
     *
     * @return {@code true} for a virtual clock, which fires attached timers itself.
     */
    default boolean isManual()
    {
        return false;
    }

    /**
     * Called by a bus built on a manual source so the source can fire the bus's timers. Ignored by the system source.
     *
     * @param timers the timers to fire as time advances.
     */
    default void attach(final Timers timers)
    {
    }

    /**
     * Called when the bus closes: the timers must no longer be fired.
     *
     * @param timers the timers given to {@link #attach(Timers)}.
     */
    default void detach(final Timers timers)
    {
    }

    /**
     * The system clocks: {@link System#nanoTime()} and {@link System#currentTimeMillis()}.
     *
     * @return the system time source.
     */
    static TimeSource system()
    {
        return SystemTimeSource.INSTANCE;
    }

    /**
     * Timers a manual time source fires as it advances.
     */
    interface Timers
    {
        /**
         * The earliest deadline scheduled.
         *
         * @return the deadline in {@link #nanoTime()} nanoseconds, or {@link Long#MAX_VALUE} when none.
         */
        long nextDeadlineNs();

        /**
         * Run every task whose deadline is at or before {@code nowNs}, in deadline order.
         *
         * @param nowNs the current time.
         * @return the number of tasks run.
         */
        int runDue(long nowNs);
    }
}
