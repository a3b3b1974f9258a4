package io.jetbus.jetstream;

import net.openhft.chronicle.queue.impl.TableStore;
import net.openhft.chronicle.queue.impl.single.TableStoreWriteLock;
import net.openhft.chronicle.queue.impl.table.Metadata;
import net.openhft.chronicle.queue.impl.table.SingleTableBuilder;
import net.openhft.chronicle.threads.Pauser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY.md 3.3 / R8: a Chronicle write lock naming our own PID (container PID reuse) is released.
 */
class ChronicleLocksTest
{
    @TempDir
    Path tmp;

    private void createQueueThenLeaveLocksHeldByThisPid()
    {
        try (FileStreamStore store = FileStreamStore.open(
            TestFiles.config("S", tmp, new AtomicLong(TestFiles.START_MS)).build()))
        {
            store.append("a", null, new byte[] {1}, 1);
        }
        try (TableStore<Metadata.NoMeta> meta = SingleTableBuilder.binary(tmp.resolve("metadata.cq4t"),
            Metadata.NoMeta.INSTANCE).readOnly(false).build())
        {
            new TableStoreWriteLock(meta, Pauser::balanced, 0L).lock();
            new TableStoreWriteLock(meta, Pauser::balanced, 0L, TableStoreWriteLock.APPEND_LOCK_KEY).lock();
        }
    }

    @Test
    void shouldForceReleaseLocksHeldByOwnPid() throws Exception
    {
        createQueueThenLeaveLocksHeldByThisPid();
        final List<String> events = new ArrayList<>();
        ChronicleLocks.releaseStaleLocks(tmp, events);

        final long pid = ProcessHandle.current().pid();
        assertThat(events).containsExactly(
            "released stale Chronicle write lock in " + tmp.resolve("metadata.cq4t") + " held by pid " + pid,
            "released stale Chronicle append lock in " + tmp.resolve("metadata.cq4t") + " held by pid " + pid);
        try (TableStore<Metadata.NoMeta> meta = SingleTableBuilder.binary(tmp.resolve("metadata.cq4t"),
            Metadata.NoMeta.INSTANCE).readOnly(false).build();
            TableStoreWriteLock lock = new TableStoreWriteLock(meta, Pauser::balanced, 0L))
        {
            assertThat(lock.locked()).isFalse();
        }
    }

    @Test
    void shouldAppendAtOnceWhenMetadataHoldsOwnPidLock()
    {
        createQueueThenLeaveLocksHeldByThisPid();
        final long start = System.nanoTime();
        try (FileStreamStore store = FileStreamStore.open(
            TestFiles.config("S", tmp, new AtomicLong(TestFiles.START_MS)).build()))
        {
            assertThat(store.append("a", null, new byte[] {2}, 2)).isEqualTo(2);
            assertThat(store.read(2).data()).containsExactly(2);
        }
        assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
    }

    @Test
    void shouldDoNothingWhenNoMetadataExists() throws Exception
    {
        final List<String> events = new ArrayList<>();
        ChronicleLocks.releaseStaleLocks(tmp, events);
        assertThat(events).isEmpty();
    }
}
