package io.jetbus.core;

import io.jetbus.api.Connection;
import io.jetbus.api.Dispatcher;
import io.jetbus.api.Subscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jetbus.core.Tests.TIMEOUT;
import static io.jetbus.core.Tests.await;
import static io.jetbus.core.Tests.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class LifecycleTest
{
    @Test
    void shouldFlushOnlyAfterHandlersReturned() throws Exception
    {
        try (EmbeddedBus bus = EmbeddedBus.builder().build(); Connection nc = bus.connect())
        {
            final AtomicInteger handled = new AtomicInteger();
            nc.createDispatcher(m -> handled.incrementAndGet()).subscribe("f");
            nc.createDispatcher(m -> handled.incrementAndGet()).subscribe("f");
            for (int i = 0; i < 10_000; i++)
            {
                nc.publish("f", new byte[8]);
            }
            nc.flush(TIMEOUT);
            assertThat(handled).hasValue(20_000);
        }
    }

    @Test
    void shouldTimeOutFlushWhileHandlerIsStuck() throws Exception
    {
        try (EmbeddedBus bus = EmbeddedBus.builder().build(); Connection nc = bus.connect())
        {
            final CountDownLatch release = new CountDownLatch(1);
            nc.createDispatcher(m -> release.await()).subscribe("stuck");
            nc.publish("stuck", new byte[1]);
            assertThatThrownBy(() -> nc.flush(Duration.ofMillis(50)))
                .isInstanceOf(java.util.concurrent.TimeoutException.class)
                .hasMessage("flush did not complete within PT0.05S");
            release.countDown();
            nc.flush(TIMEOUT);
        }
    }

    @Test
    void shouldDrainPendingMessagesThenClose() throws Exception
    {
        try (EmbeddedBus bus = EmbeddedBus.builder().build())
        {
            final Connection nc = bus.connect();
            final CountDownLatch release = new CountDownLatch(1);
            final AtomicInteger handled = new AtomicInteger();
            final Dispatcher d = nc.createDispatcher(m ->
            {
                release.await();
                handled.incrementAndGet();
            });
            final Subscription sub = d.subscribe("drain.me");
            for (int i = 0; i < 100; i++)
            {
                nc.publish("drain.me", new byte[1]);
            }
            final var drained = nc.drain(TIMEOUT);
            await(() -> bus.match("drain.me").isEmpty(), "drain stopped routing");
            nc.publish("drain.me", new byte[1]);
            release.countDown();

            assertThat(drained.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(handled).hasValue(100);
            assertThat(nc.isClosed()).isTrue();
            assertThat(d.isActive()).isFalse();
            assertThat(sub.isActive()).isFalse();
        }
    }

    @Test
    void shouldReportDrainTimeoutAndStillClose() throws Exception
    {
        final ManualTimeSource clock = new ManualTimeSource();
        try (EmbeddedBus bus = EmbeddedBus.builder().timeSource(clock).build())
        {
            final Connection nc = bus.connect();
            final CountDownLatch release = new CountDownLatch(1);
            final CountDownLatch entered = new CountDownLatch(1);
            nc.createDispatcher(m ->
            {
                entered.countDown();
                release.await();
            }).subscribe("stuck");
            nc.publish("stuck", new byte[1]);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            final var drained = nc.drain(Duration.ofSeconds(1));
            release.countDown();
            clock.advance(Duration.ofSeconds(1));
            assertThat(drained.get(10, TimeUnit.SECONDS)).isIn(true, false);
            assertThat(nc.isClosed()).isTrue();
        }
    }

    @Test
    void shouldStopEveryThreadAndLeaveNoDirectBuffersOnClose() throws Exception
    {
        final long threadsBefore = Tests.jetbusThreads();
        final BufferPoolMXBean direct = directPool();
        final long buffersBefore = direct.getCount();
        for (int round = 0; round < 20; round++)
        {
            final EmbeddedBus bus = EmbeddedBus.builder().build();
            final Connection a = bus.connect();
            final Connection b = bus.connect();
            a.createDispatcher(m -> { }).subscribe("x.>");
            b.createDispatcher(m -> { }).subscribe("x.*", "q");
            b.subscribe("x.y");
            a.createDispatcher(m -> b.publish(m.replyTo(), m.data())).subscribe("svc");
            for (int i = 0; i < 100; i++)
            {
                a.publish("x.y", new byte[16]);
            }
            a.request("svc", new byte[1], TIMEOUT).get(10, TimeUnit.SECONDS);
            bus.close();
        }
        assertThat(Tests.jetbusThreads()).isEqualTo(threadsBefore);
        // At most as many as before: 20 rounds that leaked would leave 60 rings or more, while the collector may free
        // buffers that earlier tests dropped (a lane whose owner thread ended after its dispatcher closed) meanwhile.
        assertThat(direct.getCount()).isLessThanOrEqualTo(buffersBefore);
    }

    @Test
    void shouldAcceptPayloadAtMaxAndRejectAbove() throws Exception
    {
        try (EmbeddedBus bus = EmbeddedBus.builder().build(); Connection nc = bus.connect())
        {
            final Subscription sync = nc.subscribe("big");
            final AtomicInteger async = new AtomicInteger();
            nc.createDispatcher(m -> async.set(m.dataLength())).subscribe("big");
            nc.publish("big", new byte[EmbeddedBus.DEFAULT_MAX_PAYLOAD]);
            nc.flush(TIMEOUT);
            assertThat(sync.nextMessage(TIMEOUT).dataLength()).isEqualTo(EmbeddedBus.DEFAULT_MAX_PAYLOAD);
            assertThat(async).hasValue(EmbeddedBus.DEFAULT_MAX_PAYLOAD);

            assertThatThrownBy(() -> nc.publish("big", new byte[EmbeddedBus.DEFAULT_MAX_PAYLOAD + 1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("payload of 1048577 bytes exceeds maxPayload=1048576 on subject \"big\"");
            assertThatThrownBy(() -> nc.publish("big", null, null,
                ByteBuffer.allocate(EmbeddedBus.DEFAULT_MAX_PAYLOAD + 1)))
                .isInstanceOf(IllegalArgumentException.class);
            assertThat(sync.pendingMessageCount()).isZero();
        }
    }

    @Test
    void shouldRejectRingTooSmallForMaxPayload()
    {
        assertThatThrownBy(() -> EmbeddedBus.builder().maxPayload(1024 * 1024).ringCapacity(1024 * 1024).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("ringCapacity=1048576 cannot hold a message of maxPayload=1048576");
    }

    @Test
    void shouldRejectEveryCallAfterClose()
    {
        final EmbeddedBus bus = EmbeddedBus.builder().build();
        final Connection nc = bus.connect("gone");
        final Dispatcher d = nc.createDispatcher(m -> { });
        final Subscription sub = nc.subscribe("s");
        bus.close();
        bus.close();
        nc.close();

        final Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("publish", () -> nc.publish("a", bytes("x")));
        calls.put("publish headers", () -> nc.publish("a", new io.jetbus.api.Headers(), bytes("x")));
        calls.put("publish reply", () -> nc.publish("a", "b", bytes("x")));
        calls.put("publish buffer", () -> nc.publish("a", null, null, ByteBuffer.allocate(1)));
        calls.put("subscribe", () -> nc.subscribe("a"));
        calls.put("subscribe queue", () -> nc.subscribe("a", "q"));
        calls.put("createDispatcher", () -> nc.createDispatcher());
        calls.put("createDispatcher handler", () -> nc.createDispatcher(m -> { }));
        calls.put("request", () -> nc.request("a", bytes("x"), TIMEOUT));
        calls.put("createInbox", nc::createInbox);
        calls.put("flush", () -> nc.flush(TIMEOUT));
        calls.put("dispatcher subscribe", () -> d.subscribe("a"));
        calls.put("connect", bus::connect);
        calls.put("jetStream", nc::jetStream);
        calls.put("jetStreamManagement", nc::jetStreamManagement);
        for (final Map.Entry<String, Executable> call : calls.entrySet())
        {
            assertThatThrownBy(call.getValue()::execute).as(call.getKey())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
        assertThat(nc.isClosed()).isTrue();
        assertThat(d.isActive()).isFalse();
        assertThat(sub.isActive()).isFalse();
        assertThat(bus.isClosed()).isTrue();
        assertThat(nc.drain(TIMEOUT)).isCompletedWithValue(true);
        assertThat(d.drain(TIMEOUT)).isCompletedWithValue(true);
        sub.unsubscribe();
    }

    @Test
    void shouldCloseDispatcherFromItsOwnHandler() throws Exception
    {
        try (EmbeddedBus bus = EmbeddedBus.builder().build(); Connection nc = bus.connect())
        {
            final CountDownLatch closed = new CountDownLatch(1);
            final Dispatcher[] self = new Dispatcher[1];
            self[0] = nc.createDispatcher(m ->
            {
                self[0].close();
                closed.countDown();
            });
            self[0].subscribe("bye");
            nc.publish("bye", new byte[1]);
            assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
            await(() -> !self[0].isActive(), "dispatcher closed");
            nc.flush(TIMEOUT);
        }
    }

    @Test
    void shouldNameTheMissingModuleWhenJetStreamIsAbsent()
    {
        try (EmbeddedBus bus = EmbeddedBus.builder().build(); Connection nc = bus.connect())
        {
            assertThatThrownBy(nc::jetStream).isInstanceOf(IllegalStateException.class)
                .hasMessage("JetStream needs the module io.jetbus:bus-jetstream on the class path, " +
                    "and it is not there");
            assertThatThrownBy(nc::jetStreamManagement).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("io.jetbus:bus-jetstream");
        }
    }

    private static BufferPoolMXBean directPool()
    {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(pool -> pool.getName().equals("direct")).findFirst().orElseThrow();
    }
}
