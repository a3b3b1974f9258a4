package io.jetbus.jetstream;

import io.jetbus.api.jetstream.CorruptRecordException;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A file stream saves its duplicate window beside it, so reopening does not read the stream to rebuild it: after a
 * close nothing but the newest message is read, after a crash only the messages stored since the last save.
 */
@Timeout(60)
class StreamDuplicateWindowTest
{
    private static final byte[] DATA = {7};

    @TempDir
    Path tmp;

    private final AtomicLong clock = new AtomicLong(TestFiles.START_MS);
    private final ManualTimeSource time = new ManualTimeSource();
    private final EmbeddedBus bus = EmbeddedBus.builder().timeSource(time).build();
    private final List<Stream> streams = new ArrayList<>();
    private FileStreamStore fileStore;
    private ForwardingStore store;

    @AfterEach
    void close()
    {
        streams.forEach(Stream::close);
        bus.close();
    }

    private Path dir()
    {
        return tmp.resolve("S");
    }

    private Stream open(final Duration window)
    {
        fileStore = FileStreamStore.open(TestFiles.config("S", dir().resolve("store"), clock).build());
        store = new ForwardingStore(fileStore);
        final Stream stream = new Stream(bus, StreamConfig.builder().name("S").subjects("s.>")
            .storage(StorageType.FILE).duplicateWindow(window).build(), 0, store, dir());
        streams.add(stream);
        return stream;
    }

    private static PubAck publish(final Stream stream, final String id)
    {
        // as the engine stores it: the message ID travels in the Nats-Msg-Id header
        return stream.publish("s.a", JetStreamEngine.withMessageId(null, id), DATA, PublishOptions.none());
    }

    private static PubAck publishExpectingLastId(final Stream stream, final String id, final String expectedLastId)
    {
        return stream.publish("s.a", JetStreamEngine.withMessageId(null, id), DATA,
            PublishOptions.builder().expectedLastMessageId(expectedLastId).build());
    }

    @Test
    void shouldRestoreTheWindowWithoutReadingTheStreamAfterAClose()
    {
        Stream stream = open(Duration.ofMinutes(2));
        for (int i = 1; i <= 40; i++)
        {
            if (i % 2 == 0)
            {
                publish(stream, "id-" + i);
            }
            else
            {
                stream.publish("s.a", null, DATA, PublishOptions.none());
            }
        }
        stream.close();
        streams.clear();

        stream = open(Duration.ofMinutes(2));
        assertThat(store.reads.get()).as("only the newest message, for the last message ID").isEqualTo(1);
        final PubAck again = publish(stream, "id-4");
        assertThat(again.duplicate()).isTrue();
        assertThat(again.seq()).isEqualTo(4);
        assertThat(publish(stream, "id-40").seq()).isEqualTo(40);
        assertThat(publishExpectingLastId(stream, "id-41", "id-40").seq()).isEqualTo(41);
    }

    @Test
    void shouldReadOnlyTheMessagesStoredSinceTheLastSaveAfterACrash()
    {
        final Stream crashed = open(Duration.ofMinutes(2));
        crashed.saveDuplicatesEvery(10); // with few IDs in the window: after 10 and 20 publishes
        for (int i = 1; i <= 25; i++)
        {
            final PubAck ack = i % 4 == 1 ? publish(crashed, "id-" + i) :
                crashed.publish("s.a", null, DATA, PublishOptions.none());
            assertThat(ack.seq()).isEqualTo(i);
        }
        streams.clear();
        fileStore.releaseForCrashTest(); // no save at a close

        final Stream stream = open(Duration.ofMinutes(2));
        // the newest message, the first one after the save (still within the window), then 21..25
        assertThat(store.reads.get()).isEqualTo(1 + 1 + 5);
        for (final int i : new int[] {1, 13, 17, 21, 25})
        {
            final PubAck ack = publish(stream, "id-" + i);
            assertThat(ack.duplicate()).as("id-%d", i).isTrue();
            assertThat(ack.seq()).isEqualTo(i);
        }
        assertThat(publish(stream, "id-26").seq()).isEqualTo(26);
    }

    @Test
    void shouldRebuildTheWindowFromTheMessagesWhenItsFileIsDamaged() throws Exception
    {
        Stream stream = open(Duration.ofMinutes(2));
        for (int i = 1; i <= 5; i++)
        {
            publish(stream, "id-" + i);
        }
        stream.close();
        streams.clear();
        final Path file = DuplicateWindowFile.file(dir());
        final byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(file, bytes);

        stream = open(Duration.ofMinutes(2));
        assertThat(publish(stream, "id-3").duplicate()).isTrue();
        assertThat(publish(stream, "id-6").seq()).isEqualTo(6);
        assertThat(DuplicateWindowFile.read(dir(), "S").entries())
            .as("saved again after the rebuild")
            .extracting(DuplicateWindowFile.Entry::id)
            .containsExactly("id-1", "id-2", "id-3", "id-4", "id-5");
    }

    @Test
    void shouldForgetSavedIdsOlderThanTheWindow()
    {
        Stream stream = open(Duration.ofMinutes(1));
        publish(stream, "old");
        stream.close();
        streams.clear();
        time.advance(Duration.ofMinutes(2));

        stream = open(Duration.ofMinutes(1));
        final PubAck ack = publish(stream, "old");
        assertThat(ack.duplicate()).isFalse();
        assertThat(ack.seq()).isEqualTo(2);
    }

    @Test
    void shouldRoundTripTheFileAndRefuseAnotherStreams() throws Exception
    {
        final DuplicateWindow window = new DuplicateWindow(Duration.ofMinutes(2).toNanos());
        window.add("a", 3, 100, 200);
        window.add("b\u00e9", 7, 150, 200);
        Files.createDirectories(dir());
        DuplicateWindowFile.write(dir(), DuplicateWindowFile.encode("S", 9, window, 200));

        final DuplicateWindowFile.Saved saved = DuplicateWindowFile.read(dir(), "S");
        assertThat(saved.coveredSeq()).isEqualTo(9);
        assertThat(saved.entries()).containsExactly(new DuplicateWindowFile.Entry("a", 3, 100),
            new DuplicateWindowFile.Entry("b\u00e9", 7, 150));
        assertThatThrownBy(() -> DuplicateWindowFile.read(dir(), "T"))
            .isInstanceOf(CorruptRecordException.class)
            .hasMessageContaining("duplicate window belongs to stream S");
        assertThat(DuplicateWindowFile.read(tmp.resolve("none"), "S")).isNull();
    }
}
