package io.jetbus.test;

import io.jetbus.core.EmbeddedBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class VirtualClockTest
{
    private final VirtualClock clock = new VirtualClock();
    private final EmbeddedBus bus = EmbeddedBus.builder().timeSource(clock).build();
    private final List<String> fired = new CopyOnWriteArrayList<>();

    @AfterEach
    void close()
    {
        bus.close();
    }

    private void schedule(final EmbeddedBus target, final long delayMs, final String name)
    {
        target.timers().schedule(TimeUnit.MILLISECONDS.toNanos(delayMs),
            () -> fired.add(name + "@" + clock.elapsed().toMillis()));
    }

    @Test
    void shouldStartAtTheDefaultEpoch()
    {
        assertThat(clock.now()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(clock.epochNanos()).isEqualTo(1_704_067_200_000_000_000L);
        assertThat(clock.elapsed()).isEqualTo(Duration.ZERO);
        assertThat(clock.isManual()).isTrue();
    }

    @Test
    void shouldStartAtAConfiguredTimeAndMoveBothClocksTogether()
    {
        final VirtualClock custom = new VirtualClock(Instant.parse("2030-06-01T12:00:00.5Z"));
        final long nanoTime = custom.nanoTime();

        custom.advance(Duration.ofMillis(1500));

        assertThat(custom.now()).isEqualTo(Instant.parse("2030-06-01T12:00:02Z"));
        assertThat(custom.nanoTime() - nanoTime).isEqualTo(1_500_000_000L);
        assertThat(custom.elapsed()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void shouldFireDueTimersInDeadlineOrderAtTheirDeadlines()
    {
        schedule(bus, 300, "c");
        schedule(bus, 100, "a");
        schedule(bus, 200, "b1");
        schedule(bus, 200, "b2");
        schedule(bus, 400, "late");

        final int count = clock.advance(Duration.ofMillis(300));

        assertThat(count).isEqualTo(4);
        assertThat(fired).containsExactly("a@100", "b1@200", "b2@200", "c@300");
        assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(300));
        assertThat(clock.untilNextTimer()).contains(Duration.ofMillis(100));
    }

    @Test
    void shouldFireTimersScheduledByTimersWhenTheyFallDueWithinTheAdvance()
    {
        bus.timers().schedule(TimeUnit.MILLISECONDS.toNanos(100), () ->
        {
            fired.add("first@" + clock.elapsed().toMillis());
            schedule(bus, 0, "now");
            schedule(bus, 50, "nested");
            schedule(bus, 500, "beyond");
        });
        schedule(bus, 120, "other");

        clock.advance(Duration.ofMillis(200));

        assertThat(fired).containsExactly("first@100", "now@100", "other@120", "nested@150");
        clock.advance(Duration.ofMillis(400));
        assertThat(fired).endsWith("beyond@600");
    }

    @Test
    void shouldInterleaveTheTimersOfEveryBusOnTheClock()
    {
        try (EmbeddedBus other = EmbeddedBus.builder().timeSource(clock).build())
        {
            schedule(bus, 30, "bus-30");
            schedule(other, 10, "other-10");
            schedule(other, 40, "other-40");
            schedule(bus, 20, "bus-20");

            clock.advance(Duration.ofSeconds(1));

            assertThat(fired).containsExactly("other-10@10", "bus-20@20", "bus-30@30", "other-40@40");
        }
    }

    @Test
    void shouldNotFireCancelledTimers()
    {
        bus.timers().schedule(TimeUnit.MILLISECONDS.toNanos(10), () -> fired.add("cancelled")).cancel();
        schedule(bus, 20, "kept");

        clock.advance(Duration.ofMillis(50));

        assertThat(fired).containsExactly("kept@20");
    }

    @Test
    void shouldStopFiringTheTimersOfAClosedBus()
    {
        schedule(bus, 10, "never");
        bus.close();

        assertThat(clock.advance(Duration.ofSeconds(1))).isZero();
        assertThat(fired).isEmpty();
        assertThat(clock.untilNextTimer()).isEqualTo(Optional.empty());
    }

    @Test
    void shouldAdvanceToAWallClockTime()
    {
        schedule(bus, 60_000, "minute");

        clock.advanceTo(Instant.parse("2024-01-01T00:01:00Z"));

        assertThat(fired).containsExactly("minute@60000");
        assertThatThrownBy(() -> clock.advanceTo(Instant.parse("2024-01-01T00:00:59Z")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid advanceTo 2024-01-01T00:00:59Z: before the clock's time 2024-01-01T00:01:00Z");
    }

    @Test
    void shouldRejectANegativeAdvance()
    {
        assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-1)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid advance PT-0.001S: the clock cannot go back");
    }

    @Test
    void shouldRejectAStartOutsideNanosecondRange()
    {
        assertThatThrownBy(() -> new VirtualClock(Instant.parse("2300-01-01T00:00:00Z")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid clock start 2300-01-01T00:00:00Z: must fit in nanoseconds since the epoch " +
                "(1677 to 2262)");
    }

    @Test
    void shouldReportATimerThatAdvancesItsOwnClock()
    {
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (EmbeddedBus reporting = EmbeddedBus.builder().timeSource(clock).errorListener(new io.jetbus.api
            .ErrorListener()
        {
            @Override
            public void onError(final Throwable error)
            {
                errors.add(error);
            }
        }).build())
        {
            reporting.timers().schedule(1, () -> clock.advance(Duration.ofSeconds(1)));

            clock.advance(Duration.ofMillis(1));

            assertThat(errors).singleElement()
                .isInstanceOf(IllegalStateException.class)
                .extracting(Throwable::getMessage).isEqualTo("a timer cannot advance the clock that fires it");
        }
    }
}
