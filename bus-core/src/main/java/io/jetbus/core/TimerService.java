package io.jetbus.core;

import io.jetbus.api.ErrorListener;

import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bus's timers: request timeouts and the JetStream engine's ack waits, backoffs and expiries.
 *
 * <p>Safe for concurrent use. On the system clock one daemon thread runs the due tasks; on a manual
 * {@link TimeSource} no thread starts and the source fires the tasks as it advances. Tasks run one at a time, in
 * deadline order (ties in scheduling order), and must be short. Public as a hook for {@code bus-jetstream}.
 */
public final class TimerService implements TimeSource.Timers, AutoCloseable
{
    private final TimeSource timeSource;
    private final ErrorListener errorListener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Timer> queue = new PriorityQueue<>();
    private final ReentrantLock runLock = new ReentrantLock();
    private final Thread thread;
    private long nextId;
    private boolean closed;

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
            final Timer timer = new Timer(deadlineNs, nextId++, task);
            queue.add(timer);
            if (queue.peek() == timer)
            {
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
            Timer head = queue.peek();
            while (head != null && head.cancelled)
            {
                queue.poll();
                head = queue.peek();
            }
            return head == null ? Long.MAX_VALUE : head.deadlineNs;
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
            int count = 0;
            for (final Timer timer : queue)
            {
                count += timer.cancelled ? 0 : 1;
            }
            return count;
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
            queue.clear();
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

    private Timer pollDue(final long nowNs)
    {
        lock.lock();
        try
        {
            Timer head;
            while ((head = queue.peek()) != null)
            {
                if (head.cancelled)
                {
                    queue.poll();
                }
                else if (head.deadlineNs - nowNs <= 0)
                {
                    return queue.poll();
                }
                else
                {
                    return null;
                }
            }
            return null;
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
            lock.lock();
            try
            {
                if (closed)
                {
                    return;
                }
                final Timer head = queue.peek();
                final long waitNs = head == null ?
                    TimeUnit.SECONDS.toNanos(1) : head.deadlineNs - timeSource.nanoTime();
                if (waitNs > 0)
                {
                    changed.awaitNanos(waitNs);
                    continue;
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
            finally
            {
                lock.unlock();
            }
            runDue(timeSource.nanoTime());
        }
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
    public static final class Timer implements Comparable<Timer>
    {
        private final long deadlineNs;
        private final long id;
        private final Runnable task;
        private volatile boolean cancelled;

        Timer(final long deadlineNs, final long id, final Runnable task)
        {
            this.deadlineNs = deadlineNs;
            this.id = id;
            this.task = task;
        }

        /**
         * Stop the task from running. Harmless once it ran.
         */
        public void cancel()
        {
            cancelled = true;
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

        @Override
        public int compareTo(final Timer other)
        {
            final int byDeadline = Long.compare(deadlineNs - other.deadlineNs, 0);
            return byDeadline != 0 ? byDeadline : Long.compare(id, other.id);
        }
    }
}
