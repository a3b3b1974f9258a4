package io.jetbus.core;

import io.jetbus.api.Connection;
import io.jetbus.api.Dispatcher;
import io.jetbus.api.Message;
import io.jetbus.api.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.jetbus.core.Tests.TIMEOUT;
import static io.jetbus.core.Tests.bytes;
import static io.jetbus.core.Tests.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class HandlerTest
{
    private final Tests.RecordingErrorListener listener = new Tests.RecordingErrorListener();
    private final EmbeddedBus bus = EmbeddedBus.builder().errorListener(listener).build();
    private final Connection nc = bus.connect();

    @AfterEach
    void close()
    {
        bus.close();
    }

    @Test
    void shouldReportThrowingHandlerAndKeepGoing() throws Exception
    {
        final AtomicInteger handled = new AtomicInteger();
        final Dispatcher d = nc.createDispatcher(m ->
        {
            final int n = Integer.parseInt(text(m.data()));
            if (n % 7 == 0)
            {
                throw new AssertionError("seven " + n);
            }
            if (n % 3 == 0)
            {
                throw new IllegalStateException("three " + n);
            }
            handled.incrementAndGet();
        });
        d.subscribe("boom");
        for (int i = 1; i <= 100; i++)
        {
            nc.publish("boom", bytes(Integer.toString(i)));
        }
        nc.flush(TIMEOUT);

        final int throwing = (int)java.util.stream.IntStream.rangeClosed(1, 100).filter(i -> i % 7 == 0 || i % 3 == 0)
            .count();
        assertThat(handled.get()).isEqualTo(100 - throwing);
        assertThat(listener.handlerErrors).hasSize(throwing);
        assertThat(listener.handlerErrors.get(0)).isInstanceOf(IllegalStateException.class).hasMessage("three 3");
        assertThat(listener.handlerErrors.get(2)).isInstanceOf(AssertionError.class).hasMessage("seven 7");
        assertThat(listener.handlerSubjects).containsOnly("boom");
        assertThat(d.isActive()).isTrue();
        nc.publish("boom", bytes("1"));
        nc.flush(TIMEOUT);
        assertThat(handled.get()).isEqualTo(100 - throwing + 1);
    }

    @Test
    void shouldLetHandlerPublishSubscribeAndUnsubscribe() throws Exception
    {
        final List<String> log = new CopyOnWriteArrayList<>();
        final CountDownLatch done = new CountDownLatch(1);
        final Dispatcher d = nc.createDispatcher();
        final AtomicReference<Subscription> late = new AtomicReference<>();
        d.subscribe("step.one", m ->
        {
            late.set(d.subscribe("step.three", m3 ->
            {
                log.add("three");
                m3.subscription().unsubscribe();
                done.countDown();
            }));
            nc.publish("step.two", bytes("x"));
        });
        d.subscribe("step.two", m ->
        {
            log.add("two");
            nc.publish("step.three", bytes("x"));
            nc.publish("step.three", bytes("x"));
        });
        nc.publish("step.one", bytes("go"));

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        nc.flush(TIMEOUT);
        assertThat(log).containsExactly("two", "three");
        assertThat(late.get().isActive()).isFalse();
    }

    @Test
    void shouldBoundRecursivePublishingOnOneDispatcher() throws Exception
    {
        final AtomicInteger depth = new AtomicInteger();
        final CountDownLatch done = new CountDownLatch(1);
        nc.createDispatcher(m ->
        {
            final int n = depth.incrementAndGet();
            if (n < 10_000)
            {
                nc.publish(n % 2 == 0 ? "ping" : "pong", bytes(Integer.toString(n)));
            }
            else
            {
                done.countDown();
            }
        }).subscribe("*");
        nc.publish("ping", bytes("0"));
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shouldRequestFromHandlerToResponderOnAnotherDispatcher() throws Exception
    {
        nc.createDispatcher(m -> nc.publish(m.replyTo(), bytes("answer"))).subscribe("svc");
        final CompletableFuture<String> result = new CompletableFuture<>();
        nc.createDispatcher(m ->
        {
            final Message reply = nc.request("svc", bytes("q"), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
            result.complete(text(reply.data()));
        }).subscribe("caller");
        nc.publish("caller", bytes("go"));
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("answer");
    }

    @Test
    void shouldRequestAsynchronouslyFromHandlerToResponderOnSameDispatcher() throws Exception
    {
        final Dispatcher d = nc.createDispatcher();
        d.subscribe("same.svc", m -> nc.publish(m.replyTo(), bytes("same")));
        final CompletableFuture<String> result = new CompletableFuture<>();
        d.subscribe("same.caller", m -> nc.request("same.svc", bytes("q"), Duration.ofSeconds(5))
            .thenAccept(reply -> result.complete(text(reply.data()))));
        nc.publish("same.caller", bytes("go"));
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("same");
    }

    @Test
    void shouldTimeOutInsteadOfDeadlockingWhenHandlerBlocksOnReplyFromItsOwnDispatcher() throws Exception
    {
        final Dispatcher d = nc.createDispatcher();
        d.subscribe("own.svc", m -> nc.publish(m.replyTo(), bytes("never in time")));
        final CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        d.subscribe("own.caller", m ->
        {
            try
            {
                nc.request("own.svc", bytes("q"), Duration.ofMillis(200)).get();
                outcome.complete(null);
            }
            catch (final ExecutionException ex)
            {
                outcome.complete(ex.getCause());
            }
        });
        nc.publish("own.caller", bytes("go"));
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
        assertThatThrownBy(() -> { throw outcome.get(); }).hasMessageContaining("timed out after PT0.2S");
    }
}
