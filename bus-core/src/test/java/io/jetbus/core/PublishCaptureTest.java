package io.jetbus.core;

import io.jetbus.api.Connection;
import io.jetbus.api.Headers;
import io.jetbus.api.Subjects;
import io.jetbus.api.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.jetbus.core.Tests.TIMEOUT;
import static io.jetbus.core.Tests.bytes;
import static io.jetbus.core.Tests.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class PublishCaptureTest
{
    private final EmbeddedBus bus = EmbeddedBus.builder().build();
    private final Connection nc = bus.connect();
    private final List<String> captured = new ArrayList<>();

    private final PublishCapture orders = new PublishCapture()
    {
        @Override
        public boolean captures(final String subject)
        {
            return Subjects.matches("orders.>", subject);
        }

        @Override
        public void capture(final String subject, final String replyTo, final Headers headers, final ByteBuffer data)
        {
            assertThat(data.isReadOnly()).isTrue();
            final byte[] copy = new byte[data.remaining()];
            data.get(copy);
            captured.add(subject + "|" + replyTo + "|" + (headers == null ? null : headers.first("k")) + "|" +
                new String(copy, StandardCharsets.UTF_8));
        }
    };

    @AfterEach
    void close()
    {
        bus.close();
    }

    @Test
    void shouldOfferCapturedSubjectsBeforeDeliveringThem() throws Exception
    {
        final Subscription sub = nc.subscribe("orders.*");
        bus.capture(orders);

        nc.publish("orders.new", bytes("a"));
        nc.publish("orders.new", "reply.1", new Headers().add("k", "v"), bytes("b"));
        nc.publish("orders.new", null, null, ByteBuffer.wrap(bytes("xcx"), 1, 1));
        nc.publish("other.new", bytes("ignored"));

        assertThat(captured)
            .containsExactly("orders.new|null|null|a", "orders.new|reply.1|v|b", "orders.new|null|null|c");
        assertThat(text(sub.nextMessage(TIMEOUT).data())).isEqualTo("a");
        assertThat(text(sub.nextMessage(TIMEOUT).data())).isEqualTo("b");
        assertThat(text(sub.nextMessage(TIMEOUT).data())).isEqualTo("c");
    }

    @Test
    void shouldDeliverWithoutCapturing() throws Exception
    {
        final Subscription sub = nc.subscribe("orders.*");
        bus.capture(orders);

        bus.deliver("orders.new", null, null, bytes("stored already"));

        assertThat(captured).isEmpty();
        assertThat(text(sub.nextMessage(TIMEOUT).data())).isEqualTo("stored already");
    }

    @Test
    void shouldStopCapturingWhenTheHookIsRemoved()
    {
        bus.capture(orders);
        bus.capture(null);

        nc.publish("orders.new", bytes("a"));

        assertThat(captured).isEmpty();
    }

    @Test
    void shouldFailThePublishWhenTheHookThrows()
    {
        bus.capture(new PublishCapture()
        {
            @Override
            public boolean captures(final String subject)
            {
                return true;
            }

            @Override
            public void capture(final String subject, final String replyTo, final Headers headers,
                final ByteBuffer data)
            {
                throw new IllegalStateException("store is full");
            }
        });

        assertThatThrownBy(() -> nc.publish("orders.new", bytes("a")))
            .isInstanceOf(IllegalStateException.class).hasMessage("store is full");
    }
}
