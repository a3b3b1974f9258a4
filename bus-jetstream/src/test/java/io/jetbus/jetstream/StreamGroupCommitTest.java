package io.jetbus.jetstream;

import io.jetbus.api.jetstream.FlushPolicy;
import io.jetbus.api.jetstream.PubAck;
import io.jetbus.api.jetstream.PublishOptions;
import io.jetbus.api.jetstream.StorageType;
import io.jetbus.api.jetstream.StreamConfig;
import io.jetbus.core.EmbeddedBus;
import io.jetbus.core.ManualTimeSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A stream with the every-publish flush policy: publishers append under the stream's lock but wait for the sync
 * outside it, so one sync covers many of them (group commit); the PubAck, and the consumers' wake-up, come only once
 * the message is durable, and a failed sync reaches every waiting publisher as an exception.
 */
@Timeout(60)
class StreamGroupCommitTest
{
    private static final byte[] DATA = {1, 2, 3};

    @TempDir
    Path tmp;

    private final AtomicLong clock = new AtomicLong(TestFiles.START_MS);
    private final ExecutorService pool = Executors.newFixedThreadPool(8);
    private final EmbeddedBus bus = EmbeddedBus.builder().timeSource(new ManualTimeSource()).build();
    private final List<Long> notified = new CopyOnWriteArrayList<>();
    private FileStreamStore fileStore;
    private ForwardingStore store;
    private Stream stream;

    /**
     * A sync hook that, once armed, holds the next sync until released, then lets it fail or succeed.
     */
    private static final class Gate implements Runnable
    {
        final AtomicBoolean armed = new AtomicBoolean();
        final AtomicInteger armedSyncs = new AtomicInteger();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final boolean fail;

        Gate(final boolean fail)
        {
            this.fail = fail;
        }

        @Override
        public void run()
        {
            if (!armed.get())
            {
                return;
            }
            if (armedSyncs.incrementAndGet() == 1)
            {
                entered.countDown();
                try
                {
                    release.await(30, TimeUnit.SECONDS);
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
                if (fail)
                {
                    throw new IllegalStateException("disk gone");
                }
            }
        }
    }

    @AfterEach
    void close() throws Exception
    {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        if (stream != null)
        {
            stream.close();
        }
        bus.close();
    }

    private void open(final Runnable beforeSync)
    {
        fileStore = FileStreamStore.open(TestFiles.config("S", tmp.resolve("S").resolve("store"), clock)
            .flushPolicy(FlushPolicy.everyPublish()).beforeSync(beforeSync).build());
        store = new ForwardingStore(fileStore);
        stream = new Stream(bus, StreamConfig.builder().name("S").subjects("s.>").storage(StorageType.FILE)
            .flushPolicy(FlushPolicy.everyPublish()).build(), 0, store, tmp.resolve("S"));
        stream.onChange(notified::add);
    }

    private Future<PubAck> publishAsync(final String subject)
    {
        return pool.submit(() -> stream.publish(subject, null, DATA, PublishOptions.none()));
    }

    @Test
    void shouldShareOneSyncAmongPublishersThatAppendedWhileItRan() throws Exception
    {
        final Gate gate = new Gate(false);
        open(gate);
        assertThat(stream.publish("s.warm", null, DATA, PublishOptions.none()).seq()).isEqualTo(1);
        final CountDownLatch appended = new CountDownLatch(8);
        store.afterAppend = seq -> appended.countDown();
        gate.armed.set(true);

        final List<Future<PubAck>> acks = new ArrayList<>();
        acks.add(publishAsync("s.p0"));
        assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue(); // the first publisher's sync is held
        for (int p = 1; p < 8; p++)
        {
            acks.add(publishAsync("s.p" + p));
        }
        // the stream's lock is free while a publisher waits for its sync: the seven others append meanwhile
        assertThat(appended.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(acks).noneMatch(Future::isDone);
        assertThat(notified).containsExactly(1L);

        gate.release.countDown();
        final List<Long> seqs = new ArrayList<>();
        for (final Future<PubAck> f : acks)
        {
            final PubAck ack = f.get(10, TimeUnit.SECONDS);
            assertThat(ack.duplicate()).isFalse();
            seqs.add(ack.seq());
        }
        assertThat(seqs).containsExactlyInAnyOrder(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(gate.armedSyncs.get()).as("the held sync, then one for the seven others").isEqualTo(2);
        assertThat(notified).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void shouldThrowNotAcknowledgeWhenTheSyncFailsAfterTheLockWasReleased() throws Exception
    {
        final Gate gate = new Gate(true);
        open(gate);
        assertThat(stream.publish("s.warm", null, DATA, PublishOptions.none()).seq()).isEqualTo(1);
        gate.armed.set(true);

        final Future<PubAck> first = publishAsync("s.a");
        assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();
        final CountDownLatch appended = new CountDownLatch(1);
        store.afterAppend = seq -> appended.countDown();
        final Future<PubAck> second = publishAsync("s.b"); // appends, then waits for a sync that will not come
        assertThat(appended.await(10, TimeUnit.SECONDS)).isTrue();
        gate.release.countDown();

        final String failure = "stream S could not sync: sync failed: java.lang.IllegalStateException: disk gone";
        for (final Future<PubAck> f : List.of(first, second))
        {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(failure);
        }
        assertThat(notified).as("consumers are not woken for messages that are not durable").containsExactly(1L);
        assertThatThrownBy(() -> stream.publish("s.c", null, DATA, PublishOptions.none()))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("stream S is read-only after a storage failure: sync failed: " +
                "java.lang.IllegalStateException: disk gone");
    }

    @Test
    void shouldReturnEveryPubAckOnlyOnceItsMessageIsDurable() throws Exception
    {
        open(() ->
        {
        });
        final Map<Long, Long> markOfSeq = new ConcurrentHashMap<>();
        // under the stream's lock, right after the append: the mark that covers exactly this message
        store.afterAppend = seq -> markOfSeq.put(seq, fileStore.writeMark());
        final int publishers = 8;
        final int each = 200;
        final List<Future<List<Long>>> runs = new ArrayList<>();
        for (int p = 0; p < publishers; p++)
        {
            final String subject = "s.p" + p;
            runs.add(pool.submit(() ->
            {
                final List<Long> seqs = new ArrayList<>();
                for (int k = 0; k < each; k++)
                {
                    final long seq = stream.publish(subject, null, DATA, PublishOptions.none()).seq();
                    assertThat(fileStore.durableMark()).as("seq %d acknowledged before its sync", seq)
                        .isGreaterThanOrEqualTo(markOfSeq.get(seq));
                    seqs.add(seq);
                }
                return seqs;
            }));
        }
        final List<Long> all = new ArrayList<>();
        for (final Future<List<Long>> run : runs)
        {
            final List<Long> seqs = run.get(30, TimeUnit.SECONDS);
            assertThat(seqs).isSorted();
            all.addAll(seqs);
        }
        assertThat(all).hasSize(publishers * each).doesNotHaveDuplicates();
        assertThat(all).allMatch(seq -> seq >= 1 && seq <= publishers * each);
        assertThat(fileStore.syncCount()).isLessThan(publishers * each);
    }

    @Test
    void shouldCompleteAsyncPublishesInOrderOnceOneSyncCoversThem() throws Exception
    {
        final Gate gate = new Gate(false);
        open(gate);
        assertThat(stream.publish("s.warm", null, DATA, PublishOptions.none()).seq()).isEqualTo(1);
        gate.armed.set(true);

        final List<Long> completed = new CopyOnWriteArrayList<>();
        final UnaryOperator<PubAck> record = ack ->
        {
            completed.add(ack.seq()); // on the completing thread, just before the future completes
            return ack;
        };
        final List<CompletableFuture<PubAck>> acks = new ArrayList<>();
        acks.add(stream.publishAsync("s.a", null, DATA, PublishOptions.none(), record));
        assertThat(gate.entered.await(10, TimeUnit.SECONDS)).as("the completer's first sync is held").isTrue();
        for (int i = 0; i < 100; i++)
        {
            acks.add(stream.publishAsync("s.a", null, DATA, PublishOptions.none(), record)); // never blocks
        }
        assertThat(acks).noneMatch(CompletableFuture::isDone);
        assertThat(notified).as("consumers hear of a message only once it is durable").containsExactly(1L);

        gate.release.countDown();
        for (final CompletableFuture<PubAck> f : acks)
        {
            f.get(10, TimeUnit.SECONDS);
        }
        assertThat(completed).as("in publish order").isSorted().hasSize(101).startsWith(2L).endsWith(102L);
        assertThat(gate.armedSyncs.get()).as("the held sync, then one for the hundred queued meanwhile")
            .isEqualTo(2);
        assertThat(fileStore.isDurable(fileStore.writeMark())).isTrue();
    }

    @Test
    void shouldFailEveryWaitingAsyncPublishWhenTheSyncFails() throws Exception
    {
        final Gate gate = new Gate(true);
        open(gate);
        assertThat(stream.publish("s.warm", null, DATA, PublishOptions.none()).seq()).isEqualTo(1);
        gate.armed.set(true);
        final CompletableFuture<PubAck> first = stream.publishAsync("s.a", null, DATA, PublishOptions.none(),
            ack -> ack);
        assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();
        final CompletableFuture<PubAck> second = stream.publishAsync("s.b", null, DATA, PublishOptions.none(),
            ack -> ack);
        gate.release.countDown();

        for (final CompletableFuture<PubAck> f : List.of(first, second))
        {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("could not sync");
        }
        assertThat(notified).containsExactly(1L);
    }

    @Test
    void shouldCompleteWaitingAsyncPublishesWhenTheStreamCloses() throws Exception
    {
        final Gate gate = new Gate(false);
        open(gate);
        assertThat(stream.publish("s.warm", null, DATA, PublishOptions.none()).seq()).isEqualTo(1);
        gate.armed.set(true);
        final CompletableFuture<PubAck> first = stream.publishAsync("s.a", null, DATA, PublishOptions.none(),
            ack -> ack);
        assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();
        final CompletableFuture<PubAck> second = stream.publishAsync("s.b", null, DATA, PublishOptions.none(),
            ack -> ack);
        final Future<?> closing = pool.submit(stream::close);
        gate.release.countDown();
        closing.get(10, TimeUnit.SECONDS);
        assertThat(first.get(10, TimeUnit.SECONDS).seq()).isEqualTo(2);
        assertThat(second.get(10, TimeUnit.SECONDS).seq()).isEqualTo(3);
        stream = null;
    }
}
