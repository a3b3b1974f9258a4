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
 * <p>Publishers read {@code parkedThread} on every publish while the dispatcher counts its idle rounds, so the two
 * live on different cache lines: the superclasses put padding before and after the publishers' field, and this
 * class's own fields, the dispatcher's, come last.
 */
public final class WakeableIdleStrategy extends WakeableIdleStrategyParked implements IdleStrategy
{
    /** The longest single park: bounds the latency of a lost wake-up. */
    public static final long DEFAULT_MAX_PARK_NS = 1_000_000L;

    private static final int SPINS = 100;
    private static final int YIELDS = 200;
    private static final long MIN_PARK_NS = 1_000L;

    private int idleCount;
    private long parkNs = MIN_PARK_NS;

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

/** Padding before the publishers' field. */
abstract class WakeableIdleStrategyPad
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

/** The thread parked in {@link WakeableIdleStrategy#idle()}, or null: written by the dispatcher, read by publishers. */
abstract class WakeableIdleStrategyThread extends WakeableIdleStrategyPad
{
    volatile Thread parkedThread;
}

/** Padding between the publishers' field and the dispatcher's. */
abstract class WakeableIdleStrategyParked extends WakeableIdleStrategyThread
{
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
}
