package io.jetbus.jetstream;

import net.openhft.chronicle.queue.impl.TableStore;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.TableStoreWriteLock;
import net.openhft.chronicle.queue.impl.table.Metadata;
import net.openhft.chronicle.queue.impl.table.SingleTableBuilder;
import net.openhft.chronicle.threads.Pauser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Clears stale Chronicle write locks in a stream directory before the queue opens (RELIABILITY.md 3.3).
 *
 * <p>Chronicle keeps its cross-process write and append locks as a PID in {@code metadata.cq4t}. It releases a lock
 * whose holder is dead, but not one naming a live process, such as our own PID after a container restart (PID
 * reuse): appends then stall and fail. Jetbus holds the storage directory exclusively ({@link StorageDirectory}) and
 * opens each stream once per JVM, so any lock found at open is stale and is force-released here, as Chronicle's
 * {@code InternalUnlockMain} does. Uses Chronicle implementation classes; covered by a test.
 */
final class ChronicleLocks
{
    static final String METADATA_FILE = SingleChronicleQueue.QUEUE_METADATA_FILE;

    private ChronicleLocks()
    {
    }

    /**
     * Force-releases any write or append lock held in the directory's {@code metadata.cq4t}. A metadata file that
     * Chronicle cannot open is moved aside (Chronicle rebuilds it from the cycle files).
     *
     * @param dir    the stream directory.
     * @param events receives a note per lock released or file moved.
     * @throws IOException if a damaged metadata file cannot be moved aside.
     */
    static void releaseStaleLocks(final Path dir, final List<String> events) throws IOException
    {
        final Path meta = dir.resolve(METADATA_FILE);
        if (!Files.exists(meta))
        {
            return;
        }
        try (TableStore<Metadata.NoMeta> store =
            SingleTableBuilder.binary(meta, Metadata.NoMeta.INSTANCE).readOnly(false).build())
        {
            release(new TableStoreWriteLock(store, Pauser::balanced, 0L), "write", meta, events);
            release(new TableStoreWriteLock(store, Pauser::balanced, 0L, TableStoreWriteLock.APPEND_LOCK_KEY),
                "append", meta, events);
        }
        catch (final Exception | AssertionError e)
        {
            final Path aside = FileSupport.moveAside(meta, "quarantined");
            events.add("Chronicle metadata " + meta + " could not be opened (" + e + "); moved to " + aside +
                " and rebuilt");
        }
    }

    private static void release(
        final TableStoreWriteLock lock, final String kind, final Path meta, final List<String> events)
    {
        try (lock)
        {
            if (lock.locked())
            {
                final long holder = lock.lockedBy();
                lock.forceUnlock();
                events.add("released stale Chronicle " + kind + " lock in " + meta + " held by pid " + (int)holder);
            }
        }
    }
}
