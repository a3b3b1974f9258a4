package io.jetbus.core;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal manual clock for tests (bus-core's, and bus-jetstream's through the test jar): {@link #advance(Duration)}
 * fires due timers in order.
 */
public final class ManualTimeSource implements TimeSource
{
    private final CopyOnWriteArrayList<Timers> attached = new CopyOnWriteArrayList<>();
    private volatile long nowNs = 1_000_000_000L;

    @Override
    public long nanoTime()
    {
        return nowNs;
    }

    @Override
    public long epochNanos()
    {
        return nowNs;
    }

    @Override
    public boolean isManual()
    {
        return true;
    }

    @Override
    public void attach(final Timers timers)
    {
        attached.add(timers);
    }

    @Override
    public void detach(final Timers timers)
    {
        attached.remove(timers);
    }

    public int attachedCount()
    {
        return attached.size();
    }

    public synchronized void advance(final Duration duration)
    {
        final long targetNs = nowNs + duration.toNanos();
        while (true)
        {
            long next = Long.MAX_VALUE;
            for (final Timers timers : attached)
            {
                next = Math.min(next, timers.nextDeadlineNs());
            }
            if (next == Long.MAX_VALUE || next - targetNs > 0)
            {
                break;
            }
            nowNs = Math.max(nowNs, next);
            for (final Timers timers : attached)
            {
                timers.runDue(nowNs);
            }
        }
        nowNs = targetNs;
    }
}
