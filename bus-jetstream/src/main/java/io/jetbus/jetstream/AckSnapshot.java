package io.jetbus.jetstream;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The persistent state of an {@link AckTracker}: what was delivered, up to where everything is acknowledged, and the
 * messages still pending with their delivery counts. Timers are not part of it: a restored tracker gives every pending
 * message a fresh ack wait.
 *
 * <p>The ack floor is derived, as NATS derives it: everything below the lowest pending sequence is done (acknowledged,
 * terminated or past its delivery limit), so the floor is one below the lowest pending sequence, or the delivered
 * sequence when nothing is pending. The constructor checks that the floors given match; {@link #of} computes them.
 *
 * @param deliveredStreamSeq   the highest stream sequence delivered, 0 before the first delivery.
 * @param deliveredConsumerSeq the consumer sequence of the last delivery (one per delivery, redeliveries included).
 * @param ackFloorStreamSeq    the stream sequence up to which every delivered message is done.
 * @param ackFloorConsumerSeq  the consumer sequence up to which every delivery is done or superseded by a
 *                             redelivery.
 * @param pending              the pending messages, by increasing stream sequence.
 */
record AckSnapshot(
    long deliveredStreamSeq,
    long deliveredConsumerSeq,
    long ackFloorStreamSeq,
    long ackFloorConsumerSeq,
    List<Pending> pending)
{
    /** The state of a consumer that has delivered nothing. */
    static final AckSnapshot EMPTY = of(0, 0, List.of());

    /**
     * A message delivered and not yet acknowledged.
     *
     * @param streamSeq     its stream sequence.
     * @param consumerSeq   the consumer sequence of its latest delivery.
     * @param deliveryCount how many times it was delivered.
     */
    record Pending(long streamSeq, long consumerSeq, int deliveryCount)
    {
        Pending
        {
            if (streamSeq <= 0 || consumerSeq <= 0 || deliveryCount <= 0)
            {
                throw new IllegalArgumentException("invalid pending entry streamSeq=" + streamSeq + ", consumerSeq=" +
                    consumerSeq + ", deliveryCount=" + deliveryCount + ": each must be positive");
            }
        }
    }

    AckSnapshot
    {
        if (deliveredStreamSeq < 0 || deliveredConsumerSeq < 0)
        {
            throw new IllegalArgumentException("invalid delivered pair consumerSeq=" + deliveredConsumerSeq +
                ", streamSeq=" + deliveredStreamSeq + ": must not be negative");
        }
        pending = List.copyOf(Objects.requireNonNull(pending, "pending"));
        final Set<Long> consumerSeqs = new HashSet<>();
        long previous = 0;
        for (final Pending p : pending)
        {
            if (p.streamSeq() <= previous || p.streamSeq() > deliveredStreamSeq)
            {
                throw new IllegalArgumentException("invalid pending streamSeq=" + p.streamSeq() +
                    ": must increase and not exceed deliveredStreamSeq=" + deliveredStreamSeq);
            }
            if (p.consumerSeq() > deliveredConsumerSeq || !consumerSeqs.add(p.consumerSeq()))
            {
                throw new IllegalArgumentException("invalid pending consumerSeq=" + p.consumerSeq() +
                    ": must be unique and not exceed deliveredConsumerSeq=" + deliveredConsumerSeq);
            }
            previous = p.streamSeq();
        }
        final long floorStream = floorStreamSeq(deliveredStreamSeq, pending);
        final long floorConsumer = floorConsumerSeq(deliveredConsumerSeq, pending);
        if (ackFloorStreamSeq != floorStream || ackFloorConsumerSeq != floorConsumer)
        {
            throw new IllegalArgumentException("invalid ack floor consumerSeq=" + ackFloorConsumerSeq + ", streamSeq=" +
                ackFloorStreamSeq + ": the pending entries give consumerSeq=" + floorConsumer + ", streamSeq=" +
                floorStream);
        }
    }

    /**
     * A snapshot with the ack floor computed from the pending entries.
     *
     * @param deliveredStreamSeq   the highest stream sequence delivered.
     * @param deliveredConsumerSeq the consumer sequence of the last delivery.
     * @param pending              the pending messages, in any order.
     * @return the snapshot.
     * @throws IllegalArgumentException if the entries do not fit the delivered pair.
     */
    static AckSnapshot of(final long deliveredStreamSeq, final long deliveredConsumerSeq, final List<Pending> pending)
    {
        final List<Pending> sorted = new ArrayList<>(pending);
        sorted.sort(Comparator.comparingLong(Pending::streamSeq));
        return new AckSnapshot(deliveredStreamSeq, deliveredConsumerSeq, floorStreamSeq(deliveredStreamSeq, sorted),
            floorConsumerSeq(deliveredConsumerSeq, sorted), sorted);
    }

    /**
     * How many pending messages were delivered more than once.
     *
     * @return the count.
     */
    int numRedelivered()
    {
        int count = 0;
        for (final Pending p : pending)
        {
            if (p.deliveryCount() > 1)
            {
                count++;
            }
        }
        return count;
    }

    private static long floorStreamSeq(final long deliveredStreamSeq, final List<Pending> sortedPending)
    {
        return sortedPending.isEmpty() ? deliveredStreamSeq : sortedPending.get(0).streamSeq() - 1;
    }

    private static long floorConsumerSeq(final long deliveredConsumerSeq, final List<Pending> pending)
    {
        long min = deliveredConsumerSeq + 1;
        for (final Pending p : pending)
        {
            min = Math.min(min, p.consumerSeq());
        }
        return min - 1;
    }
}
