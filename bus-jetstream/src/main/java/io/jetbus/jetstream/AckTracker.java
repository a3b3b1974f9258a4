package io.jetbus.jetstream;

import io.jetbus.api.jetstream.AckPolicy;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The acknowledgement state machine of one consumer: which delivered messages are pending, how often each was
 * delivered, when each is due for redelivery, and the ack floor.
 *
 * <p>One thread only; no I/O, no threads, no clock: every time is passed in as {@code nowNs} from one monotonic clock
 * (comparisons assume it never wraps, as Agrona's {@code DeadlineTimerWheel} does). Hot-path operations do not
 * allocate once the internal tables have grown: primitive maps, pooled entries, and the timer wheel of
 * {@link RedeliveryTimers}.
 *
 * <p>Semantics follow NATS JetStream:
 * <ul>
 *     <li>Each delivery, redeliveries included, takes the next consumer sequence. The wait after the n-th delivery is
 *     {@code backoffNs[min(n, backoffNs.length) - 1]}, or {@code ackWaitNs} without a backoff.</li>
 *     <li>When a wait expires, {@link #poll(long, RedeliveryHandler)} reports the message for redelivery; once it was
 *     delivered {@code maxDeliver} times, it reports {@code onMaxDeliveries} instead, exactly once, and the message
 *     leaves the pending set for good, counting as done for the ack floor (as a terminated one does).</li>
 *     <li>{@link #ack(long)} under {@link AckPolicy#ALL} acknowledges every pending message up to the sequence. Under
 *     {@link AckPolicy#NONE} nothing is ever pending and the ack floor follows the deliveries.</li>
 *     <li>The ack floor is one below the lowest pending message, or the delivered position when none is pending, so
 *     it advances only over contiguous acknowledgements.</li>
 *     <li>{@link #canDeliver()} says whether {@code maxAckPending} allows a new message; redeliveries are always
 *     allowed (they do not add to the pending count).</li>
 * </ul>
 *
 * <p>Persistence: {@link #snapshot()} and {@link #restore} for the compact state; an {@link AckEventHandler} hears each
 * persistent change as it happens, and {@link #replay} rebuilds the same state from a snapshot and the events after
 * it. Restored and replayed pending messages get a fresh wait from {@code nowNs}.
 */
final class AckTracker
{
    /** The value of a deadline that is not set. */
    static final long NULL_DEADLINE = RedeliveryTimers.NULL_DEADLINE;

    /** The value of {@code maxDeliver} and {@code maxAckPending} that does not limit. */
    static final int UNLIMITED = -1;

    private static final long NULL_TIMER = RedeliveryTimers.NULL_TIMER;
    private static final int SCAN_FACTOR = 4;
    // Enough pooled entries for a steady state; not the peak of a burst, which would stay allocated forever.
    private static final int MAX_POOLED_ENTRIES = 1024;

    /** A pending message; pooled. */
    private static final class Entry
    {
        long streamSeq;
        long consumerSeq;
        int deliveryCount;
        long deadlineNs = NULL_DEADLINE;
        long timerId = NULL_TIMER;
        boolean awaitingRedelivery;
    }

    private final AckPolicy ackPolicy;
    private final long ackWaitNs;
    private final int maxDeliver;
    private final long[] backoffNs;
    private final int maxAckPending;

    private final RedeliveryTimers timers;
    private final Long2ObjectHashMap<Entry> pending = new Long2ObjectHashMap<>();
    private final ArrayDeque<Entry> freeEntries = new ArrayDeque<>();
    private AckEventHandler eventHandler;

    private long deliveredStreamSeq;
    private long deliveredConsumerSeq;
    private long minPendingStreamSeq;
    private long minPendingConsumerSeq;
    private boolean minPendingConsumerSeqValid = true;
    private int numRedelivered;


    private long[] expiredDeadlines = new long[16];
    private long[] expiredSeqs = new long[16];
    private int expiredCount;
    private long[] scratchSeqs = new long[16];
    private boolean polling;

    /**
     * A tracker for a consumer that has delivered nothing.
     *
     * @param settings     the acknowledgement settings.
     * @param nowNs        the current time, which starts the timer wheel.
     * @param eventHandler told about each persistent change; {@link AckEventHandler#NONE} for none.
     */
    AckTracker(final AckSettings settings, final long nowNs, final AckEventHandler eventHandler)
    {
        Objects.requireNonNull(settings, "settings");
        this.ackPolicy = settings.ackPolicy();
        this.ackWaitNs = settings.ackWaitNs();
        this.maxDeliver = settings.maxDeliver();
        this.backoffNs = settings.backoffNs();
        this.maxAckPending = settings.maxAckPending();
        this.eventHandler = Objects.requireNonNull(eventHandler, "eventHandler");
        this.timers = new RedeliveryTimers(nowNs);
    }

    /**
     * A tracker in the state of a snapshot; each pending message is due after a fresh wait from {@code nowNs}.
     *
     * @param snapshot     the state to restore.
     * @param settings     the acknowledgement settings.
     * @param nowNs        the current time.
     * @param eventHandler told about each persistent change from now on.
     * @return the tracker.
     * @throws IllegalArgumentException if the snapshot has pending messages and the policy is {@link AckPolicy#NONE}.
     */
    static AckTracker restore(
        final AckSnapshot snapshot, final AckSettings settings, final long nowNs, final AckEventHandler eventHandler)
    {
        Objects.requireNonNull(snapshot, "snapshot");
        final AckTracker tracker = new AckTracker(settings, nowNs, eventHandler);
        if (tracker.ackPolicy == AckPolicy.NONE && !snapshot.pending().isEmpty())
        {
            throw new IllegalArgumentException("snapshot has " + snapshot.pending().size() +
                " pending messages but ackPolicy is NONE");
        }
        tracker.deliveredStreamSeq = snapshot.deliveredStreamSeq();
        tracker.deliveredConsumerSeq = snapshot.deliveredConsumerSeq();
        for (final AckSnapshot.Pending p : snapshot.pending())
        {
            final Entry entry = tracker.newEntry(p.streamSeq());
            entry.consumerSeq = p.consumerSeq();
            entry.deliveryCount = p.deliveryCount();
            if (p.deliveryCount() > 1)
            {
                tracker.numRedelivered++;
            }
            tracker.pending.put(p.streamSeq(), entry);
            tracker.schedule(entry, RedeliveryTimers.deadline(nowNs, tracker.waitNs(entry.deliveryCount)));
        }
        tracker.minPendingStreamSeq = snapshot.pending().isEmpty() ? 0 : snapshot.pending().get(0).streamSeq();
        tracker.minPendingConsumerSeqValid = false;
        return tracker;
    }

    /**
     * A tracker in the state of a snapshot followed by the events logged after it, as the events were reported.
     * Each message still pending at the end is due after a fresh wait from {@code nowNs}.
     *
     * @param base         the state the events apply to; {@link AckSnapshot#EMPTY} for a consumer's first log.
     * @param events       the events, oldest first.
     * @param settings     the acknowledgement settings.
     * @param nowNs        the current time.
     * @param eventHandler told about each persistent change after the replay (not about the replayed ones).
     * @return the tracker.
     * @throws IllegalStateException if an event does not fit the state it applies to (a corrupt or foreign log).
     */
    static AckTracker replay(
        final AckSnapshot base,
        final Iterable<? extends AckEvent> events,
        final AckSettings settings,
        final long nowNs,
        final AckEventHandler eventHandler)
    {
        Objects.requireNonNull(eventHandler, "eventHandler");
        final AckTracker tracker = restore(base, settings, nowNs, AckEventHandler.NONE);
        for (final AckEvent event : events)
        {
            tracker.apply(event, nowNs);
        }
        tracker.eventHandler = eventHandler;
        return tracker;
    }

    /**
     * Record a delivery: a new message (above every stream sequence delivered so far) or a redelivery of a pending
     * one. The message is due after the wait for its delivery count. The engine checks {@link #canDeliver()} before
     * delivering a new message.
     *
     * @param streamSeq the message's stream sequence.
     * @param nowNs     the current time.
     * @return the consumer sequence of this delivery.
     * @throws IllegalArgumentException if the message is neither pending nor above {@link #deliveredStreamSeq()}.
     */
    long onDelivered(final long streamSeq, final long nowNs)
    {
        if (ackPolicy == AckPolicy.NONE)
        {
            checkNewDelivery(streamSeq);
            deliveredStreamSeq = streamSeq;
            final long consumerSeq = ++deliveredConsumerSeq;
            eventHandler.onDelivered(streamSeq, consumerSeq);
            return consumerSeq;
        }

        Entry entry = pending.get(streamSeq);
        if (entry != null)
        {
            cancel(entry);
            entry.awaitingRedelivery = false;
            if (++entry.deliveryCount == 2)
            {
                numRedelivered++;
            }
        }
        else
        {
            checkNewDelivery(streamSeq);
            entry = newEntry(streamSeq);
            entry.deliveryCount = 1;
            pending.put(streamSeq, entry);
            if (minPendingStreamSeq == 0)
            {
                minPendingStreamSeq = streamSeq;
            }
            deliveredStreamSeq = streamSeq;
        }
        final long consumerSeq = ++deliveredConsumerSeq;
        entry.consumerSeq = consumerSeq;
        minPendingConsumerSeqValid = false;
        schedule(entry, RedeliveryTimers.deadline(nowNs, waitNs(entry.deliveryCount)));
        eventHandler.onDelivered(streamSeq, consumerSeq);
        return consumerSeq;
    }

    /**
     * Acknowledge a message: under {@link AckPolicy#EXPLICIT} that message, under {@link AckPolicy#ALL} every pending
     * message up to it ({@link #ackAll(long)}).
     *
     * @param streamSeq the message's stream sequence.
     * @return {@code true} when something pending was acknowledged; {@code false} for a message not pending (already
     *     acknowledged, terminated, past its delivery limit, never delivered) or under {@link AckPolicy#NONE}.
     */
    boolean ack(final long streamSeq)
    {
        if (ackPolicy == AckPolicy.ALL)
        {
            return ackAll(streamSeq) > 0;
        }
        final Entry entry = pending.get(streamSeq);
        if (entry == null)
        {
            return false;
        }
        remove(entry);
        eventHandler.onAcked(streamSeq);
        return true;
    }

    /**
     * Acknowledge every pending message with a stream sequence up to {@code upToStreamSeq}, as an ack under
     * {@link AckPolicy#ALL} does. Works under {@link AckPolicy#EXPLICIT} too.
     *
     * @param upToStreamSeq the highest stream sequence to acknowledge.
     * @return how many pending messages were acknowledged.
     */
    int ackAll(final long upToStreamSeq)
    {
        if (minPendingStreamSeq == 0 || upToStreamSeq < minPendingStreamSeq)
        {
            return 0;
        }
        final long last = Math.min(upToStreamSeq, deliveredStreamSeq);
        int count = 0;
        if (last - minPendingStreamSeq < (long)pending.size() * SCAN_FACTOR)
        {
            for (long seq = minPendingStreamSeq; seq <= last; seq++)
            {
                final Entry entry = pending.get(seq);
                if (entry != null)
                {
                    removeWithoutFloor(entry);
                    count++;
                }
            }
        }
        else
        {
            int n = 0;
            for (final Long2ObjectHashMap<Entry>.KeyIterator it = pending.keySet().iterator(); it.hasNext(); )
            {
                final long seq = it.nextLong();
                if (seq <= last)
                {
                    scratchSeqs = RedeliveryTimers.ensureCapacity(scratchSeqs, n + 1);
                    scratchSeqs[n++] = seq;
                }
            }
            for (int i = 0; i < n; i++)
            {
                removeWithoutFloor(pending.get(scratchSeqs[i]));
            }
            count = n;
        }
        minPendingStreamSeq = findMinPendingStreamSeq(last + 1);
        eventHandler.onAckedAll(upToStreamSeq);
        return count;
    }

    /**
     * Refuse a message: it is due again after {@code delayNs} ({@code 0}: at the next poll). Counts nothing by itself;
     * the redelivery counts as a delivery.
     *
     * @param streamSeq the message's stream sequence.
     * @param delayNs   the delay before redelivery; zero or positive.
     * @param nowNs     the current time.
     * @return {@code true} when the message was pending.
     * @throws IllegalArgumentException if the delay is negative.
     */
    boolean nak(final long streamSeq, final long delayNs, final long nowNs)
    {
        if (delayNs < 0)
        {
            throw new IllegalArgumentException("invalid delayNs " + delayNs + ": must not be negative");
        }
        final Entry entry = pending.get(streamSeq);
        if (entry == null)
        {
            return false;
        }
        cancel(entry);
        entry.awaitingRedelivery = false;
        schedule(entry, RedeliveryTimers.deadline(nowNs, delayNs));
        return true;
    }

    /**
     * The message is still being worked on: it is due again after a full wait from now (the wait for its delivery
     * count), and no longer awaiting redelivery if its wait had already expired.
     *
     * @param streamSeq the message's stream sequence.
     * @param nowNs     the current time.
     * @return {@code true} when the message was pending.
     */
    boolean inProgress(final long streamSeq, final long nowNs)
    {
        final Entry entry = pending.get(streamSeq);
        if (entry == null)
        {
            return false;
        }
        cancel(entry);
        entry.awaitingRedelivery = false;
        schedule(entry, RedeliveryTimers.deadline(nowNs, waitNs(entry.deliveryCount)));
        return true;
    }

    /**
     * Terminate a message: it leaves the pending set and is never redelivered; it counts as done for the ack floor.
     *
     * @param streamSeq the message's stream sequence.
     * @return {@code true} when the message was pending.
     */
    boolean term(final long streamSeq)
    {
        final Entry entry = pending.get(streamSeq);
        if (entry == null)
        {
            return false;
        }
        remove(entry);
        eventHandler.onTerminated(streamSeq);
        return true;
    }

    /**
     * Fire every wait that expired by {@code nowNs}, in deadline order (stream sequence among equal deadlines):
     * {@link RedeliveryHandler#onRedeliver} for a message that may be delivered again,
     * {@link RedeliveryHandler#onMaxDeliveries} (and its removal from the pending set) for one that reached
     * {@code maxDeliver}. The handler may call the other methods of this tracker, not {@code poll}.
     *
     * @param nowNs   the current time.
     * @param handler told about each expired message.
     * @return how many messages were reported.
     * @throws IllegalStateException if called from the handler of another poll.
     */
    int poll(final long nowNs, final RedeliveryHandler handler)
    {
        Objects.requireNonNull(handler, "handler");
        if (polling)
        {
            throw new IllegalStateException("poll is not re-entrant: called from a RedeliveryHandler");
        }
        expiredCount = timers.expire(nowNs);
        if (expiredCount == 0)
        {
            return 0;
        }
        expiredDeadlines = RedeliveryTimers.ensureCapacity(expiredDeadlines, expiredCount);
        expiredSeqs = RedeliveryTimers.ensureCapacity(expiredSeqs, expiredCount);
        for (int i = 0; i < expiredCount; i++)
        {
            final long streamSeq = timers.expiredStreamSeq(i);
            final Entry entry = pending.get(streamSeq);
            expiredSeqs[i] = streamSeq;
            expiredDeadlines[i] = entry.deadlineNs;
            entry.timerId = NULL_TIMER;
            entry.deadlineNs = NULL_DEADLINE;
        }
        RedeliveryTimers.sort(expiredDeadlines, expiredSeqs, expiredCount);

        polling = true;
        int reported = 0;
        try
        {
            for (int i = 0; i < expiredCount; i++)
            {
                final long streamSeq = expiredSeqs[i];
                final Entry entry = pending.get(streamSeq);
                if (entry == null || entry.timerId != NULL_TIMER || entry.awaitingRedelivery)
                {
                    continue; // acknowledged, re-armed or redelivered by the handler of an earlier message
                }
                reported++;
                final int deliveryCount = entry.deliveryCount;
                if (maxDeliver != UNLIMITED && deliveryCount >= maxDeliver)
                {
                    remove(entry);
                    eventHandler.onMaxDelivered(streamSeq);
                    handler.onMaxDeliveries(streamSeq, deliveryCount);
                }
                else
                {
                    entry.awaitingRedelivery = true;
                    handler.onRedeliver(streamSeq, deliveryCount);
                }
            }
        }
        finally
        {
            polling = false;
            expiredCount = 0;
        }
        return reported;
    }

    /**
     * The earliest deadline of a pending message, so a caller (or a virtual clock) can sleep until exactly then.
     *
     * @return the deadline, or {@link #NULL_DEADLINE} when nothing is due (nothing pending, or everything awaiting
     *     redelivery).
     */
    long nextDeadlineNs()
    {
        return timers.nextDeadlineNs();
    }

    /**
     * A time before which nothing is due, without scanning the timers: {@link #nextDeadlineNs()}, or earlier after
     * the message holding it was acknowledged. A caller waking at it may find nothing due and should ask again.
     *
     * @return the bound, or {@link #NULL_DEADLINE} when nothing is due.
     */
    long deadlineLowerBoundNs()
    {
        return timers.deadlineLowerBoundNs();
    }

    /**
     * The state to persist.
     *
     * @return the snapshot; pending messages by increasing stream sequence.
     */
    AckSnapshot snapshot()
    {
        final List<AckSnapshot.Pending> entries = new ArrayList<>(pending.size());
        for (final Entry entry : pending.values())
        {
            entries.add(new AckSnapshot.Pending(entry.streamSeq, entry.consumerSeq, entry.deliveryCount));
        }
        return AckSnapshot.of(deliveredStreamSeq, deliveredConsumerSeq, entries);
    }

    /**
     * The stream sequence up to which every delivered message is done (acknowledged, terminated or past its
     * delivery limit).
     *
     * @return one below the lowest pending stream sequence, or {@link #deliveredStreamSeq()} when none is pending.
     */
    long ackFloorStreamSeq()
    {
        return minPendingStreamSeq == 0 ? deliveredStreamSeq : minPendingStreamSeq - 1;
    }

    /**
     * The consumer sequence up to which every delivery is done or superseded by a redelivery. Scans the pending
     * messages after a change; meant for information and snapshots, not the hot path.
     *
     * @return one below the lowest consumer sequence of a pending message, or {@link #deliveredConsumerSeq()} when none
     *     is pending.
     */
    long ackFloorConsumerSeq()
    {
        if (pending.isEmpty())
        {
            return deliveredConsumerSeq;
        }
        if (!minPendingConsumerSeqValid)
        {
            long min = Long.MAX_VALUE;
            for (final Entry entry : pending.values())
            {
                min = Math.min(min, entry.consumerSeq);
            }
            minPendingConsumerSeq = min;
            minPendingConsumerSeqValid = true;
        }
        return minPendingConsumerSeq - 1;
    }

    /**
     * The highest stream sequence delivered.
     *
     * @return the sequence, 0 before the first delivery.
     */
    long deliveredStreamSeq()
    {
        return deliveredStreamSeq;
    }

    /**
     * The consumer sequence of the last delivery: the number of deliveries so far, redeliveries included.
     *
     * @return the sequence, 0 before the first delivery.
     */
    long deliveredConsumerSeq()
    {
        return deliveredConsumerSeq;
    }

    /**
     * The messages delivered and not yet done.
     *
     * @return the pending count, awaiting redelivery included.
     */
    int numAckPending()
    {
        return pending.size();
    }

    /**
     * The pending messages delivered more than once.
     *
     * @return the count.
     */
    int numRedelivered()
    {
        return numRedelivered;
    }

    /**
     * Whether {@code maxAckPending} allows delivering a new message. Redeliveries are always allowed.
     *
     * @return {@code true} when fewer than {@code maxAckPending} messages are pending, the limit is
     *     {@link #UNLIMITED}, or the policy is {@link AckPolicy#NONE}.
     */
    boolean canDeliver()
    {
        return ackPolicy == AckPolicy.NONE || maxAckPending == UNLIMITED || pending.size() < maxAckPending;
    }

    /**
     * Whether a message is pending.
     *
     * @param streamSeq the message's stream sequence.
     * @return {@code true} when delivered and not yet done.
     */
    boolean isPending(final long streamSeq)
    {
        return pending.containsKey(streamSeq);
    }

    /**
     * Whether a message's wait expired and it was reported for redelivery, and nothing changed that since.
     *
     * @param streamSeq the message's stream sequence.
     * @return {@code true} when the engine should redeliver it.
     */
    boolean isAwaitingRedelivery(final long streamSeq)
    {
        final Entry entry = pending.get(streamSeq);
        return entry != null && entry.awaitingRedelivery;
    }

    /**
     * How many times a pending message was delivered.
     *
     * @param streamSeq the message's stream sequence.
     * @return the count, or 0 when not pending.
     */
    int deliveryCount(final long streamSeq)
    {
        final Entry entry = pending.get(streamSeq);
        return entry == null ? 0 : entry.deliveryCount;
    }

    /**
     * When a pending message is due.
     *
     * @param streamSeq the message's stream sequence.
     * @return the deadline, or {@link #NULL_DEADLINE} when not pending or awaiting redelivery.
     */
    long deadlineNs(final long streamSeq)
    {
        final Entry entry = pending.get(streamSeq);
        return entry == null ? NULL_DEADLINE : entry.deadlineNs;
    }

    private void apply(final AckEvent event, final long nowNs)
    {
        if (event instanceof AckEvent.Delivered delivered)
        {
            if (delivered.consumerSeq() != deliveredConsumerSeq + 1)
            {
                throw new IllegalStateException("cannot replay " + event + ": expected consumerSeq " +
                    (deliveredConsumerSeq + 1));
            }
            try
            {
                onDelivered(delivered.streamSeq(), nowNs);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalStateException("cannot replay " + event + ": " + ex.getMessage(), ex);
            }
        }
        else if (event instanceof AckEvent.Acked acked)
        {
            final Entry entry = pending.get(acked.streamSeq());
            checkReplayable(event, entry != null);
            remove(entry);
        }
        else if (event instanceof AckEvent.AckedAll ackedAll)
        {
            checkReplayable(event, ackAll(ackedAll.upToStreamSeq()) > 0);
        }
        else if (event instanceof AckEvent.Terminated terminated)
        {
            checkReplayable(event, term(terminated.streamSeq()));
        }
        else if (event instanceof AckEvent.MaxDelivered maxDelivered)
        {
            final Entry entry = pending.get(maxDelivered.streamSeq());
            checkReplayable(event, entry != null);
            remove(entry);
        }
        else
        {
            throw new IllegalStateException("cannot replay unknown event " + event);
        }
    }

    private static void checkReplayable(final AckEvent event, final boolean pendingBefore)
    {
        if (!pendingBefore)
        {
            throw new IllegalStateException("cannot replay " + event + ": no such message pending");
        }
    }

    private void checkNewDelivery(final long streamSeq)
    {
        if (streamSeq <= deliveredStreamSeq)
        {
            throw new IllegalArgumentException("stream sequence " + streamSeq +
                " is not pending and not above the delivered stream sequence " + deliveredStreamSeq);
        }
    }

    private long waitNs(final int deliveryCount)
    {
        final long[] backoffNs = this.backoffNs;
        return backoffNs.length == 0 ? ackWaitNs : backoffNs[Math.min(deliveryCount, backoffNs.length) - 1];
    }

    private Entry newEntry(final long streamSeq)
    {
        final Entry pooled = freeEntries.pollFirst();
        final Entry entry = pooled != null ? pooled : new Entry();
        entry.streamSeq = streamSeq;
        entry.consumerSeq = 0;
        entry.deliveryCount = 0;
        entry.deadlineNs = NULL_DEADLINE;
        entry.timerId = NULL_TIMER;
        entry.awaitingRedelivery = false;
        return entry;
    }

    private void remove(final Entry entry)
    {
        final long streamSeq = entry.streamSeq;
        removeWithoutFloor(entry);
        if (streamSeq == minPendingStreamSeq)
        {
            minPendingStreamSeq = findMinPendingStreamSeq(streamSeq + 1);
        }
    }

    private void removeWithoutFloor(final Entry entry)
    {
        cancel(entry);
        pending.remove(entry.streamSeq);
        if (entry.deliveryCount > 1)
        {
            numRedelivered--;
        }
        minPendingConsumerSeqValid = false;
        if (freeEntries.size() < MAX_POOLED_ENTRIES)
        {
            freeEntries.addFirst(entry);
        }
    }

    /**
     * The lowest pending stream sequence, knowing none is below {@code from}: scans sequences upward while the gap is
     * small, the pending keys otherwise. Each sequence is scanned at most once over the tracker's life, since the floor
     * only rises and new deliveries are above every sequence delivered.
     */
    private long findMinPendingStreamSeq(final long from)
    {
        if (pending.isEmpty())
        {
            return 0;
        }
        final long last = deliveredStreamSeq;
        if (last - from < (long)pending.size() * SCAN_FACTOR)
        {
            for (long seq = from; seq <= last; seq++)
            {
                if (pending.containsKey(seq))
                {
                    return seq;
                }
            }
        }
        long min = Long.MAX_VALUE;
        for (final Long2ObjectHashMap<Entry>.KeyIterator it = pending.keySet().iterator(); it.hasNext(); )
        {
            min = Math.min(min, it.nextLong());
        }
        return min;
    }

    private void schedule(final Entry entry, final long deadlineNs)
    {
        entry.deadlineNs = deadlineNs;
        entry.timerId = timers.schedule(entry.streamSeq, deadlineNs);
    }

    private void cancel(final Entry entry)
    {
        if (entry.timerId != NULL_TIMER)
        {
            timers.cancel(entry.timerId, entry.deadlineNs);
            entry.timerId = NULL_TIMER;
        }
        entry.deadlineNs = NULL_DEADLINE;
    }
}
