package io.jetbus.core;

import io.jetbus.api.ErrorListener;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimerServiceTest
{
    private final ManualTimeSource clock = new ManualTimeSource();
    private final TimerService timers = new TimerService(clock, new ErrorListener() { }, "unused");

    @Test
    void shouldRunDueTasksInDeadlineOrderWhenClockAdvances()
    {
        final List<String> fired = new ArrayList<>();
        timers.schedule(Duration.ofSeconds(3).toNanos(), () -> fired.add("3s"));
        timers.schedule(Duration.ofSeconds(1).toNanos(), () ->
        {
            fired.add("1s");
            timers.schedule(Duration.ofSeconds(1).toNanos(), () -> fired.add("1s+1s"));
        });
        timers.schedule(Duration.ofSeconds(1).toNanos(), () -> fired.add("1s-second"));

        clock.advance(Duration.ofMillis(999));
        assertThat(fired).isEmpty();
        clock.advance(Duration.ofSeconds(5));
        assertThat(fired).containsExactly("1s", "1s-second", "1s+1s", "3s");
    }

    @Test
    void shouldNotRunCancelledTask()
    {
        final List<String> fired = new ArrayList<>();
        timers.schedule(10, () -> fired.add("kept"));
        timers.schedule(10, () -> fired.add("cancelled")).cancel();
        assertThat(timers.size()).isEqualTo(1);
        clock.advance(Duration.ofNanos(10));
        assertThat(fired).containsExactly("kept");
    }

    @Test
    void shouldDetachAndRejectSchedulingWhenClosed()
    {
        assertThat(clock.attachedCount()).isEqualTo(1);
        timers.close();
        assertThat(clock.attachedCount()).isZero();
        assertThatThrownBy(() -> timers.schedule(1, () -> { })).isInstanceOf(IllegalStateException.class)
            .hasMessage("timer service is closed");
    }
}
