package io.jetbus.core;

final class SystemTimeSource implements TimeSource
{
    static final SystemTimeSource INSTANCE = new SystemTimeSource();

    private SystemTimeSource()
    {
    }

    @Override
    public long nanoTime()
    {
        return System.nanoTime();
    }

    @Override
    public long epochNanos()
    {
        return System.currentTimeMillis() * 1_000_000L;
    }
}
