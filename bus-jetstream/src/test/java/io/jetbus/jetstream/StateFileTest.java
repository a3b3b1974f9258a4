package io.jetbus.jetstream;

import io.jetbus.api.jetstream.CorruptRecordException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class StateFileTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldReadBackWhatWasWrittenAndReplaceItAtomically() throws Exception
    {
        final Path file = tmp.resolve("consumer.state");
        assertThat(StateFile.read(file, "C")).isNull();
        StateFile.write(file, "one".getBytes(StandardCharsets.UTF_8), true);
        assertThat(StateFile.read(file, "C")).isEqualTo("one".getBytes(StandardCharsets.UTF_8));
        StateFile.write(file, new byte[0], false);
        assertThat(StateFile.read(file, "C")).isEmpty();
        assertThat(Files.list(tmp).map(p -> p.getFileName().toString())).containsExactly("consumer.state");
    }

    @Test
    void shouldDetectEveryFlippedBit() throws Exception
    {
        final Path file = tmp.resolve("s");
        StateFile.write(file, "ack floor 42, pending 43 44".getBytes(StandardCharsets.UTF_8), false);
        final byte[] good = Files.readAllBytes(file);
        for (int bit = 0; bit < good.length * 8; bit++)
        {
            final byte[] bad = good.clone();
            bad[bit / 8] ^= (byte)(1 << (bit % 8));
            Files.write(file, bad);
            try
            {
                StateFile.read(file, "C");
                fail("bit " + bit + " flipped and the state file still reads");
            }
            catch (final CorruptRecordException e)
            {
                assertThat(e.stream()).isEqualTo("C");
                assertThat(e.file()).isEqualTo(file.toString());
            }
        }
    }

    @Test
    void shouldNameFileAndProblemWhenTruncated() throws Exception
    {
        final Path file = tmp.resolve("s");
        StateFile.write(file, new byte[100], false);
        final byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, 50));
        assertThatThrownBy(() -> StateFile.read(file, "C"))
            .isInstanceOf(CorruptRecordException.class)
            .hasMessage("corrupt data in stream C, file " + file + ", position 12: payload length 100 does not " +
                "match the file size of 50 bytes");
        Files.write(file, new byte[3]);
        assertThatThrownBy(() -> StateFile.read(file, "C"))
            .isInstanceOf(CorruptRecordException.class)
            .hasMessage("corrupt data in stream C, file " + file + ", position 0: truncated state file (3 bytes)");
    }

    @Test
    void shouldKeepOldContentWhenTempFileIsLeftBehind() throws Exception
    {
        final Path file = tmp.resolve("s");
        StateFile.write(file, new byte[] {1}, false);
        Files.write(tmp.resolve("s.tmp"), new byte[] {9, 9, 9}); // a crash before the rename
        assertThat(StateFile.read(file, "C")).containsExactly(1);
        StateFile.write(file, new byte[] {2}, false);
        assertThat(StateFile.read(file, "C")).containsExactly(2);
    }
}
