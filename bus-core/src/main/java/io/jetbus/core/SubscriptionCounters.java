package io.jetbus.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Two single-writer counters (messages and bytes, plus a third for discards), padded on both sides so that the
 * writer's cache line is its own: the routed counts of one publisher lane, or the delivered counts a dispatcher
 * thread keeps. The writer adds with plain reads and release writes, no atomic read-modify-write; readers on any
 * thread see a value at most a few writes old and, on the writer's own thread, exact.
 */
final class SubscriptionCounters extends SubscriptionCountersValues
{
    @SuppressWarnings("unused") // padding against false sharing with whatever is allocated next
    private long q0;
    @SuppressWarnings("unused")
    private long q1;
    @SuppressWarnings("unused")
    private long q2;
    @SuppressWarnings("unused")
    private long q3;
    @SuppressWarnings("unused")
    private long q4;
    @SuppressWarnings("unused")
    private long q5;
    @SuppressWarnings("unused")
    private long q6;

    /** Writer only. */
    void add(final int bytes)
    {
        MESSAGES.setRelease(this, messages + 1);
        BYTES.setRelease(this, this.bytes + bytes);
    }

    /** Writer only: undo an {@link #add} whose write failed. */
    void remove(final int bytes)
    {
        MESSAGES.setRelease(this, messages - 1);
        BYTES.setRelease(this, this.bytes - bytes);
    }

    /** Writer only: a message settled without being counted in {@link #messages()} (discarded). */
    void discard(final int bytes)
    {
        OTHER.setRelease(this, other + 1);
        BYTES.setRelease(this, this.bytes + bytes);
    }

    long messages()
    {
        return (long)MESSAGES.getVolatile(this);
    }

    long bytes()
    {
        return (long)BYTES.getVolatile(this);
    }

    long other()
    {
        return (long)OTHER.getVolatile(this);
    }
}

/** The counters, between the paddings. */
abstract class SubscriptionCountersValues extends LinePadding
{
    static final VarHandle MESSAGES;
    static final VarHandle BYTES;
    static final VarHandle OTHER;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            MESSAGES = lookup.findVarHandle(SubscriptionCountersValues.class, "messages", long.class);
            BYTES = lookup.findVarHandle(SubscriptionCountersValues.class, "bytes", long.class);
            OTHER = lookup.findVarHandle(SubscriptionCountersValues.class, "other", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    long messages;
    long bytes;
    long other;
}
