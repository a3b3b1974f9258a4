package io.jetbus.jetstream;

import io.jetbus.core.TimeSource;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal manual clock for the consumer tests (as bus-core's): {@link #advance(Duration)} fires due timers in order.
 */
final class ManualTimeSource implements TimeSource
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

    int attachedCount()
    {
        return attached.size();
    }

    synchronized void advance(final Duration duration)
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
