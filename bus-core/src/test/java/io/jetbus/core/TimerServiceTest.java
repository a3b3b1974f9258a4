package io.jetbus.core;

import io.jetbus.api.ErrorListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
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
    void shouldRemoveTimerFromHeapWhenCancelled()
    {
        final List<String> fired = new ArrayList<>();
        timers.schedule(30, () -> fired.add("30"));
        final TimerService.Timer middle = timers.schedule(20, () -> fired.add("20"));
        timers.schedule(10, () -> fired.add("10"));

        middle.cancel();

        assertThat(timers.size()).isEqualTo(2);
        assertThat(timers.referencedTimers()).isEqualTo(2);
        middle.cancel();
        assertThat(timers.size()).isEqualTo(2);
        clock.advance(Duration.ofNanos(30));
        assertThat(fired).containsExactly("10", "30");
        assertThat(timers.size()).isZero();
        assertThat(timers.nextDeadlineNs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldReleaseTaskWhenScheduledThenCancelled()
    {
        final TimerService.Timer timer = timers.schedule(Duration.ofSeconds(10).toNanos(), () -> { });

        timer.cancel();

        assertThat(timers.size()).isZero();
        assertThat(timers.referencedTimers()).isZero();
        assertThat(timers.nextDeadlineNs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldShrinkHeapWhenBurstOfTimersIsCancelled()
    {
        final List<TimerService.Timer> burst = new ArrayList<>();
        for (int i = 0; i < 10_000; i++)
        {
            burst.add(timers.schedule(Duration.ofSeconds(10).toNanos() + i, () -> { }));
        }
        assertThat(timers.heapCapacity()).isGreaterThanOrEqualTo(10_000);

        burst.forEach(TimerService.Timer::cancel);

        assertThat(timers.size()).isZero();
        assertThat(timers.referencedTimers()).isZero();
        assertThat(timers.heapCapacity()).isEqualTo(TimerService.MIN_HEAP_CAPACITY);
    }

    @Test
    void shouldHarmlesslyCancelTimerThatRan()
    {
        final List<String> fired = new ArrayList<>();
        final TimerService.Timer ran = timers.schedule(5, () -> fired.add("ran"));
        clock.advance(Duration.ofNanos(5));
        timers.schedule(5, () -> fired.add("next"));

        ran.cancel();

        assertThat(timers.size()).isEqualTo(1);
        clock.advance(Duration.ofNanos(5));
        assertThat(fired).containsExactly("ran", "next");
    }

    @Test
    void shouldKeepSchedulingOrderOfTiesWhenOthersAreCancelled()
    {
        final List<Integer> fired = new ArrayList<>();
        final List<TimerService.Timer> handles = new ArrayList<>();
        for (int i = 0; i < 40; i++)
        {
            final int n = i;
            handles.add(timers.schedule(i % 2 == 0 ? 100 : 50, () -> fired.add(n)));
        }
        for (int i = 0; i < 40; i += 3)
        {
            handles.get(i).cancel();
        }

        clock.advance(Duration.ofNanos(100));

        final List<Integer> expected = new ArrayList<>();
        for (int parity = 1; parity >= 0; parity--)
        {
            for (int i = 0; i < 40; i++)
            {
                if (i % 2 == parity && i % 3 != 0)
                {
                    expected.add(i);
                }
            }
        }
        assertThat(fired).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldAgreeWithSimpleModelOverRandomSchedulesAndCancels()
    {
        final Random random = new Random(42);
        final List<Integer> fired = new ArrayList<>();
        final List<long[]> model = new ArrayList<>(); // {deadlineNs, sequence, id}, the pending ones
        final List<TimerService.Timer> handles = new ArrayList<>();
        final List<Integer> expectedFired = new ArrayList<>();
        long sequence = 0;
        for (int step = 0; step < 20_000; step++)
        {
            final int op = random.nextInt(10);
            if (op < 5)
            {
                final int id = handles.size();
                final long delayNs = random.nextInt(200);
                model.add(new long[] {clock.nanoTime() + delayNs, sequence++, id});
                handles.add(timers.schedule(delayNs, () -> fired.add(id)));
            }
            else if (op < 8 && !handles.isEmpty())
            {
                final int id = random.nextInt(handles.size());
                handles.get(id).cancel();
                model.removeIf(entry -> entry[2] == id);
            }
            else
            {
                final long targetNs = clock.nanoTime() + random.nextInt(50);
                model.sort(Comparator.<long[]>comparingLong(entry -> entry[0]).thenComparingLong(entry -> entry[1]));
                while (!model.isEmpty() && model.get(0)[0] <= targetNs)
                {
                    expectedFired.add((int)model.remove(0)[2]);
                }
                clock.advance(Duration.ofNanos(targetNs - clock.nanoTime()));
                assertThat(fired).containsExactlyElementsOf(expectedFired);
            }
            assertThat(timers.size()).isEqualTo(model.size());
        }
        assertThat(timers.referencedTimers()).isEqualTo(model.size());
    }

    @Test
    void shouldRunTimerOnThreadWhenEarlierDeadlineIsScheduledWhileItSleeps() throws Exception
    {
        try (TimerService system = new TimerService(TimeSource.system(), new ErrorListener() { }, "jetbus-timer-test"))
        {
            final CountDownLatch late = new CountDownLatch(1);
            final CountDownLatch early = new CountDownLatch(1);
            system.schedule(TimeUnit.HOURS.toNanos(1), late::countDown);
            Tests.await(system::isThreadWaiting, "the timer thread to sleep");

            system.schedule(TimeUnit.MILLISECONDS.toNanos(1), early::countDown);

            assertThat(early.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(late.getCount()).isEqualTo(1);
            assertThat(system.signals()).isPositive();
        }
    }

    @Test
    void shouldNotWakeTimerThreadWhenLaterDeadlinesAreScheduled()
    {
        try (TimerService system = new TimerService(TimeSource.system(), new ErrorListener() { }, "jetbus-timer-test"))
        {
            for (int i = 0; i < 1000; i++)
            {
                system.schedule(TimeUnit.HOURS.toNanos(1) + i, () -> { });
            }
            // At most the first schedule finds the thread asleep with nothing to wait for; the rest come later.
            assertThat(system.signals()).isLessThanOrEqualTo(1);
        }
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
