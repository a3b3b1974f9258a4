package io.jetbus.api.jetstream;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlushPolicyTest
{
    @Test
    void shouldBuildEachPolicyWithFactories()
    {
        assertThat(FlushPolicy.none()).isEqualTo(new FlushPolicy(FlushPolicy.Mode.NONE, Duration.ZERO));
        assertThat(FlushPolicy.everyPublish())
            .isEqualTo(new FlushPolicy(FlushPolicy.Mode.EVERY_PUBLISH, Duration.ZERO));
        assertThat(FlushPolicy.interval(Duration.ofMillis(200)))
            .isEqualTo(new FlushPolicy(FlushPolicy.Mode.INTERVAL, Duration.ofMillis(200)));
    }

    @Test
    void shouldPrintShortForm()
    {
        assertThat(FlushPolicy.none()).hasToString("NONE");
        assertThat(FlushPolicy.everyPublish()).hasToString("EVERY_PUBLISH");
        assertThat(FlushPolicy.interval(Duration.ofSeconds(1))).hasToString("INTERVAL(PT1S)");
    }

    @Test
    void shouldRejectIntervalThatIsNotPositive()
    {
        assertThatThrownBy(() -> FlushPolicy.interval(Duration.ZERO))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid flush interval PT0S: must be positive");
        assertThatThrownBy(() -> FlushPolicy.interval(Duration.ofSeconds(-1)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid flush interval PT-1S: must be positive");
    }

    @Test
    void shouldRejectIntervalForOtherModes()
    {
        assertThatThrownBy(() -> new FlushPolicy(FlushPolicy.Mode.EVERY_PUBLISH, Duration.ofSeconds(1)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid flush interval PT1S for mode EVERY_PUBLISH: must be zero");
    }

    @Test
    void shouldRejectNulls()
    {
        assertThatThrownBy(() -> new FlushPolicy(null, Duration.ZERO))
            .isInstanceOf(NullPointerException.class).hasMessage("mode");
        assertThatThrownBy(() -> FlushPolicy.interval(null))
            .isInstanceOf(NullPointerException.class).hasMessage("interval");
    }
}
