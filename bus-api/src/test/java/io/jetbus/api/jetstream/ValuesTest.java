package io.jetbus.api.jetstream;

import io.jetbus.api.Headers;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValuesTest
{
    private static final Instant T0 = Instant.parse("2024-05-06T07:08:09Z");

    @Test
    void shouldCompareRecordsByValue()
    {
        assertThat(new PubAck("S", 3, false)).isEqualTo(new PubAck("S", 3, false))
            .isNotEqualTo(new PubAck("S", 3, true));
        assertThat(new SequencePair(4, 9)).isEqualTo(new SequencePair(4, 9)).hasSameHashCodeAs(new SequencePair(4, 9));
        assertThat(SequencePair.ZERO).isEqualTo(new SequencePair(0, 0));
        assertThat(state()).isEqualTo(state());
        final StreamInfo info = new StreamInfo(StreamConfig.builder().name("S").build(), state(), T0);
        assertThat(info).isEqualTo(new StreamInfo(StreamConfig.builder().name("S").build(), state(), T0));
        assertThat(consumerInfo()).isEqualTo(consumerInfo()).hasSameHashCodeAs(consumerInfo());
        assertThat(new MessageMetadata("S", "C", 5, 6, 2, T0, 10))
            .isEqualTo(new MessageMetadata("S", "C", 5, 6, 2, T0, 10));
    }

    @Test
    void shouldRejectInvalidValues()
    {
        assertThatThrownBy(() -> new PubAck("S", 0, false)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid seq 0: must be positive");
        assertThatThrownBy(() -> new PubAck(null, 1, false)).isInstanceOf(NullPointerException.class)
            .hasMessage("stream");
        assertThatThrownBy(() -> new SequencePair(-1, 0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid sequence pair consumerSeq=-1, streamSeq=0: sequences must not be negative");
        assertThatThrownBy(() -> new StreamState(-1, 0, 1, null, 0, null, 0, 0, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("invalid msgs -1: must not be negative");
        assertThatThrownBy(() -> new MessageMetadata("S", "C", 5, 6, 0, T0, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid metadata streamSeq=5, consumerSeq=6, deliveredCount=0: each must be positive");
        assertThatThrownBy(() -> new ConsumerInfo("S", "C", ConsumerConfig.builder().build(), T0, SequencePair.ZERO,
            SequencePair.ZERO, 0, -1, 0, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("invalid numAckPending -1: must not be negative");
    }

    @Test
    void shouldCopyMessageInfoPayloadInAndOut()
    {
        final byte[] data = {1, 2, 3};
        final Headers headers = new Headers().add("k", "v");
        final MessageInfo info = new MessageInfo("S", "a.b", 7, headers, data, T0);
        data[0] = 9;
        headers.add("k2", "v2");

        assertThat(info.data()).containsExactly(1, 2, 3);
        info.data()[1] = 9;
        assertThat(info.data()).containsExactly(1, 2, 3);
        assertThat(info.headers().names()).containsExactly("k");
        assertThat(info.headers().isReadOnly()).isTrue();
    }

    @Test
    void shouldCompareMessageInfoPayloadByContent()
    {
        final MessageInfo a = new MessageInfo("S", "a.b", 7, null, new byte[]{1, 2}, T0);
        final MessageInfo b = new MessageInfo("S", "a.b", 7, Headers.empty(), new byte[]{1, 2}, T0);

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new MessageInfo("S", "a.b", 7, null, new byte[]{1, 3}, T0));
        assertThat(a).hasToString("MessageInfo[stream=S, subject=a.b, seq=7, headers=" + Headers.empty() +
            ", dataLength=2, time=2024-05-06T07:08:09Z]");
        assertThat(new MessageInfo("S", "a", 1, null, null, T0).data()).isEmpty();
    }

    @Test
    void shouldBuildAdvisoriesWithFactories()
    {
        assertThat(JetStreamAdvisory.maxDeliveries("S", "C", 5, 3)).isEqualTo(
            new JetStreamAdvisory(JetStreamAdvisory.Type.MAX_DELIVERIES, "S", "C", 5, 3, ""));
        assertThat(JetStreamAdvisory.terminated("S", "C", 6, 1)).isEqualTo(
            new JetStreamAdvisory(JetStreamAdvisory.Type.TERMINATED, "S", "C", 6, 1, ""));
        assertThat(JetStreamAdvisory.recovery(JetStreamAdvisory.Type.LOST_DATA, "S", null, "3 records"))
            .isEqualTo(new JetStreamAdvisory(JetStreamAdvisory.Type.LOST_DATA, "S", null,
                JetStreamAdvisory.NO_SEQUENCE, 0, "3 records"));
        assertThatThrownBy(() -> JetStreamAdvisory.recovery(JetStreamAdvisory.Type.TERMINATED, "S", null, ""))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid recovery advisory type TERMINATED: must be LOST_DATA, CORRUPT_DATA or STATE_CLAMPED");
    }

    private static StreamState state()
    {
        return new StreamState(2, 100, 1, T0, 2, T0.plusSeconds(1), 1, 0, 2);
    }

    private static ConsumerInfo consumerInfo()
    {
        return new ConsumerInfo("S", "C", ConsumerConfig.builder().durableName("C").build(), T0,
            new SequencePair(5, 9), new SequencePair(3, 7), 4, 2, 1, 0);
    }
}
