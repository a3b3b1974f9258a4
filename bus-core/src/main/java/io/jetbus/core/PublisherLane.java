package io.jetbus.core;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One publishing thread's single-producer lane into one dispatcher: an off-heap {@link OneToOneRingBuffer} that only
 * its {@link #owner} writes and only the dispatcher thread reads, so a publish needs no compare-and-swap, no fence,
 * and no publisher contends with another.
 *
 * <p><b>Freeing without a guard on the publish path.</b> The memory is freed by whichever side can prove the other
 * is done with it, and never while the owner could be writing:
 * <ul>
 *   <li>the owner frees its lanes whose dispatcher has stopped reading when it opens a new lane, when it closes a
 *   dispatcher (or a connection or the bus), and, being a dispatcher thread, when it stops: the dispatcher's
 *   stopped flag is volatile, and the owner is not inside a write of its own, being one thread;</li>
 *   <li>the dispatcher, when it stops, frees the lanes whose owner thread has ended.</li>
 * </ul>
 * A lane whose owner lives on and does none of these stays allocated until that thread ends and the garbage
 * collector finds the lane unreachable (the direct buffer's cleaner frees it then); a thread holds at most as many
 * stopped lanes as it had lanes open at once. The owner checks the dispatcher's stopped flag before every write,
 * so a publish routed to a dispatcher that closed meanwhile writes nothing.
 */
final class PublisherLane
{
    /** The lanes the calling thread owns, for it to free once their dispatchers stop. Owner thread only. */
    private static final ThreadLocal<List<PublisherLane>> OWNED = ThreadLocal.withInitial(ArrayList::new);

    /** Position in the dispatcher's lane array, and so in each subscription's routed-counter cells. */
    final int index;
    final Thread owner;
    final BusDispatcher dispatcher;
    final OneToOneRingBuffer ring;
    final UnsafeBuffer buffer;
    final ByteBuffer readOnlyView;
    private final RingMemory memory;
    private final AtomicBoolean freed = new AtomicBoolean();

    private PublisherLane(final int index, final Thread owner, final BusDispatcher dispatcher, final int capacity)
    {
        this.index = index;
        this.owner = owner;
        this.dispatcher = dispatcher;
        memory = new RingMemory(capacity);
        buffer = memory.buffer;
        ring = new OneToOneRingBuffer(buffer);
        readOnlyView = memory.readOnlyView;
    }

    /**
     * A new lane for the calling thread into {@code dispatcher}; first frees the thread's lanes into dispatchers that
     * have stopped.
     */
    static PublisherLane open(final int index, final BusDispatcher dispatcher, final int capacity)
    {
        releaseStopped();
        final PublisherLane lane = new PublisherLane(index, Thread.currentThread(), dispatcher, capacity);
        OWNED.get().add(lane);
        return lane;
    }

    /** Free the calling thread's lanes into dispatchers that have stopped. */
    static void releaseStopped()
    {
        OWNED.get().removeIf(lane ->
        {
            if (lane.dispatcher.hasStopped())
            {
                lane.free();
                return true;
            }
            return false;
        });
    }

    boolean isFreed()
    {
        return freed.get();
    }

    /** Release the memory, once: by the owner after the dispatcher stopped, or by the dispatcher after the owner. */
    void free()
    {
        if (freed.compareAndSet(false, true))
        {
            memory.free();
        }
    }
}
