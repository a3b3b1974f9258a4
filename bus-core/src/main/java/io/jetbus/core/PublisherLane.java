package io.jetbus.core;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * One publishing thread's single-producer lane into one dispatcher: an off-heap {@link OneToOneRingBuffer} that only
 * its {@link #owner} writes and only the dispatcher thread reads, so a publish needs no compare-and-swap and no
 * publisher contends with another.
 *
 * <p>The close guard is single-writer too: the owner raises {@code inside} with a volatile write (the one full fence
 * of a publish) before it looks at whether the rings are closed, and lowers it with a release write after the
 * commit; the dispatcher frees the lane only after it closed the rings and saw {@code inside} down (Dekker style,
 * as {@link BusDispatcher} explains). Owner thread writes, dispatcher thread reads and frees.
 */
final class PublisherLane
{
    private static final VarHandle INSIDE;

    static
    {
        try
        {
            INSIDE = MethodHandles.lookup().findVarHandle(PublisherLane.class, "inside", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** Position in the dispatcher's lane array, and so in each subscription's routed-counter cells. */
    final int index;
    final Thread owner;
    final OneToOneRingBuffer ring;
    final UnsafeBuffer buffer;
    final ByteBuffer readOnlyView;
    private final ByteBuffer memory;
    @SuppressWarnings("unused") // accessed through INSIDE
    private volatile int inside;

    PublisherLane(final int index, final Thread owner, final int capacity)
    {
        this.index = index;
        this.owner = owner;
        memory = ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH);
        buffer = new UnsafeBuffer(memory);
        ring = new OneToOneRingBuffer(buffer);
        readOnlyView = memory.asReadOnlyBuffer();
    }

    /** Owner only: announce a write, then (after the fence this implies) check whether the rings are closed. */
    void enter()
    {
        INSIDE.setVolatile(this, 1);
    }

    /** Owner only: the write is over. */
    void exit()
    {
        INSIDE.setRelease(this, 0);
    }

    /** Dispatcher only, after closing the rings: wait for a writer still inside, then free the memory. */
    void free()
    {
        while ((int)INSIDE.getVolatile(this) != 0)
        {
            Thread.yield();
        }
        BufferUtil.free(memory);
    }
}
