package io.jetbus.test;

import io.jetbus.api.Connection;
import io.jetbus.api.Headers;
import io.jetbus.api.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
@JetbusTest
class MessageRecorderTest
{
    private static final Duration WAIT = Duration.ofSeconds(10);

    JetbusKit kit;
    Connection nc;

    @Test
    void shouldRecordMessagesOnAPatternInOrder()
    {
        final MessageRecorder orders = kit.record("orders.>");

        nc.publish("orders.created", "{\"id\":1}".getBytes(UTF_8));
        nc.publish("payments.settled", "ignored".getBytes(UTF_8));
        nc.publish("orders.eu.shipped", new Headers().add("Trace-Id", "t1"), "{\"id\":1}".getBytes(UTF_8));

        final var messages = orders.awaitCount(2, WAIT);
        assertThat(messages).extracting(Message::subject).containsExactly("orders.created", "orders.eu.shipped");
        assertThat(orders.subjects()).containsExactly("orders.created", "orders.eu.shipped");
        assertThat(orders.texts()).containsExactly("{\"id\":1}", "{\"id\":1}");
        assertThat(messages.get(1).headers().first("Trace-Id")).isEqualTo("t1");
        assertThat(orders.pattern()).isEqualTo("orders.>");
    }

    @Test
    void shouldReturnTheFirstMessageThatMatches()
    {
        final MessageRecorder orders = kit.record("orders.*");
        nc.createDispatcher(m -> kit.publishText("orders.shipped", "after " + new String(m.data(), UTF_8)))
            .subscribe("orders.created");

        kit.publishText("orders.created", "1");

        final Message shipped = orders.awaitMessage(m -> m.subject().endsWith("shipped"), WAIT);
        assertThat(new String(shipped.data(), UTF_8)).isEqualTo("after 1");
        assertThat(orders.awaitSubject("orders.created", WAIT).subject()).isEqualTo("orders.created");
    }

    @Test
    void shouldListWhatArrivedWhenTooFewMessagesCame()
    {
        final MessageRecorder orders = kit.record("orders.>");
        kit.publishJson("orders.created", "{\"id\":1,\"customer\":\"alice\"}");
        nc.publish("orders.note", "x".repeat(100).getBytes(UTF_8));
        nc.publish("orders.binary", new byte[] {(byte)0xff, (byte)0xfe, 0});
        nc.publish("orders.empty", null);
        kit.awaitIdle();

        assertThatThrownBy(() -> orders.awaitCount(5, Duration.ofMillis(20)))
            .isInstanceOf(AssertionError.class)
            .hasMessage("expected 5 messages on \"orders.>\" within PT0.02S, but 4 arrived:\n" +
                "  1. orders.created {\"id\":1,\"customer\":\"alice\"}\n" +
                "  2. orders.note " + "x".repeat(60) + "... (100 bytes)\n" +
                "  3. orders.binary (3 bytes, not UTF-8)\n" +
                "  4. orders.empty (empty)");
    }

    @Test
    void shouldListWhatArrivedWhenNoMessageMatched()
    {
        final MessageRecorder orders = kit.record("orders.>");
        kit.publishText("orders.created", "line1\nline2");
        kit.awaitIdle();

        assertThatThrownBy(() -> orders.awaitMessage(m -> m.subject().equals("orders.paid"), Duration.ZERO))
            .isInstanceOf(AssertionError.class)
            .hasMessage("expected a matching message among the messages on \"orders.>\" within PT0S, but none " +
                "matched; 1 arrived:\n  1. orders.created line1\\nline2");
        assertThatThrownBy(() -> orders.awaitSubject("orders.paid", Duration.ZERO))
            .hasMessageStartingWith("expected a message on \"orders.paid\" among the messages on \"orders.>\"");
    }

    @Test
    void shouldAssertAnExactCountAfterTheBusIsIdle()
    {
        final MessageRecorder audit = kit.record("audit");
        kit.publishText("audit", "a");
        kit.publishText("audit", "b");
        kit.awaitIdle();

        audit.assertCount(2);
        assertThatThrownBy(() -> audit.assertCount(1))
            .hasMessage("expected exactly 1 messages on \"audit\", but 2 arrived:\n  1. audit a\n  2. audit b");
        audit.clear();
        audit.assertCount(0);
    }

    @Test
    void shouldStopRecordingOnceClosed()
    {
        final MessageRecorder audit = kit.record("audit");
        kit.publishText("audit", "kept");
        audit.awaitCount(1, WAIT);

        audit.close();
        kit.publishText("audit", "not recorded");
        kit.awaitIdle();

        assertThat(audit.texts()).containsExactly("kept");
    }

    @Test
    void shouldRejectBadArguments()
    {
        assertThatThrownBy(() -> kit.record("orders..created"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("invalid subject \"orders..created\"");
        final MessageRecorder audit = kit.record("audit");
        assertThatThrownBy(() -> audit.awaitCount(-1, WAIT))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid count -1: must not be negative");
        assertThatThrownBy(() -> audit.awaitCount(1, Duration.ofSeconds(-1)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid timeout PT-1S: must not be negative");
    }
}
