package io.jetbus.core;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.locks.LockSupport;

/**
 * The default dispatcher idle strategy: spin, then yield, then park with a growing timeout, and tell publishers when
 * it is parked so that they can {@link #wake() wake} it at once.
 *
 * <p>An idle dispatcher therefore costs no core (it parks up to {@link #DEFAULT_MAX_PARK_NS} at a time), yet a
 * message wakes it within microseconds. A wake-up lost to a race costs at most one park period. Used by one
 * dispatcher thread; {@link #wake()} may be called from any thread.
 *
 * <p>Publishers read {@code parkedThread} on every publish while the dispatcher counts its idle rounds, so each has
 * a cache line of its own: the superclasses lay out padding, the publishers' field, padding, the dispatcher's
 * counters, and this class pads after them.
 */
public final class WakeableIdleStrategy extends WakeableIdleStrategyCounts implements IdleStrategy
{
    /** The longest single park: bounds the latency of a lost wake-up. */
    public static final long DEFAULT_MAX_PARK_NS = 1_000_000L;

    private static final int SPINS = 100;
    private static final int YIELDS = 200;
    @SuppressWarnings("unused")
    private long q0;
    @SuppressWarnings("unused")
    private long q1;
    @SuppressWarnings("unused")
    private long q2;
    @SuppressWarnings("unused")
    private long q3;
    @SuppressWarnings("unused")
    private long q4;
    @SuppressWarnings("unused")
    private long q5;
    @SuppressWarnings("unused")
    private long q6;

    /**
     * A strategy that has not idled yet.
     */
    public WakeableIdleStrategy()
    {
        parkNs = MIN_PARK_NS;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        final int count = idleCount++;
        if (count < SPINS)
        {
            Thread.onSpinWait();
        }
        else if (count < SPINS + YIELDS)
        {
            Thread.yield();
        }
        else
        {
            parkedThread = Thread.currentThread();
            LockSupport.parkNanos(this, parkNs);
            parkedThread = null;
            parkNs = Math.min(parkNs << 1, DEFAULT_MAX_PARK_NS);
        }
    }

    @Override
    public void reset()
    {
        idleCount = 0;
        parkNs = MIN_PARK_NS;
    }

    /**
     * Unpark the dispatcher if it is parked; cheap when it is not.
     */
    public void wake()
    {
        final Thread thread = parkedThread;
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public String toString()
    {
        return "WakeableIdleStrategy{maxParkNs=" + DEFAULT_MAX_PARK_NS + '}';
    }
}

/** The thread parked in {@link WakeableIdleStrategy#idle()}, or null: written by the dispatcher, read by publishers. */
abstract class WakeableIdleStrategyThread extends LinePadding
{
    volatile Thread parkedThread;
    @SuppressWarnings("unused") // fills the rest of the 8 bytes, so no subclass field can sit beside parkedThread
    private int filler;
}

/** Padding between the publishers' field and the dispatcher's. */
abstract class WakeableIdleStrategyParked extends WakeableIdleStrategyThread
{
    @SuppressWarnings("unused")
    private long p0;
    @SuppressWarnings("unused")
    private long p1;
    @SuppressWarnings("unused")
    private long p2;
    @SuppressWarnings("unused")
    private long p3;
    @SuppressWarnings("unused")
    private long p4;
    @SuppressWarnings("unused")
    private long p5;
    @SuppressWarnings("unused")
    private long p6;
}

/** The dispatcher's idle counters. */
abstract class WakeableIdleStrategyCounts extends WakeableIdleStrategyParked
{
    static final long MIN_PARK_NS = 1_000L;

    int idleCount;
    long parkNs;
}
