package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.jetstream.PubAck;
import io.jetbus.api.jetstream.StorageType;
import io.jetbus.api.jetstream.StreamConfig;
import io.jetbus.core.EmbeddedBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publishers on several threads, through JetStream and through captured core publishes: every acknowledged sequence
 * is unique, the sequences are contiguous and each maps to its payload; each publisher's order is kept.
 */
@Timeout(60)
class ConcurrentPublishTest
{
    private static final int THREADS = 4;
    private static final int PER_THREAD = 2_000;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(StorageType.class)
    void shouldAssignUniqueContiguousSequences(final StorageType storage) throws Exception
    {
        try (EmbeddedBus bus = EmbeddedBus.builder().storageDir(tmp).build())
        {
            final Connection nc = bus.connect();
            nc.jetStreamManagement().addStream(StreamConfig.builder().name("S").subjects("s.>").storage(storage)
                .build());
            final ConcurrentHashMap<Long, String> acked = new ConcurrentHashMap<>();
            final CountDownLatch start = new CountDownLatch(1);
            final List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++)
            {
                final int thread = t;
                done.add(CompletableFuture.runAsync(() ->
                {
                    await(start);
                    for (int k = 0; k < PER_THREAD; k++)
                    {
                        final String payload = thread + ":" + k;
                        if (thread == 0)
                        {
                            nc.publish("s.core", payload.getBytes());
                        }
                        else
                        {
                            final PubAck ack = nc.jetStream().publish("s." + thread, payload.getBytes());
                            assertThat(acked.put(ack.seq(), payload)).isNull();
                        }
                    }
                }));
            }
            start.countDown();
            CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0])).get(50, TimeUnit.SECONDS);

            final Stream stream = ((ConnectionManagement)nc.jetStreamManagement()).engine().stream("S");
            final StoreState state = stream.store().state();
            assertThat(state.msgs()).isEqualTo(THREADS * PER_THREAD);
            assertThat(state.firstSeq()).isEqualTo(1);
            assertThat(state.lastSeq()).isEqualTo(THREADS * PER_THREAD);
            final int[] next = new int[THREADS];
            for (long seq = 1; seq <= state.lastSeq(); seq++)
            {
                final StoredMessage m = stream.store().read(seq);
                final String payload = new String(ByteBuffer.wrap(m.data()).array());
                final String[] parts = payload.split(":");
                final int thread = Integer.parseInt(parts[0]);
                assertThat(Integer.parseInt(parts[1])).isEqualTo(next[thread]++);
                if (thread != 0)
                {
                    assertThat(acked.get(seq)).isEqualTo(payload);
                }
            }
        }
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldCaptureNothingWithoutStreams()
    {
        final SubjectRouter router = new SubjectRouter();
        assertThat(router.captures("a")).isFalse();
        assertThat(router.find("a")).isNull();
    }
}
