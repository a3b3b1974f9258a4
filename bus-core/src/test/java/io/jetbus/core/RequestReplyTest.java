package io.jetbus.core;

import io.jetbus.api.Connection;
import io.jetbus.api.Message;
import io.jetbus.api.NoRespondersException;
import io.jetbus.api.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static io.jetbus.core.Tests.bytes;
import static io.jetbus.core.Tests.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class RequestReplyTest
{
    private final ManualTimeSource clock = new ManualTimeSource();
    private final EmbeddedBus bus = EmbeddedBus.builder().timeSource(clock).build();
    private final Connection nc = bus.connect();

    @AfterEach
    void close()
    {
        bus.close();
    }

    @Test
    void shouldReplyToRequest() throws Exception
    {
        nc.createDispatcher(m -> nc.publish(m.replyTo(), bytes("user:" + text(m.data())))).subscribe("api.lookup");

        final Message reply = nc.request("api.lookup", bytes("42"), Duration.ofSeconds(2)).get(10, TimeUnit.SECONDS);

        assertThat(text(reply.data())).isEqualTo("user:42");
        assertThat(reply.subject()).startsWith("_INBOX.");
    }

    @Test
    void shouldFailAtOnceWhenNoResponders()
    {
        final CompletableFuture<Message> future = nc.request("nobody.home", bytes("?"), Duration.ofSeconds(5));

        assertThat(future).isCompletedExceptionally();
        assertThatThrownBy(future::get).hasCauseInstanceOf(NoRespondersException.class)
            .hasMessageContaining("no responders for request to \"nobody.home\"");
    }

    @Test
    void shouldTimeOutOnVirtualClockAndDropLateReply() throws Exception
    {
        final AtomicReference<String> replyTo = new AtomicReference<>();
        final CountDownLatch received = new CountDownLatch(1);
        nc.createDispatcher(m ->
        {
            replyTo.set(m.replyTo());
            received.countDown();
        }).subscribe("slow.service");

        final CompletableFuture<Message> future = nc.request("slow.service", bytes("q"), Duration.ofSeconds(2));
        assertThat(received.await(10, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofMillis(1999));
        assertThat(future).isNotDone();
        clock.advance(Duration.ofMillis(1));

        assertThatThrownBy(future::get).isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(TimeoutException.class)
            .hasMessageContaining("request to \"slow.service\" timed out after PT2S");
        nc.publish(replyTo.get(), bytes("late"));
        assertThat(((BusConnection)nc).pendingRequestCount()).isZero();
    }

    @Test
    void shouldServeThousandConcurrentRequests() throws Exception
    {
        final Connection responder = bus.connect("responder");
        responder.createDispatcher(m -> responder.publish(m.replyTo(), m.data())).subscribe("echo");
        final List<CompletableFuture<Message>> futures = new ArrayList<>();
        for (int i = 0; i < 1000; i++)
        {
            futures.add(nc.request("echo", bytes(Integer.toString(i)), Duration.ofSeconds(30)));
        }
        for (int i = 0; i < 1000; i++)
        {
            assertThat(text(futures.get(i).get(10, TimeUnit.SECONDS).data())).isEqualTo(Integer.toString(i));
        }
        assertThat(((BusConnection)nc).pendingRequestCount()).isZero();
    }

    @Test
    void shouldLeaveNoPendingRequestsAfterManyTimeouts()
    {
        nc.subscribe("black.hole");
        final List<CompletableFuture<Message>> futures = new ArrayList<>();
        for (int i = 0; i < 10_000; i++)
        {
            futures.add(nc.request("black.hole", bytes("x"), Duration.ofMillis(1 + (i * 7919L) % 5000)));
        }
        clock.advance(Duration.ofSeconds(5));

        assertThat(futures).allMatch(CompletableFuture::isCompletedExceptionally);
        assertThat(((BusConnection)nc).pendingRequestCount()).isZero();
        assertThat(bus.timers().size()).isZero();
    }

    @Test
    void shouldRejectNonPositiveTimeout()
    {
        assertThatThrownBy(() -> nc.request("a", bytes("x"), Duration.ZERO))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("request timeout must be positive: PT0S");
    }

    @Test
    void shouldFailPendingRequestsWhenConnectionCloses()
    {
        nc.subscribe("never.answers");
        final CompletableFuture<Message> future = nc.request("never.answers", bytes("x"), Duration.ofSeconds(5));
        nc.close();
        assertThatThrownBy(future::get).hasCauseInstanceOf(IllegalStateException.class)
            .hasMessageContaining("is closed");
    }

    @Test
    void shouldReleaseRequestAndItsTimerWhenReplied() throws Exception
    {
        final Connection responder = bus.connect("responder");
        responder.createDispatcher(m -> responder.publish(m.replyTo(), m.data())).subscribe("echo");

        for (int i = 0; i < 100; i++)
        {
            assertThat(text(nc.request("echo", bytes("ping"), Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS).data()))
                .isEqualTo("ping");
        }

        assertThat(((BusConnection)nc).pendingRequestCount()).isZero();
        assertThat(bus.timers().size()).isZero();
    }

    @Test
    void shouldReleaseRequestAndItsTimerWhenCallerCancels()
    {
        nc.subscribe("never.answers");
        final CompletableFuture<Message> cancelled = nc.request("never.answers", bytes("x"), Duration.ofSeconds(5));
        final CompletableFuture<Message> completed = nc.request("never.answers", bytes("x"), Duration.ofSeconds(5));
        assertThat(bus.timers().size()).isEqualTo(2);

        assertThat(cancelled.cancel(false)).isTrue();
        assertThat(completed.complete(null)).isTrue();

        assertThat(((BusConnection)nc).pendingRequestCount()).isZero();
        assertThat(bus.timers().size()).isZero();
        clock.advance(Duration.ofSeconds(5));
        assertThat(cancelled).isCancelled();
        assertThat(completed.getNow(null)).isNull();
    }

    @Test
    void shouldCompleteRequestOnlyForItsExactReplySubject() throws Exception
    {
        final Subscription service = nc.subscribe("service");
        final CompletableFuture<Message> future = nc.request("service", bytes("q"), Duration.ofSeconds(5));
        final String replyTo = service.nextMessage(Duration.ofSeconds(10)).replyTo();
        final int lastDot = replyTo.lastIndexOf('.');
        final String token = replyTo.substring(lastDot + 1);
        final String prefix = replyTo.substring(0, lastDot + 1);

        nc.publish(prefix + "0" + token, bytes("leading zero"));
        nc.publish(prefix + token.toUpperCase(Locale.ROOT) + "A", bytes("upper case"));
        nc.publish(prefix + "x", bytes("another token"));
        assertThat(future).isNotDone();
        nc.publish(replyTo, bytes("the reply"));

        assertThat(text(future.get(10, TimeUnit.SECONDS).data())).isEqualTo("the reply");
        assertThat(future.get().subject()).isEqualTo(replyTo);
    }

    @Test
    void shouldFailRequestAndReleaseItWhenPublishFails()
    {
        final EmbeddedBus small = EmbeddedBus.builder().timeSource(clock).maxPayload(16).build();
        try
        {
            final Connection connection = small.connect();
            connection.subscribe("service");

            final CompletableFuture<Message> future =
                connection.request("service", new byte[17], Duration.ofSeconds(5));

            assertThatThrownBy(future::get).hasCauseInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("payload of 17 bytes exceeds maxPayload=16");
            assertThat(((BusConnection)connection).pendingRequestCount()).isZero();
            assertThat(small.timers().size()).isZero();
        }
        finally
        {
            small.close();
        }
    }

    @Test
    void shouldDeliverReplyToEverySubscriptionMatchingItsSubject() throws Exception
    {
        final Connection other = bus.connect("other");
        final Subscription allInboxes = other.subscribe("_INBOX.>");
        final Subscription service = nc.subscribe("service");
        final CompletableFuture<Message> future = nc.request("service", bytes("q"), Duration.ofSeconds(5));
        final String replyTo = service.nextMessage(Duration.ofSeconds(10)).replyTo();
        final Subscription literal = other.subscribe(replyTo);
        final String token = replyTo.substring(replyTo.lastIndexOf('.') + 1);
        final Subscription sameLastToken = other.subscribe("_INBOX.*." + token);

        nc.publish(replyTo, bytes("the reply"));

        assertThat(text(future.get(10, TimeUnit.SECONDS).data())).isEqualTo("the reply");
        for (final Subscription subscription : List.of(allInboxes, literal, sameLastToken))
        {
            final Message copy = subscription.nextMessage(Duration.ofSeconds(10));
            assertThat(copy.subject()).isEqualTo(replyTo);
            assertThat(text(copy.data())).isEqualTo("the reply");
        }
        literal.unsubscribe();
        sameLastToken.unsubscribe();

        final CompletableFuture<Message> next = nc.request("service", bytes("q2"), Duration.ofSeconds(5));
        final String nextReplyTo = service.nextMessage(Duration.ofSeconds(10)).replyTo();
        nc.publish(nextReplyTo, bytes("second"));
        assertThat(text(next.get(10, TimeUnit.SECONDS).data())).isEqualTo("second");
        assertThat(allInboxes.nextMessage(Duration.ofSeconds(10)).subject()).isEqualTo(nextReplyTo);
        assertThat(literal.pendingMessageCount() + sameLastToken.pendingMessageCount()).isZero();
    }
}
