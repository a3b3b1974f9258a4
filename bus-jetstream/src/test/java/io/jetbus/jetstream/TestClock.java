package io.jetbus.jetstream;

import io.jetbus.core.TimeSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock that moves only when the test says, firing the bus's timers as it goes; starts at the wall clock. */
final class TestClock implements TimeSource
{
    private final List<Timers> attached = new CopyOnWriteArrayList<>();
    private volatile long nowNs = System.currentTimeMillis() * 1_000_000L;

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
