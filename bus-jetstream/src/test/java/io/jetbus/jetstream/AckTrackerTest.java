package io.jetbus.jetstream;

import io.jetbus.api.jetstream.AckPolicy;
import io.jetbus.api.jetstream.ConsumerConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AckTrackerTest
{
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long T0 = 7_000 * S;
    private static final long[] NO_BACKOFF = {};

    private final AckEvent.Recorder events = new AckEvent.Recorder();
    private final Redeliveries redeliveries = new Redeliveries();

    @Test
    void shouldRedeliverWhenAckWaitExpires()
    {
        final AckTracker tracker = tracker(AckPolicy.EXPLICIT, 30 * S, -1, NO_BACKOFF, 1000);

        assertThat(tracker.onDelivered(1, T0)).isEqualTo(1);
        assertThat(tracker.deadlineNs(1)).isEqualTo(T0 + 30 * S);
        assertThat(tracker.nextDeadlineNs()).isEqualTo(T0 + 30 * S);
        assertThat(tracker.poll(T0 + 30 * S - 1, redeliveries)).isZero();
        assertThat(tracker.poll(T0 + 30 * S, redeliveries)).isEqualTo(1);
        assertThat(redeliveries.calls).containsExactly("redeliver 1 after 1");
        assertThat(tracker.isAwaitingRedelivery(1)).isTrue();
        assertThat(tracker.isPending(1)).isTrue();
        assertThat(tracker.nextDeadlineNs()).isEqualTo(AckTracker.NULL_DEADLINE);

        assertThat(tracker.onDelivered(1, T0 + 31 * S)).isEqualTo(2);
        assertThat(tracker.deliveryCount(1)).isEqualTo(2);
        assertThat(tracker.numRedelivered()).isEqualTo(1);
        assertThat(tracker.isAwaitingRedelivery(1)).isFalse();
        assertThat(tracker.deadlineNs(1)).isEqualTo(T0 + 61 * S);
        assertThat(tracker.deliveredConsumerSeq()).isEqualTo(2);
        assertThat(tracker.deliveredStreamSeq()).isEqualTo(1);
    }

    @Test
    void shouldWaitBackoffEntryOfEachDeliveryClampedToTheLast()
    {
        final AckTracker tracker = tracker(AckPolicy.EXPLICIT, S, -1, new long[]{S, 5 * S, 10 * S}, 1000);
        final List<Long> dueTimes = new ArrayList<>();

        tracker.onDelivered(1, T0);
        for (int delivery = 1; delivery <= 5; delivery++)
        {
            final long due = tracker.nextDeadlineNs();
            dueTimes.add((due - T0) / S);
            assertThat(tracker.poll(due - 1, redeliveries)).isZero();
            assertThat(tracker.poll(due, redeliveries)).isEqualTo(1);
            tracker.onDelivered(1, due);
        }

        assertThat(dueTimes).containsExactly(1L, 6L, 16L, 26L, 36L);
        assertThat(redeliveries.calls).containsExactly("redeliver 1 after 1", "redeliver 1 after 2",
            "redeliver 1 after 3", "redeliver 1 after 4", "redeliver 1 after 5");
        assertThat(tracker.deliveryCount(1)).isEqualTo(6);
    }

    @Test
    void shouldReportMaxDeliveriesExactlyOnceAndDropTheMessage()
    {
        final AckTracker tracker = tracker(AckPolicy.EXPLICIT, 10 * S, 3, NO_BACKOFF, 1000);
        tracker.onDelivered(1, T0);
        tracker.onDelivered(2, T0);
        tracker.ack(2);

        for (int round = 1; round <= 3; round++)
        {
            tracker.poll(T0 + round * 10 * S, redeliveries);
            if (round < 3)
            {
                tracker.onDelivered(1, T0 + round * 10 * S);
            }
        }
        assertThat(tracker.poll(T0 + 1_000 * S, redeliveries)).isZero();

        assertThat(redeliveries.calls).containsExactly(
            "redeliver 1 after 1", "redeliver 1 after 2", "max deliveries 1 after 3");
        assertThat(tracker.isPending(1)).isFalse();
        assertThat(tracker.ack(1)).isFalse();
        assertThat(tracker.numAckPending()).isZero();
        assertThat(tracker.numRedelivered()).isZero();
        assertThat(tracker.ackFloorStreamSeq()).isEqualTo(2);
        assertThat(tracker.ackFloorConsumerSeq()).isEqualTo(4);
        assertThat(events.events()).endsWith(new AckEvent.MaxDelivered(1));
    }

    @Test
    void shouldRedeliverNakAfterItsDelayOrAtOnce()
    {
        final AckTracker tracker = tracker(AckPolicy.EXPLICIT, 30 * S, -1, NO_BACKOFF, 1000);
        tracker.onDelivered(1, T0);
        tracker.onDelivered(2, T0);

        assertThat(tracker.nak(1, 5 * S, T0 + 2 * S)).isTrue();
        assertThat(tracker.nak(2, 0, T0 + 3 * S)).isTrue();
        assertThat(tracker.nak(3, 0, T0 + 3 * S)).isFalse();

        assertThat(tracker.poll(T0 + 3 * S, redeliveries)).isEqualTo(1);
        assertThat(tracker.poll(T0 + 7 * S - 1, redeliveries)).isZero();
        assertThat(tracker.poll(T0 + 7 * S, redeliveries)).isEqualTo(1);
        assertThat(redeliveries.calls).containsExactly("redeliver 2 after 1", "redeliver 1 after 1");
        assertThatThrownBy(() -> tracker.nak(1, -1, T0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid delayNs -1: must not be negative");
    }

    @Test
    void shouldRestartAckWaitOnInProgress()
    {
        final AckTracker tracker = tracker(AckPolicy.EXPLICIT, 30 * S, -1, NO_BACKOFF, 1000);
        tracker.onDelivered(1, T0);

        assertThat(tracker.inProgress(1, T0 + 20 * S)).isTrue();
        assertThat(tracker.deadlineNs(1)).isEqualTo(T0 + 50 * S);
        assertThat(tracker.poll(T0 + 30 * S, redeliveries)).isZero();
        assertThat(tracker.poll(T0 + 50 * S, redeliveries)).isEqualTo(1);

        assertThat(tracker.isAwaitingRedelivery(1)).isTrue();
        assertThat(tracker.inProgress(1, T0 + 51 * S)).isTrue();
        assertThat(tracker.isAwaitingRedelivery(1)).isFalse();
        assertThat(tracker.deadlineNs(1)).isEqualTo(T0 + 81 * S);
        assertThat(tracker.inProgress(2, T0)).isFalse();
    }

    @Test
    void shouldNeverRedeliverTerminatedMessage()
    {
        final AckTracker tracker = tracker(AckPolicy.EXPLICIT, 30 * S, -1, NO_BACKOFF, 1000);
        tracker.onDelivered(4, T0);

        assertThat(tracker.term(4)).isTrue();
        assertThat(tracker.term(4)).isFalse();
        assertThat(tracker.poll(T0 + 1_000 * S, redeliveries)).isZero();
        assertThat(tracker.isPending(4)).isFalse();
        assertThat(tracker.ackFloorStreamSeq()).isEqualTo(4);
        assertThat(tracker.nextDeadlineNs()).isEqualTo(AckTracker.NULL_DEADLINE);
        assertThat(events.events()).containsExactly(new AckEvent.Delivered(4, 1), new AckEvent.Terminated(4));
    }

    @Test
    void shouldAdvanceAckFloorOnlyOverContiguousAcks()
    {
        final AckTracker tracker = tracker(AckPolicy.EXPLICIT, 30 * S, -1, NO_BACKOFF, 1000);
        for (final long seq : new long[]{10, 12, 15, 20})
        {
            tracker.onDelivered(seq, T0);
        }
        assertThat(floor(tracker)).containsExactly(0L, 9L);

        tracker.ack(12);
        assertThat(floor(tracker)).containsExactly(0L, 9L);
        tracker.ack(10);
        assertThat(floor(tracker)).containsExactly(2L, 14L);
        tracker.ack(20);
        assertThat(floor(tracker)).containsExactly(2L, 14L);
        tracker.onDelivered(15, T0 + S);
        assertThat(floor(tracker)).containsExactly(4L, 14L);
        tracker.ack(15);
        assertThat(floor(tracker)).containsExactly(5L, 20L);
        assertThat(tracker.numAckPending()).isZero();
    }

    @Test
    void shouldAcknowledgeEverythingUpToTheSequenceUnderAckAll()
    {
        final AckTracker tracker = tracker(AckPolicy.ALL, 30 * S, -1, NO_BACKOFF, 1000);
        for (long seq = 1; seq <= 10; seq++)
        {
            tracker.onDelivered(seq, T0);
        }

        assertThat(tracker.ack(5)).isTrue();
        assertThat(tracker.numAckPending()).isEqualTo(5);
        assertThat(floor(tracker)).containsExactly(5L, 5L);
        assertThat(tracker.ack(3)).isFalse();
        assertThat(tracker.ackAll(8)).isEqualTo(3);
        assertThat(tracker.ack(100)).isTrue();
        assertThat(tracker.numAckPending()).isZero();
        assertThat(events.events()).endsWith(new AckEvent.AckedAll(5), new AckEvent.AckedAll(8),
            new AckEvent.AckedAll(100));
    }

    @Test
    void shouldAcknowledgeAllAcrossSparseSequences()
    {
        final AckTracker tracker = tracker(AckPolicy.ALL, 30 * S, -1, NO_BACKOFF, 1000);
        tracker.onDelivered(1, T0);
        tracker.onDelivered(1_000_000, T0);
        tracker.onDelivered(5_000_000, T0);

        assertThat(tracker.ackAll(4_999_999)).isEqualTo(2);
        assertThat(floor(tracker)).containsExactly(2L, 4_999_999L);
        assertThat(tracker.isPending(5_000_000)).isTrue();
    }

    @Test
    void shouldPauseNewDeliveriesAtMaxAckPendingAndResumeOnAck()
    {
        final AckTracker tracker = tracker(AckPolicy.EXPLICIT, 30 * S, -1, NO_BACKOFF, 2);
        tracker.onDelivered(1, T0);
        assertThat(tracker.canDeliver()).isTrue();
        tracker.onDelivered(2, T0);
        assertThat(tracker.canDeliver()).isFalse();

        tracker.poll(T0 + 30 * S, redeliveries);
        tracker.onDelivered(1, T0 + 30 * S);
        assertThat(tracker.canDeliver()).isFalse();
        tracker.ack(2);
        assertThat(tracker.canDeliver()).isTrue();
        tracker.term(1);
        assertThat(tracker.numAckPending()).isZero();
    }

    @Test
    void shouldNotLimitWhenMaxAckPendingIsUnlimited()
    {
        final AckTracker tracker = tracker(AckPolicy.EXPLICIT, 30 * S, -1, NO_BACKOFF, -1);
        for (long seq = 1; seq <= 5_000; seq++)
        {
            tracker.onDelivered(seq, T0);
        }
        assertThat(tracker.canDeliver()).isTrue();
    }

    @Test
    void shouldTrackOnlyPositionsUnderAckPolicyNone()
    {
        final AckTracker tracker = tracker(AckPolicy.NONE, 30 * S, -1, NO_BACKOFF, 1);

        assertThat(tracker.onDelivered(3, T0)).isEqualTo(1);
        assertThat(tracker.onDelivered(9, T0)).isEqualTo(2);
        assertThat(tracker.canDeliver()).isTrue();
        assertThat(tracker.ack(9)).isFalse();
        assertThat(tracker.nak(9, 0, T0)).isFalse();
        assertThat(tracker.poll(T0 + 1_000 * S, redeliveries)).isZero();
        assertThat(floor(tracker)).containsExactly(2L, 9L);
        assertThat(tracker.numAckPending()).isZero();
        assertThatThrownBy(() -> tracker.onDelivered(9, T0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("stream sequence 9 is not pending and not above the delivered stream sequence 9");
    }

    @Test
    void shouldRejectDeliveryOfSequenceThatIsNeitherPendingNorNew()
    {
        final AckTracker tracker = tracker(AckPolicy.EXPLICIT, 30 * S, -1, NO_BACKOFF, 1000);
        tracker.onDelivered(5, T0);
        tracker.onDelivered(8, T0);
        tracker.ack(5);

        assertThatThrownBy(() -> tracker.onDelivered(5, T0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("stream sequence 5 is not pending and not above the delivered stream sequence 8");
        assertThatThrownBy(() -> tracker.onDelivered(7, T0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("stream sequence 7 is not pending and not above the delivered stream sequence 8");
    }

    @Test
    void shouldFireInDeadlineOrderThenSequenceOrder()
    {
        final AckTracker tracker = tracker(AckPolicy.EXPLICIT, 30 * S, -1, NO_BACKOFF, 1000);
        for (long seq = 1; seq <= 4; seq++)
        {
            tracker.onDelivered(seq, T0);
        }
        tracker.nak(3, S, T0);
        tracker.nak(1, 2 * S, T0);
        tracker.nak(4, S, T0);
        tracker.nak(2, 3 * S / 2, T0);

        assertThat(tracker.poll(T0 + 10 * S, redeliveries)).isEqualTo(4);
        assertThat(redeliveries.calls).containsExactly(
            "redeliver 3 after 1", "redeliver 4 after 1", "redeliver 2 after 1", "redeliver 1 after 1");
    }

    @Test
    void shouldStepExactlyToEachDeadline()
    {
        final AckTracker tracker = tracker(AckPolicy.EXPLICIT, 3 * S, -1, NO_BACKOFF, 1000);
        final long[] deliveredAt = {0, 1, 2, 700_000, 700_001, 5 * MS, 2 * S, 2 * S + 1};
        for (int i = 0; i < deliveredAt.length; i++)
        {
            tracker.onDelivered(i + 1, T0 + deliveredAt[i]);
        }

        final List<Long> stepped = new ArrayList<>();
        for (long due = tracker.nextDeadlineNs(); due != AckTracker.NULL_DEADLINE; due = tracker.nextDeadlineNs())
        {
            assertThat(tracker.poll(due - 1, redeliveries)).isZero();
            assertThat(tracker.poll(due, redeliveries)).isEqualTo(1);
            stepped.add(due - T0 - 3 * S);
        }

        assertThat(stepped).containsExactly(0L, 1L, 2L, 700_000L, 700_001L, 5 * MS, 2 * S, 2 * S + 1);
    }

    @Test
    void shouldFireEverythingDueAfterALargeClockJumpInOrder()
    {
        final AckTracker tracker = tracker(AckPolicy.EXPLICIT, 30 * S, -1, NO_BACKOFF, -1);
        for (long seq = 1; seq <= 3_000; seq++)
        {
            tracker.onDelivered(seq, T0);
            tracker.nak(seq, (3_000 - seq) * S, T0);
        }

        assertThat(tracker.poll(T0 + 10 * 3_600 * S, redeliveries)).isEqualTo(3_000);
        assertThat(redeliveries.calls).hasSize(3_000);
        assertThat(redeliveries.calls.get(0)).isEqualTo("redeliver 3000 after 1");
        assertThat(redeliveries.calls.get(2_999)).isEqualTo("redeliver 1 after 1");
        assertThat(tracker.nextDeadlineNs()).isEqualTo(AckTracker.NULL_DEADLINE);
    }

    @Test
    void shouldWorkWithNegativeClockValues()
    {
        final long start = -5 * S;
        final AckTracker tracker = new AckTracker(settings(AckPolicy.EXPLICIT, S, -1, NO_BACKOFF, 10), start,
            AckEventHandler.NONE);
        tracker.onDelivered(1, start);

        assertThat(tracker.poll(start + S - 1, redeliveries)).isZero();
        assertThat(tracker.poll(start + S, redeliveries)).isEqualTo(1);
    }

    @Test
    void shouldLetHandlerRedeliverAtOnceButNotPollAgain()
    {
        final AckTracker tracker = tracker(AckPolicy.EXPLICIT, 10 * S, -1, NO_BACKOFF, 1000);
        tracker.onDelivered(1, T0);
        tracker.onDelivered(2, T0);
        final long now = T0 + 10 * S;
        final List<String> errors = new ArrayList<>();

        tracker.poll(now, new RedeliveryHandler()
        {
            @Override
            public void onRedeliver(final long streamSeq, final int deliveryCount)
            {
                tracker.onDelivered(streamSeq, now);
                try
                {
                    tracker.poll(now, this);
                }
                catch (final IllegalStateException ex)
                {
                    errors.add(ex.getMessage());
                }
            }

            @Override
            public void onMaxDeliveries(final long streamSeq, final int deliveries)
            {
            }
        });

        assertThat(tracker.deliveryCount(1)).isEqualTo(2);
        assertThat(tracker.deliveryCount(2)).isEqualTo(2);
        assertThat(tracker.deadlineNs(2)).isEqualTo(now + 10 * S);
        assertThat(errors).containsExactly("poll is not re-entrant: called from a RedeliveryHandler",
            "poll is not re-entrant: called from a RedeliveryHandler");
    }

    @Test
    void shouldSkipMessagesAcknowledgedByHandlerOfAnEarlierOne()
    {
        final AckTracker tracker = tracker(AckPolicy.EXPLICIT, 10 * S, -1, NO_BACKOFF, 1000);
        tracker.onDelivered(1, T0);
        tracker.onDelivered(2, T0);
        tracker.onDelivered(3, T0);

        final int reported = tracker.poll(T0 + 10 * S, new RedeliveryHandler()
        {
            @Override
            public void onRedeliver(final long streamSeq, final int deliveryCount)
            {
                redeliveries.onRedeliver(streamSeq, deliveryCount);
                tracker.ack(2);
                tracker.nak(3, S, T0 + 10 * S);
            }

            @Override
            public void onMaxDeliveries(final long streamSeq, final int deliveries)
            {
            }
        });

        assertThat(reported).isEqualTo(1);
        assertThat(redeliveries.calls).containsExactly("redeliver 1 after 1");
        assertThat(tracker.deadlineNs(3)).isEqualTo(T0 + 11 * S);
    }

    @Test
    void shouldRestoreSnapshotWithFreshDeadlines()
    {
        final long[] backoff = {S, 4 * S};
        final AckTracker tracker = tracker(AckPolicy.EXPLICIT, S, 10, backoff, 1000);
        for (long seq = 1; seq <= 6; seq++)
        {
            tracker.onDelivered(seq * 2, T0);
        }
        tracker.poll(T0 + S, redeliveries);
        tracker.onDelivered(4, T0 + S);
        tracker.ack(2);
        tracker.term(8);

        final AckSnapshot snapshot = tracker.snapshot();
        final AckTracker restored = AckTracker.restore(snapshot, settings(AckPolicy.EXPLICIT, S, 10, backoff, 1000),
            T0 + 100 * S, AckEventHandler.NONE);

        assertThat(restored.snapshot()).isEqualTo(snapshot);
        assertThat(snapshot.pending()).containsExactly(new AckSnapshot.Pending(4, 7, 2),
            new AckSnapshot.Pending(6, 3, 1), new AckSnapshot.Pending(10, 5, 1), new AckSnapshot.Pending(12, 6, 1));
        assertThat(floor(restored)).containsExactly(2L, 3L);
        assertThat(restored.numRedelivered()).isEqualTo(1);
        assertThat(restored.deadlineNs(4)).isEqualTo(T0 + 104 * S);
        assertThat(tracker.isAwaitingRedelivery(6)).isTrue();
        assertThat(restored.isAwaitingRedelivery(6)).isFalse();
        assertThat(restored.deadlineNs(6)).isEqualTo(T0 + 101 * S);
        assertThat(restored.deliveredConsumerSeq()).isEqualTo(7);
    }

    @Test
    void shouldReplayEventsToTheSameState()
    {
        final AckSettings settings = settings(AckPolicy.EXPLICIT, 10 * S, 2, NO_BACKOFF, 1000);
        final AckTracker tracker = new AckTracker(settings, T0, events);
        for (long seq = 1; seq <= 5; seq++)
        {
            tracker.onDelivered(seq, T0);
        }
        tracker.ack(3);
        tracker.poll(T0 + 10 * S, redeliveries);
        tracker.onDelivered(1, T0 + 10 * S);
        tracker.onDelivered(2, T0 + 10 * S);
        final AckSnapshot middle = tracker.snapshot();
        final int eventsBeforeMiddle = events.events().size();
        tracker.term(4);
        tracker.poll(T0 + 20 * S, redeliveries);
        tracker.onDelivered(6, T0 + 20 * S);

        final AckTracker replayed = AckTracker.replay(AckSnapshot.EMPTY, events.events(), settings, T0 + 50 * S,
            AckEventHandler.NONE);
        final AckTracker fromMiddle = AckTracker.replay(middle,
            events.events().subList(eventsBeforeMiddle, events.events().size()), settings, T0 + 50 * S,
            AckEventHandler.NONE);

        assertThat(replayed.snapshot()).isEqualTo(tracker.snapshot());
        assertThat(fromMiddle.snapshot()).isEqualTo(tracker.snapshot());
        assertThat(tracker.snapshot().pending()).containsExactly(new AckSnapshot.Pending(5, 5, 1),
            new AckSnapshot.Pending(6, 8, 1));
        assertThat(events.events()).contains(new AckEvent.MaxDelivered(1), new AckEvent.MaxDelivered(2));
    }

    @Test
    void shouldReportOnlyEventsAfterTheReplay()
    {
        final AckSettings settings = settings(AckPolicy.ALL, 10 * S, -1, NO_BACKOFF, 1000);
        final AckEvent.Recorder after = new AckEvent.Recorder();
        final AckTracker tracker = AckTracker.replay(AckSnapshot.EMPTY,
            List.of(new AckEvent.Delivered(1, 1), new AckEvent.Delivered(2, 2), new AckEvent.AckedAll(1)), settings,
            T0, after);

        tracker.ack(2);
        assertThat(after.events()).containsExactly(new AckEvent.AckedAll(2));
    }

    @Test
    void shouldRefuseEventsThatDoNotFitTheState()
    {
        final AckSettings settings = settings(AckPolicy.EXPLICIT, 10 * S, -1, NO_BACKOFF, 1000);

        assertThatThrownBy(() -> AckTracker.replay(AckSnapshot.EMPTY, List.of(new AckEvent.Acked(9)), settings, T0,
            AckEventHandler.NONE))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("cannot replay Acked[streamSeq=9]: no such message pending");
        assertThatThrownBy(() -> AckTracker.replay(AckSnapshot.EMPTY, List.of(new AckEvent.Delivered(1, 2)), settings,
            T0, AckEventHandler.NONE))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("cannot replay Delivered[streamSeq=1, consumerSeq=2]: expected consumerSeq 1");
        assertThatThrownBy(() -> AckTracker.replay(AckSnapshot.EMPTY,
            List.of(new AckEvent.Delivered(3, 1), new AckEvent.Delivered(2, 2)), settings, T0, AckEventHandler.NONE))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("cannot replay Delivered[streamSeq=2, consumerSeq=2]: stream sequence 2 is not pending and " +
                "not above the delivered stream sequence 3");
    }

    @Test
    void shouldRefusePendingSnapshotUnderAckPolicyNone()
    {
        final AckSnapshot snapshot = AckSnapshot.of(3, 3, List.of(new AckSnapshot.Pending(3, 3, 1)));

        assertThatThrownBy(() -> AckTracker.restore(snapshot, settings(AckPolicy.NONE, S, -1, NO_BACKOFF, 1), T0,
            AckEventHandler.NONE))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("snapshot has 1 pending messages but ackPolicy is NONE");
    }

    @Test
    void shouldTakeSettingsFromConsumerConfig()
    {
        final ConsumerConfig config = ConsumerConfig.builder().ackPolicy(AckPolicy.ALL).maxDeliver(4)
            .backoff(Duration.ofSeconds(1), Duration.ofSeconds(3)).maxAckPending(7).build();

        assertThat(AckSettings.of(config))
            .isEqualTo(new AckSettings(AckPolicy.ALL, S, 4, new long[]{S, 3 * S}, 7));
        assertThat(AckSettings.of(ConsumerConfig.builder().ackWait(Duration.ofDays(365 * 1_000)).build())
            .ackWaitNs()).isEqualTo(Long.MAX_VALUE - 1);
    }

    @Test
    void shouldValidateSettings()
    {
        assertThatThrownBy(() -> settings(AckPolicy.EXPLICIT, 0, -1, NO_BACKOFF, 1))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("invalid ackWaitNs 0: must be positive");
        assertThatThrownBy(() -> settings(AckPolicy.EXPLICIT, S, 0, NO_BACKOFF, 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid maxDeliver 0: must be -1 (unlimited) or positive");
        assertThatThrownBy(() -> settings(AckPolicy.EXPLICIT, S, -1, new long[]{S, 0}, 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid backoffNs [1000000000, 0]: entry 1 is 0, must be positive");
        assertThatThrownBy(() -> settings(AckPolicy.EXPLICIT, S, -1, NO_BACKOFF, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid maxAckPending 0: must be -1 (unlimited) or positive");
    }

    private AckTracker tracker(
        final AckPolicy ackPolicy, final long ackWaitNs, final int maxDeliver, final long[] backoffNs,
        final int maxAckPending)
    {
        return new AckTracker(settings(ackPolicy, ackWaitNs, maxDeliver, backoffNs, maxAckPending), T0, events);
    }

    private static AckSettings settings(
        final AckPolicy ackPolicy, final long ackWaitNs, final int maxDeliver, final long[] backoffNs,
        final int maxAckPending)
    {
        return new AckSettings(ackPolicy, ackWaitNs, maxDeliver, backoffNs, maxAckPending);
    }

    private static List<Long> floor(final AckTracker tracker)
    {
        return List.of(tracker.ackFloorConsumerSeq(), tracker.ackFloorStreamSeq());
    }

    private static final class Redeliveries implements RedeliveryHandler
    {
        final List<String> calls = new ArrayList<>();

        @Override
        public void onRedeliver(final long streamSeq, final int deliveryCount)
        {
            calls.add("redeliver " + streamSeq + " after " + deliveryCount);
        }

        @Override
        public void onMaxDeliveries(final long streamSeq, final int deliveries)
        {
            calls.add("max deliveries " + streamSeq + " after " + deliveries);
        }
    }

    private static final class CountingEvents implements AckEventHandler
    {
        long count;

        @Override
        public void onDelivered(final long streamSeq, final long consumerSeq)
        {
            count++;
        }

        @Override
        public void onAcked(final long streamSeq)
        {
            count++;
        }

        @Override
        public void onMaxDelivered(final long streamSeq)
        {
            count++;
        }
    }

    private static final class RedeliverAtOnce implements RedeliveryHandler
    {
        private final AckTracker tracker;
        long nowNs = T0;

        RedeliverAtOnce(final AckTracker tracker)
        {
            this.tracker = tracker;
        }

        @Override
        public void onRedeliver(final long streamSeq, final int deliveryCount)
        {
            tracker.onDelivered(streamSeq, nowNs);
        }

        @Override
        public void onMaxDeliveries(final long streamSeq, final int deliveries)
        {
        }
    }
}
