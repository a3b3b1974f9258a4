package io.jetbus.jetstream;

import io.jetbus.api.jetstream.PubAck;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Completes a stream's asynchronous publishes once its store has made them durable, so that a publisher can keep many
 * publishes in flight and one sync serves them all (the synchronous API has one in flight per thread). One thread
 * per stream, started by the first publish that has to wait: it takes every waiting publish, waits for the newest
 * one's writes to be durable (a group-commit sync covers the older ones too), then completes their futures in the
 * order they were published, or fails them all with the sync's error. A store whose flush policy needs no sync per
 * write ({@link StreamStore#waitsForSyncs()}) never has a publish wait, and the thread never starts.
 */
final class AsyncPublishes
{
    private static final long CLOSE_WAIT_MS = 10_000;

    private record Waiting(long mark, Supplier<PubAck> ack, CompletableFuture<PubAck> future)
    {
    }

    private final String stream;
    private final StreamStore store;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition added = lock.newCondition();
    /** Guarded by {@link #lock}. */
    private ArrayDeque<Waiting> queue = new ArrayDeque<>();
    /** Guarded by {@link #lock}. */
    private Thread thread;
    /** Guarded by {@link #lock}. */
    private boolean closed;

    AsyncPublishes(final String stream, final StreamStore store)
    {
        this.stream = stream;
        this.store = store;
    }

    /**
     * Complete {@code future} with {@code ack} once the writes up to {@code mark} are durable.
     *
     * @param mark   the store's write mark after the publish.
     * @param ack    what completes the future, run once the writes are durable (on the completing thread).
     * @param future the publisher's future.
     */
    void complete(final long mark, final Supplier<PubAck> ack, final CompletableFuture<PubAck> future)
    {
        lock.lock();
        try
        {
            if (closed)
            {
                future.completeExceptionally(new IllegalStateException("stream " + stream + " is closed"));
                return;
            }
            queue.addLast(new Waiting(mark, ack, future));
            if (thread == null)
            {
                thread = new Thread(this::run, "jetbus-publish-acks-" + stream);
                thread.setDaemon(true);
                thread.start();
            }
            added.signal();
        }
        finally
        {
            lock.unlock();
        }
    }

    private void run()
    {
        while (true)
        {
            final ArrayDeque<Waiting> batch;
            lock.lock();
            try
            {
                while (queue.isEmpty() && !closed)
                {
                    added.awaitUninterruptibly();
                }
                if (queue.isEmpty())
                {
                    return;
                }
                batch = queue;
                queue = new ArrayDeque<>();
            }
            finally
            {
                lock.unlock();
            }
            RuntimeException failure = null;
            try
            {
                store.awaitDurable(batch.peekLast().mark());
            }
            catch (final RuntimeException e)
            {
                failure = e;
            }
            for (final Waiting w : batch)
            {
                if (failure != null)
                {
                    w.future().completeExceptionally(failure);
                    continue;
                }
                try
                {
                    w.future().complete(w.ack().get());
                }
                catch (final RuntimeException e)
                {
                    w.future().completeExceptionally(e);
                }
            }
        }
    }

    /**
     * Complete what is waiting, then stop the thread; later publishes fail. Call before closing the store, without
     * holding the stream's lock (completing a publish notifies the stream's listeners).
     */
    void close()
    {
        final Thread t;
        lock.lock();
        try
        {
            closed = true;
            added.signal();
            t = thread;
        }
        finally
        {
            lock.unlock();
        }
        if (t != null && t != Thread.currentThread())
        {
            try
            {
                t.join(CLOSE_WAIT_MS);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
