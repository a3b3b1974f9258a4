package io.jetbus.core;

import io.jetbus.api.Connection;
import io.jetbus.api.Dispatcher;
import io.jetbus.api.SlowConsumerException;
import io.jetbus.api.SlowConsumerPolicy;
import io.jetbus.api.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.jetbus.core.Tests.TIMEOUT;
import static io.jetbus.core.Tests.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class SlowConsumerTest
{
    private final Tests.RecordingErrorListener listener = new Tests.RecordingErrorListener();
    private final ManualTimeSource clock = new ManualTimeSource();
    private final EmbeddedBus bus = EmbeddedBus.builder()
        .maxPayload(1024).ringCapacity(64 * 1024).maxPending(100, 1024 * 1024)
        .timeSource(clock).errorListener(listener).build();
    private final Connection nc = bus.connect();

    @AfterEach
    void close()
    {
        bus.close();
    }

    @Test
    void shouldDropCountAndReportOncePerEpisodeWithoutBlocking() throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);
        final AtomicInteger handled = new AtomicInteger();
        final Subscription sub = nc.createDispatcher(m ->
        {
            entered.countDown();
            release.await();
            handled.incrementAndGet();
        }).subscribe("slow");
        nc.publish("slow", new byte[100]);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        final int published = 100_000;
        for (int i = 1; i < published; i++)
        {
            nc.publish("slow", new byte[100]);
        }
        release.countDown();
        nc.flush(TIMEOUT);

        assertThat(sub.droppedCount()).isPositive();
        assertThat(sub.droppedCount()).isEqualTo(published - handled.get());
        assertThat(sub.deliveredCount()).isEqualTo(handled.get());
        assertThat(listener.slowConsumerReports).hasSize(1);
    }

    @Test
    void shouldReportAgainAfterCatchingUp()
    {
        final Subscription sub = nc.subscribe("sync.slow");
        for (int i = 0; i < 150; i++)
        {
            nc.publish("sync.slow", new byte[1]);
        }
        assertThat(sub.droppedCount()).isEqualTo(50);
        assertThat(listener.slowConsumerReports).containsExactly(1L);
        drain(sub, 100);
        for (int i = 0; i < 110; i++)
        {
            nc.publish("sync.slow", new byte[1]);
        }
        assertThat(listener.slowConsumerReports).containsExactly(1L, 51L);
    }

    @Test
    void shouldBlockPublisherThenFailAfterTimeout() throws Exception
    {
        final Subscription sub = nc.subscribe("block");
        sub.slowConsumerPolicy(SlowConsumerPolicy.block(Duration.ofMillis(100)));
        for (int i = 0; i < 100; i++)
        {
            nc.publish("block", new byte[1]);
        }
        final CompletableFuture<Throwable> publisher = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                nc.publish("block", new byte[1]);
                return null;
            }
            catch (final RuntimeException ex)
            {
                return ex;
            }
        });
        await(() -> advance(Duration.ofMillis(100)) && publisher.isDone(), "blocked publisher timed out");
        final Throwable error = publisher.get(10, TimeUnit.SECONDS);

        assertThat(error).isInstanceOf(SlowConsumerException.class)
            .hasMessageContaining("stayed full for PT0.1S: the message to \"block\" was dropped for it");
        assertThat(sub.droppedCount()).isEqualTo(1);
    }

    @Test
    void shouldUnblockPublisherWhenRoomFrees() throws Exception
    {
        final Subscription sub = nc.subscribe("block.free");
        sub.slowConsumerPolicy(SlowConsumerPolicy.block(Duration.ofSeconds(30)));
        for (int i = 0; i < 100; i++)
        {
            nc.publish("block.free", new byte[1]);
        }
        final CompletableFuture<Void> publisher =
            CompletableFuture.runAsync(() -> nc.publish("block.free", new byte[1]));
        sub.nextMessage(TIMEOUT);
        publisher.get(10, TimeUnit.SECONDS);

        assertThat(sub.pendingMessageCount()).isEqualTo(100);
        assertThat(sub.droppedCount()).isZero();
    }

    @Test
    void shouldNotDeadlockWhenHandlerPublishesIntoItsOwnFullRing() throws Exception
    {
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicInteger received = new AtomicInteger();
        final Dispatcher d = nc.createDispatcher();
        final Subscription self = d.subscribe("self", m ->
        {
            if (received.incrementAndGet() == 1)
            {
                try
                {
                    for (int i = 0; i < 10_000; i++)
                    {
                        nc.publish("self", new byte[512]);
                    }
                }
                catch (final SlowConsumerException ex)
                {
                    thrown.set(ex);
                }
                done.countDown();
            }
        });
        self.slowConsumerPolicy(SlowConsumerPolicy.block(Duration.ofSeconds(30)));
        nc.publish("self", new byte[1]);

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(thrown.get()).isInstanceOf(SlowConsumerException.class)
            .hasMessageContaining("published to its own full ring: it cannot block on itself");
        assertThat(self.droppedCount()).isPositive();
    }

    private boolean advance(final Duration duration)
    {
        clock.advance(duration);
        return true;
    }

    private static void drain(final Subscription sub, final int count)
    {
        try
        {
            for (int i = 0; i < count; i++)
            {
                assertThat(sub.nextMessage(TIMEOUT)).isNotNull();
            }
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError(ex);
        }
    }

    @Test
    void shouldRejectBlockPolicyWithoutTimeout()
    {
        assertThatThrownBy(() -> SlowConsumerPolicy.block(Duration.ZERO))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("blockTimeout must be positive for BLOCK: PT0S");
    }
}
