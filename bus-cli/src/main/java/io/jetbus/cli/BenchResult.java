package io.jetbus.cli;

import org.HdrHistogram.Histogram;

import java.util.List;

/**
 * What one scenario run measured.
 *
 * @param scenario         the scenario's name.
 * @param options          what it was asked to do.
 * @param elapsedNs        from the start signal to the last message handled (or sent, with no subscribers).
 * @param published        messages (or requests) sent.
 * @param publishElapsedNs the time {@code published} took: {@code elapsedNs}, except where the messages were sent
 *                         before the measured phase (the pre-fill of {@code js-consume}).
 * @param delivered        handler calls over all subscribers (replies received, for requests; messages fetched and
 *                         acknowledged, for {@code js-consume}).
 * @param dropped          deliveries dropped for slow subscribers.
 * @param publishers       each publisher's rate.
 * @param subscribers      each subscriber's rate.
 * @param latency          latencies in nanoseconds, or null when the scenario does not measure them.
 * @param latencyLabel     what {@code latency} measures, e.g. {@code round trip}.
 * @param note             a line that says what the figures mean for this scenario (its stream, what "delivered"
 *                         counts), or null.
 */
record BenchResult(
    String scenario,
    BenchOptions options,
    long elapsedNs,
    long published,
    long publishElapsedNs,
    long delivered,
    long dropped,
    List<Rate> publishers,
    List<Rate> subscribers,
    Histogram latency,
    String latencyLabel,
    String note)
{
    BenchResult
    {
        publishers = List.copyOf(publishers);
        subscribers = List.copyOf(subscribers);
    }

    /**
     * A result whose messages were all sent during the measured run, without a note.
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
     * @param latencyLabel what {@code latency} measures.
     */
    BenchResult(final String scenario, final BenchOptions options, final long elapsedNs, final long published,
        final long delivered, final long dropped, final List<Rate> publishers, final List<Rate> subscribers,
        final Histogram latency, final String latencyLabel)
    {
        this(scenario, options, elapsedNs, published, elapsedNs, delivered, dropped, publishers, subscribers, latency,
            latencyLabel, null);
    }

    /** Whether the scenario ran on a JetStream stream, so that the options' storage and flush apply. */
    boolean jetStream()
    {
        return scenario.startsWith("js-");
    }

    /** Messages sent per second while they were sent. */
    double publishedPerSecond()
    {
        return perSecond(published, publishElapsedNs);
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
