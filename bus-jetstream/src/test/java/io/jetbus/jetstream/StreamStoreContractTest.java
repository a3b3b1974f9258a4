package io.jetbus.jetstream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link StreamStore} must have; run against each implementation by a subclass.
 */
abstract class StreamStoreContractTest
{
    static final byte[] NO_HEADERS = new byte[0];

    final List<StreamStore> opened = new ArrayList<>();

    /**
     * @param name the stream name.
     * @return a new, empty store.
     */
    abstract StreamStore createStore(String name);

    StreamStore store()
    {
        final StreamStore s = createStore("S");
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeStores()
    {
        for (final StreamStore s : opened)
        {
            s.close();
        }
    }

    static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static long append(final StreamStore store, final String subject, final String data)
    {
        return store.append(subject, NO_HEADERS, bytes(data), 1000L + data.length());
    }

    @Test
    void shouldAssignContiguousSeqsFromOneWhenAppending()
    {
        final StreamStore store = store();
        assertThat(store.state().lastSeq()).isZero();
        assertThat(store.state().firstSeq()).as("NATS reports 0 until a first message").isZero();
        for (int i = 1; i <= 10; i++)
        {
            assertThat(append(store, "a.b", "m" + i)).isEqualTo(i);
        }
        final StoreState st = store.state();
        assertThat(st.firstSeq()).isEqualTo(1);
        assertThat(st.lastSeq()).isEqualTo(10);
        assertThat(st.msgs()).isEqualTo(10);
        assertThat(st.numSubjects()).isEqualTo(1);
        assertThat(st.numDeleted()).isZero();
    }

    @Test
    void shouldReadBackExactBytesWhenAppended()
    {
        final StreamStore store = store();
        final byte[] headers = bytes("NATS/1.0\r\nA: b\r\n\r\n");
        final byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++)
        {
            data[i] = (byte)(i * 31);
        }
        final long s1 = store.append("orders.created", headers, data, 123_456_789L);
        final long s2 = store.append("orders.empty", null, new byte[0], 5L);
        final long s3 = store.append("ünï.cødé", NO_HEADERS, bytes("x"), 6L);

        final StoredMessage m1 = store.read(s1);
        assertThat(m1.seq()).isEqualTo(1);
        assertThat(m1.subject()).isEqualTo("orders.created");
        assertThat(m1.headers()).isEqualTo(headers);
        assertThat(m1.data()).isEqualTo(data);
        assertThat(m1.timestampEpochNs()).isEqualTo(123_456_789L);
        final StoredMessage m2 = store.read(s2);
        assertThat(m2.headers()).isEmpty();
        assertThat(m2.data()).isEmpty();
        assertThat(store.read(s3).subject()).isEqualTo("ünï.cødé");
    }

    @Test
    void shouldNotShareArraysWithCallerWhenAppendingOrReading()
    {
        final StreamStore store = store();
        final byte[] data = bytes("abc");
        final long seq = store.append("a", NO_HEADERS, data, 1);
        data[0] = 'X';
        store.read(seq).data()[1] = 'Y';
        assertThat(store.read(seq).data()).isEqualTo(bytes("abc"));
    }

    @Test
    void shouldReturnNullWhenReadingOutsideRangeOrDeleted()
    {
        final StreamStore store = store();
        append(store, "a", "1");
        append(store, "a", "2");
        assertThat(store.read(0)).isNull();
        assertThat(store.read(3)).isNull();
        assertThat(store.read(-5)).isNull();
        assertThat(store.delete(2)).isTrue();
        assertThat(store.read(2)).isNull();
        assertThat(store.delete(2)).isFalse();
        assertThat(store.delete(7)).isFalse();
    }

    @Test
    void shouldFindNextSeqWithFilters()
    {
        final StreamStore store = store();
        append(store, "orders.eu.created", "1");
        append(store, "orders.us.created", "2");
        append(store, "payments.eu", "3");
        append(store, "orders.eu.shipped", "4");
        append(store, "orders.us.created", "5");

        assertThat(store.nextSeq(1, null)).isEqualTo(1);
        assertThat(store.nextSeq(0, ">")).isEqualTo(1);
        assertThat(store.nextSeq(3, null)).isEqualTo(3);
        assertThat(store.nextSeq(6, null)).isEqualTo(StreamStore.NO_SEQ);
        assertThat(store.nextSeq(1, "orders.us.created")).isEqualTo(2);
        assertThat(store.nextSeq(3, "orders.us.created")).isEqualTo(5);
        assertThat(store.nextSeq(1, "orders.*.shipped")).isEqualTo(4);
        assertThat(store.nextSeq(2, "orders.eu.>")).isEqualTo(4);
        assertThat(store.nextSeq(1, "payments.>")).isEqualTo(3);
        assertThat(store.nextSeq(1, "*.eu")).isEqualTo(3);
        assertThat(store.nextSeq(1, "orders")).isEqualTo(StreamStore.NO_SEQ);
        assertThat(store.nextSeq(1, "orders.>.x")).isEqualTo(StreamStore.NO_SEQ);
        assertThat(store.nextSeq(1, "nothing.here")).isEqualTo(StreamStore.NO_SEQ);

        store.delete(1);
        store.delete(3);
        assertThat(store.nextSeq(1, null)).isEqualTo(2);
        assertThat(store.nextSeq(3, null)).isEqualTo(4);
        assertThat(store.nextSeq(1, "payments.eu")).isEqualTo(StreamStore.NO_SEQ);
        assertThat(store.nextSeq(1, "*.eu.*")).isEqualTo(4);
    }

    @Test
    void shouldFindNextSeqAcrossManyRecordsWhenFilterIsSparse()
    {
        final StreamStore store = store();
        for (int i = 0; i < 3 * AbstractStreamStore.SCAN_CHUNK; i++)
        {
            append(store, "noise." + (i % 7), "n");
            if (i % 5000 == 4999)
            {
                append(store, "rare.x", "r");
            }
        }
        final long first = store.nextSeq(1, "rare.*");
        assertThat(store.read(first).subject()).isEqualTo("rare.x");
        final long second = store.nextSeq(first + 1, "rare.>");
        assertThat(second).isGreaterThan(first);
        assertThat(store.read(second).subject()).isEqualTo("rare.x");
        assertThat(store.nextSeq(second + 1, "rare.x")).isEqualTo(StreamStore.NO_SEQ);
    }

    @Test
    void shouldTrackSubjectStateWhenDeletingFirstAndLast()
    {
        final StreamStore store = store();
        append(store, "a", "1");
        append(store, "b", "2");
        append(store, "a", "3");
        append(store, "b", "4");
        append(store, "a", "5");
        append(store, "a", "6");

        assertThat(store.subjectState("a")).isEqualTo(new SubjectState(4, 1, 6));
        assertThat(store.subjectState("b")).isEqualTo(new SubjectState(2, 2, 4));
        assertThat(store.subjectState("c")).isEqualTo(SubjectState.EMPTY);

        store.delete(1);
        store.delete(6);
        assertThat(store.subjectState("a")).isEqualTo(new SubjectState(2, 3, 5));
        store.delete(5);
        assertThat(store.subjectState("a")).isEqualTo(new SubjectState(1, 3, 3));
        store.delete(2);
        assertThat(store.subjectState("b")).isEqualTo(new SubjectState(1, 4, 4));
        store.delete(3);
        assertThat(store.subjectState("a")).isEqualTo(SubjectState.EMPTY);
        assertThat(store.subjects(null)).containsOnlyKeys("b");
    }

    @Test
    void shouldListSubjectsMatchingFilter()
    {
        final StreamStore store = store();
        append(store, "orders.eu", "1");
        append(store, "orders.us", "2");
        append(store, "orders.us", "3");
        append(store, "pay.eu", "4");

        assertThat(store.subjects("orders.*")).containsOnlyKeys("orders.eu", "orders.us");
        assertThat(store.subjects("orders.us")).containsEntry("orders.us", new SubjectState(2, 2, 3));
        assertThat(store.subjects(">")).hasSize(3);
        assertThat(store.subjects(null)).hasSize(3);
        assertThat(store.subjects("*.eu")).containsOnlyKeys("orders.eu", "pay.eu");
        assertThat(store.subjects("none")).isEmpty();
    }

    @Test
    void shouldAdvanceFirstSeqWhenDeletingPrefix()
    {
        final StreamStore store = store();
        for (int i = 0; i < 10; i++)
        {
            append(store, "a", "m" + i);
        }
        store.delete(3);
        store.delete(2);
        assertThat(store.state().firstSeq()).isEqualTo(1);
        assertThat(store.state().numDeleted()).isEqualTo(2);
        store.delete(1);
        final StoreState st = store.state();
        assertThat(st.firstSeq()).isEqualTo(4);
        assertThat(st.numDeleted()).isZero();
        assertThat(st.msgs()).isEqualTo(7);
        assertThat(st.firstTimestampNs()).isEqualTo(1002);
    }

    @Test
    void shouldAccountBytesAndTimestamps()
    {
        final StreamStore store = store();
        store.append("ab", bytes("hh"), bytes("dddd"), 10);
        store.append("abc", NO_HEADERS, bytes("d"), 20);
        StoreState st = store.state();
        assertThat(st.bytes()).isEqualTo(RecordCodec.storedSize(2, 2, 4) + RecordCodec.storedSize(3, 0, 1));
        assertThat(st.firstTimestampNs()).isEqualTo(10);
        assertThat(st.lastTimestampNs()).isEqualTo(20);
        store.delete(1);
        st = store.state();
        assertThat(st.bytes()).isEqualTo(RecordCodec.storedSize(3, 0, 1));
        assertThat(st.firstTimestampNs()).isEqualTo(20);
    }

    @Test
    void shouldKeepLastTimestampWhenLastMessageIsRemoved()
    {
        final StreamStore store = store();
        store.append("a", NO_HEADERS, bytes("1"), 10);
        store.append("b", NO_HEADERS, bytes("2"), 20);
        store.delete(2);
        assertThat(store.state().lastTimestampNs()).isEqualTo(20);
        store.append("c", NO_HEADERS, bytes("3"), 30);
        assertThat(store.purge(null, 0, 0)).isEqualTo(2);
        final StoreState st = store.state();
        assertThat(st.msgs()).isZero();
        assertThat(st.lastSeq()).isEqualTo(3);
        assertThat(st.firstTimestampNs()).isZero();
        assertThat(st.lastTimestampNs()).as("last time survives the purge, as NATS LastTime").isEqualTo(30);
    }

    @Test
    void shouldContinueSequenceWhenPurgedCompletely()
    {
        final StreamStore store = store();
        for (int i = 0; i < 5; i++)
        {
            append(store, "a." + i, "m");
        }
        store.delete(2);
        assertThat(store.purge(null, 0, 0)).isEqualTo(4);
        StoreState st = store.state();
        assertThat(st.msgs()).isZero();
        assertThat(st.bytes()).isZero();
        assertThat(st.firstSeq()).isEqualTo(6);
        assertThat(st.lastSeq()).isEqualTo(5);
        assertThat(st.numSubjects()).isZero();
        assertThat(store.read(5)).isNull();
        assertThat(store.nextSeq(1, null)).isEqualTo(StreamStore.NO_SEQ);
        assertThat(store.purge(null, 0, 0)).isZero();

        assertThat(append(store, "b", "new")).isEqualTo(6);
        st = store.state();
        assertThat(st.firstSeq()).isEqualTo(6);
        assertThat(st.msgs()).isEqualTo(1);
        assertThat(store.read(6).subject()).isEqualTo("b");
    }

    @Test
    void shouldPurgeUpToSeqExclusive()
    {
        final StreamStore store = store();
        for (int i = 1; i <= 10; i++)
        {
            append(store, i % 2 == 0 ? "even" : "odd", "m" + i);
        }
        store.delete(3);
        assertThat(store.purge(null, 5, 0)).isEqualTo(3);
        final StoreState st = store.state();
        assertThat(st.firstSeq()).isEqualTo(5);
        assertThat(st.msgs()).isEqualTo(6);
        assertThat(store.read(4)).isNull();
        assertThat(store.read(5).data()).isEqualTo(bytes("m5"));
        assertThat(store.subjectState("odd")).isEqualTo(new SubjectState(3, 5, 9));
        assertThat(store.subjectState("even")).isEqualTo(new SubjectState(3, 6, 10));
        assertThat(store.purge(null, 3, 0)).isZero();
        assertThat(store.purge(null, 100, 0)).isEqualTo(6);
        assertThat(store.state().firstSeq()).isEqualTo(11);
    }

    @Test
    void shouldPurgeKeepingNewest()
    {
        final StreamStore store = store();
        for (int i = 1; i <= 10; i++)
        {
            append(store, "s", "m" + i);
        }
        store.delete(9);
        assertThat(store.purge(null, 0, 20)).isZero();
        assertThat(store.purge(null, 0, 3)).isEqualTo(6);
        final StoreState st = store.state();
        assertThat(st.msgs()).isEqualTo(3);
        assertThat(st.firstSeq()).isEqualTo(7);
        assertThat(store.subjectState("s")).isEqualTo(new SubjectState(3, 7, 10));
    }

    @Test
    void shouldPurgeBySubjectFilter()
    {
        final StreamStore store = store();
        for (int i = 1; i <= 12; i++)
        {
            append(store, "k." + (i % 3), "m" + i);
        }
        // k.1: 1,4,7,10  k.2: 2,5,8,11  k.0: 3,6,9,12
        assertThat(store.purge("k.1", 0, 0)).isEqualTo(4);
        assertThat(store.subjectState("k.1")).isEqualTo(SubjectState.EMPTY);
        assertThat(store.state().firstSeq()).isEqualTo(2);

        assertThat(store.purge("k.2", 0, 1)).isEqualTo(3);
        assertThat(store.subjectState("k.2")).isEqualTo(new SubjectState(1, 11, 11));

        assertThat(store.purge("k.*", 7, 0)).isEqualTo(2);
        assertThat(store.subjectState("k.0")).isEqualTo(new SubjectState(2, 9, 12));
        assertThat(store.state().firstSeq()).isEqualTo(9);
        assertThat(store.state().msgs()).isEqualTo(3);

        assertThat(store.purge("k.>", 0, 5)).isZero();
        assertThat(store.purge("none", 0, 0)).isZero();
        assertThat(store.purge("k.*", 0, 0)).isEqualTo(3);
        assertThat(store.state().msgs()).isZero();
        assertThat(store.state().firstSeq()).isEqualTo(13);
    }

    @Test
    void shouldRejectInvalidPurgeArguments()
    {
        final StreamStore store = store();
        assertThatThrownBy(() -> store.purge(null, 5, 2))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid purge upToSeq=5 keep=2: both must be >= 0 and at most one > 0");
        assertThatThrownBy(() -> store.purge("a", -1, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid purge upToSeq=-1 keep=0: both must be >= 0 and at most one > 0");
    }

    @Test
    void shouldRejectBadArgumentsWithoutStoringAnything()
    {
        final StreamStore store = store();
        assertThatThrownBy(() -> store.append("", null, bytes("x"), 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid subject \"\": must be 1 to 65535 UTF-8 bytes, not 0");
        assertThatThrownBy(() -> store.append("a", null, null, 1))
            .isInstanceOf(NullPointerException.class).hasMessage("data");
        assertThatThrownBy(() -> store.append(null, null, bytes("x"), 1))
            .isInstanceOf(NullPointerException.class).hasMessage("subject");
        final String huge = "s".repeat(65_536);
        assertThatThrownBy(() -> store.append(huge, null, bytes("x"), 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageEndingWith(": must be 1 to 65535 UTF-8 bytes, not 65536");
        assertThat(store.state().lastSeq()).isZero();
        assertThat(append(store, "a", "ok")).isEqualTo(1);
    }

    @Test
    void shouldThrowWhenUsedAfterClose()
    {
        final StreamStore store = store();
        append(store, "a", "1");
        store.close();
        store.close();
        assertThatThrownBy(() -> append(store, "a", "2"))
            .isInstanceOf(IllegalStateException.class).hasMessage("stream S is closed");
        assertThatThrownBy(() -> store.read(1))
            .isInstanceOf(IllegalStateException.class).hasMessage("stream S is closed");
        assertThatThrownBy(store::state)
            .isInstanceOf(IllegalStateException.class).hasMessage("stream S is closed");
    }

    @Test
    void shouldKeepSeqsContiguousAndPerThreadOrderWhenEightThreadsAppend() throws Exception
    {
        final StreamStore store = store();
        final int threads = 8;
        final int perThread = 20_000;
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        final CountDownLatch start = new CountDownLatch(1);
        try
        {
            final List<Future<long[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final int publisher = t;
                futures.add(pool.submit(() ->
                {
                    final long[] seqs = new long[perThread];
                    start.await();
                    for (int k = 0; k < perThread; k++)
                    {
                        seqs[k] = store.append("p." + publisher, NO_HEADERS, bytes(publisher + ":" + k), k);
                    }
                    return seqs;
                }));
            }
            start.countDown();
            final boolean[] seen = new boolean[threads * perThread + 1];
            for (int t = 0; t < threads; t++)
            {
                final long[] seqs = futures.get(t).get(60, TimeUnit.SECONDS);
                for (int k = 0; k < perThread; k++)
                {
                    assertThat(seqs[k]).isBetween(1L, (long)threads * perThread);
                    assertThat(seen[(int)seqs[k]]).as("seq %d assigned twice", seqs[k]).isFalse();
                    seen[(int)seqs[k]] = true;
                    if (k > 0)
                    {
                        assertThat(seqs[k]).isGreaterThan(seqs[k - 1]);
                    }
                }
                assertThat(store.read(seqs[perThread - 1]).data()).isEqualTo(bytes(t + ":" + (perThread - 1)));
            }
        }
        finally
        {
            pool.shutdownNow();
        }
        final StoreState st = store.state();
        assertThat(st.lastSeq()).isEqualTo(threads * perThread);
        assertThat(st.msgs()).isEqualTo(threads * perThread);
        assertThat(store.subjectState("p.3").msgs()).isEqualTo(perThread);
    }
}
