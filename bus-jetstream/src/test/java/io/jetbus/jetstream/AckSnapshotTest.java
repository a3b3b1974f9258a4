package io.jetbus.jetstream;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AckSnapshotTest
{
    @Test
    void shouldDeriveAckFloorFromPendingEntries()
    {
        final AckSnapshot snapshot = AckSnapshot.of(20, 9,
            List.of(new AckSnapshot.Pending(15, 4, 1), new AckSnapshot.Pending(12, 7, 2)));

        assertThat(snapshot.pending()).extracting(AckSnapshot.Pending::streamSeq).containsExactly(12L, 15L);
        assertThat(snapshot.ackFloorStreamSeq()).isEqualTo(11);
        assertThat(snapshot.ackFloorConsumerSeq()).isEqualTo(3);
        assertThat(snapshot.numRedelivered()).isEqualTo(1);
    }

    @Test
    void shouldPutFloorAtDeliveredPositionWhenNothingIsPending()
    {
        final AckSnapshot snapshot = AckSnapshot.of(20, 9, List.of());

        assertThat(snapshot).isEqualTo(new AckSnapshot(20, 9, 20, 9, List.of()));
        assertThat(AckSnapshot.EMPTY).isEqualTo(new AckSnapshot(0, 0, 0, 0, List.of()));
    }

    @Test
    void shouldRejectFloorThatDoesNotMatchPendingEntries()
    {
        assertThatThrownBy(() -> new AckSnapshot(20, 9, 20, 9, List.of(new AckSnapshot.Pending(12, 7, 1))))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid ack floor consumerSeq=9, streamSeq=20: the pending entries give consumerSeq=6, " +
                "streamSeq=11");
    }

    @Test
    void shouldRejectPendingEntriesOutsideTheDeliveredRange()
    {
        assertThatThrownBy(() -> AckSnapshot.of(10, 5, List.of(new AckSnapshot.Pending(11, 1, 1))))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid pending streamSeq=11: must increase and not exceed deliveredStreamSeq=10");
        assertThatThrownBy(() -> AckSnapshot.of(10, 5, List.of(new AckSnapshot.Pending(3, 6, 1))))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid pending consumerSeq=6: must be unique and not exceed deliveredConsumerSeq=5");
        assertThatThrownBy(() -> AckSnapshot.of(10, 5,
            List.of(new AckSnapshot.Pending(3, 2, 1), new AckSnapshot.Pending(4, 2, 1))))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid pending consumerSeq=2: must be unique and not exceed deliveredConsumerSeq=5");
        assertThatThrownBy(() -> AckSnapshot.of(10, 5,
            List.of(new AckSnapshot.Pending(3, 2, 1), new AckSnapshot.Pending(3, 1, 1))))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid pending streamSeq=3: must increase and not exceed deliveredStreamSeq=10");
    }

    @Test
    void shouldRejectNonPositiveEntryValues()
    {
        assertThatThrownBy(() -> new AckSnapshot.Pending(1, 1, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid pending entry streamSeq=1, consumerSeq=1, deliveryCount=0: each must be positive");
        assertThatThrownBy(() -> AckSnapshot.of(-1, 0, List.of()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid delivered pair consumerSeq=0, streamSeq=-1: must not be negative");
    }
}
