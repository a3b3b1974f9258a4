package io.jetbus.jetstream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordLogTest
{
    @TempDir
    Path tmp;

    final List<String> replayed = new ArrayList<>();

    RecordLog open(final Path file) throws Exception
    {
        replayed.clear();
        return RecordLog.open(file, "C",
            (offset, payload) -> replayed.add(new String(payload, StandardCharsets.UTF_8)));
    }

    static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldReplayAppendedRecordsInOrder() throws Exception
    {
        final Path file = tmp.resolve("acks.log");
        try (RecordLog log = open(file))
        {
            assertThat(replayed).isEmpty();
            assertThat(log.append(bytes("ack 1"))).isEqualTo(RecordLog.FILE_HEADER_LENGTH);
            log.append(bytes("ack 2"));
            assertThatThrownBy(() -> log.append(new byte[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("log record of 0 bytes: must be from 1 to " + RecordLog.MAX_RECORD + " bytes");
            log.sync();
        }
        try (RecordLog log = open(file))
        {
            assertThat(replayed).containsExactly("ack 1", "ack 2");
            assertThat(log.damage()).isNull();
            log.append(bytes("ack 3"));
        }
        open(file).close();
        assertThat(replayed).containsExactly("ack 1", "ack 2", "ack 3");
    }

    @Test
    void shouldDropTornLastRecordSilently() throws Exception
    {
        final Path file = tmp.resolve("acks.log");
        try (RecordLog log = open(file))
        {
            log.append(bytes("ack 1"));
            log.append(bytes("ack 2 is long enough"));
        }
        final long size = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            ch.truncate(size - 5); // a crash in the middle of the last write
        }
        try (RecordLog log = open(file))
        {
            assertThat(replayed).containsExactly("ack 1");
            assertThat(log.damage()).isNull();
            log.append(bytes("ack 3"));
        }
        open(file).close();
        assertThat(replayed).containsExactly("ack 1", "ack 3");
    }

    @Test
    void shouldReportDamageBeforeTheEndAndKeepEvidence() throws Exception
    {
        final Path file = tmp.resolve("acks.log");
        try (RecordLog log = open(file))
        {
            log.append(bytes("ack 1"));
            log.append(bytes("ack 2"));
            log.append(bytes("ack 3"));
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            ch.write(ByteBuffer.wrap(new byte[] {'X'}), RecordLog.FILE_HEADER_LENGTH + 13 + 8 + 2); // inside ack 2
        }
        try (RecordLog log = open(file))
        {
            assertThat(replayed).containsExactly("ack 1");
            assertThat(log.damage()).isEqualTo("log damaged at offset 33 of 59 bytes; records from there on were " +
                "dropped and the damaged log was set aside");
            log.append(bytes("ack 4"));
        }
        assertThat(Files.list(tmp).map(p -> p.getFileName().toString()))
            .anyMatch(n -> n.startsWith("acks.log.damaged-"));
        try (RecordLog log = open(file))
        {
            assertThat(replayed).containsExactly("ack 1", "ack 4");
            assertThat(log.damage()).isNull();
        }
    }

    @Test
    void shouldCompactByRewritingAsNextGeneration() throws Exception
    {
        final Path file = tmp.resolve("acks.log");
        try (RecordLog log = open(file))
        {
            for (int i = 0; i < 100; i++)
            {
                log.append(bytes("ack " + i));
            }
            assertThat(log.generation()).isZero();
            log.rewrite(List.of(bytes("floor 99")));
            assertThat(log.generation()).isEqualTo(1);
            log.append(bytes("ack 100"));
        }
        try (RecordLog log = open(file))
        {
            assertThat(replayed).containsExactly("floor 99", "ack 100");
            assertThat(log.generation()).isEqualTo(1);
        }
    }

    @Test
    void shouldRefuseUseAfterClose() throws Exception
    {
        final Path file = tmp.resolve("acks.log");
        final RecordLog log = open(file);
        log.close();
        log.close();
        assertThatThrownBy(() -> log.append(bytes("x")))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("log " + file + " of C is closed");
    }

    @Test
    void shouldKeepEveryRecordOfAProcessKilledWithoutClosingTheLog() throws Exception
    {
        final Path file = tmp.resolve("acks.log");
        final Path copy = tmp.resolve("copy.log");
        final RecordLog log = open(file);
        final int count = RecordLog.INITIAL_MAPPING / 10; // several remaps as the log grows
        for (int i = 0; i < count; i++)
        {
            log.append(bytes("ack " + i));
        }
        Files.copy(file, copy); // what a kill -9 leaves: the records, then the zeroed room to grow
        assertThat(Files.size(copy)).isGreaterThan(log.size());
        log.close();

        try (RecordLog reopened = open(copy))
        {
            assertThat(replayed).hasSize(count).startsWith("ack 0").endsWith("ack " + (count - 1));
            assertThat(reopened.damage()).isNull();
            reopened.append(bytes("after"));
        }
        open(copy).close();
        assertThat(replayed).hasSize(count + 1).endsWith("after");
    }

    @Test
    void shouldIgnoreAnAppendKilledBeforeItStoredTheLength() throws Exception
    {
        final Path file = tmp.resolve("acks.log");
        final long end;
        try (RecordLog log = open(file))
        {
            log.append(bytes("ack 1"));
            end = log.size();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            // payload and CRC of "ack 2 ..." stored, its length not yet
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 7, 7, 7, 7, 'a', 'c', 'k', ' ', '2', ' ', 'x', 'y'}), end);
        }
        try (RecordLog log = open(file))
        {
            assertThat(replayed).containsExactly("ack 1");
            assertThat(log.damage()).isNull();
            log.append(bytes("ack 3"));
        }
        open(file).close();
        assertThat(replayed).containsExactly("ack 1", "ack 3");
    }
}
