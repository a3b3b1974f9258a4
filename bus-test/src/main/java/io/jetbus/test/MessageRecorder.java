package io.jetbus.test;

import io.jetbus.api.Connection;
import io.jetbus.api.Dispatcher;
import io.jetbus.api.Message;
import io.jetbus.api.Subjects;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Records every message that arrives on a subject or pattern, on a dispatcher of its own, and waits for what the test
 * expects: {@link #awaitCount(int, Duration)}, {@link #awaitMessage(Predicate, Duration)}. A wait that fails throws an
 * {@link AssertionError} that lists what did arrive (subjects and the start of each payload).
 *
 * <pre>{@code
 * MessageRecorder orders = kit.record("orders.>");
 * service.placeOrder(42);
 * Message created = orders.awaitMessage(m -> m.subject().equals("orders.created"), Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Messages are kept as copies, valid after the handler returned. Waits block on a condition against a real-time
 * deadline; nothing sleeps. Safe for concurrent use. {@link #close()} stops recording; closing the kit closes it.
 */
public final class MessageRecorder implements AutoCloseable
{
    private final String pattern;
    private final Dispatcher dispatcher;
    private final MessageLog log;

    private MessageRecorder(final Connection connection, final String pattern)
    {
        this.pattern = pattern;
        this.log = new MessageLog("messages on \"" + pattern + "\"");
        this.dispatcher = connection.createDispatcher();
        dispatcher.subscribe(pattern, message -> log.add(message.copy()));
    }

    /**
     * Start recording what arrives on a subject or pattern; {@link JetbusKit#record(String)} is the usual way.
     *
     * @param connection the connection to subscribe with.
     * @param pattern    a subject or pattern ({@code *}, {@code >}).
     * @return the recorder, recording from now on.
     * @throws IllegalArgumentException if the pattern is invalid.
     * @throws IllegalStateException    if the connection is closed.
     */
    public static MessageRecorder record(final Connection connection, final String pattern)
    {
        Objects.requireNonNull(connection, "connection");
        Subjects.validatePattern(pattern);
        return new MessageRecorder(connection, pattern);
    }

    /**
     * The subject or pattern recorded.
     *
     * @return the pattern given at creation.
     */
    public String pattern()
    {
        return pattern;
    }

    /**
     * Everything recorded so far, in arrival order.
     *
     * @return an immutable copy.
     */
    public List<Message> messages()
    {
        return log.snapshot();
    }

    /**
     * The subjects of everything recorded so far, in arrival order.
     *
     * @return an immutable list.
     */
    public List<String> subjects()
    {
        final List<String> subjects = new ArrayList<>();
        for (final Message message : log.snapshot())
        {
            subjects.add(message.subject());
        }
        return List.copyOf(subjects);
    }

    /**
     * The payloads of everything recorded so far as UTF-8 text, in arrival order.
     *
     * @return an immutable list.
     */
    public List<String> texts()
    {
        final List<String> texts = new ArrayList<>();
        for (final Message message : log.snapshot())
        {
            texts.add(new String(message.data(), UTF_8));
        }
        return List.copyOf(texts);
    }

    /**
     * How many messages were recorded so far.
     *
     * @return the count.
     */
    public int count()
    {
        return log.size();
    }

    /**
     * Wait until at least {@code count} messages have been recorded.
     *
     * @param count   how many to wait for.
     * @param timeout how long to wait, in real time.
     * @return everything recorded when the count was reached (possibly more than {@code count}).
     * @throws AssertionError           if fewer arrived in time; the message lists those that did.
     * @throws IllegalArgumentException if {@code count} or {@code timeout} is negative.
     */
    public List<Message> awaitCount(final int count, final Duration timeout)
    {
        return log.awaitCount(count, timeout);
    }

    /**
     * Wait until a recorded message matches, and return the first that does (recorded earlier or later).
     *
     * @param predicate what the message must satisfy.
     * @param timeout   how long to wait, in real time.
     * @return the first matching message.
     * @throws AssertionError           if none matched in time; the message lists what arrived.
     * @throws IllegalArgumentException if {@code timeout} is negative.
     */
    public Message awaitMessage(final Predicate<Message> predicate, final Duration timeout)
    {
        return log.awaitMessage(predicate, "a matching message", timeout);
    }

    /**
     * Wait until a message arrives on exactly {@code subject}, and return the first that did.
     *
     * @param subject the literal subject.
     * @param timeout how long to wait, in real time.
     * @return the first message on the subject.
     * @throws AssertionError           if none arrived in time; the message lists what arrived.
     * @throws IllegalArgumentException if {@code timeout} is negative.
     */
    public Message awaitSubject(final String subject, final Duration timeout)
    {
        Objects.requireNonNull(subject, "subject");
        return log.awaitMessage(m -> m.subject().equals(subject), "a message on \"" + subject + "\"", timeout);
    }

    /**
     * Assert that exactly {@code count} messages were recorded so far; call it after {@link JetbusKit#awaitIdle()} to
     * check that nothing more arrived.
     *
     * @param count the expected count.
     * @throws AssertionError if the count differs; the message lists what arrived.
     */
    public void assertCount(final int count)
    {
        log.assertCount(count);
    }

    /**
     * Forget everything recorded so far; recording goes on.
     */
    public void clear()
    {
        log.clear();
    }

    /**
     * Stop recording and close the recorder's dispatcher. What was recorded stays readable. Idempotent.
     */
    @Override
    public void close()
    {
        dispatcher.close();
    }

    @Override
    public String toString()
    {
        return "MessageRecorder{" + pattern + ", " + log.size() + " messages}";
    }
}
