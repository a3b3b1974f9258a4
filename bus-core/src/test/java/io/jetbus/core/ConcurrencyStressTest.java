package io.jetbus.core;

import io.jetbus.api.Connection;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.jetbus.core.Tests.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several publisher threads and several subscriptions: nothing lost, nothing duplicated, order per publisher kept,
 * and each queue group gets each message exactly once.
 */
@Timeout(120)
class ConcurrencyStressTest
{
    private static final int PUBLISHERS = 4;
    private static final int MESSAGES = 25_000;

    @RepeatedTest(3)
    void shouldLoseNothingDuplicateNothingAndKeepOrderPerPublisher() throws Exception
    {
        try (EmbeddedBus bus = EmbeddedBus.builder().build())
        {
            final Connection subscriber = bus.connect("subscriber");
            final List<Checker> plain = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                final Checker checker = new Checker();
                plain.add(checker);
                subscriber.createDispatcher(m -> checker.onMessage(m.dataBuffer())).subscribe("stress.*");
            }
            final Checker group = new Checker();
            for (int i = 0; i < 3; i++)
            {
                subscriber.createDispatcher(m -> group.onMessage(m.dataBuffer())).subscribe("stress.>", "group");
            }

            final CountDownLatch start = new CountDownLatch(1);
            final List<CompletableFuture<Void>> publishers = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++)
            {
                final int publisher = p;
                final Connection nc = bus.connect("publisher-" + p);
                publishers.add(CompletableFuture.runAsync(() ->
                {
                    final ByteBuffer payload = ByteBuffer.allocate(8);
                    awaitQuietly(start);
                    for (int k = 0; k < MESSAGES; k++)
                    {
                        payload.putInt(0, publisher).putInt(4, k);
                        nc.publish("stress.p" + publisher, null, null, payload);
                    }
                }, runnable -> new Thread(runnable, "test-publisher-" + publisher).start()));
            }
            start.countDown();
            CompletableFuture.allOf(publishers.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
            subscriber.flush(TIMEOUT);

            for (final Checker checker : plain)
            {
                checker.assertComplete(true);
            }
            group.assertComplete(false);
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Tracks, per publisher, which sequence numbers arrived and whether they arrived in order. */
    private static final class Checker
    {
        private final boolean[][] seen = new boolean[PUBLISHERS][MESSAGES];
        private final int[] last = new int[PUBLISHERS];
        private int duplicates;
        private int outOfOrder;
        private int total;

        Checker()
        {
            java.util.Arrays.fill(last, -1);
        }

        synchronized void onMessage(final ByteBuffer data)
        {
            final int p = data.getInt(data.position());
            final int k = data.getInt(data.position() + 4);
            if (seen[p][k])
            {
                duplicates++;
            }
            seen[p][k] = true;
            if (k < last[p])
            {
                outOfOrder++;
            }
            last[p] = k;
            total++;
        }

        synchronized void assertComplete(final boolean ordered)
        {
            assertThat(duplicates).as("duplicates").isZero();
            assertThat(total).as("total").isEqualTo(PUBLISHERS * MESSAGES);
            if (ordered)
            {
                assertThat(outOfOrder).as("out of order").isZero();
            }
        }
    }
}
