package io.jetbus.test;

import io.jetbus.api.Connection;
import io.jetbus.api.jetstream.StorageType;
import io.jetbus.core.EmbeddedBus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
@JetbusTest
class JetbusKitTest
{
    JetbusKit kit;
    EmbeddedBus bus;
    Connection nc;
    VirtualClock clock;
    BusEvents events;
    JetStreamInspector jetStream;
    private MessageRecorder fromBeforeEach;

    @BeforeEach
    void setUp(final JetbusKit sameKit)
    {
        assertThat(sameKit).isSameAs(kit);
        fromBeforeEach = kit.record("setup.>");
    }

    @Test
    void shouldInjectOneBusPerTestIntoFieldsAndParameters(final JetbusKit paramKit, final EmbeddedBus paramBus,
        final Connection paramConnection, final VirtualClock paramClock, final BusEvents paramEvents,
        final JetStreamInspector paramInspector)
    {
        assertThat(paramKit).isSameAs(kit);
        assertThat(paramBus).isSameAs(bus).isSameAs(kit.bus());
        assertThat(paramConnection).isSameAs(nc).isSameAs(kit.connection());
        assertThat(paramClock).isSameAs(clock).isSameAs(bus.timeSource());
        assertThat(paramEvents).isSameAs(events);
        assertThat(paramInspector).isSameAs(jetStream);
        assertThat(bus.storageDir()).isNull();
        assertThat(kit.storageDir()).isNull();
        assertThat(nc.name()).isEqualTo("test");
    }

    @Test
    void shouldAwaitMessagesThatHandlersPublishInTurn()
    {
        final AtomicInteger last = new AtomicInteger();
        for (int hop = 0; hop < 5; hop++)
        {
            final String next = "hop." + (hop + 1);
            nc.createDispatcher(m -> nc.publish(next, m.data())).subscribe("hop." + hop);
        }
        nc.createDispatcher(m -> last.set(Integer.parseInt(new String(m.data(), UTF_8)))).subscribe("hop.5");

        for (int n = 1; n <= 10; n++)
        {
            kit.publishText("hop.0", Integer.toString(n));
            kit.awaitIdle();
            assertThat(last).hasValue(n);
        }
    }

    @Test
    void shouldFailAwaitIdleWhileAHandlerIsStuck() throws InterruptedException
    {
        final CountDownLatch release = new CountDownLatch(1);
        nc.createDispatcher(m -> release.await(10, TimeUnit.SECONDS)).subscribe("stuck");
        kit.publishText("stuck", "x");

        assertThatThrownBy(() -> kit.awaitIdle(Duration.ofMillis(20)))
            .isInstanceOf(AssertionError.class)
            .hasMessage("the bus did not become idle within PT0.02S: a handler is still running, or messages keep " +
                "being published");
        release.countDown();
        kit.awaitIdle();
    }

    @Test
    void shouldRunTheWorkTimersHandToDispatchersWhenAdvancing()
    {
        final MessageRecorder reminders = kit.record("reminders");
        final AtomicInteger handled = new AtomicInteger();
        nc.createDispatcher(m -> handled.incrementAndGet()).subscribe("reminders");
        bus.timers().schedule(TimeUnit.MINUTES.toNanos(5), () -> nc.publish("reminders", "due".getBytes(UTF_8)));

        assertThat(kit.advance(Duration.ofMinutes(4))).isZero();
        assertThat(handled).hasValue(0);

        assertThat(kit.advance(Duration.ofMinutes(1))).isEqualTo(1);
        assertThat(handled).hasValue(1);
        reminders.assertCount(1);
    }

    @Test
    void shouldRecordHelpersMadeInBeforeEach()
    {
        kit.publishText("setup.done", "ok");

        assertThat(fromBeforeEach.awaitCount(1, JetbusKit.DEFAULT_TIMEOUT)).hasSize(1);
    }

    @Test
    void shouldKeepTheHelpersWorkingWhenTheTestClosesItsConnection()
    {
        final MessageRecorder audit = kit.record("audit");
        nc.close();

        kit.publishText("audit", "still works");
        kit.awaitIdle();

        audit.assertCount(1);
    }

    @Test
    void shouldLetATestClearEventsItProvokedOnPurpose()
    {
        nc.createDispatcher(m ->
        {
            throw new IllegalStateException("expected");
        }).subscribe("boom");
        kit.publishText("boom", "x");
        kit.awaitIdle();

        assertThat(events.handlerExceptions()).singleElement()
            .satisfies(e -> assertThat(e.subject()).isEqualTo("boom"))
            .satisfies(e -> assertThat(e.error()).hasMessage("expected"));
        events.clear();
    }

    @Test
    @JetbusTest(virtualTime = false)
    void shouldRunOnTheSystemClockWhenAsked()
    {
        assertThat(clock).isNull();
        assertThat(kit.hasVirtualTime()).isFalse();
        assertThat(bus.timeSource().isManual()).isFalse();
        assertThatThrownBy(() -> kit.clock())
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("this bus runs on the system clock (virtualTime = false): there is no virtual clock");
    }

    @Test
    @JetbusTest(storage = StorageType.FILE)
    void shouldGiveFileStorageAFreshDirectory()
    {
        assertThat(kit.storageDir()).isDirectory().isEqualTo(bus.storageDir());
        assertThat(kit.storageDir().getFileName().toString()).startsWith("jetbus-test-");
        assertThat(Files.isWritable(kit.storageDir())).isTrue();
    }

    @Test
    void shouldWorkWithoutTheExtension()
    {
        try (JetbusKit own = JetbusKit.builder().clock(new VirtualClock()).customize(b -> b.maxPayload(4096)).build())
        {
            final MessageRecorder recorder = own.record("x");
            own.publishText("x", "y");
            recorder.awaitCount(1, JetbusKit.DEFAULT_TIMEOUT);
            assertThat(own.bus().maxPayload()).isEqualTo(4096);
            assertThat(own.bus()).isNotSameAs(bus);
        }
    }

    @Nested
    class InANestedClass
    {
        @Test
        void shouldInjectTheSameBusIntoTheOuterInstance(final JetbusKit paramKit)
        {
            assertThat(paramKit).isSameAs(kit);
            assertThat(nc).isSameAs(kit.connection());
        }
    }
}
