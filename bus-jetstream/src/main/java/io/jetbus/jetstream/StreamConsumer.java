package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.Dispatcher;
import io.jetbus.api.Message;
import io.jetbus.api.MessageHandler;
import io.jetbus.api.Subjects;
import io.jetbus.api.jetstream.AckPolicy;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.ConsumerInfo;
import io.jetbus.api.jetstream.CorruptRecordException;
import io.jetbus.api.jetstream.JetStreamAdvisory;
import io.jetbus.api.jetstream.JetStreamApiException;
import io.jetbus.api.jetstream.MessageMetadata;
import io.jetbus.api.jetstream.RetentionPolicy;
import io.jetbus.api.jetstream.SequencePair;
import io.jetbus.core.EmbeddedBus;
import io.jetbus.core.TimerService;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongArrayQueue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One consumer of a stream: its position, its {@link AckTracker}, the pull requests waiting on it, its push binding,
 * its one redelivery timer, and for a durable consumer of a file stream its {@link ConsumerFiles}.
 *
 * <p>Thread-safe: one lock guards the state. Calls into the stream ({@link ConsumerSource#acknowledged}) and the error
 * listener are made after the lock is released (collected in an outbox under the lock), so a stream that calls back
 * into {@link Consumers#allDone} cannot deadlock with a consumer.
 *
 * <p>Time: ack waits, backoffs and nak delays read the bus's {@link io.jetbus.core.TimeSource}; the consumer keeps
 * one timer on the bus's {@link TimerService}, for its earliest deadline. The wait of a {@code fetch} is a blocking
 * caller's wait and, like {@link io.jetbus.api.Subscription#nextMessage}, is measured on the system clock.
 */
final class StreamConsumer
{
    /**
     * Log events after which a durable consumer writes a snapshot and empties its log, or twice its pending messages
     * if more: a compaction costs four syncs plus the snapshot (which lists the pending messages), a log of this many
     * 9 to 17 byte events replays in milliseconds at start-up.
     */
    static final int COMPACT_EVENTS = 65_536;

    /** One delivery taken from the consumer. */
    private record Delivery(StoredMessage message, long consumerSeq, int deliveryCount, boolean redelivery)
    {
    }

    /** A waiting pull request. */
    private static final class Waiter
    {
        final ConsumerPullSubscription subscription;

        Waiter(final ConsumerPullSubscription subscription)
        {
            this.subscription = subscription;
        }
    }

    private final Consumers consumers;
    private final ConsumerSource source;
    private final EmbeddedBus bus;
    private final String stream;
    private final String name;
    private final Instant created;
    private final ConsumerStart start;
    private final ConsumerFiles files;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LongArrayQueue redeliveries = new LongArrayQueue(Long.MIN_VALUE);
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final List<ConsumerPullSubscription> pulls = new ArrayList<>();
    private final LongArrayList doneOutbox = new LongArrayList();
    private final List<JetStreamAdvisory> advisoryOutbox = new ArrayList<>();
    private final List<Throwable> errorOutbox = new ArrayList<>();
    private final RedeliveryHandler onExpired = new RedeliveryHandler()
    {
        @Override
        public void onRedeliver(final long streamSeq, final int deliveryCount)
        {
            redeliveries.addLong(streamSeq);
        }

        @Override
        public void onMaxDeliveries(final long streamSeq, final int deliveries)
        {
            advisoryOutbox.add(JetStreamAdvisory.maxDeliveries(stream, name, streamSeq, deliveries));
            outboxFull = true;
            doneLocked(streamSeq);
        }
    };

    private volatile ConsumerConfig config;
    private volatile boolean closed;
    private volatile boolean outboxFull;
    private volatile ConsumerPushSubscription push;
    private AckTracker tracker;
    private long cursor;
    private int lastPerSubjectIndex;
    private TimerService.Timer timer;
    private long timerDeadlineNs = AckTracker.NULL_DEADLINE;

    /**
     * A consumer: new ({@code base} null) or restored from its files.
     */
    StreamConsumer(
        final Consumers consumers, final ConsumerSource source, final String name, final ConsumerConfig config,
        final Instant created, final ConsumerStart start, final AckSnapshot base, final List<AckEvent> events,
        final ConsumerFiles files)
    {
        this.consumers = consumers;
        this.source = source;
        this.bus = source.bus();
        this.stream = source.streamName();
        this.name = name;
        this.config = config;
        this.created = created;
        this.start = start;
        this.files = files;
        final long nowNs = bus.timeSource().nanoTime();
        final AckEventHandler handler = files != null ? files : AckEventHandler.NONE;
        final AckSettings settings = AckSettings.of(config);
        final AckSnapshot initial = base != null ? base : initialSnapshot(start);
        AckTracker restored;
        try
        {
            restored = AckTracker.replay(initial, events, settings, nowNs, handler);
        }
        catch (final IllegalStateException | IllegalArgumentException ex)
        {
            errorOutbox.add(new IllegalStateException("consumer \"" + name + "\" of stream \"" + stream +
                "\": its acknowledgement log does not fit its snapshot, restored the snapshot only: " +
                ex.getMessage(), ex));
            restored = AckTracker.restore(initial, settings, nowNs, handler);
        }
        tracker = clamp(restored, settings, nowNs, handler);
        cursor = Math.max(start.startSeq(), tracker.deliveredStreamSeq() + 1);
        lock.lock();
        try
        {
            if (files != null && files.eventsSinceSnapshot() > 0)
            {
                compactLocked();
            }
            afterChangeLocked(nowNs);
        }
        finally
        {
            lock.unlock();
        }
        flushOutbox();
    }

    /**
     * The ack state of a consumer that has delivered nothing: positioned just before its start, as NATS reports it.
     */
    static AckSnapshot initialSnapshot(final ConsumerStart start)
    {
        return AckSnapshot.of(start.startSeq() - 1, 0, List.of());
    }

    private AckTracker clamp(
        final AckTracker restored, final AckSettings settings, final long nowNs, final AckEventHandler handler)
    {
        final long lastSeq = source.store().state().lastSeq();
        if (restored.deliveredStreamSeq() <= lastSeq)
        {
            return restored;
        }
        final AckSnapshot snapshot = restored.snapshot();
        final List<AckSnapshot.Pending> kept = new ArrayList<>();
        for (final AckSnapshot.Pending p : snapshot.pending())
        {
            if (p.streamSeq() <= lastSeq)
            {
                kept.add(p);
            }
        }
        advisoryOutbox.add(JetStreamAdvisory.recovery(JetStreamAdvisory.Type.STATE_CLAMPED, stream, name,
            "delivered stream sequence " + snapshot.deliveredStreamSeq() + " is past the stream's last sequence " +
            lastSeq + "; moved back, " + (snapshot.pending().size() - kept.size()) + " pending messages dropped"));
        outboxFull = true;
        final AckTracker clamped = AckTracker.restore(
            AckSnapshot.of(lastSeq, snapshot.deliveredConsumerSeq(), kept), settings, nowNs, handler);
        if (files != null)
        {
            try
            {
                files.compact(clamped.snapshot());
            }
            catch (final IOException ex)
            {
                errorOutbox.add(ex);
            }
        }
        return clamped;
    }

    String name()
    {
        return name;
    }

    ConsumerConfig config()
    {
        return config;
    }

    boolean isClosed()
    {
        return closed;
    }

    boolean isDurable()
    {
        return config.isDurable();
    }

    String stream()
    {
        return stream;
    }

    /**
     * Whether the consumer's filter matches a subject (no filter matches every subject).
     */
    boolean matches(final String subject)
    {
        final List<String> filters = config.filterSubjects();
        if (filters.isEmpty())
        {
            return true;
        }
        for (int i = 0; i < filters.size(); i++)
        {
            if (Subjects.matches(filters.get(i), subject))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the consumer is done with a message: delivered and no longer pending, or one it will never deliver
     * (before its start, skipped by its filter or deliver policy).
     */
    boolean isDone(final long streamSeq)
    {
        lock.lock();
        try
        {
            if (tracker.isPending(streamSeq))
            {
                return false;
            }
            if (streamSeq < cursor)
            {
                return true;
            }
            return lastPerSubjectIndex < start.lastPerSubjectCount() && streamSeq <= start.lastPerSubjectCutoff() &&
                !start.listedFrom(lastPerSubjectIndex, streamSeq);
        }
        finally
        {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- bindings

    ConsumerPullSubscription bindPull(final Connection connection)
    {
        lock.lock();
        try
        {
            checkNotClosed();
            if (push != null)
            {
                throw JetStreamApiException.consumerActive(stream, name);
            }
            final ConsumerPullSubscription sub = new ConsumerPullSubscription(this, connection);
            pulls.add(sub);
            return sub;
        }
        finally
        {
            lock.unlock();
        }
    }

    ConsumerPushSubscription bindPush(
        final Connection connection, final Dispatcher dispatcher, final MessageHandler handler)
    {
        final ConsumerPushSubscription sub;
        lock.lock();
        try
        {
            checkNotClosed();
            if (push != null || !pulls.isEmpty())
            {
                throw JetStreamApiException.consumerActive(stream, name);
            }
            sub = new ConsumerPushSubscription(this, bus, connection, dispatcher, handler);
            push = sub;
        }
        finally
        {
            lock.unlock();
        }
        sub.wake();
        return sub;
    }

    /**
     * A subscription ended; an ephemeral consumer goes with its last one.
     */
    void unbind(final Object subscription)
    {
        final boolean last;
        lock.lock();
        try
        {
            pulls.remove(subscription);
            if (push == subscription)
            {
                push = null;
            }
            last = pulls.isEmpty() && push == null;
            changed.signalAll();
        }
        finally
        {
            lock.unlock();
        }
        if (last && !isDurable())
        {
            consumers.removeEphemeral(this);
        }
    }

    /**
     * End the bindings whose connection or dispatcher closed underneath them.
     */
    void sweepBindings()
    {
        final List<ConsumerPullSubscription> stale = new ArrayList<>();
        lock.lock();
        try
        {
            for (final ConsumerPullSubscription p : pulls)
            {
                if (p.isConnectionClosed())
                {
                    stale.add(p);
                }
            }
        }
        finally
        {
            lock.unlock();
        }
        for (final ConsumerPullSubscription p : stale)
        {
            p.unsubscribe();
        }
        final ConsumerPushSubscription p = push;
        if (p != null && !p.isBindingAlive())
        {
            p.unsubscribe();
        }
    }

    boolean hasBindings()
    {
        lock.lock();
        try
        {
            return push != null || !pulls.isEmpty();
        }
        finally
        {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- pull

    /**
     * Take up to {@code batch} messages for a pull request, waiting up to {@code maxWaitNs} (system clock) for
     * them; requests are served in arrival order.
     */
    List<Message> fetch(final ConsumerPullSubscription sub, final int batch, final long maxWaitNs)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + maxWaitNs;
        final List<Message> out = new ArrayList<>(Math.min(batch, 64));
        final Waiter waiter = new Waiter(sub);
        lock.lockInterruptibly();
        try
        {
            checkNotClosed();
            waiters.addLast(waiter);
            try
            {
                long pending = -1;
                while (!closed && sub.isActive())
                {
                    if (waiters.peekFirst() == waiter)
                    {
                        final long nowNs = bus.timeSource().nanoTime();
                        pollDueLocked(nowNs);
                        while (out.size() < batch)
                        {
                            final Delivery d = takeLocked(nowNs);
                            if (d == null)
                            {
                                break;
                            }
                            pending = pendingAfter(d, pending);
                            out.add(message(d, pending, null));
                        }
                        if (out.size() >= batch)
                        {
                            break;
                        }
                    }
                    final long remaining = deadline - System.nanoTime();
                    if (remaining <= 0)
                    {
                        break;
                    }
                    changed.awaitNanos(remaining);
                }
            }
            finally
            {
                waiters.remove(waiter);
                changed.signalAll();
                afterChangeLocked(bus.timeSource().nanoTime());
            }
        }
        finally
        {
            lock.unlock();
            flushOutbox();
        }
        return out;
    }

    // ---------------------------------------------------------------- push

    /**
     * The next message for a push subscription, or null when there is none or max ack pending is reached.
     *
     * @param previousPending the pending count of the previous message of the same batch, or -1 for the first: the
     *                        count is computed once per batch, then counted down.
     */
    JetStreamMessage takeForPush(final ConsumerPushSubscription sub, final long previousPending)
    {
        JetStreamMessage message = null;
        lock.lock();
        try
        {
            if (closed || push != sub)
            {
                return null;
            }
            final long nowNs = bus.timeSource().nanoTime();
            pollDueLocked(nowNs);
            final Delivery d = takeLocked(nowNs);
            if (d != null)
            {
                message = message(d, pendingAfter(d, previousPending), sub);
            }
            afterChangeLocked(nowNs);
        }
        finally
        {
            lock.unlock();
            flushOutbox();
        }
        return message;
    }

    // ---------------------------------------------------------------- taking messages (under the lock)

    private Delivery takeLocked(final long nowNs)
    {
        final StreamStore store = source.store();
        while (true)
        {
            while (!redeliveries.isEmpty())
            {
                final long seq = redeliveries.pollLong();
                if (!tracker.isAwaitingRedelivery(seq))
                {
                    continue;
                }
                final StoredMessage m = read(store, seq);
                if (m == null)
                {
                    tracker.term(seq); // removed from the stream underneath: nothing left to redeliver
                    continue;
                }
                final long consumerSeq = tracker.onDelivered(seq, nowNs);
                return new Delivery(m, consumerSeq, tracker.deliveryCount(seq), true);
            }
            if (!tracker.canDeliver())
            {
                return null;
            }
            final long seq = nextNewSeqLocked(store);
            if (seq == StreamStore.NO_SEQ)
            {
                return null;
            }
            cursor = seq + 1;
            final StoredMessage m = read(store, seq);
            if (m == null)
            {
                continue;
            }
            final long consumerSeq = tracker.onDelivered(seq, nowNs);
            if (config.ackPolicy() == AckPolicy.NONE)
            {
                doneLocked(seq);
                return new Delivery(m, consumerSeq, 1, false);
            }
            return new Delivery(m, consumerSeq, tracker.deliveryCount(seq), false);
        }
    }

    private long nextNewSeqLocked(final StreamStore store)
    {
        final int listed = start.lastPerSubjectCount();
        if (lastPerSubjectIndex < listed)
        {
            while (lastPerSubjectIndex < listed)
            {
                final long seq = start.lastPerSubject(lastPerSubjectIndex);
                if (seq >= cursor)
                {
                    return seq;
                }
                lastPerSubjectIndex++;
            }
            cursor = Math.max(cursor, start.lastPerSubjectCutoff() + 1);
        }
        final List<String> filters = config.filterSubjects();
        if (filters.isEmpty())
        {
            return store.nextSeq(cursor, null);
        }
        // Read the last sequence first: a filter finding nothing up to it lets the cursor skip what it scanned.
        final long lastSeq = store.state().lastSeq();
        long next = StreamStore.NO_SEQ;
        for (int i = 0; i < filters.size(); i++)
        {
            final long seq = store.nextSeq(cursor, filters.get(i));
            if (seq != StreamStore.NO_SEQ && (next == StreamStore.NO_SEQ || seq < next))
            {
                next = seq;
            }
        }
        if (next == StreamStore.NO_SEQ)
        {
            cursor = Math.max(cursor, lastSeq + 1);
        }
        return next;
    }

    private StoredMessage read(final StreamStore store, final long seq)
    {
        try
        {
            return store.read(seq);
        }
        catch (final CorruptRecordException ex)
        {
            errorOutbox.add(ex);
            outboxFull = true;
            return null;
        }
    }

    private long pendingAfter(final Delivery d, final long previous)
    {
        if (previous < 0)
        {
            return numPendingLocked();
        }
        return d.redelivery() ? previous : Math.max(0, previous - 1);
    }

    private JetStreamMessage message(final Delivery d, final long pending, final io.jetbus.api.Subscription sub)
    {
        final StoredMessage m = d.message();
        final MessageMetadata metadata = new MessageMetadata(stream, name, m.seq(), d.consumerSeq(),
            d.deliveryCount(), JetStreamMessage.timestamp(m.timestampEpochNs()), pending);
        return new JetStreamMessage(this, m, metadata, sub);
    }

    /**
     * Messages matching the filter not yet delivered. Exact with a filter; without one, exact unless messages were
     * deleted in the middle of the stream above the consumer's position.
     */
    private long numPendingLocked()
    {
        final StreamStore store = source.store();
        if (lastPerSubjectIndex < start.lastPerSubjectCount())
        {
            long listed = 0;
            for (int i = lastPerSubjectIndex; i < start.lastPerSubjectCount(); i++)
            {
                if (start.lastPerSubject(i) >= cursor)
                {
                    listed++;
                }
            }
            return listed + countFrom(store, Math.max(cursor, start.lastPerSubjectCutoff() + 1));
        }
        return countFrom(store, cursor);
    }

    private long countFrom(final StreamStore store, final long from)
    {
        final List<String> filters = config.filterSubjects();
        if (filters.isEmpty())
        {
            return store.countFrom(from);
        }
        long count = 0;
        for (final String filter : filters)
        {
            for (final java.util.Map.Entry<String, SubjectState> e : store.subjects(filter).entrySet())
            {
                final SubjectState s = e.getValue();
                if (s.msgs() == 0 || s.lastSeq() < from)
                {
                    continue;
                }
                if (s.firstSeq() >= from)
                {
                    count += s.msgs();
                    continue;
                }
                for (long seq = store.nextSeq(from, e.getKey()); seq != StreamStore.NO_SEQ && seq <= s.lastSeq();
                    seq = store.nextSeq(seq + 1, e.getKey()))
                {
                    count++;
                }
            }
        }
        return count;
    }

    // ---------------------------------------------------------------- acknowledgements

    void ack(final long streamSeq)
    {
        lock.lock();
        try
        {
            ackLocked(streamSeq);
        }
        finally
        {
            lock.unlock();
            flushOutbox();
        }
        wakePush();
    }

    /**
     * Acknowledge and return once the acknowledgement is on the device.
     *
     * @throws TimeoutException     if the consumer stayed busy for {@code timeoutNs}.
     * @throws UncheckedIOException if the acknowledgement could not be written or synced.
     */
    void ackSync(final long streamSeq, final long timeoutNs) throws TimeoutException, InterruptedException
    {
        if (!lock.tryLock(timeoutNs, TimeUnit.NANOSECONDS))
        {
            throw new TimeoutException("ack of stream sequence " + streamSeq + " by consumer \"" + name +
                "\" of stream \"" + stream + "\" not stored within " + Duration.ofNanos(timeoutNs));
        }
        try
        {
            ackLocked(streamSeq);
            if (files != null)
            {
                try
                {
                    files.sync();
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException("ack of stream sequence " + streamSeq + " by consumer \"" +
                        name + "\" of stream \"" + stream + "\" not stored: " + ex.getMessage(), ex);
                }
            }
        }
        finally
        {
            lock.unlock();
            flushOutbox();
        }
        wakePush();
    }

    private void ackLocked(final long streamSeq)
    {
        if (closed || config.ackPolicy() == AckPolicy.NONE)
        {
            return;
        }
        if (config.ackPolicy() == AckPolicy.ALL)
        {
            if (source.config().retention() != RetentionPolicy.LIMITS)
            {
                final long last = Math.min(streamSeq, tracker.deliveredStreamSeq());
                for (long seq = tracker.ackFloorStreamSeq() + 1; seq <= last; seq++)
                {
                    if (tracker.isPending(seq))
                    {
                        doneLocked(seq);
                    }
                }
            }
            tracker.ack(streamSeq);
        }
        else if (tracker.ack(streamSeq))
        {
            doneLocked(streamSeq);
        }
        afterChangeLocked(bus.timeSource().nanoTime());
        changed.signalAll();
    }

    void nak(final long streamSeq, final long delayNs)
    {
        lock.lock();
        try
        {
            if (closed)
            {
                return;
            }
            final long nowNs = bus.timeSource().nanoTime();
            if (tracker.nak(streamSeq, delayNs, nowNs))
            {
                afterChangeLocked(nowNs);
                changed.signalAll();
            }
        }
        finally
        {
            lock.unlock();
            flushOutbox();
        }
        wakePush();
    }

    void inProgress(final long streamSeq)
    {
        lock.lock();
        try
        {
            if (closed)
            {
                return;
            }
            final long nowNs = bus.timeSource().nanoTime();
            if (tracker.inProgress(streamSeq, nowNs))
            {
                afterChangeLocked(nowNs);
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    void term(final long streamSeq)
    {
        lock.lock();
        try
        {
            if (closed)
            {
                return;
            }
            final int deliveries = tracker.deliveryCount(streamSeq);
            if (tracker.term(streamSeq))
            {
                advisoryOutbox.add(JetStreamAdvisory.terminated(stream, name, streamSeq, deliveries));
                outboxFull = true;
                doneLocked(streamSeq);
                afterChangeLocked(bus.timeSource().nanoTime());
                changed.signalAll();
            }
        }
        finally
        {
            lock.unlock();
            flushOutbox();
        }
        wakePush();
    }

    // ---------------------------------------------------------------- stream changes and timers

    /**
     * The stream changed (append, purge, delete, expiry): forget pending messages that vanished, wake the waiting
     * pull requests and the push binding.
     */
    void onStreamChange()
    {
        if (closed)
        {
            return;
        }
        lock.lock();
        try
        {
            if (sweepVanishedLocked())
            {
                afterChangeLocked(bus.timeSource().nanoTime());
            }
            if (!waiters.isEmpty())
            {
                changed.signalAll();
            }
        }
        finally
        {
            lock.unlock();
        }
        wakePush();
    }

    /**
     * Drop the lowest pending messages that are no longer in the stream (purged, deleted, expired); the others are
     * dropped when their redelivery finds them gone.
     */
    private boolean sweepVanishedLocked()
    {
        boolean any = false;
        final StreamStore store = source.store();
        while (tracker.numAckPending() > 0)
        {
            final long seq = tracker.ackFloorStreamSeq() + 1;
            if (!tracker.isPending(seq) || store.nextSeq(seq, null) == seq)
            {
                break;
            }
            tracker.term(seq);
            any = true;
        }
        return any;
    }

    private void onTimer()
    {
        lock.lock();
        try
        {
            timer = null;
            timerDeadlineNs = AckTracker.NULL_DEADLINE;
            if (closed)
            {
                return;
            }
            afterChangeLocked(bus.timeSource().nanoTime());
            changed.signalAll();
        }
        finally
        {
            lock.unlock();
            flushOutbox();
        }
        wakePush();
    }

    private void pollDueLocked(final long nowNs)
    {
        final long next = tracker.deadlineLowerBoundNs();
        if (next != AckTracker.NULL_DEADLINE && next <= nowNs)
        {
            tracker.poll(nowNs, onExpired);
        }
    }

    /**
     * After any change: fire what is due, keep the one timer on (a lower bound of) the earliest deadline, compact a
     * long log. A timer that fires early finds nothing due and is set again, on the exact deadline.
     */
    private void afterChangeLocked(final long nowNs)
    {
        pollDueLocked(nowNs);
        if (!redeliveries.isEmpty())
        {
            changed.signalAll();
        }
        rescheduleLocked(nowNs);
        if (files != null)
        {
            if (files.eventsSinceSnapshot() >= Math.max(COMPACT_EVENTS, 2L * tracker.numAckPending()))
            {
                compactLocked();
            }
            final IOException failure = files.takeFailure();
            if (failure != null)
            {
                errorOutbox.add(failure);
                outboxFull = true;
            }
        }
    }

    private void rescheduleLocked(final long nowNs)
    {
        final long next = closed ? AckTracker.NULL_DEADLINE : tracker.deadlineLowerBoundNs();
        if (timer != null && next == timerDeadlineNs)
        {
            return;
        }
        if (timer != null)
        {
            timer.cancel();
            timer = null;
            timerDeadlineNs = AckTracker.NULL_DEADLINE;
        }
        if (next == AckTracker.NULL_DEADLINE)
        {
            return;
        }
        try
        {
            timer = bus.timers().schedule(next - nowNs, this::onTimer);
            timerDeadlineNs = next;
        }
        catch (final IllegalStateException ex)
        {
            // the bus is closing: its consumers close with it
        }
    }

    private void compactLocked()
    {
        try
        {
            files.compact(tracker.snapshot());
        }
        catch (final IOException ex)
        {
            errorOutbox.add(ex);
            outboxFull = true;
        }
    }

    private void wakePush()
    {
        final ConsumerPushSubscription p = push;
        if (p != null)
        {
            p.wake();
        }
    }

    /**
     * Under the lock: tell the stream, once the lock is released, that this consumer is done with a message. Only
     * INTEREST and WORK_QUEUE retention care; under LIMITS nothing is queued.
     */
    private void doneLocked(final long streamSeq)
    {
        if (source.config().retention() != RetentionPolicy.LIMITS)
        {
            doneOutbox.addLong(streamSeq);
            outboxFull = true;
        }
    }

    /**
     * Tell the stream which messages are done and the error listener what happened, outside the lock.
     */
    private void flushOutbox()
    {
        if (!outboxFull)
        {
            return;
        }
        final long[] done;
        final List<JetStreamAdvisory> advisories;
        final List<Throwable> errors;
        lock.lock();
        try
        {
            done = doneOutbox.toLongArray();
            doneOutbox.clear();
            advisories = drain(advisoryOutbox);
            errors = drain(errorOutbox);
            outboxFull = false;
        }
        finally
        {
            lock.unlock();
        }
        for (final Throwable error : errors)
        {
            bus.errorListener().onError(error);
        }
        for (final JetStreamAdvisory advisory : advisories)
        {
            bus.errorListener().onAdvisory(advisory);
        }
        for (final long seq : done)
        {
            try
            {
                source.acknowledged(name, seq);
            }
            catch (final RuntimeException ex)
            {
                bus.errorListener().onError(ex);
            }
        }
    }

    private static <T> List<T> drain(final List<T> outbox)
    {
        if (outbox.isEmpty())
        {
            return List.of();
        }
        final List<T> copy = List.copyOf(outbox);
        outbox.clear();
        return copy;
    }

    // ---------------------------------------------------------------- information, update, lifecycle

    long ackFloorStreamSeq()
    {
        lock.lock();
        try
        {
            return tracker.ackFloorStreamSeq();
        }
        finally
        {
            lock.unlock();
        }
    }

    ConsumerInfo info()
    {
        lock.lock();
        try
        {
            if (closed)
            {
                throw JetStreamApiException.consumerNotFound(stream, name);
            }
            sweepVanishedLocked();
            return new ConsumerInfo(stream, name, config, created,
                new SequencePair(tracker.deliveredConsumerSeq(), tracker.deliveredStreamSeq()),
                new SequencePair(tracker.ackFloorConsumerSeq(), tracker.ackFloorStreamSeq()),
                numPendingLocked(), tracker.numAckPending(), tracker.numRedelivered(), waiters.size());
        }
        finally
        {
            lock.unlock();
            flushOutbox();
        }
    }

    /**
     * Apply a configuration change that {@link ConsumerConfig#checkUpdate} allowed: new ack settings keep the
     * pending messages, each with a fresh wait.
     */
    void update(final ConsumerConfig newer)
    {
        lock.lock();
        try
        {
            checkNotClosed();
            if (files != null)
            {
                try
                {
                    files.writeMeta(newer, created, start);
                }
                catch (final IOException ex)
                {
                    throw JetStreamApiException.consumerCreateFailed(name, "could not store the configuration: " +
                        ex.getMessage());
                }
            }
            final long nowNs = bus.timeSource().nanoTime();
            tracker = AckTracker.restore(tracker.snapshot(), AckSettings.of(newer), nowNs,
                files != null ? files : AckEventHandler.NONE);
            redeliveries.clear();
            config = newer;
            afterChangeLocked(nowNs);
            changed.signalAll();
        }
        finally
        {
            lock.unlock();
            flushOutbox();
        }
        wakePush();
    }

    /**
     * Stop: no more deliveries, timers cancelled, waiting requests return; a durable consumer's state is written and
     * kept. Idempotent.
     */
    void close()
    {
        shutdown(false);
    }

    /**
     * Stop and remove the consumer's state.
     */
    void delete()
    {
        shutdown(true);
    }

    private void shutdown(final boolean delete)
    {
        final ConsumerPushSubscription p;
        final List<ConsumerPullSubscription> subs;
        lock.lock();
        try
        {
            if (closed)
            {
                return;
            }
            closed = true;
            rescheduleLocked(0);
            changed.signalAll();
            if (files != null)
            {
                if (!delete)
                {
                    compactLocked();
                }
                try
                {
                    files.close();
                }
                catch (final RuntimeException ex)
                {
                    errorOutbox.add(ex);
                    outboxFull = true;
                }
                if (delete)
                {
                    try
                    {
                        ConsumerFiles.deleteRecursively(files.dir());
                    }
                    catch (final IOException ex)
                    {
                        errorOutbox.add(ex);
                        outboxFull = true;
                    }
                }
            }
            p = push;
            push = null;
            subs = List.copyOf(pulls);
            pulls.clear();
        }
        finally
        {
            lock.unlock();
        }
        flushOutbox();
        if (p != null)
        {
            p.consumerGone();
        }
        for (final ConsumerPullSubscription s : subs)
        {
            s.consumerGone();
        }
    }

    private void checkNotClosed()
    {
        if (closed)
        {
            throw JetStreamApiException.consumerNotFound(stream, name);
        }
    }
}
