package io.jetbus.api;

import io.jetbus.api.jetstream.JetStreamAdvisory;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageJetStreamDefaultsTest
{
    private final Message message = new CoreMessage();

    @Test
    void shouldNotBeJetStreamByDefault()
    {
        assertThat(message.isJetStream()).isFalse();
    }

    @Test
    void shouldRefuseAcknowledgementOnCoreMessage()
    {
        final List<ThrowingCallable> calls = List.of(
            message::metaData,
            message::ack,
            () -> message.ackSync(Duration.ofSeconds(1)),
            message::nak,
            () -> message.nakWithDelay(Duration.ofSeconds(1)),
            message::inProgress,
            message::term);

        for (final ThrowingCallable call : calls)
        {
            assertThatThrownBy(call).isInstanceOf(IllegalStateException.class).hasMessage("not a JetStream message");
        }
    }

    @Test
    void shouldIgnoreAdvisoriesByDefaultAndLogThemInLoggingListener()
    {
        final JetStreamAdvisory advisory = JetStreamAdvisory.maxDeliveries("S", "C", 5, 3);

        new ErrorListener()
        {
        }.onAdvisory(advisory);
        for (final JetStreamAdvisory.Type type : JetStreamAdvisory.Type.values())
        {
            ErrorListener.logging().onAdvisory(new JetStreamAdvisory(type, "S", null, 0, 0, ""));
        }
        ErrorListener.logging().onAdvisory(advisory);
    }

    private static final class CoreMessage implements Message
    {
        public String subject()
        {
            return "a";
        }

        public String replyTo()
        {
            return null;
        }

        public boolean hasHeaders()
        {
            return false;
        }

        public Headers headers()
        {
            return Headers.empty();
        }

        public int dataLength()
        {
            return 0;
        }

        public byte[] data()
        {
            return new byte[0];
        }

        public ByteBuffer dataBuffer()
        {
            return ByteBuffer.allocate(0).asReadOnlyBuffer();
        }

        public Subscription subscription()
        {
            return null;
        }

        public Message copy()
        {
            return this;
        }
    }
}
