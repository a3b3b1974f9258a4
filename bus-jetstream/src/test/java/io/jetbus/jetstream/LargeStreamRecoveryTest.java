package io.jetbus.jetstream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recovery time must not grow with the stream: opening a million-message stream reads no record when closed
 * cleanly, and only the records after the last checkpoint after a crash. Asserted by counting records read during
 * open, not by wall time.
 */
class LargeStreamRecoveryTest
{
    static final int MESSAGES = 1_000_000;

    @TempDir
    Path tmp;

    FileStoreConfig config()
    {
        // one cycle file, default block size and checkpoint interval (every 100 000 appends)
        return FileStoreConfig.builder("BIG", tmp).reserveBytes(0).clockMs(() -> TestFiles.START_MS).build();
    }

    @Test
    void shouldOpenLargeStreamWithoutScanningIt() throws Exception
    {
        final byte[] payload = new byte[100];
        try (FileStreamStore store = FileStreamStore.open(config()))
        {
            for (int i = 0; i < MESSAGES; i++)
            {
                store.append("orders.p" + (i & 7), null, payload, i);
            }
        }
        try (FileStreamStore store = FileStreamStore.open(config()))
        {
            assertThat(store.recoveryReport().checkpointUsed()).isTrue();
            assertThat(store.recoveryReport().recordsScanned()).isZero();
            assertThat(store.state().msgs()).isEqualTo(MESSAGES);
            assertThat(store.subjectState("orders.p3").msgs()).isEqualTo(MESSAGES / 8);
            assertThat(store.read(MESSAGES / 2).subject()).isEqualTo("orders.p" + ((MESSAGES / 2 - 1) & 7));
            for (int i = 0; i < 1234; i++)
            {
                store.append("after.crash", null, payload, i);
            }
            store.releaseForCrashTest(); // no checkpoint at close: as after kill -9
        }
        try (FileStreamStore store = FileStreamStore.open(config()))
        {
            // the last checkpoint was at 1 000 000 appends; only the 1234 after it are read
            assertThat(store.recoveryReport().checkpointUsed()).isTrue();
            assertThat(store.recoveryReport().recordsScanned()).isEqualTo(1234);
            assertThat(store.state().lastSeq()).isEqualTo(MESSAGES + 1234);
            assertThat(store.subjectState("after.crash").msgs()).isEqualTo(1234);
        }
        Files.delete(tmp.resolve(Checkpoint.FILE_NAME));
        try (FileStreamStore store = FileStreamStore.open(config()))
        {
            assertThat(store.recoveryReport().checkpointUsed()).isFalse();
            assertThat(store.recoveryReport().recordsScanned()).isEqualTo(MESSAGES + 1234);
        }
    }
}
