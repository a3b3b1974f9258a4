package io.jetbus.core;

import io.jetbus.api.ErrorListener;

import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bus's timers: request timeouts and the JetStream engine's ack waits, backoffs and expiries.
 *
 * <p>Safe for concurrent use. On the system clock one daemon thread runs the due tasks; on a manual
 * {@link TimeSource} no thread starts and the source fires the tasks as it advances. Tasks run one at a time, in
 * deadline order (ties in scheduling order), and must be short. Public as a hook for {@code bus-jetstream}.
 *
 * <p><b>Heap.</b> The timers sit in a binary min-heap (an array) ordered by deadline, then by scheduling order; each
 * timer knows its slot, so {@link Timer#cancel()} takes it out at once in O(log n) and the service keeps no reference
 * to it or its task. That matters for request timeouts: nearly every one is cancelled by its reply long before it is
 * due, and a heap that kept the cancelled ones until their deadline would hold seconds' worth of them under load. The
 * array halves when it is a quarter full, so a burst does not pin its peak size.
 *
 * <p><b>Waking the thread.</b> The timer thread sleeps until the earliest deadline it saw (or until signalled, when
 * there was none), and records that deadline. {@link #schedule} signals it only when the new deadline is earlier than
 * that: scheduling a later deadline, the common case for a stream of requests with one timeout, costs no wake-up (no
 * futex call, no context switch). A thread that wakes for a timer cancelled meanwhile finds nothing due and sleeps
 * again until the new earliest deadline.
 */
public final class TimerService implements TimeSource.Timers, AutoCloseable
{
    static final int MIN_HEAP_CAPACITY = 16;

    private final TimeSource timeSource;
    private final ErrorListener errorListener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ReentrantLock runLock = new ReentrantLock();
    private final Thread thread;
    private Timer[] heap = new Timer[MIN_HEAP_CAPACITY];
    private int size;
    private long nextSequence;
    private boolean closed;
    /** Whether the timer thread is waiting on {@link #changed}, and until when: guarded by {@link #lock}. */
    private boolean threadWaiting;
    private boolean threadWaitingForever;
    private long threadWakeNs;
    private long signals;

    TimerService(final TimeSource timeSource, final ErrorListener errorListener, final String threadName)
    {
        this.timeSource = timeSource;
        this.errorListener = errorListener;
        if (timeSource.isManual())
        {
            thread = null;
            timeSource.attach(this);
        }
        else
        {
            thread = new Thread(this::run, threadName);
            thread.setDaemon(true);
            thread.start();
        }
    }

    /**
     * The time source the deadlines are read from.
     *
     * @return the bus's time source.
     */
    public TimeSource timeSource()
    {
        return timeSource;
    }

    /**
     * Run {@code task} once {@code delayNs} has passed.
     *
     * @param delayNs nanoseconds from now; zero or negative runs at the next opportunity.
     * @param task    what to run on the timer thread (or the manual source's thread).
     * @return a handle that can cancel the task.
     * @throws IllegalStateException if the service is closed.
     */
    public Timer schedule(final long delayNs, final Runnable task)
    {
        final long nowNs = timeSource.nanoTime();
        final long deadlineNs = delayNs <= 0 ? nowNs : saturatedAdd(nowNs, delayNs);
        lock.lock();
        try
        {
            if (closed)
            {
                throw new IllegalStateException("timer service is closed");
            }
            final Timer timer = new Timer(this, deadlineNs, nextSequence++, task);
            offer(timer);
            if (threadWaiting && (threadWaitingForever || deadlineNs - threadWakeNs < 0))
            {
                threadWaitingForever = false;
                threadWakeNs = deadlineNs;
                signals++;
                changed.signal();
            }
            return timer;
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public long nextDeadlineNs()
    {
        lock.lock();
        try
        {
            return size == 0 ? Long.MAX_VALUE : heap[0].deadlineNs;
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public int runDue(final long nowNs)
    {
        runLock.lock();
        try
        {
            int count = 0;
            Timer timer;
            while ((timer = pollDue(nowNs)) != null)
            {
                count++;
                try
                {
                    timer.task.run();
                }
                catch (final RuntimeException ex)
                {
                    errorListener.onError(ex);
                }
            }
            return count;
        }
        finally
        {
            runLock.unlock();
        }
    }

    /**
     * The number of tasks scheduled and not yet run or cancelled, for diagnostics and tests.
     *
     * @return the count.
     */
    public int size()
    {
        lock.lock();
        try
        {
            return size;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * The length of the heap array, for tests: {@link #MIN_HEAP_CAPACITY} once a burst has drained.
     *
     * @return the capacity.
     */
    int heapCapacity()
    {
        lock.lock();
        try
        {
            return heap.length;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * How many timers the heap array references, for tests: always {@link #size()}.
     *
     * @return the count of non-null slots.
     */
    int referencedTimers()
    {
        lock.lock();
        try
        {
            int count = 0;
            for (final Timer timer : heap)
            {
                count += timer == null ? 0 : 1;
            }
            return count;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * How many times {@link #schedule} woke the timer thread, for tests.
     *
     * @return the count.
     */
    long signals()
    {
        lock.lock();
        try
        {
            return signals;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Whether the timer thread is asleep, for tests.
     *
     * @return true while it waits for a deadline or a signal.
     */
    boolean isThreadWaiting()
    {
        lock.lock();
        try
        {
            return threadWaiting;
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public void close()
    {
        lock.lock();
        try
        {
            if (closed)
            {
                return;
            }
            closed = true;
            for (int i = 0; i < size; i++)
            {
                heap[i].heapIndex = Timer.NOT_SCHEDULED;
            }
            heap = new Timer[MIN_HEAP_CAPACITY];
            size = 0;
            changed.signalAll();
        }
        finally
        {
            lock.unlock();
        }
        if (thread == null)
        {
            timeSource.detach(this);
        }
        else if (thread != Thread.currentThread())
        {
            joinUninterruptibly(thread);
        }
    }

    private void cancel(final Timer timer)
    {
        lock.lock();
        try
        {
            final int index = timer.heapIndex;
            if (index != Timer.NOT_SCHEDULED)
            {
                removeAt(index);
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    private Timer pollDue(final long nowNs)
    {
        lock.lock();
        try
        {
            if (size == 0 || heap[0].deadlineNs - nowNs > 0)
            {
                return null;
            }
            final Timer head = heap[0];
            removeAt(0);
            return head;
        }
        finally
        {
            lock.unlock();
        }
    }

    private void run()
    {
        while (awaitDue())
        {
            runDue(timeSource.nanoTime());
        }
    }

    /**
     * Sleep until the earliest timer is due, recording until when so that {@link #schedule} knows whether to signal.
     *
     * @return true when a timer is due, false once the service is closed or the thread interrupted.
     */
    private boolean awaitDue()
    {
        lock.lock();
        try
        {
            while (!closed)
            {
                threadWaiting = true;
                if (size == 0)
                {
                    threadWaitingForever = true;
                    changed.await();
                    continue;
                }
                final long deadlineNs = heap[0].deadlineNs;
                final long waitNs = deadlineNs - timeSource.nanoTime();
                if (waitNs <= 0)
                {
                    return true;
                }
                threadWaitingForever = false;
                threadWakeNs = deadlineNs;
                changed.awaitNanos(waitNs);
            }
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
        finally
        {
            threadWaiting = false;
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- the heap, guarded by lock

    private void offer(final Timer timer)
    {
        if (size == heap.length)
        {
            heap = Arrays.copyOf(heap, size * 2);
        }
        siftUp(size++, timer);
    }

    /** Take out the timer at {@code index}: the last one fills the hole and moves up or down to its place. */
    private void removeAt(final int index)
    {
        final Timer[] heap = this.heap;
        heap[index].heapIndex = Timer.NOT_SCHEDULED;
        final int last = --size;
        final Timer moved = heap[last];
        heap[last] = null;
        if (index != last)
        {
            siftDown(index, moved);
            if (heap[index] == moved)
            {
                siftUp(index, moved);
            }
        }
        if (size < heap.length >>> 2 && heap.length > MIN_HEAP_CAPACITY)
        {
            this.heap = Arrays.copyOf(heap, heap.length >>> 1);
        }
    }

    private void siftUp(final int start, final Timer timer)
    {
        final Timer[] heap = this.heap;
        int index = start;
        while (index > 0)
        {
            final int parentIndex = (index - 1) >>> 1;
            final Timer parent = heap[parentIndex];
            if (!timer.before(parent))
            {
                break;
            }
            place(heap, index, parent);
            index = parentIndex;
        }
        place(heap, index, timer);
    }

    private void siftDown(final int start, final Timer timer)
    {
        final Timer[] heap = this.heap;
        final int size = this.size;
        int index = start;
        while (true)
        {
            int childIndex = 2 * index + 1;
            if (childIndex >= size)
            {
                break;
            }
            Timer child = heap[childIndex];
            final int rightIndex = childIndex + 1;
            if (rightIndex < size && heap[rightIndex].before(child))
            {
                childIndex = rightIndex;
                child = heap[rightIndex];
            }
            if (!child.before(timer))
            {
                break;
            }
            place(heap, index, child);
            index = childIndex;
        }
        place(heap, index, timer);
    }

    private static void place(final Timer[] heap, final int index, final Timer timer)
    {
        heap[index] = timer;
        timer.heapIndex = index;
    }

    private static long saturatedAdd(final long a, final long b)
    {
        final long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    static void joinUninterruptibly(final Thread thread)
    {
        boolean interrupted = false;
        while (thread.isAlive())
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A scheduled task; {@link #cancel()} stops it from running if it has not run yet.
     */
    public static final class Timer
    {
        static final int NOT_SCHEDULED = -1;

        private final TimerService service;
        private final long deadlineNs;
        private final long sequence;
        private final Runnable task;
        /** Its slot in the heap, or {@link #NOT_SCHEDULED} once run, cancelled or closed: guarded by the lock. */
        private int heapIndex = NOT_SCHEDULED;

        Timer(final TimerService service, final long deadlineNs, final long sequence, final Runnable task)
        {
            this.service = service;
            this.deadlineNs = deadlineNs;
            this.sequence = sequence;
            this.task = task;
        }

        /**
         * Stop the task from running and drop the service's reference to it. Harmless once it ran or was cancelled;
         * a task that the timer thread has already taken to run still runs.
         */
        public void cancel()
        {
            service.cancel(this);
        }

        /**
         * When the task is due.
         *
         * @return the deadline in the time source's nanoseconds.
         */
        public long deadlineNs()
        {
            return deadlineNs;
        }

        /** Deadline order, ties in scheduling order; deadlines compared by difference, as nanoTime requires. */
        boolean before(final Timer other)
        {
            final long byDeadline = deadlineNs - other.deadlineNs;
            return byDeadline < 0 || (byDeadline == 0 && sequence < other.sequence);
        }
    }
}
