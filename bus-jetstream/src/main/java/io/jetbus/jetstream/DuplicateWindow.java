package io.jetbus.jetstream;

import java.util.ArrayDeque;
import java.util.HashMap;

/**
 * The message IDs ({@code Nats-Msg-Id}) a stream has stored within its duplicate window, with the sequence each got.
 * Entries leave in arrival order once older than the window, checked on each use: no timer, no scan. A file stream
 * saves it in {@link DuplicateWindowFile} so that reopening does not read the stream. Guarded by the stream's lock;
 * not safe for concurrent use on its own.
 */
final class DuplicateWindow
{
    private HashMap<String, Entry> ids = new HashMap<>();
    private final ArrayDeque<Entry> order = new ArrayDeque<>();
    private long windowNs;

    private record Entry(String id, long seq, long timestampNs)
    {
    }

    /**
     * @param windowNs how long an ID is remembered; 0 turns de-duplication off.
     */
    DuplicateWindow(final long windowNs)
    {
        this.windowNs = windowNs;
    }

    /**
     * Change the window; a shorter one forgets older IDs at the next use, a zero one forgets every ID now.
     *
     * @param windowNs the new window in nanoseconds.
     */
    void windowNs(final long windowNs)
    {
        this.windowNs = windowNs;
        if (windowNs == 0)
        {
            clear();
        }
    }

    /**
     * @param id    a message ID.
     * @param nowNs the current time (epoch nanoseconds, as message timestamps).
     * @return the sequence stored under that ID within the window, or 0 when it is new.
     */
    long seqOf(final String id, final long nowNs)
    {
        if (windowNs == 0)
        {
            return 0;
        }
        expire(nowNs);
        final Entry e = ids.get(id);
        return e == null ? 0 : e.seq;
    }

    /**
     * Remember that {@code id} was stored as {@code seq} at {@code timestampNs}, unless the window is off or the
     * message is already older than the window.
     */
    void add(final String id, final long seq, final long timestampNs, final long nowNs)
    {
        if (windowNs == 0 || nowNs - timestampNs >= windowNs)
        {
            return;
        }
        final Entry e = new Entry(id, seq, timestampNs);
        final Entry previous = ids.put(id, e);
        if (previous != null)
        {
            order.remove(previous);
        }
        order.addLast(e);
    }

    /**
     * What {@link #forEach} visits.
     */
    @FunctionalInterface
    interface Visitor
    {
        /**
         * @param id          a message ID.
         * @param seq         the sequence stored under it.
         * @param timestampNs when it was stored.
         */
        void visit(String id, long seq, long timestampNs);
    }

    /**
     * Visits every ID still within the window, oldest first.
     *
     * @param nowNs   the current time.
     * @param visitor what to call.
     */
    void forEach(final long nowNs, final Visitor visitor)
    {
        if (windowNs == 0)
        {
            return;
        }
        expire(nowNs);
        for (final Entry e : order)
        {
            visitor.visit(e.id, e.seq, e.timestampNs);
        }
    }

    /**
     * @return how many IDs are remembered (expired ones included until the next use).
     */
    int size()
    {
        return ids.size();
    }

    /**
     * Makes room for {@code n} more IDs at once (before loading a saved window), sparing the map its rehashes.
     *
     * @param n how many IDs are coming.
     */
    void reserve(final int n)
    {
        if (ids.isEmpty() && n > 12)
        {
            ids = new HashMap<>((int)Math.min(Integer.MAX_VALUE, n * 4L / 3 + 1));
        }
    }

    void clear()
    {
        ids.clear();
        order.clear();
    }

    private void expire(final long nowNs)
    {
        Entry head;
        while ((head = order.peekFirst()) != null && nowNs - head.timestampNs >= windowNs)
        {
            order.pollFirst();
            ids.remove(head.id, head);
        }
    }
}
