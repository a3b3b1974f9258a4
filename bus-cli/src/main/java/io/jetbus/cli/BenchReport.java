package io.jetbus.cli;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Locale;

/**
 * Turns {@link BenchResult}s into the human table or one JSON object (written by hand: no JSON library needed).
 */
final class BenchReport
{
    /** Percentiles reported for latency, with their JSON names. */
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};
    private static final String[] PERCENTILE_NAMES = {"p50", "p90", "p99", "p99_9", "p99_99"};

    private BenchReport()
    {
    }

    static String environment()
    {
        return "JDK " + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors() +
            " cores";
    }

    static String table(final BenchResult result)
    {
        final BenchOptions o = result.options();
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "jetbus bench %s: %,d msgs x %,d B, %d publisher%s, %d subscriber%s " +
            "(%s)%n", result.scenario(), o.msgs(), o.size(), o.pubs(), o.pubs() == 1 ? "" : "s",
            result.subscribers().size(), result.subscribers().size() == 1 ? "" : "s", environment()));
        if (result.note() != null)
        {
            sb.append("  ").append(result.note()).append(System.lineSeparator());
        }
        sb.append(String.format(Locale.ROOT, "  %-12s %14s %10s %14s%n", "", "msgs/s", "MB/s", "messages"));
        row(sb, "published", result.publishedPerSecond(), result, result.published(), "");
        if (!result.subscribers().isEmpty())
        {
            row(sb, "delivered", result.deliveredPerSecond(), result, result.delivered(),
                "   (" + result.dropped() + " dropped)");
        }
        rates(sb, "publishers", result.publishers());
        rates(sb, "subscribers", result.subscribers());
        final Histogram latency = result.latency();
        if (latency != null && latency.getTotalCount() > 0)
        {
            sb.append(String.format(Locale.ROOT, "  latency %s (us):", result.latencyLabel()));
            for (int i = 0; i < PERCENTILES.length; i++)
            {
                sb.append(String.format(Locale.ROOT, " %s %.2f", PERCENTILE_NAMES[i].replace('_', '.'),
                    latency.getValueAtPercentile(PERCENTILES[i]) / 1e3));
            }
            sb.append(String.format(Locale.ROOT, " max %.2f%n", latency.getMaxValue() / 1e3));
        }
        sb.append(String.format(Locale.ROOT, "  elapsed %.3f s%n", result.elapsedNs() / 1e9));
        return sb.toString();
    }

    private static void row(final StringBuilder sb, final String label, final double perSecond,
        final BenchResult result, final long messages, final String suffix)
    {
        sb.append(String.format(Locale.ROOT, "  %-12s %,14.0f %10.1f %,14d%s%n", label, perSecond,
            result.megabytesPerSecond(perSecond), messages, suffix));
    }

    private static void rates(final StringBuilder sb, final String label, final List<BenchResult.Rate> rates)
    {
        if (rates.isEmpty())
        {
            return;
        }
        final double[] mma = minMaxAvg(rates);
        sb.append(String.format(Locale.ROOT, "  %-12s min %,.0f  avg %,.0f  max %,.0f msgs/s  (%d)%n", label,
            mma[0], mma[2], mma[1], rates.size()));
    }

    /** min, max, avg of the per-second rates. */
    private static double[] minMaxAvg(final List<BenchResult.Rate> rates)
    {
        double min = Double.MAX_VALUE;
        double max = 0;
        double sum = 0;
        for (final BenchResult.Rate rate : rates)
        {
            final double r = rate.perSecond();
            min = Math.min(min, r);
            max = Math.max(max, r);
            sum += r;
        }
        return rates.isEmpty() ? new double[] {0, 0, 0} : new double[] {min, max, sum / rates.size()};
    }

    static String json(final BenchResult result)
    {
        final BenchOptions o = result.options();
        final StringBuilder sb = new StringBuilder("{");
        field(sb, "scenario", quote(result.scenario())).append(',');
        field(sb, "msgs", o.msgs()).append(',');
        field(sb, "size", o.size()).append(',');
        field(sb, "pubs", o.pubs()).append(',');
        field(sb, "subs", result.subscribers().size()).append(',');
        field(sb, "storage", result.jetStream() ? quote(o.storage().toString()) : "null").append(',');
        field(sb, "flush", result.jetStream() ? quote(o.flush().toString()) : "null").append(',');
        field(sb, "elapsedNs", result.elapsedNs()).append(',');
        field(sb, "published", result.published()).append(',');
        field(sb, "publishElapsedNs", result.publishElapsedNs()).append(',');
        field(sb, "delivered", result.delivered()).append(',');
        field(sb, "dropped", result.dropped()).append(',');
        field(sb, "msgsPerSec", number(result.publishedPerSecond())).append(',');
        field(sb, "mbPerSec", number(result.megabytesPerSecond(result.publishedPerSecond()))).append(',');
        field(sb, "deliveredPerSec", number(result.deliveredPerSecond())).append(',');
        field(sb, "publishers", ratesJson(result.publishers())).append(',');
        field(sb, "subscribers", ratesJson(result.subscribers())).append(',');
        field(sb, "latencyNs", latencyJson(result)).append(',');
        field(sb, "note", result.note() == null ? "null" : quote(result.note())).append(',');
        field(sb, "jdk", quote(System.getProperty("java.version"))).append(',');
        field(sb, "cores", Runtime.getRuntime().availableProcessors());
        return sb.append('}').toString();
    }

    static String json(final List<BenchResult> results)
    {
        final StringBuilder sb = new StringBuilder("{\"results\":[");
        for (int i = 0; i < results.size(); i++)
        {
            sb.append(i == 0 ? "" : ",").append(json(results.get(i)));
        }
        return sb.append("]}").toString();
    }

    private static String ratesJson(final List<BenchResult.Rate> rates)
    {
        final double[] mma = minMaxAvg(rates);
        final StringBuilder sb = new StringBuilder("{");
        field(sb, "count", rates.size()).append(',');
        field(sb, "minMsgsPerSec", number(mma[0])).append(',');
        field(sb, "avgMsgsPerSec", number(mma[2])).append(',');
        field(sb, "maxMsgsPerSec", number(mma[1]));
        return sb.append('}').toString();
    }

    private static String latencyJson(final BenchResult result)
    {
        final Histogram latency = result.latency();
        if (latency == null || latency.getTotalCount() == 0)
        {
            return "null";
        }
        final StringBuilder sb = new StringBuilder("{");
        field(sb, "label", quote(result.latencyLabel())).append(',');
        field(sb, "count", latency.getTotalCount()).append(',');
        for (int i = 0; i < PERCENTILES.length; i++)
        {
            field(sb, PERCENTILE_NAMES[i], latency.getValueAtPercentile(PERCENTILES[i])).append(',');
        }
        field(sb, "max", latency.getMaxValue());
        return sb.append('}').toString();
    }

    private static StringBuilder field(final StringBuilder sb, final String name, final Object value)
    {
        return sb.append('"').append(name).append("\":").append(value);
    }

    private static String number(final double value)
    {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.1f", value) : "null";
    }

    static String quote(final String text)
    {
        final StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
                    }
                    else
                    {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
