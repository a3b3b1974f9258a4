package io.jetbus.jetstream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageDirectoryTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldRefuseSecondOpenInSameJvmNamingTheHolder()
    {
        try (StorageDirectory first = StorageDirectory.open(tmp))
        {
            final String started = ProcessHandle.current().info().startInstant().orElseThrow().toString();
            assertThatThrownBy(() -> StorageDirectory.open(tmp.resolve(".")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("storage dir " + first.root() + " is in use by pid " + ProcessHandle.current().pid() +
                    " (started " + started + ")");
        }
    }

    @Test
    void shouldWriteHolderIntoLockFileAndReleaseOnClose() throws Exception
    {
        final StorageDirectory dir = StorageDirectory.open(tmp);
        final String content = Files.readString(tmp.resolve(StorageDirectory.LOCK_FILE));
        assertThat(content).startsWith("pid=" + ProcessHandle.current().pid() + "\nhost=").contains("\nstarted=");
        dir.close();
        dir.close();
        try (StorageDirectory again = StorageDirectory.open(tmp))
        {
            assertThat(again.root()).isEqualTo(tmp.toRealPath());
        }
    }

    @Test
    void shouldTakeOverLockFileLeftByDeadProcess() throws Exception
    {
        Files.writeString(tmp.resolve(StorageDirectory.LOCK_FILE),
            "pid=999999\nhost=gone\nstarted=2020-01-01T00:00:00Z\n", StandardCharsets.UTF_8);
        try (StorageDirectory dir = StorageDirectory.open(tmp))
        {
            assertThat(Files.readString(tmp.resolve(StorageDirectory.LOCK_FILE)))
                .startsWith("pid=" + ProcessHandle.current().pid());
            assertThat(dir.streamNames()).isEmpty();
        }
    }

    @Test
    void shouldCreateListAndDeleteStreamDirectories() throws Exception
    {
        try (StorageDirectory dir = StorageDirectory.open(tmp))
        {
            final Path orders = dir.streamDir("ORDERS");
            assertThat(orders).isEqualTo(tmp.toRealPath().resolve("streams").resolve("ORDERS"));
            try (FileStreamStore store = FileStreamStore.open(
                TestFiles.config("ORDERS", orders, new AtomicLong(TestFiles.START_MS)).build()))
            {
                store.append("a", null, new byte[] {1}, 1);
            }
            dir.streamDir("EVENTS");
            assertThat(dir.streamNames()).containsExactly("EVENTS", "ORDERS");
            assertThat(dir.deleteStreamDir("ORDERS")).isTrue();
            assertThat(dir.deleteStreamDir("ORDERS")).isFalse();
            assertThat(dir.streamNames()).containsExactly("EVENTS");
        }
    }

    @Test
    void shouldRejectStreamNamesThatEscapeTheDirectory()
    {
        try (StorageDirectory dir = StorageDirectory.open(tmp))
        {
            for (final String bad : new String[] {"", ".", "..", "a/b", "a\\b"})
            {
                assertThatThrownBy(() -> dir.streamDir(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("invalid stream name \"" + bad + "\" for a storage directory: must be non-empty, " +
                        "not . or .., without / \\ or NUL");
            }
        }
    }

    @Test
    void shouldRefuseUseAfterClose()
    {
        final StorageDirectory dir = StorageDirectory.open(tmp);
        dir.close();
        assertThatThrownBy(() -> dir.streamDir("X"))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("storage dir " + dir.root() + " is closed");
    }
}
