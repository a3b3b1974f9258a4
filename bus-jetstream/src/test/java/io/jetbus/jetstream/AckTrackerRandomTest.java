package io.jetbus.jetstream;

import io.jetbus.api.jetstream.AckPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * 100,000 seeded random operations per configuration on an {@link AckTracker} and on a brute-force reference model
 * (a sorted map scanned on every poll), compared after every operation; then snapshot, restore and replay of the
 * recorded events must give the same state.
 */
class AckTrackerRandomTest
{
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final int OPERATIONS = 100_000;

    static Stream<Arguments> configurations()
    {
        return Stream.of(
            arguments("explicit, backoff, maxDeliver 4", 11L,
                new AckSettings(AckPolicy.EXPLICIT, S, 4, new long[]{S, 5 * S, 20 * S}, 64), 10 * S),
            arguments("all, sub-tick ack wait", 22L,
                new AckSettings(AckPolicy.ALL, 2 * MS, AckTracker.UNLIMITED, new long[0], 32), 5 * MS),
            arguments("explicit, maxDeliver 2, unlimited pending", 33L,
                new AckSettings(AckPolicy.EXPLICIT, 700_000, 2, new long[0], AckTracker.UNLIMITED), 2 * MS),
            arguments("none", 44L,
                new AckSettings(AckPolicy.NONE, S, AckTracker.UNLIMITED, new long[0], 10), S));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void shouldMatchReferenceModelOnRandomOperations(
        final String name, final long seed, final AckSettings settings, final long maxStepNs)
    {
        final Random random = new Random(seed);
        final long start = 3_000 * S + random.nextInt(1_000_000);
        final AckEvent.Recorder events = new AckEvent.Recorder();
        final AckTracker tracker = new AckTracker(settings, start, events);
        final Model model = new Model(settings);
        final Calls trackerCalls = new Calls();
        long now = start;
        AckSnapshot middle = null;
        int eventsAtMiddle = 0;

        for (int i = 0; i < OPERATIONS; i++)
        {
            // Alternate phases: acknowledgements common, then rare so the pending set grows to its limit.
            final boolean ackRarely = (i / 5_000) % 2 == 1;
            int op = random.nextInt(100);
            if (ackRarely && op >= 48 && op < 70 && random.nextInt(10) != 0)
            {
                op = 90;
            }
            long seq = pickSeq(random, model);
            if (op < 15)
            {
                final long next = model.nextDeadlineNs();
                final int how = random.nextInt(4);
                if (how == 0 && next != AckTracker.NULL_DEADLINE)
                {
                    now = Math.max(now, next);
                }
                else if (how == 1 && next != AckTracker.NULL_DEADLINE && next - 1 > now)
                {
                    now = next - 1;
                }
                else
                {
                    now += Math.floorMod(random.nextLong(), maxStepNs);
                }
                trackerCalls.list.clear();
                final int reported = tracker.poll(now, trackerCalls);
                assertThat(trackerCalls.list).as("op %d poll at %d", i, now).isEqualTo(model.poll(now));
                assertThat(reported).isEqualTo(trackerCalls.list.size());
            }
            else if (op < 35)
            {
                if (model.canDeliver() && model.pending.size() < 300)
                {
                    seq = model.deliveredStreamSeq + 1 + (random.nextInt(4) == 0 ? random.nextInt(50) : 0);
                    assertThat(tracker.onDelivered(seq, now)).isEqualTo(model.deliver(seq, now));
                }
            }
            else if (op < 45)
            {
                seq = pickAwaiting(random, model);
                if (seq > 0)
                {
                    assertThat(tracker.isAwaitingRedelivery(seq)).isTrue();
                    assertThat(tracker.onDelivered(seq, now)).isEqualTo(model.deliver(seq, now));
                }
            }
            else if (op < 48)
            {
                if (model.pending.containsKey(seq))
                {
                    assertThat(tracker.onDelivered(seq, now)).isEqualTo(model.deliver(seq, now));
                }
            }
            else if (op < 65)
            {
                assertThat(tracker.ack(seq)).as("op %d ack %d", i, seq).isEqualTo(model.ack(seq));
            }
            else if (op < 70)
            {
                assertThat(tracker.ackAll(seq)).as("op %d ackAll %d", i, seq).isEqualTo(model.ackAll(seq));
            }
            else if (op < 78)
            {
                final long delayNs = random.nextInt(3) == 0 ? 0 : Math.floorMod(random.nextLong(), 2 * maxStepNs);
                assertThat(tracker.nak(seq, delayNs, now)).isEqualTo(model.nak(seq, delayNs, now));
            }
            else if (op < 85)
            {
                assertThat(tracker.inProgress(seq, now)).isEqualTo(model.inProgress(seq, now));
            }
            else if (op < 90)
            {
                assertThat(tracker.term(seq)).isEqualTo(model.term(seq));
            }
            else
            {
                trackerCalls.list.clear();
                tracker.poll(now, trackerCalls);
                assertThat(trackerCalls.list).as("op %d poll at %d", i, now).isEqualTo(model.poll(now));
            }

            assertSameState(i, seq, tracker, model, (i % 500) == 0);
            if (i == OPERATIONS / 2)
            {
                middle = tracker.snapshot();
                eventsAtMiddle = events.events().size();
            }
        }

        final AckSnapshot end = tracker.snapshot();
        final List<AckEvent> all = events.events();
        assertThat(AckTracker.replay(AckSnapshot.EMPTY, all, settings, now, AckEventHandler.NONE).snapshot())
            .isEqualTo(end);
        assertThat(AckTracker.replay(middle, all.subList(eventsAtMiddle, all.size()), settings, now,
            AckEventHandler.NONE).snapshot()).isEqualTo(end);
        assertThat(AckTracker.restore(end, settings, now, AckEventHandler.NONE).snapshot()).isEqualTo(end);
        // The run must have exercised what it checks: thousands of deliveries, redeliveries and delivery limits.
        assertThat(model.deliveredConsumerSeq).isGreaterThan(10_000);
        if (settings.ackPolicy() != AckPolicy.NONE)
        {
            assertThat(model.redeliveries).isGreaterThan(5_000);
            assertThat(model.maxPendingSeen).isGreaterThanOrEqualTo(Math.min(32, settings.maxAckPending() < 0 ?
                32 : settings.maxAckPending()));
        }
        if (settings.maxDeliver() != AckTracker.UNLIMITED)
        {
            assertThat(model.maxDeliveries).isGreaterThan(100);
        }
    }

    private static void assertSameState(
        final int i, final long seq, final AckTracker tracker, final Model model, final boolean full)
    {
        final String at = "op " + i + ", seq " + seq;
        assertThat(tracker.deliveredStreamSeq()).as(at).isEqualTo(model.deliveredStreamSeq);
        assertThat(tracker.deliveredConsumerSeq()).as(at).isEqualTo(model.deliveredConsumerSeq);
        assertThat(tracker.numAckPending()).as(at).isEqualTo(model.pending.size());
        assertThat(tracker.numRedelivered()).as(at).isEqualTo(model.numRedelivered());
        assertThat(tracker.canDeliver()).as(at).isEqualTo(model.canDeliver());
        assertThat(tracker.ackFloorStreamSeq()).as(at).isEqualTo(model.ackFloorStreamSeq());
        assertThat(tracker.nextDeadlineNs()).as(at).isEqualTo(model.nextDeadlineNs());
        assertSameEntry(at, seq, tracker, model);
        if (full)
        {
            assertThat(tracker.ackFloorConsumerSeq()).as(at).isEqualTo(model.ackFloorConsumerSeq());
            assertThat(tracker.snapshot()).as(at).isEqualTo(model.snapshot());
            for (final long pendingSeq : model.pending.keySet())
            {
                assertSameEntry(at, pendingSeq, tracker, model);
            }
        }
    }

    private static void assertSameEntry(final String at, final long seq, final AckTracker tracker, final Model model)
    {
        final Model.Entry entry = model.pending.get(seq);
        assertThat(tracker.isPending(seq)).as(at).isEqualTo(entry != null);
        assertThat(tracker.isAwaitingRedelivery(seq)).as(at).isEqualTo(entry != null && entry.awaiting);
        assertThat(tracker.deliveryCount(seq)).as(at).isEqualTo(entry == null ? 0 : entry.count);
        assertThat(tracker.deadlineNs(seq)).as(at).isEqualTo(entry == null ? AckTracker.NULL_DEADLINE : entry.deadline);
    }

    private static long pickSeq(final Random random, final Model model)
    {
        if (!model.pending.isEmpty() && random.nextInt(5) != 0)
        {
            final List<Long> keys = new ArrayList<>(model.pending.keySet());
            return keys.get(random.nextInt(keys.size()));
        }
        return 1 + random.nextInt((int)Math.min(Integer.MAX_VALUE - 1, model.deliveredStreamSeq + 10));
    }

    private static long pickAwaiting(final Random random, final Model model)
    {
        final List<Long> awaiting = new ArrayList<>();
        for (final Map.Entry<Long, Model.Entry> e : model.pending.entrySet())
        {
            if (e.getValue().awaiting)
            {
                awaiting.add(e.getKey());
            }
        }
        return awaiting.isEmpty() ? 0 : awaiting.get(random.nextInt(awaiting.size()));
    }

    private static final class Calls implements RedeliveryHandler
    {
        final List<String> list = new ArrayList<>();

        @Override
        public void onRedeliver(final long streamSeq, final int deliveryCount)
        {
            list.add("redeliver " + streamSeq + " after " + deliveryCount);
        }

        @Override
        public void onMaxDeliveries(final long streamSeq, final int deliveries)
        {
            list.add("max " + streamSeq + " after " + deliveries);
        }
    }

    /** The obvious implementation: a sorted map, scanned in full whenever something is asked. */
    private static final class Model
    {
        static final class Entry
        {
            long consumerSeq;
            int count;
            long deadline = AckTracker.NULL_DEADLINE;
            boolean awaiting;
        }

        final AckSettings settings;
        final TreeMap<Long, Entry> pending = new TreeMap<>();
        long deliveredStreamSeq;
        long deliveredConsumerSeq;
        int redeliveries;
        int maxDeliveries;
        int maxPendingSeen;

        Model(final AckSettings settings)
        {
            this.settings = settings;
        }

        long waitNs(final int count)
        {
            final long[] backoff = settings.backoffNs();
            return backoff.length == 0 ? settings.ackWaitNs() : backoff[Math.min(count, backoff.length) - 1];
        }

        long deliver(final long seq, final long now)
        {
            if (settings.ackPolicy() == AckPolicy.NONE)
            {
                deliveredStreamSeq = seq;
                return ++deliveredConsumerSeq;
            }
            Entry entry = pending.get(seq);
            if (entry == null)
            {
                entry = new Entry();
                pending.put(seq, entry);
                deliveredStreamSeq = seq;
                maxPendingSeen = Math.max(maxPendingSeen, pending.size());
            }
            entry.count++;
            entry.awaiting = false;
            entry.consumerSeq = ++deliveredConsumerSeq;
            entry.deadline = now + waitNs(entry.count);
            return entry.consumerSeq;
        }

        boolean ack(final long seq)
        {
            if (settings.ackPolicy() == AckPolicy.ALL)
            {
                return ackAll(seq) > 0;
            }
            return pending.remove(seq) != null;
        }

        int ackAll(final long upTo)
        {
            final Map<Long, Entry> acked = pending.headMap(upTo, true);
            final int count = acked.size();
            acked.clear();
            return count;
        }

        boolean nak(final long seq, final long delayNs, final long now)
        {
            final Entry entry = pending.get(seq);
            if (entry == null)
            {
                return false;
            }
            entry.awaiting = false;
            entry.deadline = now + delayNs;
            return true;
        }

        boolean inProgress(final long seq, final long now)
        {
            final Entry entry = pending.get(seq);
            if (entry == null)
            {
                return false;
            }
            entry.awaiting = false;
            entry.deadline = now + waitNs(entry.count);
            return true;
        }

        boolean term(final long seq)
        {
            return pending.remove(seq) != null;
        }

        List<String> poll(final long now)
        {
            final List<Long> due = new ArrayList<>();
            for (final Map.Entry<Long, Entry> e : pending.entrySet())
            {
                if (!e.getValue().awaiting && e.getValue().deadline <= now)
                {
                    due.add(e.getKey());
                }
            }
            due.sort((a, b) ->
            {
                final int byDeadline = Long.compare(pending.get(a).deadline, pending.get(b).deadline);
                return byDeadline != 0 ? byDeadline : Long.compare(a, b);
            });
            final List<String> calls = new ArrayList<>();
            for (final long seq : due)
            {
                final Entry entry = pending.get(seq);
                if (settings.maxDeliver() != AckTracker.UNLIMITED && entry.count >= settings.maxDeliver())
                {
                    pending.remove(seq);
                    maxDeliveries++;
                    calls.add("max " + seq + " after " + entry.count);
                }
                else
                {
                    entry.awaiting = true;
                    entry.deadline = AckTracker.NULL_DEADLINE;
                    redeliveries++;
                    calls.add("redeliver " + seq + " after " + entry.count);
                }
            }
            return calls;
        }

        long nextDeadlineNs()
        {
            long next = AckTracker.NULL_DEADLINE;
            for (final Entry entry : pending.values())
            {
                if (!entry.awaiting)
                {
                    next = Math.min(next, entry.deadline);
                }
            }
            return next;
        }

        boolean canDeliver()
        {
            return settings.ackPolicy() == AckPolicy.NONE || settings.maxAckPending() == AckTracker.UNLIMITED ||
                pending.size() < settings.maxAckPending();
        }

        int numRedelivered()
        {
            return (int)pending.values().stream().filter(e -> e.count > 1).count();
        }

        long ackFloorStreamSeq()
        {
            return pending.isEmpty() ? deliveredStreamSeq : pending.firstKey() - 1;
        }

        long ackFloorConsumerSeq()
        {
            return pending.isEmpty() ? deliveredConsumerSeq :
                pending.values().stream().mapToLong(e -> e.consumerSeq).min().orElseThrow() - 1;
        }

        AckSnapshot snapshot()
        {
            final List<AckSnapshot.Pending> entries = new ArrayList<>();
            for (final Map.Entry<Long, Entry> e : pending.entrySet())
            {
                entries.add(new AckSnapshot.Pending(e.getKey(), e.getValue().consumerSeq, e.getValue().count));
            }
            return new AckSnapshot(deliveredStreamSeq, deliveredConsumerSeq, ackFloorStreamSeq(),
                ackFloorConsumerSeq(), entries);
        }
    }
}
