package io.jetbus.cli;

import org.HdrHistogram.Histogram;

import java.util.List;

/**
 * What one scenario run measured.
 *
 * @param scenario     the scenario's name.
 * @param options      what it was asked to do.
 * @param elapsedNs    from the start signal to the last message handled (or sent, with no subscribers).
 * @param published    messages (or requests) sent.
 * @param delivered    handler calls over all subscribers (replies received, for requests).
 * @param dropped      deliveries dropped for slow subscribers.
 * @param publishers   each publisher's rate.
 * @param subscribers  each subscriber's rate.
 * @param latency      latencies in nanoseconds, or null when the scenario does not measure them.
 * @param latencyLabel what {@code latency} measures, e.g. {@code round trip}.
 */
record BenchResult(
    String scenario,
    BenchOptions options,
    long elapsedNs,
    long published,
    long delivered,
    long dropped,
    List<Rate> publishers,
    List<Rate> subscribers,
    Histogram latency,
    String latencyLabel)
{
    BenchResult
    {
        publishers = List.copyOf(publishers);
        subscribers = List.copyOf(subscribers);
    }

    /** Messages sent per second over the whole run. */
    double publishedPerSecond()
    {
        return perSecond(published, elapsedNs);
    }

    /** Deliveries per second over the whole run. */
    double deliveredPerSecond()
    {
        return perSecond(delivered, elapsedNs);
    }

    /** Payload megabytes (10^6 bytes) per second for a message rate. */
    double megabytesPerSecond(final double messagesPerSecond)
    {
        return messagesPerSecond * options.size() / 1e6;
    }

    static double perSecond(final long count, final long elapsedNs)
    {
        return elapsedNs <= 0 ? 0 : count * 1e9 / elapsedNs;
    }

    /**
     * One publisher's or subscriber's share.
     *
     * @param messages  messages it sent or handled.
     * @param elapsedNs from its first to its last message.
     */
    record Rate(long messages, long elapsedNs)
    {
        double perSecond()
        {
            return BenchResult.perSecond(messages, elapsedNs);
        }
    }
}
