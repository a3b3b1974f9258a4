package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.jetstream.FlushPolicy;
import io.jetbus.api.jetstream.JetStream;
import io.jetbus.api.jetstream.JetStreamManagement;
import io.jetbus.api.jetstream.PubAck;
import io.jetbus.api.jetstream.PublishOptions;
import io.jetbus.api.jetstream.StorageType;
import io.jetbus.api.jetstream.StreamConfig;
import io.jetbus.core.EmbeddedBus;
import io.jetbus.core.ManualTimeSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publishers on several threads, through JetStream and through captured core publishes: every acknowledged sequence
 * is unique, the sequences are contiguous and each maps to its payload; each publisher's order is kept.
 *
 * <p>RELIABILITY.md R9, JetStream part ({@link #shouldKeepCountSequencesAndOrderWhenEightThreadsPublish}): 8
 * publisher threads on 2 cores into a FILE and a MEMORY stream, with {@code Nats-Msg-Id} de-duplication checked under
 * the same contention. The plan asks for 8 x 100 000 publishes repeated 5 times per storage; this test publishes
 * 8 x {@value #R9_PER_THREAD} once per storage (a few seconds in all), which keeps the module's CI time within its
 * budget. The same checks at the plan's volume: {@code -Djetbus.r9.perThread=100000}.
 */
@Timeout(120)
class ConcurrentPublishTest
{
    private static final int THREADS = 4;
    private static final int PER_THREAD = 2_000;
    private static final int R9_THREADS = 8;
    private static final int R9_PER_THREAD = 25_000;
    /** Each thread re-sends the ID of every RESEND_EVERY-th message of another thread. */
    private static final int RESEND_EVERY = 10;
    /** IDs every thread publishes at once, racing to be the one whose message is stored. */
    private static final int RACED_IDS = 2_000;

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

    @ParameterizedTest
    @EnumSource(StorageType.class)
    void shouldKeepCountSequencesAndOrderWhenEightThreadsPublish(final StorageType storage) throws Exception
    {
        final int perThread = Integer.getInteger("jetbus.r9.perThread", R9_PER_THREAD);
        final ManualTimeSource clock = new ManualTimeSource(); // the duplicate window cannot expire mid-test
        try (EmbeddedBus bus = EmbeddedBus.builder().storageDir(tmp).timeSource(clock).build())
        {
            final Connection nc = bus.connect();
            nc.jetStreamManagement().addStream(StreamConfig.builder().name("R9").subjects("r9.>").storage(storage)
                .duplicateWindow(Duration.ofMinutes(10)).build());
            final JetStream js = nc.jetStream();
            final StreamStore store = ((ConnectionManagement)nc.jetStreamManagement()).engine().stream("R9").store();

            // 1. every thread publishes its own messages, each with a unique message ID
            final long[][] seqs = new long[R9_THREADS][perThread];
            runThreads(thread ->
            {
                long previous = 0;
                for (int k = 0; k < perThread; k++)
                {
                    final PubAck ack = js.publish("r9." + thread, null, payload(thread, k),
                        PublishOptions.builder().messageId(thread + "-" + k).build());
                    if (ack.duplicate() || !"R9".equals(ack.stream()) || ack.seq() <= previous)
                    {
                        throw new AssertionError("thread " + thread + " message " + k + ": " + ack +
                            " after seq " + previous);
                    }
                    previous = ack.seq();
                    seqs[thread][k] = ack.seq();
                }
            });
            final long total = (long)R9_THREADS * perThread;
            StoreState state = store.state();
            assertThat(state.msgs()).as("stored messages").isEqualTo(total);
            assertThat(state.firstSeq()).isEqualTo(1);
            assertThat(state.lastSeq()).as("seqs contiguous from 1").isEqualTo(total);
            final int[][] owner = new int[2][(int)total + 1];
            for (int t = 0; t < R9_THREADS; t++)
            {
                for (int k = 0; k < perThread; k++)
                {
                    final int seq = (int)seqs[t][k];
                    assertThat(owner[0][seq]).as("seq %d acknowledged twice", seq).isZero();
                    owner[0][seq] = t + 1;
                    owner[1][seq] = k;
                }
            }
            final int[] next = new int[R9_THREADS];
            for (long seq = 1; seq <= total; seq++)
            {
                final StoredMessage m = store.read(seq);
                final int thread = owner[0][(int)seq] - 1;
                final int k = owner[1][(int)seq];
                if (m == null || !m.subject().equals("r9." + thread) || !Arrays.equals(m.data(), payload(thread, k)) ||
                    k != next[thread]++)
                {
                    throw new AssertionError("seq " + seq + " acknowledged to thread " + thread + " for its message " +
                        k + " (expected its message " + (next[thread] - 1) + ") holds " +
                        (m == null ? "nothing" : m.subject() + " " + new String(m.data(), StandardCharsets.UTF_8)));
                }
            }

            // 2. re-sending an ID inside the window: duplicate, the original seq, nothing stored
            runThreads(thread ->
            {
                final int other = (thread + 1) % R9_THREADS;
                for (int k = 0; k < perThread; k += RESEND_EVERY)
                {
                    final PubAck ack = js.publish("r9." + other, null, payload(other, k),
                        PublishOptions.builder().messageId(other + "-" + k).build());
                    if (!ack.duplicate() || ack.seq() != seqs[other][k])
                    {
                        throw new AssertionError("re-sent " + other + "-" + k + " (stored as seq " + seqs[other][k] +
                            "): " + ack);
                    }
                }
            });
            state = store.state();
            assertThat(state.msgs()).as("duplicates are not stored").isEqualTo(total);
            assertThat(state.lastSeq()).isEqualTo(total);

            // 3. all threads publish the same IDs at once: each is stored once, every PubAck names that one seq
            final ConcurrentHashMap<String, Long> storedAs = new ConcurrentHashMap<>();
            final AtomicLong originals = new AtomicLong();
            runThreads(thread ->
            {
                for (int i = 0; i < RACED_IDS; i++)
                {
                    final String id = "race-" + i;
                    final PubAck ack = js.publish("r9.race", null, id.getBytes(StandardCharsets.UTF_8),
                        PublishOptions.builder().messageId(id).build());
                    if (!ack.duplicate())
                    {
                        originals.incrementAndGet();
                    }
                    final Long first = storedAs.putIfAbsent(id, ack.seq());
                    assertThat(first == null ? ack.seq() : first).as("seq of %s", id).isEqualTo(ack.seq());
                }
            });
            assertThat(originals.get()).as("one non-duplicate PubAck per raced ID").isEqualTo(RACED_IDS);
            state = store.state();
            assertThat(state.msgs()).isEqualTo(total + RACED_IDS);
            assertThat(state.lastSeq()).isEqualTo(total + RACED_IDS);
            for (final Map.Entry<String, Long> e : storedAs.entrySet())
            {
                assertThat(store.read(e.getValue()).data()).as("seq of %s", e.getKey())
                    .isEqualTo(e.getKey().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Group commit through the API: 8 threads publishing to one FILE stream with the every-publish flush should
     * share {@code fsync}s (the store alone does, see {@code FileStreamStoreDurabilityTest}).
     */
    @Test
    void shouldShareSyncsAmongPublishersWhenEveryPublish() throws Exception
    {
        try (EmbeddedBus bus = EmbeddedBus.builder().storageDir(tmp).build())
        {
            final Connection nc = bus.connect();
            nc.jetStreamManagement().addStream(StreamConfig.builder().name("G").subjects("g.>")
                .storage(StorageType.FILE).flushPolicy(FlushPolicy.everyPublish()).build());
            final FileStreamStore store = (FileStreamStore)((ConnectionManagement)nc.jetStreamManagement()).engine()
                .stream("G").store();
            nc.jetStream().publish("g.warm", new byte[1]);
            final long syncsBefore = store.syncCount();
            runThreads(thread ->
            {
                for (int k = 0; k < 200; k++)
                {
                    nc.jetStream().publish("g." + thread, new byte[] {(byte)k});
                }
            });
            assertThat(store.syncCount() - syncsBefore).as("syncs for %d publishes", R9_THREADS * 200)
                .isLessThanOrEqualTo(R9_THREADS * 200 / 2);
        }
    }

    /**
     * {@code publishAsync} through the API on an every-publish FILE stream: each thread keeps its publishes in flight,
     * every future completes, per thread in publish order, each with the message stored under its sequence, and the
     * syncs are shared by many publishes.
     */
    @Test
    void shouldCompleteAsyncPublishesInOrderWithFewSyncsWhenEveryPublish() throws Exception
    {
        try (EmbeddedBus bus = EmbeddedBus.builder().storageDir(tmp).build())
        {
            final Connection nc = bus.connect();
            final JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfig.builder().name("A").subjects("a.>").storage(StorageType.FILE)
                .flushPolicy(FlushPolicy.everyPublish()).build());
            final FileStreamStore store = (FileStreamStore)((ConnectionManagement)jsm).engine().stream("A").store();
            nc.jetStream().publish("a.warm", new byte[1]);
            final long syncsBefore = store.syncCount();
            final Map<Long, byte[]> bySeq = new ConcurrentHashMap<>();
            runThreads(thread ->
            {
                final List<CompletableFuture<PubAck>> acks = new ArrayList<>();
                for (int k = 0; k < 500; k++)
                {
                    acks.add(nc.jetStream().publishAsync("a." + thread, payload(thread, k)));
                }
                long previous = 0;
                for (int k = 0; k < acks.size(); k++)
                {
                    final PubAck ack = acks.get(k).join();
                    assertThat(ack.seq()).as("thread %d's publish %d", thread, k).isGreaterThan(previous);
                    previous = ack.seq();
                    bySeq.put(ack.seq(), payload(thread, k));
                }
            });
            assertThat(bySeq).hasSize(R9_THREADS * 500);
            for (final Map.Entry<Long, byte[]> e : bySeq.entrySet())
            {
                assertThat(jsm.message("A", e.getKey()).data()).isEqualTo(e.getValue());
            }
            assertThat(store.syncCount() - syncsBefore).as("syncs for %d async publishes", R9_THREADS * 500)
                .isLessThanOrEqualTo(R9_THREADS * 500 / 10);
        }
    }

    private static byte[] payload(final int thread, final int k)
    {
        return (thread + ":" + k + ":r9").getBytes(StandardCharsets.UTF_8);
    }

    /** Runs the body on {@link #R9_THREADS} threads released together; fails with the first thread's failure. */
    private static void runThreads(final IntConsumer body) throws Exception
    {
        final CountDownLatch start = new CountDownLatch(1);
        final List<CompletableFuture<Void>> done = new ArrayList<>();
        final ExecutorService pool = Executors.newFixedThreadPool(R9_THREADS);
        try
        {
            for (int t = 0; t < R9_THREADS; t++)
            {
                final int thread = t;
                done.add(CompletableFuture.runAsync(() ->
                {
                    await(start);
                    body.accept(thread);
                }, pool));
            }
            start.countDown();
            CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0])).get(100, TimeUnit.SECONDS);
        }
        finally
        {
            pool.shutdownNow();
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
