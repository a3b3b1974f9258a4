package io.jetbus.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The secondary results of the core publish benchmarks: messages handled ({@code received}) and dropped
 * ({@code dropped}) during the iteration, per time unit. A benchmark method takes this state as a parameter and the
 * benchmark's trial setup registers itself with {@link #measure(Source)}.
 */
@AuxCounters(AuxCounters.Type.OPERATIONS)
@State(Scope.Thread)
public class DeliveryCounters
{
    /** The fixture of the running trial (one benchmark thread), for the iteration hooks. */
    private static volatile Source source;

    public long received;
    public long dropped;
    private long receivedAtStart;
    private long droppedAtStart;

    /**
     * What the counters read: running totals of the trial's subscribers.
     */
    interface Source
    {
        /**
         * Messages handled so far.
         *
         * @return the count.
         */
        long received();

        /**
         * Messages dropped so far.
         *
         * @return the count.
         */
        long dropped();
    }

    /**
     * Count the given fixture's deliveries from the next iteration on.
     *
     * @param fixture the trial's fixture.
     */
    static void measure(final Source fixture)
    {
        source = fixture;
    }

    @Setup(Level.Iteration)
    public void start()
    {
        receivedAtStart = source.received();
        droppedAtStart = source.dropped();
    }

    @TearDown(Level.Iteration)
    public void end()
    {
        received = source.received() - receivedAtStart;
        dropped = source.dropped() - droppedAtStart;
    }
}
