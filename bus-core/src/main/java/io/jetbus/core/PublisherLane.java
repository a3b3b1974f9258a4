package io.jetbus.core;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

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
 *
 * <p>{@code inside} is written twice per publish while the dispatcher reads this lane's other fields on every poll,
 * so it sits on a cache line of its own: padding before it (the superclasses) and after it (this class's fields
 * start 56 bytes later).
 */
final class PublisherLane extends PublisherLanePadAfter
{
    /** Position in the dispatcher's lane array, and so in each subscription's routed-counter cells. */
    final int index;
    final Thread owner;
    final OneToOneRingBuffer ring;
    final UnsafeBuffer buffer;
    final ByteBuffer readOnlyView;
    private final RingMemory memory;

    PublisherLane(final int index, final Thread owner, final int capacity)
    {
        this.index = index;
        this.owner = owner;
        memory = new RingMemory(capacity);
        buffer = memory.buffer;
        ring = new OneToOneRingBuffer(buffer);
        readOnlyView = memory.readOnlyView;
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
        memory.free();
    }
}

/** Padding before the owner's flag. */
abstract class PublisherLanePad
{
    @SuppressWarnings("unused")
    private long p0;
    @SuppressWarnings("unused")
    private long p1;
    @SuppressWarnings("unused")
    private long p2;
    @SuppressWarnings("unused")
    private long p3;
    @SuppressWarnings("unused")
    private long p4;
    @SuppressWarnings("unused")
    private long p5;
    @SuppressWarnings("unused")
    private long p6;
}

/** The owner's flag. */
abstract class PublisherLaneFlag extends PublisherLanePad
{
    static final VarHandle INSIDE;

    static
    {
        try
        {
            INSIDE = MethodHandles.lookup().findVarHandle(PublisherLaneFlag.class, "inside", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused") // accessed through INSIDE
    private volatile int inside;
}

/** Padding after the owner's flag. */
abstract class PublisherLanePadAfter extends PublisherLaneFlag
{
    @SuppressWarnings("unused")
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
}
