package io.jetbus.jetstream;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Makes a {@link FileStreamStore}'s writes durable (RELIABILITY.md 3.9). Every write takes a ticket; a sync forces
 * the cycle files written since the last one, and the journal, with {@link FileChannel#force} (which, unlike
 * Chronicle's {@code msync}, reports errors), then marks every ticket up to its start as durable.
 *
 * <p>Group commit: writers take tickets under the store lock and wait for durability after releasing every lock
 * ({@link #awaitDurable}), so while one sync runs the other writers keep appending. A writer that needs durability
 * becomes the leader if no sync is running; otherwise it parks, and every parked writer is unparked when the sync
 * ends, so one {@code fsync} covers every write made during the previous one. Waiting on a lock instead hands off
 * one thread at a time, a convoy that measured ~1.3 writes per fsync instead of ~4 with 8 threads on 2 cores; so
 * does waking the waiters of a monitor, which must reacquire it one after the other. A failed sync is never retried,
 * since the kernel may have marked the failed pages clean: the store becomes read-only, and every writer still
 * waiting gets the failure. Safe for concurrent use.
 */
final class GroupCommit
{
    private static final VarHandle TICKET;
    private static final VarHandle SYNCING;
    private static final long MAX_GATHER_NS = 1_000_000;
    private static final long MAX_PARK_NS = 50_000_000;

    static
    {
        try
        {
            TICKET = MethodHandles.lookup().findVarHandle(GroupCommit.class, "ticket", long.class);
            SYNCING = MethodHandles.lookup().findVarHandle(GroupCommit.class, "syncing", boolean.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final Runnable beforeSync;
    private final Supplier<String> failure;
    private final Consumer<String> fail;
    private final Supplier<StoreJournal> journal;
    private final ReentrantLock syncLock = new ReentrantLock();
    /** Writers parked until the running sync ends. */
    private final Set<Thread> waiters = ConcurrentHashMap.newKeySet();
    private final Object channels = new Object();
    private final AtomicBoolean journalDirty = new AtomicBoolean();
    private final List<FileChannel> retired = new ArrayList<>();
    /** A leader is syncing; set by compare-and-set through {@link #SYNCING}. */
    private volatile boolean syncing;
    /** Guarded by {@link #channels}: the cycle file being appended to. */
    private FileChannel current;
    /** Guarded by {@link #syncLock}. */
    private long syncCount;
    /** Written by one writer at a time (under the store lock) with release semantics; read with acquire. */
    private long ticket;
    private volatile long synced;
    /** How many writers the last sync of a leader woke. */
    private volatile int lastWoken;
    /** How long the last sync took. */
    private volatile long lastSyncNs;

    /**
     * @param name       the stream, for messages.
     * @param beforeSync runs before each sync (a test hook).
     * @param failure    the store's failure, null while it is writable.
     * @param fail       marks the store failed and read-only.
     * @param journal    the store's journal.
     */
    GroupCommit(
        final String name,
        final Runnable beforeSync,
        final Supplier<String> failure,
        final Consumer<String> fail,
        final Supplier<StoreJournal> journal)
    {
        this.name = name;
        this.beforeSync = beforeSync;
        this.failure = failure;
        this.fail = fail;
        this.journal = journal;
    }

    /**
     * Takes the ticket of a cycle-file write. Called by the single writer (under the store lock), after the write.
     *
     * @return the ticket.
     */
    long recordWritten()
    {
        // a release store, not a volatile one: a sync leader that reads the ticket (acquire) sees every byte written
        // before it, and the writer pays no store-load fence per append
        final long t = (long)TICKET.getOpaque(this) + 1;
        TICKET.setRelease(this, t);
        return t;
    }

    /**
     * Takes the ticket of a journal write. Called under the store lock, after the write.
     *
     * @return the ticket.
     */
    long journalWritten()
    {
        journalDirty.set(true);
        return recordWritten();
    }

    /**
     * @return the last ticket taken.
     */
    long ticket()
    {
        return (long)TICKET.getAcquire(this);
    }

    /**
     * @return the last ticket known durable.
     */
    long synced()
    {
        return synced;
    }

    /**
     * Switches to a new cycle file; the previous one is forced once more by the next sync, then closed.
     *
     * @param file the cycle file now appended to.
     * @throws IOException if it cannot be opened.
     */
    void cycleFile(final Path file) throws IOException
    {
        final FileChannel ch = FileSupport.openUninterruptible(file, StandardOpenOption.READ);
        synchronized (channels)
        {
            if (current != null)
            {
                retired.add(current);
            }
            current = ch;
        }
    }

    /**
     * Returns once every write up to {@code ticket} is forced to the device.
     *
     * @param ticket a ticket.
     * @throws IllegalStateException if a sync failed (the store is then read-only).
     */
    void awaitDurable(final long ticket)
    {
        boolean interrupted = false;
        try
        {
            while (synced < ticket && failure.get() == null)
            {
                if (SYNCING.compareAndSet(this, false, true))
                {
                    try
                    {
                        if (synced < ticket)
                        {
                            gatherWriters();
                            syncAll();
                        }
                    }
                    finally
                    {
                        syncing = false;
                        wakeWaiters();
                    }
                }
                else
                {
                    final Thread me = Thread.currentThread();
                    waiters.add(me);
                    // re-check after registering: a leader that finished before we registered woke nobody for us
                    if (syncing && synced < ticket && failure.get() == null)
                    {
                        LockSupport.parkNanos(this, MAX_PARK_NS); // bounded: a safety net, the leader unparks us
                    }
                    waiters.remove(me);
                    if (Thread.interrupted())
                    {
                        interrupted = true; // the record is written; still wait until it is durable
                    }
                }
            }
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
        if (synced < ticket)
        {
            throw new IllegalStateException("stream " + name + " could not sync: " + failure.get());
        }
    }

    /**
     * Unparks every waiting writer; each checks on its own whether the sync covered it, with no lock to reacquire
     * (waking waiters of a monitor hands it from one to the next, a convoy as long as the batch).
     */
    private void wakeWaiters()
    {
        int woken = 0;
        for (final Thread t : waiters)
        {
            LockSupport.unpark(t);
            woken++;
        }
        lastWoken = woken;
    }

    /**
     * Before a leader syncs: give the writers the previous sync woke (they are about to publish again) a moment to
     * append, so that this sync covers them too. It yields the CPU until as many writes as those writers plus the
     * leader have arrived since the last sync, for at most half the last sync's duration (never more than
     * {@value #MAX_GATHER_NS} ns). With few cores the woken writers otherwise reach their append only after the new
     * leader started its sync, and each sync covers about half of them. A lone writer never waits.
     */
    private void gatherWriters()
    {
        final long expected = lastWoken + 1L;
        final long base = synced;
        if (ticket() - base >= expected)
        {
            return;
        }
        final long deadline = System.nanoTime() + Math.min(lastSyncNs / 2, MAX_GATHER_NS);
        while (ticket() - base < expected && System.nanoTime() - deadline < 0)
        {
            Thread.yield();
        }
    }

    /**
     * Forces everything written so far, unless the store has failed.
     */
    void syncAll()
    {
        syncLock.lock();
        try
        {
            syncNow();
        }
        finally
        {
            syncLock.unlock();
        }
    }

    private void syncNow()
    {
        if (failure.get() != null)
        {
            return;
        }
        final long target = ticket();
        final List<FileChannel> toForce = new ArrayList<>();
        final List<FileChannel> toClose;
        synchronized (channels)
        {
            if (current != null)
            {
                toForce.add(current);
            }
            toForce.addAll(retired);
            toClose = new ArrayList<>(retired);
            retired.clear();
        }
        try
        {
            final long startNs = System.nanoTime();
            beforeSync.run();
            for (final FileChannel ch : toForce)
            {
                ch.force(false);
            }
            if (journalDirty.getAndSet(false))
            {
                journal.get().sync();
            }
            lastSyncNs = System.nanoTime() - startNs;
            syncCount++;
            synced = target;
        }
        catch (final IOException | RuntimeException e)
        {
            fail.accept("sync failed: " + e);
        }
        finally
        {
            toClose.forEach(FileStreamStore::closeQuietly);
        }
    }

    /**
     * @return how many syncs have run.
     */
    long syncCount()
    {
        syncLock.lock();
        try
        {
            return syncCount;
        }
        finally
        {
            syncLock.unlock();
        }
    }

    /**
     * Closes the channels (the files stay as they are).
     */
    void closeChannels()
    {
        synchronized (channels)
        {
            FileStreamStore.closeQuietly(current);
            current = null;
            retired.forEach(FileStreamStore::closeQuietly);
            retired.clear();
        }
    }
}
