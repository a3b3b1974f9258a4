package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.Headers;
import io.jetbus.api.Message;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.PullSubscription;
import io.jetbus.api.jetstream.RetentionPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsumerConcurrencyTest
{
    private TestStream stream;
    private Consumers consumers;
    private Connection connection;

    @BeforeEach
    void setUp()
    {
        stream = new TestStream(RetentionPolicy.LIMITS);
        consumers = stream.open();
        connection = stream.bus.connect();
    }

    @AfterEach
    void tearDown()
    {
        stream.close();
    }

    @Test
    void shouldHandEachMessageToExactlyOneOfSeveralConcurrentFetchersWhilePublishing() throws Exception
    {
        final int messages = 2000;
        final int fetchers = 4;
        consumers.addOrUpdate(ConsumerConfig.builder().durableName("shared").maxAckPending(50).build());
        final Set<Long> seen = ConcurrentHashMap.newKeySet();
        final AtomicInteger duplicates = new AtomicInteger();
        final ExecutorService pool = Executors.newFixedThreadPool(fetchers + 1);
        try
        {
            final List<Future<?>> futures = new ArrayList<>();
            for (int f = 0; f < fetchers; f++)
            {
                final PullSubscription sub = consumers.bind(connection, "shared");
                futures.add(pool.submit(() ->
                {
                    while (seen.size() < messages)
                    {
                        for (final Message m : sub.fetch(7, Duration.ofMillis(20)))
                        {
                            if (!seen.add(m.metaData().streamSeq()))
                            {
                                duplicates.incrementAndGet();
                            }
                            m.ack();
                        }
                    }
                    return null;
                }));
            }
            futures.add(pool.submit(() ->
            {
                for (int i = 0; i < messages; i++)
                {
                    stream.publish("s.a", Integer.toString(i));
                }
            }));
            for (final Future<?> f : futures)
            {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        finally
        {
            pool.shutdownNow();
        }

        assertThat(duplicates.get()).isZero();
        assertThat(seen).hasSize(messages);
        assertThat(consumers.info("shared").numAckPending()).isZero();
        assertThat(consumers.info("shared").ackFloor().streamSeq()).isEqualTo(messages);
    }

    @Test
    void shouldThrowInterruptedExceptionWhenAWaitingFetchIsInterrupted() throws Exception
    {
        final PullSubscription sub = consumers.pullSubscribe(connection, ConsumerConfig.builder().build());
        final CountDownLatch started = new CountDownLatch(1);
        final CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        final Thread fetcher = new Thread(() ->
        {
            started.countDown();
            try
            {
                sub.fetch(1, Duration.ofSeconds(60));
                outcome.complete(null);
            }
            catch (final Throwable t)
            {
                outcome.complete(t);
            }
        });
        fetcher.start();
        started.await();
        Await.until(() -> sub.info().numWaiting() == 1);

        fetcher.interrupt();

        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(sub.info().numWaiting()).isZero();
    }

    @Test
    void shouldReturnAWaitingFetchWhenItsSubscriptionEnds() throws Exception
    {
        final PullSubscription sub = consumers.pullSubscribe(connection,
            ConsumerConfig.builder().durableName("d").build());
        final CompletableFuture<List<Message>> fetched = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return sub.fetch(1, Duration.ofSeconds(60));
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        Await.until(() -> sub.info().numWaiting() == 1);

        sub.unsubscribe();

        assertThat(fetched.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void shouldDecodeStoredHeadersAndIgnoreAcksAfterTheConsumerIsDeleted() throws Exception
    {
        final Headers headers = new Headers().add("k", "v1", "v2");
        stream.store.append("s.h", StoredHeaders.encode(headers), "x".getBytes(StandardCharsets.UTF_8),
            stream.bus.timeSource().epochNanos());
        stream.changed();
        final PullSubscription sub = consumers.pullSubscribe(connection, ConsumerConfig.builder().build());

        final Message m = sub.fetch(1, Duration.ZERO).get(0);
        consumers.delete(sub.consumerName());
        m.ack();
        m.nak();
        m.term();

        assertThat(m.hasHeaders()).isTrue();
        assertThat(m.headers()).isEqualTo(headers);
        assertThat(m.headers().isReadOnly()).isTrue();
        assertThat(stream.acknowledged).isEmpty();
        assertThat(sub.isActive()).isFalse();
        assertThatThrownBy(() -> sub.fetch(1, Duration.ZERO)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldHaveNoInterestWhenNoFilterMatches()
    {
        consumers.addOrUpdate(ConsumerConfig.builder().durableName("a").filterSubject("s.a.*").build());

        assertThat(consumers.hasInterest("s.a.1")).isTrue();
        assertThat(consumers.hasInterest("s.b.1")).isFalse();
        assertThat(consumers.allDone(1, "s.b.1")).isTrue();
        assertThat(Consumers.overlap("s.a.*", "s.a.>")).isTrue();
        assertThat(Consumers.overlap("s.a", "s.a.>")).isFalse();
        assertThat(Consumers.overlap("s.*.x", "s.b.y")).isFalse();
    }

    @Test
    void shouldRefuseUseAfterClose() throws ExecutionException
    {
        final PullSubscription sub = consumers.pullSubscribe(connection,
            ConsumerConfig.builder().durableName("d").build());

        consumers.close();
        consumers.close();

        assertThat(sub.isActive()).isFalse();
        assertThatThrownBy(() -> consumers.names()).isInstanceOf(IllegalStateException.class)
            .hasMessage("the consumers of stream \"S\" are closed");
    }
}
