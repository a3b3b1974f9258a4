package io.jetbus.core;

import io.jetbus.api.Dispatcher;
import io.jetbus.api.MessageHandler;
import io.jetbus.api.Subjects;
import io.jetbus.api.Subscription;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static io.jetbus.core.MessageDescriptor.MAX_KEY;
import static io.jetbus.core.MessageDescriptor.flags;
import static io.jetbus.core.MessageDescriptor.key;
import static io.jetbus.core.MessageDescriptor.type;

/**
 * One thread draining its rings and calling the handlers of its subscriptions.
 *
 * <p><b>Lanes.</b> The first {@code maxLanes} threads that publish to this dispatcher each get a
 * {@link PublisherLane}, a single-producer ring of their own, allocated on their first publish; every later thread
 * shares one {@link ManyToOneRingBuffer}. A thread keeps the path it got for the life of the dispatcher (lanes are
 * never taken away, so a thread that found them all taken never gets one later), which keeps each publisher's
 * messages in order. The thread reads the shared ring, then each lane, up to {@value #READ_LIMIT} records each.
 *
 * <p><b>Freeing.</b> The rings are off-heap. A publisher that raced with {@link #close()} must never touch freed
 * memory. Writers of the shared ring announce themselves in the atomic {@code writers} before they look at
 * {@code ringsClosed}, and the thread frees the shared ring only after setting {@code ringsClosed} and seeing no
 * writer inside: a full fence on each side (Dekker style) means either the writer sees the ring closed, or the
 * thread sees the writer and waits for it. Lanes need no such guard on the publish path: {@link PublisherLane} frees
 * a lane only when one side is provably done with it.
 *
 * <p><b>Positions.</b> Only the dispatcher thread reads ring positions for {@link #whenHandled()}: it snapshots the
 * producer positions when it picks a waiter up, so no other thread reads ring memory that might be freed.
 */
final class BusDispatcher implements Dispatcher, org.agrona.concurrent.MessageHandler
{
    private static final int READ_LIMIT = 256;
    private static final long CLOSE_GRACE_NS = TimeUnit.SECONDS.toNanos(2);

    private final BusConnection connection;
    private final MessageHandler defaultHandler;
    private static final PublisherLane[] NO_LANES = new PublisherLane[0];

    private final ManyToOneRingBuffer ring;
    private final UnsafeBuffer ringBuffer;
    private final ByteBuffer ringView;
    private final int ringCapacity;
    private final int maxLanes;
    private final IdleStrategy idleStrategy;
    private final WakeableIdleStrategy wakeable;
    private final MessageFlyweight flyweight;
    private final Thread thread;
    private final ConcurrentLinkedQueue<PositionWaiter> waiters = new ConcurrentLinkedQueue<>();
    private final RingMemory ringMemory;
    private final AtomicInteger writers = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object slotLock = new Object();
    private final Object laneLock = new Object();
    private volatile PublisherLane[] lanes = NO_LANES;
    private volatile boolean ringsClosed;
    /** Subscriptions by key: at {@code key & (length - 1)}, at most half full; replaced whole on change. */
    private volatile DispatcherSubscription[] slots = new DispatcherSubscription[4];
    private int subscriptionCount;
    private int nextKey = 1;
    private volatile boolean running = true;

    BusDispatcher(final BusConnection connection, final MessageHandler defaultHandler, final String name)
    {
        this.connection = connection;
        this.defaultHandler = defaultHandler;
        final EmbeddedBus bus = connection.bus;
        ringCapacity = bus.ringCapacity();
        maxLanes = bus.publisherLanes();
        ringMemory = new RingMemory(ringCapacity);
        ringBuffer = ringMemory.buffer;
        ringView = ringMemory.readOnlyView;
        ring = new ManyToOneRingBuffer(ringBuffer);
        idleStrategy = bus.newIdleStrategy();
        wakeable = idleStrategy instanceof WakeableIdleStrategy ? (WakeableIdleStrategy)idleStrategy : null;
        flyweight = new MessageFlyweight.Padded();
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    Thread thread()
    {
        return thread;
    }

    @Override
    public Subscription subscribe(final String subject)
    {
        return subscribe(subject, null, requireDefaultHandler());
    }

    @Override
    public Subscription subscribe(final String subject, final String queueName)
    {
        Objects.requireNonNull(queueName, "queueName");
        return subscribe(subject, queueName, requireDefaultHandler());
    }

    @Override
    public Subscription subscribe(final String subject, final MessageHandler handler)
    {
        return subscribe(subject, null, handler);
    }

    @Override
    public Subscription subscribe(final String subject, final String queueName, final MessageHandler handler)
    {
        Subjects.validatePattern(subject);
        if (queueName != null)
        {
            Subjects.validateQueueName(queueName);
        }
        Objects.requireNonNull(handler, "handler");
        checkActive();
        final DispatcherSubscription subscription =
            new DispatcherSubscription(connection, this, subject, queueName, handler, maxLanes);
        synchronized (slotLock)
        {
            checkActive();
            DispatcherSubscription[] current = slots;
            if (2 * (subscriptionCount + 1) > current.length)
            {
                current = grow(current);
            }
            else
            {
                current = current.clone();
            }
            int key;
            do
            {
                key = nextKey;
                nextKey = key == MAX_KEY ? 1 : key + 1;
            }
            while (current[key & (current.length - 1)] != null);
            current[key & (current.length - 1)] = subscription;
            subscription.key = key;
            subscriptionCount++;
            slots = current;
        }
        connection.addSubscription(subscription);
        return subscription;
    }

    void releaseSlot(final DispatcherSubscription subscription)
    {
        synchronized (slotLock)
        {
            final DispatcherSubscription[] current = slots;
            final int slot = subscription.key & (current.length - 1);
            if (current[slot] == subscription)
            {
                final DispatcherSubscription[] next = current.clone();
                next[slot] = null;
                subscriptionCount--;
                slots = next;
            }
        }
    }

    /**
     * A table twice as large with every subscription at its key's slot. Keys that differ in the old table's low bits
     * differ in the new one's, so no two collide.
     */
    private static DispatcherSubscription[] grow(final DispatcherSubscription[] table)
    {
        final DispatcherSubscription[] grown = new DispatcherSubscription[table.length * 2];
        for (final DispatcherSubscription subscription : table)
        {
            if (subscription != null)
            {
                grown[subscription.key & (grown.length - 1)] = subscription;
            }
        }
        return grown;
    }

    /** Write one message for a subscription into the calling thread's lane or the shared ring; false when full. */
    boolean offer(final Outgoing message, final DispatcherSubscription subscription)
    {
        final Thread self = Thread.currentThread();
        final PublisherLane[] lanes = this.lanes;
        for (final PublisherLane lane : lanes)
        {
            if (lane.owner == self)
            {
                return offer(lane, message, subscription);
            }
        }
        if (lanes.length < maxLanes)
        {
            final PublisherLane lane = claimLane();
            if (lane != null)
            {
                return offer(lane, message, subscription);
            }
        }
        return offerShared(message, subscription);
    }

    private boolean offer(final PublisherLane lane, final Outgoing message, final DispatcherSubscription subscription)
    {
        if (ringsClosed)
        {
            return true; // closed under a racing publisher: the message goes nowhere, as if just unsubscribed
        }
        final OneToOneRingBuffer ring = lane.ring;
        final int flags = subscription.subjectFlag | message.partFlags();
        final int index = ring.tryClaim(type(subscription.key, flags), message.encodedLength(flags));
        if (index < 0)
        {
            return false;
        }
        // Counted before the commit, so that the handler never settles a message not yet counted as routed.
        subscription.onRouted(lane, message.dataLength);
        try
        {
            message.writeTo(lane.buffer, index, flags);
        }
        catch (final RuntimeException | Error ex)
        {
            subscription.onRoutingFailed(lane, message.dataLength);
            ring.abort(index);
            throw ex;
        }
        ring.commit(index);
        wake();
        return true;
    }

    private boolean offerShared(final Outgoing message, final DispatcherSubscription subscription)
    {
        writers.getAndIncrement();
        try
        {
            if (ringsClosed)
            {
                return true; // closed under a racing publisher: the message goes nowhere, as if just unsubscribed
            }
            final int flags = subscription.subjectFlag | message.partFlags();
            final int index = ring.tryClaim(type(subscription.key, flags), message.encodedLength(flags));
            if (index < 0)
            {
                return false;
            }
            try
            {
                message.writeTo(ringBuffer, index, flags);
            }
            catch (final RuntimeException | Error ex)
            {
                ring.abort(index);
                throw ex;
            }
            subscription.onRouted(message.dataLength);
            ring.commit(index);
        }
        finally
        {
            writers.getAndDecrement();
        }
        wake();
        return true;
    }

    private void wake()
    {
        final WakeableIdleStrategy wakeable = this.wakeable;
        if (wakeable != null)
        {
            wakeable.wake();
        }
    }

    /** A lane for the calling thread, or null when every lane is taken or the rings are closed. */
    private PublisherLane claimLane()
    {
        synchronized (laneLock)
        {
            final PublisherLane[] current = lanes;
            if (ringsClosed || current.length >= maxLanes)
            {
                return null;
            }
            final PublisherLane lane = PublisherLane.open(current.length, this, ringCapacity);
            final PublisherLane[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = lane;
            lanes = next;
            return lane;
        }
    }

    /** Completes once everything written to the rings before this call has been handled. */
    CompletableFuture<Void> whenHandled()
    {
        final PositionWaiter waiter = new PositionWaiter();
        if (!running)
        {
            waiter.complete(null);
            return waiter;
        }
        waiters.add(waiter);
        LockSupport.unpark(thread);
        if (!running)
        {
            waiter.complete(null);
        }
        return waiter;
    }

    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final int key = key(msgTypeId);
        final DispatcherSubscription[] current = slots;
        final DispatcherSubscription subscription = current[key & (current.length - 1)];
        if (subscription == null || subscription.key != key)
        {
            return; // unsubscribed after this was routed (its slot may hold another subscription since)
        }
        final MessageFlyweight message = flyweight;
        final int dataLength = message.wrap(buffer, index, length, flags(msgTypeId), subscription);
        if (!subscription.beginDelivery())
        {
            message.clear();
            subscription.onDiscarded(dataLength);
            return;
        }
        try
        {
            subscription.handler.onMessage(message);
        }
        catch (final VirtualMachineError error)
        {
            throw error;
        }
        catch (final Throwable error)
        {
            if (error instanceof InterruptedException)
            {
                Thread.currentThread().interrupt();
            }
            connection.bus.errorListener().onHandlerException(subscription, message.subject(), error);
        }
        finally
        {
            message.clear();
        }
        subscription.onDelivered(dataLength);
    }

    @Override
    public CompletableFuture<Boolean> drain(final Duration timeout)
    {
        Objects.requireNonNull(timeout, "timeout");
        final CompletableFuture<Boolean> result = new CompletableFuture<>();
        if (closed.get())
        {
            result.complete(true);
            return result;
        }
        for (final DispatcherSubscription subscription : slots)
        {
            if (subscription != null)
            {
                connection.bus.unroute(subscription);
            }
        }
        final TimerService.Timer timer = connection.bus.timers().schedule(timeout.toNanos(), () ->
        {
            if (result.complete(false))
            {
                close();
            }
        });
        whenHandled().whenComplete((ignored, error) ->
        {
            timer.cancel();
            if (result.complete(true))
            {
                close();
            }
        });
        return result;
    }

    @Override
    public boolean isActive()
    {
        return !closed.get();
    }

    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        for (final DispatcherSubscription subscription : slots)
        {
            if (subscription != null)
            {
                subscription.unsubscribe();
            }
        }
        running = false;
        LockSupport.unpark(thread);
        if (Thread.currentThread() != thread)
        {
            awaitThreadExit();
            PublisherLane.releaseStopped();
        }
        connection.removeDispatcher(this);
    }

    private void awaitThreadExit()
    {
        try
        {
            thread.join(TimeUnit.NANOSECONDS.toMillis(CLOSE_GRACE_NS));
            if (thread.isAlive())
            {
                thread.interrupt();
                thread.join(TimeUnit.NANOSECONDS.toMillis(CLOSE_GRACE_NS));
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive())
        {
            connection.bus.errorListener().onError(new IllegalStateException(
                "dispatcher thread " + thread.getName() + " did not stop: a handler is still running"));
        }
    }

    private void run()
    {
        try
        {
            while (running)
            {
                int work = readRings();
                if (!waiters.isEmpty())
                {
                    work += completeWaiters(false);
                }
                idleStrategy.idle(work);
            }
        }
        catch (final Throwable error)
        {
            connection.bus.errorListener().onError(error);
            throw error;
        }
        finally
        {
            running = false;
            completeWaiters(true);
            freeRings();
            PublisherLane.releaseStopped(); // this thread's own lanes into dispatchers closed before this one
        }
    }

    private int readRings()
    {
        final MessageFlyweight flyweight = this.flyweight;
        flyweight.view(ringView);
        int work = ring.read(this, READ_LIMIT);
        for (final PublisherLane lane : lanes)
        {
            flyweight.view(lane.readOnlyView);
            work += lane.ring.read(this, READ_LIMIT);
        }
        return work;
    }

    /** The lanes claimed so far, for tests. */
    PublisherLane[] lanes()
    {
        return lanes;
    }

    /**
     * Whether this dispatcher's thread has left its loop and reads its rings no more: from then on a lane's owner may
     * free the lane.
     */
    boolean hasStopped()
    {
        return ringsClosed;
    }

    /**
     * The thread is leaving its loop and reads the rings no more: free the shared ring once no publisher is inside
     * it, and the lanes whose owner thread has ended (a live owner frees its own lanes, see {@link PublisherLane}).
     */
    private void freeRings()
    {
        ringsClosed = true;
        while (writers.get() != 0)
        {
            Thread.yield();
        }
        ringMemory.free();
        final PublisherLane[] stopped;
        synchronized (laneLock)
        {
            stopped = lanes;
        }
        for (final PublisherLane lane : stopped)
        {
            if (!lane.owner.isAlive())
            {
                lane.free();
            }
        }
    }

    /** Dispatcher thread only: snapshot new waiters' positions, complete those reached (or all when stopping). */
    private int completeWaiters(final boolean all)
    {
        int completed = 0;
        List<PositionWaiter> done = null;
        for (final PositionWaiter waiter : waiters)
        {
            if (all || reached(waiter))
            {
                if (done == null)
                {
                    done = new ArrayList<>();
                }
                done.add(waiter);
            }
        }
        if (done != null)
        {
            for (final PositionWaiter waiter : done)
            {
                waiters.remove(waiter);
                waiter.complete(null);
                completed++;
            }
        }
        return completed;
    }

    private boolean reached(final PositionWaiter waiter)
    {
        if (waiter.positions == null)
        {
            final PublisherLane[] lanes = this.lanes;
            final long[] positions = new long[lanes.length + 1];
            positions[0] = ring.producerPosition();
            for (int i = 0; i < lanes.length; i++)
            {
                positions[i + 1] = lanes[i].ring.producerPosition();
            }
            waiter.lanes = lanes;
            waiter.positions = positions;
        }
        final long[] positions = waiter.positions;
        if (ring.consumerPosition() < positions[0])
        {
            return false;
        }
        final PublisherLane[] lanes = waiter.lanes;
        for (int i = 0; i < lanes.length; i++)
        {
            if (lanes[i].ring.consumerPosition() < positions[i + 1])
            {
                return false;
            }
        }
        return true;
    }

    private MessageHandler requireDefaultHandler()
    {
        if (defaultHandler == null)
        {
            throw new IllegalStateException("dispatcher " + thread.getName() + " has no default handler: " +
                "pass a handler to subscribe");
        }
        return defaultHandler;
    }

    private void checkActive()
    {
        if (closed.get())
        {
            throw new IllegalStateException("dispatcher " + thread.getName() + " is closed");
        }
    }

    @Override
    public String toString()
    {
        return "Dispatcher{" + thread.getName() + '}';
    }

    /** A {@link #whenHandled()} future; its positions are set and read by the dispatcher thread only. */
    private static final class PositionWaiter extends CompletableFuture<Void>
    {
        PublisherLane[] lanes;
        long[] positions;
    }
}
