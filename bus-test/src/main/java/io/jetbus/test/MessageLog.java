package io.jetbus.test;

import io.jetbus.api.Message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Messages in arrival order, with waits that block on a condition (never sleep) until a deadline in real time. Safe
 * for concurrent use: dispatcher threads add, test threads wait and read.
 */
final class MessageLog
{
    private final String what;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition added = lock.newCondition();
    private final List<Message> messages = new ArrayList<>();

    /** @param what names the log in failure messages, e.g. {@code messages on "orders.>"}. */
    MessageLog(final String what)
    {
        this.what = what;
    }

    void add(final Message message)
    {
        lock.lock();
        try
        {
            messages.add(message);
            added.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    List<Message> snapshot()
    {
        lock.lock();
        try
        {
            return List.copyOf(messages);
        }
        finally
        {
            lock.unlock();
        }
    }

    int size()
    {
        lock.lock();
        try
        {
            return messages.size();
        }
        finally
        {
            lock.unlock();
        }
    }

    void clear()
    {
        lock.lock();
        try
        {
            messages.clear();
        }
        finally
        {
            lock.unlock();
        }
    }

    List<Message> awaitCount(final int count, final Duration timeout)
    {
        if (count < 0)
        {
            throw new IllegalArgumentException("invalid count " + count + ": must not be negative");
        }
        checkTimeout(timeout);
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try
        {
            while (messages.size() < count)
            {
                if (!awaitUntil(deadlineNs))
                {
                    throw new AssertionError("expected " + count + " " + what + " within " + timeout + ", but " +
                        messages.size() + " arrived:\n" + Payloads.list(messages));
                }
            }
            return List.copyOf(messages);
        }
        finally
        {
            lock.unlock();
        }
    }

    Message awaitMessage(final Predicate<Message> predicate, final String description, final Duration timeout)
    {
        Objects.requireNonNull(predicate, "predicate");
        checkTimeout(timeout);
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try
        {
            int checked = 0;
            while (true)
            {
                for (; checked < messages.size(); checked++)
                {
                    final Message message = messages.get(checked);
                    if (predicate.test(message))
                    {
                        return message;
                    }
                }
                if (!awaitUntil(deadlineNs))
                {
                    throw new AssertionError("expected " + description + " among the " + what + " within " +
                        timeout + ", but none matched; " + messages.size() + " arrived:\n" + Payloads.list(messages));
                }
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    void assertCount(final int count)
    {
        lock.lock();
        try
        {
            if (messages.size() != count)
            {
                throw new AssertionError("expected exactly " + count + " " + what + ", but " + messages.size() +
                    " arrived:\n" + Payloads.list(messages));
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Wait for the next addition; false once the deadline has passed. Holds the lock. */
    private boolean awaitUntil(final long deadlineNs)
    {
        final long remainingNs = deadlineNs - System.nanoTime();
        if (remainingNs <= 0)
        {
            return false;
        }
        try
        {
            added.await(remainingNs, TimeUnit.NANOSECONDS);
            return true;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, ex);
        }
    }

    static void checkTimeout(final Duration timeout)
    {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative())
        {
            throw new IllegalArgumentException("invalid timeout " + timeout + ": must not be negative");
        }
    }

    @Override
    public String toString()
    {
        return what;
    }
}
