package io.jetbus.core;

import io.jetbus.api.Dispatcher;
import io.jetbus.api.MessageHandler;
import io.jetbus.api.Subjects;
import io.jetbus.api.Subscription;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

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

import static io.jetbus.core.MessageDescriptor.DATA_LENGTH_OFFSET;
import static io.jetbus.core.MessageDescriptor.MESSAGE_TYPE_ID;
import static io.jetbus.core.MessageDescriptor.SLOT_OFFSET;
import static io.jetbus.core.MessageDescriptor.SUBSCRIPTION_ID_OFFSET;

/**
 * One thread draining one {@link ManyToOneRingBuffer} and calling the handlers of its subscriptions.
 *
 * <p>The ring is off-heap and freed on close. A publisher that raced with {@link #close()} must never touch it
 * afterwards, so writers register in {@code writers} before looking at {@code closed}, and close frees the ring only
 * once the thread has stopped and no writer is inside: a full fence on each side (Dekker style) means either the
 * writer sees the dispatcher closed, or close sees the writer and waits for it.
 */
final class BusDispatcher implements Dispatcher, org.agrona.concurrent.MessageHandler
{
    private static final int READ_LIMIT = 256;
    private static final long CLOSE_GRACE_NS = TimeUnit.SECONDS.toNanos(2);

    private final BusConnection connection;
    private final MessageHandler defaultHandler;
    private final ManyToOneRingBuffer ring;
    private final IdleStrategy idleStrategy;
    private final WakeableIdleStrategy wakeable;
    private final MessageFlyweight flyweight;
    private final Thread thread;
    private final ConcurrentLinkedQueue<PositionWaiter> waiters = new ConcurrentLinkedQueue<>();
    private final ByteBuffer ringMemory;
    private final AtomicInteger writers = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object slotLock = new Object();
    private volatile DispatcherSubscription[] slots = new DispatcherSubscription[4];
    private volatile boolean running = true;

    BusDispatcher(final BusConnection connection, final MessageHandler defaultHandler, final String name)
    {
        this.connection = connection;
        this.defaultHandler = defaultHandler;
        final EmbeddedBus bus = connection.bus;
        ringMemory = ByteBuffer.allocateDirect(bus.ringCapacity() + RingBufferDescriptor.TRAILER_LENGTH);
        final UnsafeBuffer buffer = new UnsafeBuffer(ringMemory);
        ring = new ManyToOneRingBuffer(buffer);
        idleStrategy = bus.newIdleStrategy();
        wakeable = idleStrategy instanceof WakeableIdleStrategy ? (WakeableIdleStrategy)idleStrategy : null;
        flyweight = new MessageFlyweight(buffer, ringMemory);
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    Thread thread()
    {
        return thread;
    }

    int maxMessageLength()
    {
        return ring.maxMsgLength();
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
            new DispatcherSubscription(connection, this, subject, queueName, handler);
        synchronized (slotLock)
        {
            checkActive();
            DispatcherSubscription[] current = slots;
            int slot = 0;
            while (slot < current.length && current[slot] != null)
            {
                slot++;
            }
            current = slot < current.length ? current.clone() : Arrays.copyOf(current, current.length * 2);
            current[slot] = subscription;
            subscription.slot = slot;
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
            if (current[subscription.slot] == subscription)
            {
                final DispatcherSubscription[] next = current.clone();
                next[subscription.slot] = null;
                slots = next;
            }
        }
    }

    /** Write one message for a subscription into the ring; false when the ring is full. */
    boolean offer(final Outgoing message, final int slot, final int subscriptionId)
    {
        writers.getAndIncrement();
        try
        {
            if (closed.get())
            {
                return true; // closed under a racing publisher: the message goes nowhere, as if just unsubscribed
            }
            final int index = ring.tryClaim(MESSAGE_TYPE_ID, message.encodedLength());
            if (index < 0)
            {
                return false;
            }
            try
            {
                message.writeTo(ring.buffer(), index, slot, subscriptionId);
            }
            catch (final RuntimeException | Error ex)
            {
                ring.abort(index);
                throw ex;
            }
            ring.commit(index);
        }
        finally
        {
            writers.getAndDecrement();
        }
        if (wakeable != null)
        {
            wakeable.wake();
        }
        return true;
    }

    /**
     * How far publishers have written into the ring, for {@link EmbeddedBus#awaitIdle(Duration)}; -1 once closed.
     * Registers as a writer like {@link #offer} does, so a racing close cannot free the ring under the read.
     */
    long producerPosition()
    {
        writers.getAndIncrement();
        try
        {
            return closed.get() ? -1 : ring.producerPosition();
        }
        finally
        {
            writers.getAndDecrement();
        }
    }

    /** Completes once everything written to the ring before this call has been handled. */
    CompletableFuture<Void> whenHandled()
    {
        final PositionWaiter waiter = new PositionWaiter(ring.producerPosition());
        if (!running || ring.consumerPosition() >= waiter.position)
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
        final int slot = buffer.getInt(index + SLOT_OFFSET);
        final DispatcherSubscription[] current = slots;
        final DispatcherSubscription subscription = slot < current.length ? current[slot] : null;
        if (subscription == null || subscription.id != buffer.getInt(index + SUBSCRIPTION_ID_OFFSET))
        {
            return;
        }
        final int dataLength = buffer.getInt(index + DATA_LENGTH_OFFSET);
        if (!subscription.beginDelivery())
        {
            subscription.onDiscarded(dataLength);
            return;
        }
        final MessageFlyweight message = flyweight;
        message.wrap(index, subscription);
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
                int work = ring.read(this, READ_LIMIT);
                if (!waiters.isEmpty())
                {
                    work += completeWaiters(ring.consumerPosition());
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
            completeWaiters(Long.MAX_VALUE);
            freeRing();
        }
    }

    /** The thread is leaving its loop and reads the ring no more: free it once no publisher is inside offer. */
    private void freeRing()
    {
        while (writers.get() != 0)
        {
            Thread.yield();
        }
        BufferUtil.free(ringMemory);
    }

    private int completeWaiters(final long position)
    {
        int completed = 0;
        final List<PositionWaiter> done = new ArrayList<>();
        for (final PositionWaiter waiter : waiters)
        {
            if (waiter.position <= position)
            {
                done.add(waiter);
            }
        }
        for (final PositionWaiter waiter : done)
        {
            waiters.remove(waiter);
            waiter.complete(null);
            completed++;
        }
        return completed;
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

    private static final class PositionWaiter extends CompletableFuture<Void>
    {
        final long position;

        PositionWaiter(final long position)
        {
            this.position = position;
        }
    }
}
