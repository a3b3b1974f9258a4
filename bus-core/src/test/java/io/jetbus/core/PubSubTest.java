package io.jetbus.core;

import io.jetbus.api.Connection;
import io.jetbus.api.Dispatcher;
import io.jetbus.api.Headers;
import io.jetbus.api.Message;
import io.jetbus.api.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.jetbus.core.Tests.TIMEOUT;
import static io.jetbus.core.Tests.bytes;
import static io.jetbus.core.Tests.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class PubSubTest
{
    private final EmbeddedBus bus = EmbeddedBus.builder().build();
    private final Connection nc = bus.connect();

    @AfterEach
    void close()
    {
        bus.close();
    }

    @Test
    void shouldDeliverToEveryMatchingSubscription() throws Exception
    {
        final Subscription exact = nc.subscribe("sensors.1.temperature");
        final Subscription star = nc.subscribe("sensors.*.temperature");
        final Subscription tail = nc.subscribe("sensors.>");
        final Subscription other = nc.subscribe("sensors.*.humidity");

        nc.publish("sensors.1.temperature", bytes("21.5"));

        for (final Subscription sub : List.of(exact, star, tail))
        {
            final Message m = sub.nextMessage(TIMEOUT);
            assertThat(m.subject()).isEqualTo("sensors.1.temperature");
            assertThat(text(m.data())).isEqualTo("21.5");
            assertThat(m.subscription()).isSameAs(sub);
        }
        assertThat(other.nextMessage(Duration.ZERO)).isNull();
    }

    @Test
    void shouldReturnNullWhenNoMessageArrivesInTime() throws Exception
    {
        final Subscription sub = nc.subscribe("nothing.here");
        assertThat(sub.nextMessage(Duration.ofMillis(1))).isNull();
        assertThat(sub.nextMessage(Duration.ZERO)).isNull();
    }

    @Test
    void shouldCarryHeadersReplyToAndEmptyPayload() throws Exception
    {
        final Subscription sub = nc.subscribe("a.b");
        final Headers headers = new Headers().add("Trace-Id", "t1").add("Multi", "x", "y");
        nc.publish("a.b", "reply.here", headers, (byte[])null);

        final Message m = sub.nextMessage(TIMEOUT);
        assertThat(m.replyTo()).isEqualTo("reply.here");
        assertThat(m.hasHeaders()).isTrue();
        assertThat(m.headers()).isEqualTo(headers);
        assertThat(m.headers().get("Multi")).containsExactly("x", "y");
        assertThat(m.headers().isReadOnly()).isTrue();
        assertThat(m.dataLength()).isZero();
        assertThat(m.data()).isEmpty();
    }

    @Test
    void shouldPublishByteBufferSliceWithoutChangingIt() throws Exception
    {
        final Subscription sub = nc.subscribe("buf");
        final ByteBuffer direct = ByteBuffer.allocateDirect(16);
        direct.put(bytes("xxhelloyy")).position(2).limit(7);

        nc.publish("buf", null, null, direct);

        assertThat(direct.position()).isEqualTo(2);
        assertThat(direct.limit()).isEqualTo(7);
        assertThat(text(sub.nextMessage(TIMEOUT).data())).isEqualTo("hello");
    }

    @Test
    void shouldHandFlyweightToHandlerWithZeroCopyView() throws Exception
    {
        final CountDownLatch done = new CountDownLatch(1);
        final List<String> seen = new CopyOnWriteArrayList<>();
        final List<Message> copies = new CopyOnWriteArrayList<>();
        final Dispatcher d = nc.createDispatcher(m ->
        {
            final ByteBuffer view = m.dataBuffer();
            final byte[] viaView = new byte[view.remaining()];
            view.get(viaView);
            seen.add(m.subject() + "|" + text(viaView) + "|" + m.replyTo() + "|" + view.isReadOnly());
            copies.add(m.copy());
            done.countDown();
        });
        d.subscribe("zero.*");
        nc.publish("zero.copy", "r", bytes("payload"));

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly("zero.copy|payload|r|true");
        assertThat(text(copies.get(0).data())).isEqualTo("payload");
        assertThat(copies.get(0).subject()).isEqualTo("zero.copy");
    }

    @Test
    void shouldKeepPublishOrderPerPublisherAtEachSubscription() throws Exception
    {
        final int count = 20_000;
        final List<Integer> async = new ArrayList<>();
        final CountDownLatch done = new CountDownLatch(count);
        nc.createDispatcher(m ->
        {
            async.add(Integer.parseInt(text(m.data())));
            done.countDown();
        }).subscribe("ordered");
        final Subscription sync = nc.subscribe("ordered");

        for (int i = 0; i < count; i++)
        {
            nc.publish("ordered", bytes(Integer.toString(i)));
        }

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < count; i++)
        {
            assertThat(async.get(i)).isEqualTo(i);
            assertThat(text(sync.nextMessage(TIMEOUT).data())).isEqualTo(Integer.toString(i));
        }
    }

    @Test
    void shouldStopDeliveringAfterUnsubscribe() throws Exception
    {
        final Subscription sub = nc.subscribe("u");
        nc.publish("u", bytes("1"));
        sub.unsubscribe();
        nc.publish("u", bytes("2"));

        assertThat(sub.isActive()).isFalse();
        assertThat(text(sub.nextMessage(TIMEOUT).data())).isEqualTo("1");
        assertThatThrownBy(() -> sub.nextMessage(Duration.ZERO))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("subscription to \"u\" is no longer active");
    }

    @Test
    void shouldAutoUnsubscribeAfterMaxMessages() throws Exception
    {
        final Subscription sync = nc.subscribe("auto");
        sync.unsubscribe(3);
        final List<String> got = new CopyOnWriteArrayList<>();
        final Subscription async = nc.createDispatcher(m -> got.add(text(m.data()))).subscribe("auto");
        async.unsubscribe(2);

        for (int i = 0; i < 5; i++)
        {
            nc.publish("auto", bytes(Integer.toString(i)));
        }
        nc.flush(TIMEOUT);

        assertThat(got).containsExactly("0", "1");
        assertThat(async.isActive()).isFalse();
        assertThat(async.deliveredCount()).isEqualTo(2);
        for (int i = 0; i < 3; i++)
        {
            assertThat(text(sync.nextMessage(TIMEOUT).data())).isEqualTo(Integer.toString(i));
        }
        assertThat(sync.isActive()).isFalse();
        assertThatThrownBy(() -> sync.nextMessage(Duration.ZERO))
            .hasMessage("subscription to \"auto\" is no longer active (auto-unsubscribed after 3 messages)");
    }

    @Test
    void shouldRejectNonPositiveAutoUnsubscribe()
    {
        final Subscription sub = nc.subscribe("x");
        assertThatThrownBy(() -> sub.unsubscribe(0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("max must be positive: 0");
    }

    @Test
    void shouldCountDeliveredAndPending() throws Exception
    {
        final Subscription sub = nc.subscribe("count");
        nc.publish("count", new byte[10]);
        nc.publish("count", new byte[20]);

        assertThat(sub.pendingMessageCount()).isEqualTo(2);
        assertThat(sub.pendingByteCount()).isEqualTo(30);
        sub.nextMessage(TIMEOUT);
        assertThat(sub.deliveredCount()).isEqualTo(1);
        assertThat(sub.pendingMessageCount()).isEqualTo(1);
        assertThat(sub.pendingByteCount()).isEqualTo(20);
        assertThat(sub.droppedCount()).isZero();
    }

    @Test
    void shouldDeliverAcrossConnections() throws Exception
    {
        try (Connection other = bus.connect("other"))
        {
            final Subscription sub = other.subscribe("cross.>");
            nc.publish("cross.conn", bytes("hi"));
            assertThat(text(sub.nextMessage(TIMEOUT).data())).isEqualTo("hi");
        }
    }

    @Test
    void shouldRejectNextMessageOnDispatcherSubscription()
    {
        final Subscription sub = nc.createDispatcher(m -> { }).subscribe("d");
        assertThatThrownBy(() -> sub.nextMessage(Duration.ZERO)).isInstanceOf(IllegalStateException.class)
            .hasMessage("subscription to \"d\" belongs to a dispatcher: messages go to its handler, " +
                "not to nextMessage");
    }

    @Test
    void shouldRequireHandlerWhenDispatcherHasNoDefault()
    {
        final Dispatcher d = nc.createDispatcher();
        assertThatThrownBy(() -> d.subscribe("x")).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("has no default handler");
    }

    @Test
    void shouldRejectInvalidSubjectsWithoutSideEffects()
    {
        final Subscription sub = nc.subscribe(">");
        assertThatThrownBy(() -> nc.publish("a..b", bytes("x"))).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid subject \"a..b\": empty token at position 2");
        assertThatThrownBy(() -> nc.publish("a.*", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> nc.subscribe("a.>.b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> nc.publish("ok", "bad reply", null, bytes("x")))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> nc.publish(null, bytes("x"))).isInstanceOf(NullPointerException.class);
        assertThat(sub.pendingMessageCount()).isZero();
    }
}
