package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.ErrorListener;
import io.jetbus.api.Headers;
import io.jetbus.api.Message;
import io.jetbus.api.NoRespondersException;
import io.jetbus.api.Subscription;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.DiscardPolicy;
import io.jetbus.api.jetstream.JetStream;
import io.jetbus.api.jetstream.JetStreamAdvisory;
import io.jetbus.api.jetstream.JetStreamApiException;
import io.jetbus.api.jetstream.JetStreamManagement;
import io.jetbus.api.jetstream.MessageInfo;
import io.jetbus.api.jetstream.PubAck;
import io.jetbus.api.jetstream.PublishOptions;
import io.jetbus.api.jetstream.PullSubscription;
import io.jetbus.api.jetstream.PurgeOptions;
import io.jetbus.api.jetstream.RetentionPolicy;
import io.jetbus.api.jetstream.StorageType;
import io.jetbus.api.jetstream.StreamConfig;
import io.jetbus.api.jetstream.StreamInfo;
import io.jetbus.api.jetstream.StreamState;
import io.jetbus.core.EmbeddedBus;
import io.jetbus.core.ManualTimeSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The stream engine's behaviour that both storage types share; subclasses choose the storage.
 */
@Timeout(60)
abstract class StreamEngineContractTest
{
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final ManualTimeSource clock = new ManualTimeSource();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final List<JetStreamAdvisory> advisories = new CopyOnWriteArrayList<>();
    EmbeddedBus bus;
    Connection nc;
    JetStreamManagement jsm;
    JetStream js;

    abstract StorageType storage();

    /**
     * @return the storage directory for the bus, or null for none.
     */
    abstract Path storageDir();

    @BeforeEach
    void start()
    {
        openBus();
    }

    void openBus()
    {
        final EmbeddedBus.Builder builder = EmbeddedBus.builder().timeSource(clock).errorListener(listener());
        if (storageDir() != null)
        {
            builder.storageDir(storageDir());
        }
        bus = builder.build();
        nc = bus.connect();
        jsm = nc.jetStreamManagement();
        js = nc.jetStream();
    }

    ErrorListener listener()
    {
        return new ErrorListener()
        {
            @Override
            public void onError(final Throwable error)
            {
                errors.add(error);
            }

            @Override
            public void onAdvisory(final JetStreamAdvisory advisory)
            {
                advisories.add(advisory);
            }
        };
    }

    @AfterEach
    void stop()
    {
        bus.close();
    }

    StreamConfig.Builder orders()
    {
        return StreamConfig.builder().name("ORDERS").subjects("orders.>").storage(storage());
    }

    StreamInfo add(final StreamConfig.Builder config)
    {
        return jsm.addStream(config.build());
    }

    Stream stream(final String name)
    {
        return ((ConnectionManagement)jsm).engine().stream(name);
    }

    static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(final byte[] b)
    {
        return new String(b, StandardCharsets.UTF_8);
    }

    PubAck publish(final String subject, final String data)
    {
        return js.publish(subject, bytes(data));
    }

    PubAck publish(final String subject, final String data, final PublishOptions options)
    {
        return js.publish(subject, null, bytes(data), options);
    }

    List<Long> seqs(final String stream)
    {
        final List<Long> seqs = new ArrayList<>();
        final Stream s = stream(stream);
        for (long seq = s.store().nextSeq(0, null); seq != StreamStore.NO_SEQ; seq = s.store().nextSeq(seq + 1, null))
        {
            seqs.add(seq);
        }
        return seqs;
    }

    // =============================================================================================== CRUD

    @Test
    void shouldAddStreamAndReturnEqualStreamUnchanged()
    {
        final StreamInfo info = add(orders().description("all orders"));
        assertThat(info.config()).isEqualTo(orders().description("all orders").build());
        assertThat(info.created()).isEqualTo(Stream.instant(clock.epochNanos()));
        assertThat(info.state()).isEqualTo(new StreamState(0, 0, 0, null, 0, null, 0, 0, 0));

        clock.advance(Duration.ofSeconds(1));
        assertThat(add(orders().description("all orders"))).isEqualTo(info);
        assertThat(jsm.streamNames()).containsExactly("ORDERS");
    }

    @Test
    void shouldRefuseSameNameWithOtherConfig()
    {
        add(orders());
        assertThatThrownBy(() -> add(orders().maxMsgs(5)))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("stream name already in use with a different configuration: \"ORDERS\"")
            .extracting(e -> ((JetStreamApiException)e).errorCode()).isEqualTo(10058);
    }

    @Test
    void shouldRefuseOverlappingSubjects()
    {
        add(orders());
        assertThatThrownBy(() -> add(StreamConfig.builder().name("NEW").subjects("x", "orders.*.eu")
            .storage(storage())))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("subjects overlap with an existing stream: \"orders.*.eu\" of stream \"NEW\" overlaps " +
                "\"orders.>\" of stream \"ORDERS\"")
            .extracting(e -> ((JetStreamApiException)e).errorCode()).isEqualTo(10065);
        assertThat(jsm.streamNames()).containsExactly("ORDERS");

        add(StreamConfig.builder().name("NEW").subjects("order.>", "orders").storage(storage()));
        assertThat(jsm.streamNames()).containsExactly("NEW", "ORDERS");
    }

    @Test
    void shouldListStreamsSortedAndDeleteThem()
    {
        add(orders());
        add(StreamConfig.builder().name("ALPHA").storage(storage()));
        publish("ALPHA", "a");
        assertThat(jsm.streamNames()).containsExactly("ALPHA", "ORDERS");
        assertThat(jsm.streams()).extracting(i -> i.config().name()).containsExactly("ALPHA", "ORDERS");
        assertThat(jsm.streamInfo("ALPHA").config().subjects()).containsExactly("ALPHA");

        assertThat(jsm.deleteStream("ALPHA")).isTrue();
        assertThat(jsm.deleteStream("ALPHA")).isFalse();
        assertThat(jsm.streamNames()).containsExactly("ORDERS");
        assertThatThrownBy(() -> publish("ALPHA", "b")).isInstanceOf(NoRespondersException.class);
        assertThatThrownBy(() -> jsm.streamInfo("ALPHA"))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("stream not found: \"ALPHA\"");

        add(StreamConfig.builder().name("ALPHA").storage(storage()));
        assertThat(publish("ALPHA", "c").seq()).isEqualTo(1);
    }

    @Test
    void shouldCheckNamesAsStreamConfigDoes()
    {
        assertThatThrownBy(() -> jsm.streamInfo("a.b"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid stream name \"a.b\": '.' at index 1 (a name may not contain '.', '*', '>', '/', " +
                "'\\', whitespace or control characters)");
        assertThatThrownBy(() -> jsm.deleteStream(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> jsm.purgeStream("NOPE"))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("stream not found: \"NOPE\"")
            .extracting(e -> ((JetStreamApiException)e).errorCode()).isEqualTo(10059);
    }

    @Test
    void shouldRefuseUpdatesNatsRefuses()
    {
        add(orders());
        final StorageType other = storage() == StorageType.FILE ? StorageType.MEMORY : StorageType.FILE;
        assertThatThrownBy(() -> jsm.updateStream(orders().storage(other).build()))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("invalid stream configuration for \"ORDERS\": storage can not change: " + storage() + " -> " +
                other)
            .extracting(e -> ((JetStreamApiException)e).errorCode()).isEqualTo(10052);
        assertThatThrownBy(() -> jsm.updateStream(orders().retention(RetentionPolicy.WORK_QUEUE).build()))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("invalid stream configuration for \"ORDERS\": retention can not change to or from " +
                "WORK_QUEUE: LIMITS -> WORK_QUEUE");
        assertThatThrownBy(() -> jsm.updateStream(StreamConfig.builder().name("NOPE").storage(storage()).build()))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("stream not found: \"NOPE\"");
        add(StreamConfig.builder().name("B").subjects("b.>").storage(storage()));
        assertThatThrownBy(() -> jsm.updateStream(StreamConfig.builder().name("B").subjects("b.>", "orders.x")
            .storage(storage()).build()))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("subjects overlap with an existing stream: \"orders.x\" of stream \"B\" overlaps " +
                "\"orders.>\" of stream \"ORDERS\"");
    }

    @Test
    void shouldUpdateSubjectsAndApplyTightenedLimitsAtOnce()
    {
        add(orders());
        for (int i = 1; i <= 5; i++)
        {
            publish("orders." + (i % 2 == 0 ? "even" : "odd"), "m" + i);
        }
        final StreamInfo info = jsm.updateStream(orders().subjects("orders.>", "returns.*").maxMsgs(3)
            .description("changed").build());
        assertThat(info.config().description()).isEqualTo("changed");
        assertThat(info.state().msgs()).isEqualTo(3);
        assertThat(info.state().firstSeq()).isEqualTo(3);
        assertThat(publish("returns.x", "r").seq()).isEqualTo(6);
        assertThat(seqs("ORDERS")).containsExactly(4L, 5L, 6L);

        jsm.updateStream(orders().subjects("orders.>", "returns.*").maxMsgs(3).maxMsgsPerSubject(1).build());
        assertThat(seqs("ORDERS")).containsExactly(4L, 5L, 6L);
        jsm.updateStream(orders().subjects("returns.*").build());
        assertThatThrownBy(() -> publish("orders.x", "gone")).isInstanceOf(NoRespondersException.class);
    }

    // =============================================================================================== publish

    @Test
    void shouldPublishWithContiguousSequencesAndDeliverToCoreSubscribers() throws Exception
    {
        add(orders());
        final Subscription sub = nc.subscribe("orders.*");
        final Headers headers = new Headers().add("k", "v");
        assertThat(js.publish("orders.new", headers, bytes("one"))).isEqualTo(new PubAck("ORDERS", 1, false));
        assertThat(publish("orders.new", "two")).isEqualTo(new PubAck("ORDERS", 2, false));
        assertThat(js.publishAsync("orders.old", bytes("three")).get()).isEqualTo(new PubAck("ORDERS", 3, false));

        final Message first = sub.nextMessage(TIMEOUT);
        assertThat(first.subject()).isEqualTo("orders.new");
        assertThat(first.headers().first("k")).isEqualTo("v");
        assertThat(text(first.data())).isEqualTo("one");
        assertThat(text(sub.nextMessage(TIMEOUT).data())).isEqualTo("two");
        assertThat(text(sub.nextMessage(TIMEOUT).data())).isEqualTo("three");

        final MessageInfo m = jsm.message("ORDERS", 1);
        assertThat(m.subject()).isEqualTo("orders.new");
        assertThat(m.headers().first("k")).isEqualTo("v");
        assertThat(text(m.data())).isEqualTo("one");
        assertThat(m.time()).isEqualTo(Stream.instant(clock.epochNanos()));
        final StreamState state = jsm.streamInfo("ORDERS").state();
        assertThat(state.msgs()).isEqualTo(3);
        assertThat(state.firstSeq()).isEqualTo(1);
        assertThat(state.lastSeq()).isEqualTo(3);
        assertThat(state.numSubjects()).isEqualTo(2);
        assertThat(state.firstTime()).isEqualTo(m.time());
        assertThat(state.lastTime()).isEqualTo(m.time());
    }

    @Test
    void shouldRefusePublishWithoutStream()
    {
        add(orders());
        assertThatThrownBy(() -> publish("other.x", "x"))
            .isInstanceOf(NoRespondersException.class)
            .hasMessage("no stream matches subject \"other.x\": add a stream whose subjects capture it");
        final CompletableFuture<PubAck> future = js.publishAsync("other.x", bytes("x"));
        assertThatThrownBy(future::get).isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(NoRespondersException.class);
        assertThatThrownBy(() -> publish("orders.*", "x"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("orders.*");
    }

    @Test
    void shouldCaptureCorePublishesAndReplyWithPubAck() throws Exception
    {
        add(orders().maxMsgSize(32));
        final Subscription sub = nc.subscribe("orders.new");
        final Subscription replies = nc.subscribe("reply.>");

        nc.publish("orders.new", bytes("a"));
        nc.publish("orders.new", "reply.1", bytes("b"));
        nc.publish("orders.new", "reply.2", new Headers().add(PublishOptions.MSG_ID_HEADER, "id-1"), bytes("c"));
        nc.publish("orders.new", "reply.3", new Headers().add(PublishOptions.MSG_ID_HEADER, "id-1"), bytes("c"));
        nc.publish("orders.new", "reply.4", bytes("t".repeat(40)));
        nc.publish("orders.new", bytes("a".repeat(50)));
        nc.publish("unrelated", bytes("not stored"));

        assertThat(text(replies.nextMessage(TIMEOUT).data())).isEqualTo("{\"stream\":\"ORDERS\",\"seq\":2}");
        assertThat(text(replies.nextMessage(TIMEOUT).data())).isEqualTo("{\"stream\":\"ORDERS\",\"seq\":3}");
        assertThat(text(replies.nextMessage(TIMEOUT).data()))
            .isEqualTo("{\"stream\":\"ORDERS\",\"seq\":3,\"duplicate\":true}");
        assertThat(text(replies.nextMessage(TIMEOUT).data())).isEqualTo("{\"error\":{\"code\":400,\"err_code\":10054," +
            "\"description\":\"message size exceeds maximum allowed: 40 bytes, stream \\\"ORDERS\\\" allows 32\"}}");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).isInstanceOf(JetStreamApiException.class)
            .hasMessage("message size exceeds maximum allowed: 50 bytes, stream \"ORDERS\" allows 32");

        final List<String> delivered = new ArrayList<>();
        for (int i = 0; i < 6; i++)
        {
            delivered.add(text(sub.nextMessage(TIMEOUT).data()));
        }
        assertThat(delivered).containsExactly("a", "b", "c", "c", "t".repeat(40), "a".repeat(50));
        assertThat(jsm.streamInfo("ORDERS").state().msgs()).isEqualTo(3);
        assertThat(text(jsm.message("ORDERS", 3).data())).isEqualTo("c");
    }

    @Test
    void shouldDropDuplicatesWithinWindowOnly()
    {
        add(orders().duplicateWindow(Duration.ofSeconds(10)));
        final PublishOptions id1 = PublishOptions.builder().messageId("id-1").build();
        assertThat(publish("orders.a", "x", id1)).isEqualTo(new PubAck("ORDERS", 1, false));
        clock.advance(Duration.ofSeconds(9));
        assertThat(publish("orders.b", "y", id1)).isEqualTo(new PubAck("ORDERS", 1, true));
        assertThat(js.publish("orders.a", new Headers().add(PublishOptions.MSG_ID_HEADER, "id-1"), bytes("z")))
            .isEqualTo(new PubAck("ORDERS", 1, true));
        assertThat(jsm.streamInfo("ORDERS").state().msgs()).isEqualTo(1);
        assertThat(jsm.message("ORDERS", 1).headers().first(PublishOptions.MSG_ID_HEADER)).isEqualTo("id-1");

        clock.advance(Duration.ofSeconds(1));
        assertThat(publish("orders.a", "x", id1)).isEqualTo(new PubAck("ORDERS", 2, false));
        assertThat(publish("orders.a", "x", id1)).isEqualTo(new PubAck("ORDERS", 2, true));
    }

    @Test
    void shouldNotDeduplicateWhenWindowIsZero()
    {
        add(orders().duplicateWindow(Duration.ZERO));
        final PublishOptions id1 = PublishOptions.builder().messageId("id-1").build();
        assertThat(publish("orders.a", "x", id1).seq()).isEqualTo(1);
        assertThat(publish("orders.a", "x", id1).seq()).isEqualTo(2);
    }

    @Test
    void shouldCheckEveryExpectation()
    {
        add(orders());
        assertThatThrownBy(() -> publish("orders.a", "x", PublishOptions.builder().expectedStream("OTHER").build()))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("expected stream does not match: expected \"OTHER\", the subject is stored by \"ORDERS\"")
            .extracting(e -> ((JetStreamApiException)e).errorCode()).isEqualTo(10060);
        assertThat(publish("orders.a", "x", PublishOptions.builder().expectedStream("ORDERS")
            .expectedLastSequence(0).expectedLastSubjectSequence(0).messageId("m1").build()).seq()).isEqualTo(1);
        publish("orders.b", "y", PublishOptions.builder().messageId("m2").build());

        assertThatThrownBy(() -> publish("orders.a", "x", PublishOptions.builder().expectedLastSequence(1).build()))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("wrong last sequence: 2 in stream \"ORDERS\", expected 1")
            .extracting(e -> ((JetStreamApiException)e).errorCode()).isEqualTo(10071);
        assertThatThrownBy(() -> publish("orders.a", "x",
            PublishOptions.builder().expectedLastSubjectSequence(2).build()))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("wrong last sequence: 1 for subject \"orders.a\" in stream \"ORDERS\", expected 2")
            .extracting(e -> ((JetStreamApiException)e).errorCode()).isEqualTo(10071);
        assertThatThrownBy(() -> publish("orders.a", "x", PublishOptions.builder().expectedLastMessageId("m1").build()))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("wrong last msg ID: \"m2\" in stream \"ORDERS\", expected \"m1\"")
            .extracting(e -> ((JetStreamApiException)e).errorCode()).isEqualTo(10070);
        assertThatThrownBy(() -> js.publish("orders.a",
            new Headers().add(PublishOptions.EXPECTED_LAST_SEQUENCE_HEADER, "7"), bytes("x")))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("wrong last sequence: 2 in stream \"ORDERS\", expected 7");
        assertThatThrownBy(() -> js.publish("orders.a",
            new Headers().add(PublishOptions.EXPECTED_STREAM_HEADER, "X"), bytes("x")))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("expected stream does not match: expected \"X\", the subject is stored by \"ORDERS\"");

        assertThat(publish("orders.a", "x", PublishOptions.builder().expectedLastSequence(2)
            .expectedLastSubjectSequence(1).expectedLastMessageId("m2").build()).seq()).isEqualTo(3);
        assertThatThrownBy(() -> publish("orders.a", "x", PublishOptions.builder().expectedLastMessageId("m2").build()))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("wrong last msg ID: none in stream \"ORDERS\", expected \"m2\"");
        assertThat(jsm.streamInfo("ORDERS").state().lastSeq()).isEqualTo(3);
    }

    // =============================================================================================== limits

    @Test
    void shouldDiscardOldestOverMaxMsgs()
    {
        add(orders().maxMsgs(3));
        for (int i = 0; i < 5; i++)
        {
            publish("orders.a", "m" + i);
        }
        assertThat(seqs("ORDERS")).containsExactly(3L, 4L, 5L);
        assertThat(jsm.streamInfo("ORDERS").state().firstSeq()).isEqualTo(3);
    }

    @Test
    void shouldRefuseNewOverMaxMsgsWithDiscardNew()
    {
        add(orders().maxMsgs(2).discard(DiscardPolicy.NEW));
        publish("orders.a", "1");
        publish("orders.a", "2");
        assertThatThrownBy(() -> publish("orders.a", "3"))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("maximum messages exceeded: stream \"ORDERS\" holds its limit of 2 messages and discards " +
                "new ones")
            .extracting(e -> ((JetStreamApiException)e).errorCode()).isEqualTo(10077);
        jsm.deleteMessage("ORDERS", 1);
        assertThat(publish("orders.a", "3").seq()).isEqualTo(3);
    }

    @Test
    void shouldEnforceMaxBytesWithBothPolicies()
    {
        final long size = RecordCodec.storedSize(8, 0, 10);
        add(orders().maxBytes(3 * size));
        for (int i = 0; i < 5; i++)
        {
            publish("orders.a", "0123456789");
        }
        assertThat(seqs("ORDERS")).containsExactly(3L, 4L, 5L);
        assertThat(jsm.streamInfo("ORDERS").state().bytes()).isEqualTo(3 * size);
        assertThatThrownBy(() -> publish("orders.a", "x".repeat((int)(3 * size))))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("maximum bytes exceeded: stream \"ORDERS\" would exceed its limit of " + 3 * size +
                " bytes and discards new messages");

        jsm.updateStream(orders().maxBytes(3 * size).discard(DiscardPolicy.NEW).build());
        assertThatThrownBy(() -> publish("orders.a", "0123456789"))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("maximum bytes exceeded: stream \"ORDERS\" would exceed its limit of " + 3 * size +
                " bytes and discards new messages");
        assertThat(seqs("ORDERS")).containsExactly(3L, 4L, 5L);
    }

    @Test
    void shouldRefuseMessagesOverMaxMsgSize()
    {
        add(orders().maxMsgSize(4));
        assertThat(publish("orders.a", "1234").seq()).isEqualTo(1);
        assertThatThrownBy(() -> publish("orders.a", "12345"))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("message size exceeds maximum allowed: 5 bytes, stream \"ORDERS\" allows 4")
            .extracting(e -> ((JetStreamApiException)e).errorCode()).isEqualTo(10054);
        assertThat(jsm.streamInfo("ORDERS").state().lastSeq()).isEqualTo(1);
    }

    @Test
    void shouldKeepNewestPerSubjectWithDiscardOld()
    {
        add(orders().maxMsgsPerSubject(2));
        publish("orders.a", "a1");
        publish("orders.b", "b1");
        publish("orders.a", "a2");
        publish("orders.a", "a3");
        publish("orders.b", "b2");
        publish("orders.b", "b3");
        assertThat(seqs("ORDERS")).containsExactly(3L, 4L, 5L, 6L);
        assertThat(text(jsm.lastMessage("ORDERS", "orders.a").data())).isEqualTo("a3");
    }

    @Test
    void shouldRefusePerSubjectOverLimitWithDiscardNew()
    {
        add(orders().maxMsgsPerSubject(1).discard(DiscardPolicy.NEW));
        publish("orders.a", "a1");
        publish("orders.b", "b1");
        assertThatThrownBy(() -> publish("orders.a", "a2"))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("maximum messages per subject exceeded: stream \"ORDERS\" holds its limit of 1 messages on " +
                "\"orders.a\" and discards new ones")
            .extracting(e -> ((JetStreamApiException)e).errorCode()).isEqualTo(10077);
    }

    @Test
    void shouldExpireMessagesAtMaxAgeOnTheClock()
    {
        add(orders().maxAge(Duration.ofSeconds(10)));
        final List<Long> changes = new CopyOnWriteArrayList<>();
        stream("ORDERS").onChange(changes::add);
        publish("orders.a", "1");
        clock.advance(Duration.ofSeconds(4));
        publish("orders.a", "2");
        clock.advance(Duration.ofSeconds(4));
        publish("orders.a", "3");
        assertThat(seqs("ORDERS")).containsExactly(1L, 2L, 3L);

        clock.advance(Duration.ofSeconds(2));
        assertThat(seqs("ORDERS")).containsExactly(2L, 3L);
        clock.advance(Duration.ofMillis(3_999));
        assertThat(seqs("ORDERS")).containsExactly(2L, 3L);
        clock.advance(Duration.ofMillis(1));
        assertThat(seqs("ORDERS")).containsExactly(3L);
        clock.advance(Duration.ofSeconds(4));
        assertThat(seqs("ORDERS")).isEmpty();
        assertThat(jsm.streamInfo("ORDERS").state().firstSeq()).isEqualTo(4);
        assertThat(changes).containsExactly(1L, 2L, 3L, 3L, 3L, 3L);
        assertThat(bus.timers().size()).isZero();

        publish("orders.a", "4");
        assertThat(bus.timers().size()).isEqualTo(1);
        jsm.updateStream(orders().maxAge(Duration.ofSeconds(1)).build());
        clock.advance(Duration.ofSeconds(1));
        assertThat(seqs("ORDERS")).isEmpty();
    }

    // =============================================================================================== retention

    @Test
    void shouldNotRetainInterestMessagesWithoutConsumers()
    {
        add(orders().retention(RetentionPolicy.INTEREST));
        assertThat(publish("orders.a", "1").seq()).isEqualTo(1);
        assertThat(publish("orders.a", "2").seq()).isEqualTo(2);
        final StreamState state = jsm.streamInfo("ORDERS").state();
        assertThat(state.msgs()).isZero();
        assertThat(state.lastSeq()).isEqualTo(2);
    }

    @Test
    void shouldRemoveWhatOnlyADeletedConsumerStillNeededWhenRetentionIsInterest() throws Exception
    {
        add(orders().retention(RetentionPolicy.INTEREST));
        jsm.addOrUpdateConsumer("ORDERS", ConsumerConfig.builder().durableName("ALL").build());
        jsm.addOrUpdateConsumer("ORDERS", ConsumerConfig.builder().durableName("B").filterSubject("orders.b").build());
        publish("orders.a", "1");
        publish("orders.b", "2");
        publish("orders.a", "3");
        publish("orders.b", "4");
        try (PullSubscription b = js.bind("ORDERS", "B"))
        {
            b.fetch(2, Duration.ZERO).forEach(Message::ack);
        }
        assertThat(seqs("ORDERS")).as("ALL still needs every message").containsExactly(1L, 2L, 3L, 4L);

        jsm.deleteConsumer("ORDERS", "ALL");
        assertThat(seqs("ORDERS")).as("no consumer left needs any").isEmpty();
        publish("orders.b", "5");
        jsm.addOrUpdateConsumer("ORDERS", ConsumerConfig.builder().durableName("ALL").build());
        publish("orders.a", "6");
        jsm.deleteConsumer("ORDERS", "B");
        assertThat(seqs("ORDERS")).as("ALL still needs 5 and 6").containsExactly(5L, 6L);
    }

    @Test
    void shouldCountPendingMessagesExactlyAcrossInteriorDeletions() throws Exception
    {
        add(orders());
        for (int i = 1; i <= 6; i++)
        {
            publish("orders.a", Integer.toString(i));
        }
        jsm.deleteMessage("ORDERS", 3);
        jsm.deleteMessage("ORDERS", 5);
        jsm.addOrUpdateConsumer("ORDERS", ConsumerConfig.builder().durableName("C").build());
        assertThat(jsm.consumerInfo("ORDERS", "C").numPending()).isEqualTo(4);
        try (PullSubscription sub = js.bind("ORDERS", "C"))
        {
            final Message first = sub.fetch(1, Duration.ZERO).get(0);
            assertThat(first.metaData().pending()).as("2, 4 and 6 left").isEqualTo(3);
        }
        assertThat(jsm.consumerInfo("ORDERS", "C").numPending()).isEqualTo(3);
    }

    @Test
    void shouldRemoveWorkQueueMessageWhenAcknowledged()
    {
        add(orders().retention(RetentionPolicy.WORK_QUEUE));
        publish("orders.a", "1");
        publish("orders.a", "2");
        final List<Long> changes = new CopyOnWriteArrayList<>();
        stream("ORDERS").onChange(changes::add);
        stream("ORDERS").acknowledged("worker", 1);
        assertThat(seqs("ORDERS")).containsExactly(2L);
        assertThat(changes).containsExactly(2L);
        stream("ORDERS").acknowledged("worker", 1);
        assertThat(changes).containsExactly(2L);
    }

    @Test
    void shouldKeepLimitsMessagesWhenAcknowledged()
    {
        add(orders());
        publish("orders.a", "1");
        stream("ORDERS").acknowledged("c", 1);
        assertThat(seqs("ORDERS")).containsExactly(1L);
    }

    // =============================================================================================== purge, get

    @Test
    void shouldPurgeEverythingAndContinueSequences()
    {
        add(orders());
        publish("orders.a", "1");
        publish("orders.b", "2");
        final List<Long> changes = new CopyOnWriteArrayList<>();
        final AutoCloseable registration = stream("ORDERS").onChange(changes::add);
        assertThat(jsm.purgeStream("ORDERS")).isEqualTo(2);
        assertThat(changes).containsExactly(2L);
        final StreamState state = jsm.streamInfo("ORDERS").state();
        assertThat(state.msgs()).isZero();
        assertThat(state.firstSeq()).isEqualTo(3);
        assertThat(state.lastSeq()).isEqualTo(2);
        assertThat(state.lastTime()).isNotNull();
        assertThat(publish("orders.a", "3").seq()).isEqualTo(3);
        assertThat(changes).containsExactly(2L, 3L);
        try
        {
            registration.close();
        }
        catch (final Exception e)
        {
            throw new AssertionError(e);
        }
        publish("orders.a", "4");
        assertThat(changes).containsExactly(2L, 3L);
    }

    @Test
    void shouldPurgeBySubjectKeepAndSequence()
    {
        add(orders());
        for (int i = 1; i <= 10; i++)
        {
            publish(i % 2 == 0 ? "orders.even" : "orders.odd", Integer.toString(i));
        }
        assertThat(jsm.purgeStream("ORDERS", PurgeOptions.builder().subject("orders.even").keep(2).build()))
            .isEqualTo(3);
        assertThat(seqs("ORDERS")).containsExactly(1L, 3L, 5L, 7L, 8L, 9L, 10L);
        assertThat(jsm.purgeStream("ORDERS", PurgeOptions.builder().upToSeq(5).build())).isEqualTo(2);
        assertThat(seqs("ORDERS")).containsExactly(5L, 7L, 8L, 9L, 10L);
        assertThat(jsm.purgeStream("ORDERS", PurgeOptions.builder().keep(3).build())).isEqualTo(2);
        assertThat(seqs("ORDERS")).containsExactly(8L, 9L, 10L);
        assertThat(jsm.purgeStream("ORDERS", PurgeOptions.builder().subject("orders.*").upToSeq(10).build()))
            .isEqualTo(2);
        assertThat(seqs("ORDERS")).containsExactly(10L);
        assertThat(jsm.streamInfo("ORDERS").state().numSubjects()).isEqualTo(1);
    }

    @Test
    void shouldDeleteGetAndReadLastMessages()
    {
        add(orders());
        publish("orders.a", "a1");
        publish("orders.b", "b1");
        publish("orders.a", "a2");
        publish("orders.c", "c1");

        assertThat(jsm.deleteMessage("ORDERS", 3)).isTrue();
        assertThat(jsm.deleteMessage("ORDERS", 3)).isFalse();
        assertThat(jsm.deleteMessage("ORDERS", 99)).isFalse();
        assertThatThrownBy(() -> jsm.deleteMessage("ORDERS", 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid seq 0: must be positive");
        assertThatThrownBy(() -> jsm.message("ORDERS", 3))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("no message found: sequence 3 in stream \"ORDERS\"")
            .extracting(e -> ((JetStreamApiException)e).errorCode()).isEqualTo(10037);
        final StreamState state = jsm.streamInfo("ORDERS").state();
        assertThat(state.numDeleted()).isEqualTo(1);
        assertThat(state.msgs()).isEqualTo(3);

        assertThat(jsm.lastMessage("ORDERS", "orders.a").seq()).isEqualTo(1);
        assertThat(jsm.lastMessage("ORDERS", "orders.*").seq()).isEqualTo(4);
        assertThat(jsm.lastMessage("ORDERS", ">").seq()).isEqualTo(4);
        assertThat(jsm.message("ORDERS", 2)).isEqualTo(new MessageInfo("ORDERS", "orders.b", 2, null, bytes("b1"),
            Stream.instant(clock.epochNanos())));
        assertThatThrownBy(() -> jsm.lastMessage("ORDERS", "orders.z"))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("no message found: no message on \"orders.z\" in stream \"ORDERS\"");
        assertThatThrownBy(() -> jsm.lastMessage("ORDERS", "orders..z"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseCallsOnClosedConnection()
    {
        add(orders());
        nc.close();
        assertThatThrownBy(() -> jsm.streamNames()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("is closed");
        assertThatThrownBy(() -> publish("orders.a", "x")).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("is closed");
    }

    @Test
    void shouldReportConsumerCountAndDelegateToConsumers()
    {
        add(orders());
        assertThat(jsm.consumerNames("ORDERS")).isEmpty();
        assertThat(jsm.consumers("ORDERS")).isEmpty();
        assertThat(jsm.streamInfo("ORDERS").state().consumerCount()).isZero();
        assertThat(stream("ORDERS").consumersDir() == null).isEqualTo(storage() == StorageType.MEMORY);
        assertThatThrownBy(() -> jsm.consumerNames("NOPE")).isInstanceOf(JetStreamApiException.class)
            .hasMessage("stream not found: \"NOPE\"");
    }

    @Test
    void shouldTimestampWithTheBusClock()
    {
        add(orders());
        clock.advance(Duration.ofDays(1));
        publish("orders.a", "x");
        assertThat(jsm.message("ORDERS", 1).time()).isEqualTo(Instant.ofEpochSecond(1 + 86_400));
    }
}
