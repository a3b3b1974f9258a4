package io.jetbus.bench;

/**
 * How the benchmark's dispatcher threads wait for work.
 */
public enum DispatcherIdle
{
    /** The bus default, {@link io.jetbus.core.WakeableIdleStrategy}: spin, yield, park; woken by publishers. */
    DEFAULT,
    /** {@link org.agrona.concurrent.BusySpinIdleStrategy}: never gives up its core, like the baselines' consumers. */
    BUSY_SPIN
}
