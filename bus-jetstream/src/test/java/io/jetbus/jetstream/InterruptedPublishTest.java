package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.Message;
import io.jetbus.api.jetstream.AckPolicy;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.ConsumerInfo;
import io.jetbus.api.jetstream.FlushPolicy;
import io.jetbus.api.jetstream.JetStream;
import io.jetbus.api.jetstream.JetStreamManagement;
import io.jetbus.api.jetstream.PubAck;
import io.jetbus.api.jetstream.PullSubscription;
import io.jetbus.api.jetstream.StorageType;
import io.jetbus.api.jetstream.StreamConfig;
import io.jetbus.api.jetstream.StreamState;
import io.jetbus.core.EmbeddedBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY.md R16, an interrupted publisher, through the JetStream API. A {@link java.nio.channels.FileChannel}
 * that a thread is interrupted in is closed for every thread ({@code ClosedByInterruptException}); if the stream's
 * cycle-file, journal, checkpoint or consumer-state channels were such channels, one interrupted publisher would make
 * the stream fail for everyone.
 *
 * <p>Both cases, for FILE streams with the every-publish flush (an {@code fsync} in each publish) and with none, and
 * for MEMORY: the flag set <em>before</em> the publishes (including the first one, which creates the stream's cycle
 * file, syncs the directory and writes a checkpoint) and an acknowledgement; and interrupts sent <em>during</em> a
 * publish loop from another thread, at seeded random points. Each publish either succeeds or throws a clear error
 * (none did); the interrupt status is kept (an interrupt a publish swallowed would stall the handshake below);
 * afterwards the stream is not failed, another thread publishes and reads, and after a close and reopen every
 * acknowledged message and the acknowledgement are there.
 */
@Timeout(60)
class InterruptedPublishTest
{
    private static final String STREAM = "INT";
    private static final int BEFORE = 200;
    private static final int INTERRUPTS = 300;

    /** The storage and flush policy of the stream under test. */
    enum Kind
    {
        FILE_EVERY_PUBLISH(StorageType.FILE, FlushPolicy.everyPublish()),
        FILE_NONE(StorageType.FILE, FlushPolicy.none()),
        MEMORY(StorageType.MEMORY, FlushPolicy.none());

        final StorageType storage;
        final FlushPolicy flush;

        Kind(final StorageType storage, final FlushPolicy flush)
        {
            this.storage = storage;
            this.flush = flush;
        }
    }

    @TempDir
    Path tmp;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopPool() throws InterruptedException
    {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldKeepInterruptStatusAndStreamUsableWhenPublisherIsInterrupted(final Kind kind) throws Exception
    {
        final List<Long> acked = new ArrayList<>();
        try (EmbeddedBus bus = EmbeddedBus.builder().storageDir(tmp).build())
        {
            final Connection nc = bus.connect();
            final JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfig.builder().name(STREAM).subjects("int.>").storage(kind.storage)
                .flushPolicy(kind.flush).build());
            jsm.addOrUpdateConsumer(STREAM, ConsumerConfig.builder().durableName("D").ackPolicy(AckPolicy.EXPLICIT)
                .build());
            final JetStream js = nc.jetStream();

            acked.addAll(pool.submit(() -> publishWhileInterrupted(js, nc)).get(30, TimeUnit.SECONDS));
            acked.addAll(publishWhileBeingInterrupted(js));

            // another thread, never interrupted, still publishes and reads
            final PubAck after = pool.submit(() -> js.publish("int.other", payload(-1))).get(10, TimeUnit.SECONDS);
            acked.add(after.seq());
            assertThat(jsm.message(STREAM, after.seq()).data()).isEqualTo(payload(-1));
            final Stream stream = ((ConnectionManagement)jsm).engine().stream(STREAM);
            if (stream.store() instanceof FileStreamStore file)
            {
                assertThat(file.failure()).as("store failure").isNull();
            }
            check(jsm, acked);
        }
        if (kind.storage == StorageType.FILE)
        {
            try (EmbeddedBus bus = EmbeddedBus.builder().storageDir(tmp).build())
            {
                final JetStreamManagement jsm = bus.connect().jetStreamManagement();
                check(jsm, acked);
                final ConsumerInfo info = jsm.consumerInfo(STREAM, "D");
                assertThat(info.ackFloor().streamSeq()).as("ack made while interrupted, after reopening").isEqualTo(1);
                assertThat(info.numAckPending()).isZero();
            }
        }
    }

    /**
     * The flag is set before every publish, the first of which creates the stream's cycle file; then an ack is made
     * while interrupted. Runs on a pool thread.
     */
    private static List<Long> publishWhileInterrupted(final JetStream js, final Connection nc) throws Exception
    {
        final List<Long> seqs = new ArrayList<>();
        for (int k = 0; k < BEFORE; k++)
        {
            Thread.currentThread().interrupt();
            final PubAck ack = js.publish("int.before", payload(k));
            assertThat(Thread.currentThread().isInterrupted()).as("interrupt status after publish %d", k).isTrue();
            seqs.add(ack.seq());
        }
        Thread.interrupted();
        final Message first;
        try (PullSubscription sub = nc.jetStream().bind(STREAM, "D"))
        {
            first = sub.fetch(1, Duration.ofSeconds(5)).get(0);
            Thread.currentThread().interrupt();
            first.ack();
            assertThat(Thread.currentThread().isInterrupted()).as("interrupt status after ack").isTrue();
        }
        Thread.interrupted();
        assertThat(first.metaData().streamSeq()).isEqualTo(1);
        return seqs;
    }

    /**
     * A publisher loops while this thread interrupts it at random points, one interrupt at a time: the next is sent
     * only after the publisher saw the previous one, so an interrupt a publish swallowed stalls the handshake.
     */
    private List<Long> publishWhileBeingInterrupted(final JetStream js) throws Exception
    {
        final Semaphore seen = new Semaphore(0);
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger published = new AtomicInteger();
        final Semaphore progress = new Semaphore(0);
        final Thread[] publisher = new Thread[1];
        final Semaphore started = new Semaphore(0);
        final Future<List<Long>> run = pool.submit(() ->
        {
            publisher[0] = Thread.currentThread();
            started.release();
            final List<Long> seqs = new ArrayList<>();
            for (int k = BEFORE; !stop.get(); k++)
            {
                seqs.add(js.publish("int.during", payload(k)).seq());
                published.incrementAndGet();
                progress.release();
                if (Thread.interrupted())
                {
                    seen.release();
                }
            }
            return seqs;
        });
        assertThat(started.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        final SplittableRandom random = new SplittableRandom(0x1A7E_0016L);
        for (int i = 0; i < INTERRUPTS; i++)
        {
            progress.drainPermits();
            assertThat(progress.tryAcquire(random.nextInt(3), 10, TimeUnit.SECONDS)).isTrue(); // 0 to 2 publishes
            publisher[0].interrupt();
            assertThat(seen.tryAcquire(10, TimeUnit.SECONDS)).as("interrupt %d (seed 0x1A7E0016) seen by the " +
                "publisher after %d publishes", i, published.get()).isTrue();
        }
        stop.set(true);
        return run.get(10, TimeUnit.SECONDS);
    }

    /** Every acknowledged message is there with its bytes; nothing else. */
    private static void check(final JetStreamManagement jsm, final List<Long> acked)
    {
        final StreamState state = jsm.streamInfo(STREAM).state();
        assertThat(state.msgs()).isEqualTo(acked.size());
        assertThat(state.firstSeq()).isEqualTo(1);
        assertThat(state.lastSeq()).isEqualTo(acked.size());
        for (int i = 0; i < acked.size(); i++)
        {
            assertThat(acked.get(i)).isEqualTo(i + 1);
        }
        for (int k = 0; k < acked.size() - 1; k++)
        {
            assertThat(jsm.message(STREAM, k + 1).data()).as("seq %d", k + 1).isEqualTo(payload(k));
        }
        assertThat(jsm.message(STREAM, acked.size()).data()).isEqualTo(payload(-1));
    }

    private static byte[] payload(final int k)
    {
        return ("int:" + k).getBytes(StandardCharsets.UTF_8);
    }
}
