package io.jetbus.test;

import io.jetbus.api.Connection;
import io.jetbus.api.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
@JetbusTest
class ResponderStubTest
{
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void shouldAnswerRequestsAndRecordThem(final JetbusKit kit, final Connection nc) throws Exception
    {
        final ResponderStub users = kit.respond("api.users.lookup")
            .withText(req -> "{\"name\":\"user" + new String(req.data(), UTF_8) + "\"}");

        final Message reply = nc.request("api.users.lookup", "42".getBytes(UTF_8), WAIT).get();

        assertThat(new String(reply.data(), UTF_8)).isEqualTo("{\"name\":\"user42\"}");
        assertThat(users.requests()).extracting(m -> new String(m.data(), UTF_8)).containsExactly("42");
        assertThat(users.requestCount()).isEqualTo(1);
        assertThat(users.subject()).isEqualTo("api.users.lookup");
    }

    @Test
    void shouldAnswerWithFixedJsonAndSwitchReplies(final JetbusKit kit, final Connection nc) throws Exception
    {
        final ResponderStub prices = kit.respond("api.prices.*").withJson("{\"price\":10}");
        assertThat(new String(nc.request("api.prices.eur", null, WAIT).get().data(), UTF_8))
            .isEqualTo("{\"price\":10}");

        prices.with(req -> req.subject().getBytes(UTF_8));
        assertThat(new String(nc.request("api.prices.usd", null, WAIT).get().data(), UTF_8))
            .isEqualTo("api.prices.usd");
        assertThat(prices.awaitRequests(2, WAIT)).extracting(Message::subject)
            .containsExactly("api.prices.eur", "api.prices.usd");
    }

    @Test
    void shouldLetARequestTimeOutOnTheVirtualClockWhenTheReplyIsNull(
        final JetbusKit kit, final Connection nc, final VirtualClock clock) throws Exception
    {
        final ResponderStub slow = kit.respond("api.slow").with(req -> null);
        final CompletableFuture<Message> reply = nc.request("api.slow", "ping".getBytes(UTF_8), Duration.ofSeconds(2));
        slow.awaitRequest(req -> new String(req.data(), UTF_8).equals("ping"), WAIT);

        clock.advance(Duration.ofMillis(1999));
        assertThat(reply).isNotDone();

        clock.advance(Duration.ofMillis(1));
        assertThat(reply).isCompletedExceptionally();
        assertThatThrownBy(reply::get)
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOf(TimeoutException.class)
            .hasMessage("request to \"api.slow\" timed out after PT2S");
    }

    @Test
    void shouldNotSubscribeBeforeAReplyIsGiven(final JetbusKit kit, final Connection nc)
    {
        kit.respond("api.unanswered");

        assertThat(nc.request("api.unanswered", null, WAIT)).isCompletedExceptionally();
    }

    @Test
    void shouldRejectMalformedJsonAndUseAfterClose(final JetbusKit kit)
    {
        final ResponderStub stub = kit.respond("api.x");
        assertThatThrownBy(() -> stub.withJson("{\"a\":}"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid JSON at offset 5: expected a value but found '}' in \"{\"a\":}\"");

        stub.close();
        assertThatThrownBy(() -> stub.withText("late"))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("responder stub for \"api.x\" is closed");
    }
}
