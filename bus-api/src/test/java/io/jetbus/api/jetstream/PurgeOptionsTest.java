package io.jetbus.api.jetstream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PurgeOptionsTest
{
    @Test
    void shouldPurgeEverythingByDefault()
    {
        assertThat(PurgeOptions.builder().build()).isEqualTo(new PurgeOptions(null, PurgeOptions.UNSET, 0));
    }

    @Test
    void shouldSetSubjectWithSequenceOrKeep()
    {
        assertThat(PurgeOptions.builder().subject("orders.*").upToSeq(10).build())
            .isEqualTo(new PurgeOptions("orders.*", 10, 0));
        assertThat(PurgeOptions.builder().subject("orders.>").keep(5).build())
            .isEqualTo(new PurgeOptions("orders.>", 0, 5));
    }

    @Test
    void shouldRejectSequenceAndKeepTogetherNamingBoth()
    {
        final PurgeOptions.Builder builder = PurgeOptions.builder().upToSeq(10).keep(5);

        assertThatThrownBy(builder::build)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("upToSeq=10 and keep=5 are mutually exclusive: set one of them");
    }

    @Test
    void shouldRejectInvalidValues()
    {
        final PurgeOptions.Builder b = PurgeOptions.builder();
        assertThatThrownBy(() -> b.upToSeq(-1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid upToSeq -1: must be positive, or 0 (unset)");
        assertThatThrownBy(() -> b.keep(-3)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid keep -3: must be positive, or 0 (unset)");
        assertThatThrownBy(() -> b.subject("a..b")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("invalid subject \"a..b\"");
    }
}
