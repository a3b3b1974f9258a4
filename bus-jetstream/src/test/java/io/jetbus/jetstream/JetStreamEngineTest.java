package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.ErrorListener;
import io.jetbus.api.Headers;
import io.jetbus.api.jetstream.CorruptRecordException;
import io.jetbus.api.jetstream.FlushPolicy;
import io.jetbus.api.jetstream.JetStreamAdvisory;
import io.jetbus.api.jetstream.JetStreamApiException;
import io.jetbus.api.jetstream.JetStreamManagement;
import io.jetbus.api.jetstream.PubAck;
import io.jetbus.api.jetstream.PublishOptions;
import io.jetbus.api.jetstream.StorageType;
import io.jetbus.api.jetstream.StreamConfig;
import io.jetbus.api.jetstream.StreamInfo;
import io.jetbus.core.EmbeddedBus;
import io.jetbus.core.ManualTimeSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine's life cycle: storage directory lock, reopening FILE streams, streams that cannot be opened, a bus
 * without storage.
 */
@Timeout(60)
class JetStreamEngineTest
{
    @TempDir
    Path tmp;

    private final ManualTimeSource clock = new ManualTimeSource();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final List<JetStreamAdvisory> advisories = new CopyOnWriteArrayList<>();
    private final List<EmbeddedBus> buses = new ArrayList<>();

    @AfterEach
    void closeBuses()
    {
        buses.forEach(EmbeddedBus::close);
    }

    private EmbeddedBus bus(final Path dir)
    {
        final EmbeddedBus.Builder builder = EmbeddedBus.builder().timeSource(clock).errorListener(new ErrorListener()
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
        });
        if (dir != null)
        {
            builder.storageDir(dir);
        }
        final EmbeddedBus bus = builder.build();
        buses.add(bus);
        return bus;
    }

    private static StreamConfig.Builder orders()
    {
        return StreamConfig.builder().name("ORDERS").subjects("orders.>").storage(StorageType.FILE);
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldRefuseFileStreamOnBusWithoutStorageDir()
    {
        final JetStreamManagement jsm = bus(null).connect().jetStreamManagement();
        assertThatThrownBy(() -> jsm.addStream(orders().build()))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("invalid stream configuration for \"ORDERS\": storage=FILE needs a bus with a storage " +
                "directory: build it with EmbeddedBus.builder().storageDir(...), or use storage=MEMORY")
            .extracting(e -> ((JetStreamApiException)e).errorCode()).isEqualTo(10052);
        assertThat(jsm.streamNames()).isEmpty();
        jsm.addStream(orders().storage(StorageType.MEMORY).build());
        assertThat(jsm.streamNames()).containsExactly("ORDERS");
    }

    @Test
    void shouldRefuseSecondBusOnTheSameStorageDir() throws Exception
    {
        final EmbeddedBus first = bus(tmp);
        first.connect().jetStreamManagement().addStream(orders().build());
        assertThatThrownBy(() -> bus(tmp))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("storage dir " + tmp.toRealPath() + " is in use by pid " + ProcessHandle.current().pid() +
                " (started " + ProcessHandle.current().info().startInstant().orElseThrow() + ")");

        first.close();
        assertThat(bus(tmp).connect().jetStreamManagement().streamNames()).containsExactly("ORDERS");
    }

    @Test
    void shouldReopenFileStreamsWithConfigMessagesStateAndDuplicateWindow()
    {
        final EmbeddedBus bus = bus(tmp);
        final Connection nc = bus.connect();
        final JetStreamManagement jsm = nc.jetStreamManagement();
        jsm.addStream(orders().description("kept").maxMsgs(100).duplicateWindow(Duration.ofMinutes(1)).build());
        jsm.addStream(StreamConfig.builder().name("VOLATILE").storage(StorageType.MEMORY).build());
        nc.jetStream().publish("VOLATILE", bytes("gone"));
        for (int i = 1; i <= 4; i++)
        {
            nc.jetStream().publish("orders.new", null, bytes("m" + i),
                PublishOptions.builder().messageId("id-" + i).build());
            clock.advance(Duration.ofSeconds(10));
        }
        jsm.deleteMessage("ORDERS", 2);
        final StreamInfo before = jsm.streamInfo("ORDERS");
        bus.close();

        final Connection again = bus(tmp).connect();
        final JetStreamManagement jsm2 = again.jetStreamManagement();
        assertThat(jsm2.streamNames()).containsExactly("ORDERS");
        assertThat(jsm2.streamInfo("ORDERS")).isEqualTo(before);
        assertThat(new String(jsm2.message("ORDERS", 3).data(), StandardCharsets.UTF_8)).isEqualTo("m3");
        assertThat(jsm2.message("ORDERS", 3).headers().first(PublishOptions.MSG_ID_HEADER)).isEqualTo("id-3");

        // de-dup survives: id-4 (10 s old) and id-3 (20 s old) are within the window, id-1 (40 s) is not after +20 s
        assertThat(again.jetStream().publish("orders.new", null, bytes("again"),
            PublishOptions.builder().messageId("id-3").build())).isEqualTo(new PubAck("ORDERS", 3, true));
        assertThat(again.jetStream().publish("orders.new", null, bytes("x"),
            PublishOptions.builder().expectedLastMessageId("id-4").expectedLastSequence(4).build()).seq())
            .isEqualTo(5);
        clock.advance(Duration.ofSeconds(20));
        assertThat(again.jetStream().publish("orders.new", null, bytes("again"),
            PublishOptions.builder().messageId("id-1").build())).isEqualTo(new PubAck("ORDERS", 6, false));
        assertThat(advisories).isEmpty();
        assertThat(errors).isEmpty();
    }

    @Test
    void shouldExpireReopenedMessagesOnTheClock()
    {
        final EmbeddedBus bus = bus(tmp);
        final Connection nc = bus.connect();
        nc.jetStreamManagement().addStream(orders().maxAge(Duration.ofSeconds(30)).build());
        nc.jetStream().publish("orders.a", bytes("old"));
        bus.close();

        final JetStreamManagement jsm = bus(tmp).connect().jetStreamManagement();
        clock.advance(Duration.ofSeconds(29));
        assertThat(jsm.streamInfo("ORDERS").state().msgs()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(jsm.streamInfo("ORDERS").state().msgs()).isZero();
    }

    @Test
    void shouldDeleteTheStreamsFiles()
    {
        final JetStreamManagement jsm = bus(tmp).connect().jetStreamManagement();
        jsm.addStream(orders().build());
        final Path dir = tmp.resolve(StorageDirectory.STREAMS).resolve("ORDERS");
        assertThat(dir.resolve(StreamConfigFile.FILE_NAME)).exists();
        assertThat(dir.resolve(JetStreamEngine.STORE_DIR)).isDirectory();
        assertThat(dir.resolve("consumers")).isDirectory();
        assertThat(jsm.deleteStream("ORDERS")).isTrue();
        assertThat(dir).doesNotExist();
    }

    @Test
    void shouldKeepAsideAStreamWhoseFilesAreDamaged() throws Exception
    {
        final EmbeddedBus bus = bus(tmp);
        bus.connect().jetStreamManagement().addStream(orders().build());
        bus.close();
        final Path config = tmp.resolve(StorageDirectory.STREAMS).resolve("ORDERS").resolve(StreamConfigFile.FILE_NAME);
        final byte[] content = Files.readAllBytes(config);
        content[content.length / 2] ^= 0x10;
        Files.write(config, content);

        final Connection nc = bus(tmp).connect();
        final JetStreamManagement jsm = nc.jetStreamManagement();
        assertThat(jsm.streamNames()).isEmpty();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).isInstanceOf(CorruptRecordException.class)
            .hasMessageStartingWith("corrupt data in stream ORDERS, file " + config.toRealPath());
        assertThat(advisories).extracting(JetStreamAdvisory::type).containsExactly(JetStreamAdvisory.Type.CORRUPT_DATA);
        assertThatThrownBy(() -> jsm.streamInfo("ORDERS"))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("stream \"ORDERS\" could not be opened from its files: " + errors.get(0).getMessage() +
                " (to repair it, start the bus with -Djetbus.jetstream.recoveryMode=TRUNCATE_TAIL or SKIP; or " +
                "delete the stream to start again)")
            .extracting(e -> ((JetStreamApiException)e).errorCode()).isEqualTo(10077);
        assertThatThrownBy(() -> jsm.addStream(orders().build()))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessageStartingWith("stream \"ORDERS\" could not be opened from its files");

        assertThat(jsm.deleteStream("ORDERS")).isTrue();
        jsm.addStream(orders().build());
        assertThat(nc.jetStream().publish("orders.a", bytes("x")).seq()).isEqualTo(1);
    }

    @Test
    void shouldFailClosedOnDamageAndRepairWithTheRecoveryModeProperty() throws Exception
    {
        final EmbeddedBus bus = bus(tmp);
        final Connection nc = bus.connect();
        nc.jetStreamManagement().addStream(orders().build());
        for (int i = 1; i <= 20; i++)
        {
            nc.jetStream().publish("orders.a", bytes("message " + i));
        }
        final FileStreamStore store = (FileStreamStore)((ConnectionManagement)nc.jetStreamManagement()).engine()
            .stream("ORDERS").store();
        final long[] location = store.recordLocation(15);
        bus.close();
        final List<Path> cycles = TestFiles.cycleFiles(tmp.resolve(StorageDirectory.STREAMS).resolve("ORDERS")
            .resolve(JetStreamEngine.STORE_DIR));
        final Path active = cycles.get(cycles.size() - 1);
        FileStreamStoreRecoveryTest.truncate(active, location[0] + location[1] / 2);

        final EmbeddedBus failing = bus(tmp);
        assertThatThrownBy(() -> failing.connect().jetStreamManagement().streamInfo("ORDERS"))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessageStartingWith("stream \"ORDERS\" could not be opened from its files: corrupt data in stream " +
                "ORDERS, file " + active.toRealPath() + ", position " + location[0] + ", seqs 15..");
        assertThat(errors).singleElement().isInstanceOf(CorruptRecordException.class);
        failing.close();

        System.setProperty(JetStreamEngine.RECOVERY_MODE_PROPERTY, "TRUNCATE_TAIL");
        try
        {
            final Connection repaired = bus(tmp).connect();
            assertThat(repaired.jetStreamManagement().streamInfo("ORDERS").state().lastSeq()).isEqualTo(14);
            assertThat(advisories).extracting(JetStreamAdvisory::type)
                .containsExactly(JetStreamAdvisory.Type.CORRUPT_DATA, JetStreamAdvisory.Type.LOST_DATA);
            assertThat(advisories.get(1).detail()).startsWith("recovery lost 6 messages, sequences ");
            assertThat(repaired.jetStream().publish("orders.a", bytes("new")).seq()).isEqualTo(15);
        }
        finally
        {
            System.clearProperty(JetStreamEngine.RECOVERY_MODE_PROPERTY);
        }
    }

    @Test
    void shouldRemoveAnUnfinishedCreation() throws Exception
    {
        final Path half = Files.createDirectories(tmp.resolve(StorageDirectory.STREAMS).resolve("HALF"));
        assertThat(bus(tmp).connect().jetStreamManagement().streamNames()).isEmpty();
        assertThat(half).doesNotExist();
        assertThat(errors).isEmpty();
    }

    @Test
    void shouldRefuseFlushPolicyChange()
    {
        final JetStreamManagement jsm = bus(tmp).connect().jetStreamManagement();
        jsm.addStream(orders().build());
        assertThatThrownBy(() -> jsm.updateStream(orders().flushPolicy(FlushPolicy.everyPublish()).build()))
            .isInstanceOf(JetStreamApiException.class)
            .hasMessage("invalid stream configuration for \"ORDERS\": flushPolicy can not change on an existing " +
                "stream: NONE -> EVERY_PUBLISH");
    }

    @Test
    void shouldStoreWithEveryPublishFlushPolicy()
    {
        final Connection nc = bus(tmp).connect();
        nc.jetStreamManagement().addStream(orders().flushPolicy(FlushPolicy.everyPublish()).build());
        final Headers headers = new Headers().add("a", "1", "2");
        assertThat(nc.jetStream().publish("orders.a", headers, bytes("x")).seq()).isEqualTo(1);
        assertThat(nc.jetStreamManagement().message("ORDERS", 1).headers().get("a")).containsExactly("1", "2");
    }

    @Test
    void shouldParseTheRecoveryMode()
    {
        assertThat(JetStreamEngine.recoveryMode(null)).isEqualTo(RecoveryMode.FAIL);
        assertThat(JetStreamEngine.recoveryMode(" truncate_tail ")).isEqualTo(RecoveryMode.TRUNCATE_TAIL);
        assertThatThrownBy(() -> JetStreamEngine.recoveryMode("fix"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid jetbus.jetstream.recoveryMode \"fix\": must be FAIL, TRUNCATE_TAIL or SKIP");
    }

    @Test
    void shouldRefuseEngineCallsOnTheProviderInstance()
    {
        final JetStreamEngine provider = new JetStreamEngine();
        assertThatThrownBy(() -> provider.management(bus(null).connect()))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("the JetStream provider is not an engine: call start(bus)");
        provider.close();
    }
}
