package io.jetbus.bench;

import io.jetbus.api.Connection;
import io.jetbus.core.EmbeddedBus;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of a publish that reaches nobody: subject validation, the capture check and the subject match, through
 * the public API. With {@code subscriptions = 0} the index is empty; with 10,000 it holds wildcard-heavy patterns
 * {@code region<r>.*.sensor<s>.>} that share every prefix with the published subjects
 * {@code region<r>.dev<d>.sensor<s>} yet never match them (a {@code >} needs one more token), so a miss walks the
 * deepest branches.
 * {@code cacheHit} publishes one subject again and again; {@code cacheMiss} cycles through 16 Ki distinct subjects
 * over a result cache of 1 Ki, so nearly every publish walks the trie (and pays its share of cache eviction).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class SubjectMatchBenchmark extends AbstractBenchmark
{
    static final int SUBJECTS = 16 * 1024;
    static final int CACHE_SIZE = 1024;

    @Param({ "0", "10000" })
    public int subscriptions;

    private EmbeddedBus bus;
    private Connection nc;
    private final byte[] payload = new byte[16];
    private final String[] subjects = new String[SUBJECTS];
    private int next;

    @Setup(Level.Trial)
    public void setUp()
    {
        bus = BusBenchmarks.quietBus().subjectCacheSize(CACHE_SIZE).build();
        nc = bus.connect("bench");
        if (subscriptions > 0)
        {
            final Connection subscriber = bus.connect("subscriber");
            final int side = (int)Math.ceil(Math.sqrt(subscriptions));
            for (int i = 0; i < subscriptions; i++)
            {
                subscriber.subscribe("region" + (i / side) + ".*.sensor" + (i % side) + ".>");
            }
        }
        for (int i = 0; i < SUBJECTS; i++)
        {
            subjects[i] = "region" + (i % 100) + ".dev" + i + ".sensor" + (i % 97);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        bus.close();
    }

    @Benchmark
    public void cacheHit()
    {
        nc.publish(subjects[0], payload);
    }

    @Benchmark
    public void cacheMiss()
    {
        final int i = next;
        next = (i + 1) & (SUBJECTS - 1);
        nc.publish(subjects[i], payload);
    }
}
