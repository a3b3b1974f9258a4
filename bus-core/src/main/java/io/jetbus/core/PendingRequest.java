package io.jetbus.core;

import io.jetbus.api.Message;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * One request waiting for its reply: the future handed to the caller, and its own timeout task, so a request costs
 * this object and its {@link TimerService.Timer}, with no lambda and no completion callback.
 *
 * <p>The connection keys it by {@code token}, the number whose base-36 digits end the reply subject
 * ({@code _INBOX.<bus>-<connection>.<token>}). Whoever takes it out of the connection's map completes it and stops
 * its timer: the reply, the timeout or the connection's close; the others find it gone. A caller that completes or
 * cancels the future itself takes it out too, so a request nobody waits for holds no entry and no timer. Safe for
 * concurrent use.
 */
final class PendingRequest extends CompletableFuture<Message> implements Runnable
{
    /** The most base-36 digits a positive long has. */
    private static final int MAX_TOKEN_DIGITS = 13;
    private static final byte[] DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);

    private final BusConnection connection;
    private final long token;
    private final String subject;
    private final Duration timeout;
    /** Set under the connection's lock on its map before the request is published; read by whoever removes it. */
    private TimerService.Timer timer;

    PendingRequest(final BusConnection connection, final long token, final String subject, final Duration timeout)
    {
        this.connection = connection;
        this.token = token;
        this.subject = subject;
        this.timeout = timeout;
    }

    long token()
    {
        return token;
    }

    void timer(final TimerService.Timer timer)
    {
        this.timer = timer;
    }

    /** The timeout: runs on the timer thread (or the manual clock's). */
    @Override
    public void run()
    {
        if (connection.removePending(this))
        {
            super.completeExceptionally(
                new TimeoutException("request to \"" + subject + "\" timed out after " + timeout));
        }
    }

    /** Called by the one who removed it from the connection's map: stop the timeout and complete. */
    void completeRemoved(final Message reply)
    {
        timer.cancel();
        super.complete(reply);
    }

    /** Called by the one who removed it from the connection's map: stop the timeout and fail. */
    void failRemoved(final Throwable error)
    {
        timer.cancel();
        super.completeExceptionally(error);
    }

    @Override
    public boolean complete(final Message value)
    {
        final boolean completed = super.complete(value);
        forget(completed);
        return completed;
    }

    @Override
    public boolean completeExceptionally(final Throwable error)
    {
        final boolean completed = super.completeExceptionally(error);
        forget(completed);
        return completed;
    }

    @Override
    public boolean cancel(final boolean mayInterruptIfRunning)
    {
        final boolean cancelled = super.cancel(mayInterruptIfRunning);
        forget(cancelled);
        return cancelled;
    }

    /** The caller completed or cancelled the future itself: a reply would find nobody waiting, so stop waiting. */
    private void forget(final boolean completed)
    {
        if (completed && connection.removePending(this))
        {
            timer.cancel();
        }
    }

    /**
     * The reply subject: the connection's inbox prefix, then the token in base 36.
     *
     * @param inboxPrefix {@code _INBOX.<bus>-<connection>.}, ASCII.
     * @param token       positive.
     * @return the subject.
     */
    static String replySubject(final byte[] inboxPrefix, final long token)
    {
        int digitCount = 1;
        for (long rest = token / 36; rest != 0; rest /= 36)
        {
            digitCount++;
        }
        final byte[] subject = Arrays.copyOf(inboxPrefix, inboxPrefix.length + digitCount);
        long rest = token;
        for (int i = subject.length - 1; i >= inboxPrefix.length; i--)
        {
            subject[i] = DIGITS[(int)(rest % 36)];
            rest /= 36;
        }
        return new String(subject, StandardCharsets.ISO_8859_1);
    }

    /**
     * The token a reply subject ends with, read in place: the base-36 digits after its last dot, as
     * {@link #replySubject} writes them (lower case, no leading zero).
     *
     * @param subject a reply subject.
     * @return the token, or 0 when the last token is not one (no request has token 0).
     */
    static long parseToken(final String subject)
    {
        final int start = subject.lastIndexOf('.') + 1;
        final int length = subject.length() - start;
        if (length == 0 || length > MAX_TOKEN_DIGITS || subject.charAt(start) == '0')
        {
            return 0;
        }
        long token = 0;
        for (int i = start, end = subject.length(); i < end; i++)
        {
            final char c = subject.charAt(i);
            final int digit;
            if (c >= '0' && c <= '9')
            {
                digit = c - '0';
            }
            else if (c >= 'a' && c <= 'z')
            {
                digit = c - 'a' + 10;
            }
            else
            {
                return 0;
            }
            if (token > (Long.MAX_VALUE - digit) / 36)
            {
                return 0;
            }
            token = token * 36 + digit;
        }
        return token;
    }
}
