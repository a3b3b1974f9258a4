package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.ErrorListener;
import io.jetbus.api.NoRespondersException;
import io.jetbus.api.jetstream.FlushPolicy;
import io.jetbus.api.jetstream.JetStream;
import io.jetbus.api.jetstream.JetStreamManagement;
import io.jetbus.api.jetstream.MessageInfo;
import io.jetbus.api.jetstream.PubAck;
import io.jetbus.api.jetstream.StorageType;
import io.jetbus.api.jetstream.StreamConfig;
import io.jetbus.api.jetstream.StreamState;
import io.jetbus.core.EmbeddedBus;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY.md R15, close during publish: 4 threads publish through JetStream in a loop while another thread, at a
 * random point (a seeded PubAck count), closes the bus, closes the connection, or deletes the stream.
 *
 * <p>Each publish either returns a PubAck or throws what the API documents for that case:
 * {@link IllegalStateException} saying what is closed (the {@code JetStream} javadoc: every method throws it once the
 * connection is closed), and, when the stream was deleted, {@link NoRespondersException} (no stream captures the
 * subject any more). Never a {@link NullPointerException} and never a Chronicle type. The close returns within 5 s,
 * every publisher stops within 5 s, and no thread is left behind. After a close, the storage reopened in a new bus
 * holds every acknowledged message with its bytes, contiguous from seq 1, in each publisher's order; the only other
 * records allowed are each publisher's one publish in flight at the close, complete. 18 iterations (the plan says
 * 50; 18 keep the class within a few seconds; {@code -Djetbus.r15.iterations=N} runs more), FILE streams with both
 * flush policies, and MEMORY for deletes.
 */
@Timeout(120)
class CloseDuringPublishTest
{
    private static final int PUBLISHERS = 4;
    private static final int ITERATIONS = Integer.getInteger("jetbus.r15.iterations", 18);
    private static final Duration CLOSE_LIMIT = Duration.ofSeconds(5);
    private static final String STREAM = "CDP";
    /** JVM-wide threads that may appear on first use and stay (RELIABILITY.md R18). */
    private static final List<String> JVM_WIDE = List.of("background~resource~releaser", "disk~space~checker",
        "process reaper", "Attach Listener", "Common-Cleaner", "ForkJoinPool.commonPool");

    enum Closer
    {
        BUS, CONNECTION, DELETE_STREAM
    }

    @TempDir
    Path tmp;

    static List<Integer> iterations()
    {
        return IntStream.range(0, ITERATIONS).boxed().toList();
    }

    /** Starts Chronicle's JVM-wide threads, so each iteration can compare against a settled baseline. */
    @BeforeAll
    static void warmUp(@TempDir final Path dir)
    {
        try (EmbeddedBus bus = EmbeddedBus.builder().storageDir(dir).build())
        {
            final Connection nc = bus.connect();
            nc.jetStreamManagement().addStream(StreamConfig.builder().name("WARM").subjects("warm")
                .storage(StorageType.FILE).flushPolicy(FlushPolicy.everyPublish()).build());
            nc.jetStream().publish("warm", new byte[] {1});
        }
        BackgroundResourceReleaser.releasePendingResources();
    }

    @ParameterizedTest(name = "iteration {0}")
    @MethodSource("iterations")
    void shouldAckOnlyStoredMessagesAndFailCleanlyWhenClosedDuringPublish(final int iteration) throws Exception
    {
        final long seed = 0xC105E_0000L + iteration;
        final SplittableRandom random = new SplittableRandom(seed);
        final Closer closer = Closer.values()[iteration % Closer.values().length];
        final StorageType storage = closer == Closer.DELETE_STREAM && iteration % 2 == 1 ?
            StorageType.MEMORY : StorageType.FILE;
        final FlushPolicy flush = storage == StorageType.MEMORY || iteration / 3 % 2 == 0 ? FlushPolicy.none() :
            FlushPolicy.everyPublish();
        final int closeAfterAcks = 1 + random.nextInt(3_000);
        final String what = "iteration " + iteration + " (seed " + seed + ", " + closer + ", " + storage + ", " +
            flush + ", close after " + closeAfterAcks + " PubAcks)";
        final Path dir = tmp.resolve("bus");
        final Set<Thread> baseline = liveThreads();
        final List<Throwable> reported = new CopyOnWriteArrayList<>();

        final EmbeddedBus bus = EmbeddedBus.builder().storageDir(dir).errorListener(new Recorder(reported)).build();
        final Publisher[] publishers = new Publisher[PUBLISHERS];
        try
        {
            final Connection nc = bus.connect();
            nc.jetStreamManagement().addStream(StreamConfig.builder().name(STREAM).subjects("cdp.>")
                .storage(storage).flushPolicy(flush).build());
            final JetStream js = nc.jetStream();
            final AtomicInteger acks = new AtomicInteger();
            final CountDownLatch closeNow = new CountDownLatch(1);
            final CountDownLatch start = new CountDownLatch(1);
            for (int p = 0; p < PUBLISHERS; p++)
            {
                publishers[p] = new Publisher(p, js, start, () ->
                {
                    if (acks.incrementAndGet() == closeAfterAcks)
                    {
                        closeNow.countDown();
                    }
                });
                publishers[p].start();
            }
            start.countDown();
            assertThat(closeNow.await(30, TimeUnit.SECONDS)).as("%s: publishers reached the close point", what)
                .isTrue();

            final long closeStart = System.nanoTime();
            switch (closer)
            {
                case BUS -> bus.close();
                case CONNECTION -> nc.close();
                case DELETE_STREAM -> assertThat(nc.jetStreamManagement().deleteStream(STREAM)).isTrue();
                default -> throw new IllegalStateException(closer.name());
            }
            assertThat(Duration.ofNanos(System.nanoTime() - closeStart)).as("%s: close", what)
                .isLessThan(CLOSE_LIMIT);
            for (final Publisher p : publishers)
            {
                p.join(CLOSE_LIMIT.toMillis());
                assertThat(p.isAlive()).as("%s: publisher %d still publishing after the close", what, p.index)
                    .isFalse();
                checkFailure(what, closer, p);
            }

            if (closer == Closer.CONNECTION)
            {
                checkStored(what, bus.connect().jetStreamManagement(), publishers);
            }
            else if (closer == Closer.DELETE_STREAM)
            {
                checkDeleted(what, bus.connect(), storage, dir);
            }
        }
        finally
        {
            bus.close();
        }
        assertThat(reported).as("%s: errors reported to the listener", what)
            .allSatisfy(e -> checkClean(what + ", reported", e));

        if (storage == StorageType.FILE && closer != Closer.DELETE_STREAM)
        {
            try (EmbeddedBus reopened = EmbeddedBus.builder().storageDir(dir).build())
            {
                checkStored(what + " after reopening", reopened.connect().jetStreamManagement(), publishers);
            }
        }
        checkNoThreadLeft(what, baseline);
    }

    /** The publish loop ended with the documented exception for this kind of close. */
    private static void checkFailure(final String what, final Closer closer, final Publisher p)
    {
        final Throwable e = p.failure;
        assertThat(e).as("%s: publisher %d ended without an exception", what, p.index).isNotNull();
        checkClean(what + ", publisher " + p.index, e);
        if (e instanceof IllegalStateException)
        {
            assertThat(e.getMessage()).as("%s: publisher %d's exception", what, p.index).contains("closed");
        }
        else if (closer == Closer.DELETE_STREAM && e instanceof NoRespondersException)
        {
            assertThat(e.getMessage()).as("%s: publisher %d's exception", what, p.index)
                .isEqualTo("no stream matches subject \"cdp." + p.index + "\": add a stream whose subjects capture it");
        }
        else
        {
            throw new AssertionError(what + ": publisher " + p.index + " failed with an undocumented exception", e);
        }
    }

    /** Not a NullPointerException, and not a Chronicle type, at any level of the exception. */
    private static void checkClean(final String what, final Throwable error)
    {
        assertThat(error).as("%s: %s", what, error).isNotInstanceOf(NullPointerException.class);
        assertThat(error.getClass().getName()).as("%s: %s", what, error).doesNotStartWith("net.openhft");
        for (Throwable c = error.getCause(); c != null; c = c.getCause())
        {
            assertThat(c).as("%s: cause of %s", what, error).isNotInstanceOf(NullPointerException.class);
        }
    }

    /**
     * Every PubAck's seq holds its message; seqs contiguous from 1; per publisher, k rises with seq and runs from 0
     * to its acknowledged count, plus at most its one publish in flight at the close.
     */
    private static void checkStored(final String what, final JetStreamManagement jsm, final Publisher[] publishers)
    {
        final StreamState state = jsm.streamInfo(STREAM).state();
        long maxAcked = 0;
        for (final Publisher p : publishers)
        {
            maxAcked = Math.max(maxAcked, p.acked.isEmpty() ? 0 : p.acked.get(p.acked.size() - 1));
        }
        assertThat(state.firstSeq()).as("%s: first seq", what).isEqualTo(1);
        assertThat(state.lastSeq()).as("%s: last seq vs the highest PubAck", what).isGreaterThanOrEqualTo(maxAcked);
        assertThat(state.msgs()).as("%s: messages, with no gaps", what).isEqualTo(state.lastSeq());
        final int[] nextK = new int[PUBLISHERS];
        for (long seq = 1; seq <= state.lastSeq(); seq++)
        {
            final MessageInfo m = jsm.message(STREAM, seq);
            final int p = Integer.parseInt(m.subject().substring("cdp.".length()));
            final int k = nextK[p]++;
            assertThat(m.data()).as("%s: seq %d is publisher %d's message %d", what, seq, p, k)
                .isEqualTo(payload(p, k));
            if (k < publishers[p].acked.size())
            {
                assertThat(publishers[p].acked.get(k)).as("%s: PubAck of publisher %d's message %d", what, p, k)
                    .isEqualTo(seq);
            }
        }
        for (final Publisher p : publishers)
        {
            assertThat(nextK[p.index]).as("%s: publisher %d's stored messages (%d acknowledged)", what, p.index,
                p.acked.size()).isBetween(p.acked.size(), p.acked.size() + 1);
        }
    }

    /** The stream is gone with its files, and one of the same name starts again at seq 1. */
    private static void checkDeleted(final String what, final Connection nc, final StorageType storage,
        final Path dir)
    {
        final JetStreamManagement jsm = nc.jetStreamManagement();
        assertThat(jsm.streamNames()).as(what).doesNotContain(STREAM);
        if (storage == StorageType.FILE)
        {
            assertThat(dir.resolve("streams").resolve(STREAM)).as(what).doesNotExist();
        }
        jsm.addStream(StreamConfig.builder().name(STREAM).subjects("cdp.>").storage(storage).build());
        final PubAck ack = nc.jetStream().publish("cdp.0", payload(0, 0));
        assertThat(ack.seq()).as(what).isEqualTo(1);
        assertThat(jsm.message(STREAM, 1).data()).as(what).isEqualTo(payload(0, 0));
    }

    private static void checkNoThreadLeft(final String what, final Set<Thread> baseline) throws InterruptedException
    {
        BackgroundResourceReleaser.releasePendingResources();
        final long deadline = System.nanoTime() + CLOSE_LIMIT.toNanos();
        final List<String> left = new ArrayList<>();
        for (final Thread t : liveThreads())
        {
            if (baseline.contains(t) || JVM_WIDE.stream().anyMatch(t.getName()::contains))
            {
                continue;
            }
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (t.isAlive())
            {
                left.add(t.getName() + Arrays.toString(t.getStackTrace()));
            }
        }
        assertThat(left).as("%s: threads left after the bus closed", what).isEmpty();
    }

    private static Set<Thread> liveThreads()
    {
        final Set<Thread> live = new HashSet<>();
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            if (t.isAlive())
            {
                live.add(t);
            }
        }
        return live;
    }

    static byte[] payload(final int publisher, final int k)
    {
        return ("cdp:" + publisher + ":" + k).getBytes(StandardCharsets.UTF_8);
    }

    /** One publishing thread: publishes until a publish throws, keeping each PubAck's seq. */
    private static final class Publisher extends Thread
    {
        final int index;
        final List<Long> acked = new ArrayList<>();
        volatile Throwable failure;
        private final JetStream js;
        private final CountDownLatch start;
        private final Runnable onAck;

        Publisher(final int index, final JetStream js, final CountDownLatch start, final Runnable onAck)
        {
            super("r15-publisher-" + index);
            this.index = index;
            this.js = js;
            this.start = start;
            this.onAck = onAck;
            setDaemon(true);
        }

        @Override
        public void run()
        {
            try
            {
                start.await();
                for (int k = 0; ; k++)
                {
                    final PubAck ack = js.publish("cdp." + index, payload(index, k));
                    acked.add(ack.seq());
                    onAck.run();
                }
            }
            catch (final Throwable e)
            {
                failure = e;
            }
        }
    }

    /** Keeps what the bus reports, to check it is free of NPEs and Chronicle types. */
    private record Recorder(List<Throwable> reported) implements ErrorListener
    {
        @Override
        public void onError(final Throwable error)
        {
            reported.add(error);
        }
    }
}
