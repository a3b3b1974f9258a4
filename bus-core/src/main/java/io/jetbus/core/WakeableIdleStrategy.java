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
 */
public final class WakeableIdleStrategy implements IdleStrategy
{
    /** The longest single park: bounds the latency of a lost wake-up. */
    public static final long DEFAULT_MAX_PARK_NS = 1_000_000L;

    private static final int SPINS = 100;
    private static final int YIELDS = 200;
    private static final long MIN_PARK_NS = 1_000L;

    private volatile Thread parkedThread;
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
