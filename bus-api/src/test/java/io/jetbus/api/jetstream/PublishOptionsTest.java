package io.jetbus.api.jetstream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PublishOptionsTest
{
    @Test
    void shouldHaveNothingSetByDefault()
    {
        final PublishOptions options = PublishOptions.builder().build();

        assertThat(options).isEqualTo(PublishOptions.none());
        assertThat(options.messageId()).isNull();
        assertThat(options.expectedStream()).isNull();
        assertThat(options.expectedLastSequence()).isEqualTo(PublishOptions.UNSET_SEQUENCE).isEqualTo(-1);
        assertThat(options.expectedLastSubjectSequence()).isEqualTo(PublishOptions.UNSET_SEQUENCE);
        assertThat(options.expectedLastMessageId()).isNull();
        assertThat(options.hasExpectations()).isFalse();
    }

    @Test
    void shouldSetEveryField()
    {
        final PublishOptions options = PublishOptions.builder().messageId("m1").expectedStream("ORDERS")
            .expectedLastSequence(0).expectedLastSubjectSequence(7).expectedLastMessageId("m0").build();

        assertThat(options).isEqualTo(new PublishOptions("m1", "ORDERS", 0, 7, "m0"));
        assertThat(options.hasExpectations()).isTrue();
    }

    @Test
    void shouldCountEachExpectation()
    {
        assertThat(PublishOptions.builder().messageId("m").build().hasExpectations()).isFalse();
        assertThat(PublishOptions.builder().expectedStream("S").build().hasExpectations()).isTrue();
        assertThat(PublishOptions.builder().expectedLastSequence(0).build().hasExpectations()).isTrue();
        assertThat(PublishOptions.builder().expectedLastSubjectSequence(3).build().hasExpectations()).isTrue();
        assertThat(PublishOptions.builder().expectedLastMessageId("x").build().hasExpectations()).isTrue();
    }

    @Test
    void shouldRejectInvalidValuesNamingThem()
    {
        final PublishOptions.Builder b = PublishOptions.builder();
        assertThatThrownBy(() -> b.messageId("")).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid messageId \"\": must be null (absent) or not empty");
        assertThatThrownBy(() -> b.expectedLastMessageId("")).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid expectedLastMessageId \"\": must be null (absent) or not empty");
        assertThatThrownBy(() -> b.expectedStream("A.B")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("invalid expectedStream \"A.B\": '.' at index 1");
        assertThatThrownBy(() -> b.expectedLastSequence(-2)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid expectedLastSequence -2: must be -1 (unset), 0 (none) or positive");
        assertThatThrownBy(() -> b.expectedLastSubjectSequence(-9)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid expectedLastSubjectSequence -9: must be -1 (unset), 0 (none) or positive");
    }

    @Test
    void shouldUseNatsHeaderNames()
    {
        assertThat(PublishOptions.MSG_ID_HEADER).isEqualTo("Nats-Msg-Id");
        assertThat(PublishOptions.EXPECTED_STREAM_HEADER).isEqualTo("Nats-Expected-Stream");
        assertThat(PublishOptions.EXPECTED_LAST_SEQUENCE_HEADER).isEqualTo("Nats-Expected-Last-Sequence");
        assertThat(PublishOptions.EXPECTED_LAST_SUBJECT_SEQUENCE_HEADER)
            .isEqualTo("Nats-Expected-Last-Subject-Sequence");
        assertThat(PublishOptions.EXPECTED_LAST_MSG_ID_HEADER).isEqualTo("Nats-Expected-Last-Msg-Id");
    }
}
