package io.jetbus.test;

import io.jetbus.api.Connection;
import io.jetbus.api.Dispatcher;
import io.jetbus.api.Message;
import io.jetbus.api.Subjects;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * A stand-in for the service behind a request-reply subject: it answers each request with what a function returns
 * and records the requests it received.
 *
 * <pre>{@code
 * ResponderStub users = kit.respond("api.users.lookup").withJson("{\"name\":\"alice\"}");
 * client.lookup(42);
 * assertThat(users.requests()).hasSize(1);
 * }</pre>
 *
 * <p>Nothing is subscribed until {@link #with(Function)} (or one of its shortcuts) is called; calling it again
 * replaces the reply function. A function that returns {@code null} sends no reply, so the request times out; one
 * that throws is reported as a handler exception (and fails a {@link JetbusTest}). Requests are recorded before the
 * reply is sent, as copies. It answers on a dispatcher of its own. Safe for concurrent use.
 */
public final class ResponderStub implements AutoCloseable
{
    private final Connection connection;
    private final String subject;
    private final MessageLog requests;
    private volatile Function<Message, byte[]> reply;
    private Dispatcher dispatcher;
    private boolean closed;

    private ResponderStub(final Connection connection, final String subject)
    {
        this.connection = connection;
        this.subject = subject;
        this.requests = new MessageLog("requests on \"" + subject + "\"");
    }

    /**
     * A stub for a subject or pattern, not yet answering; {@link JetbusKit#respond(String)} is the usual way.
     *
     * @param connection the connection to subscribe and reply with.
     * @param subject    a subject or pattern ({@code *}, {@code >}).
     * @return the stub; call {@link #with(Function)} to start answering.
     * @throws IllegalArgumentException if the subject is invalid.
     */
    public static ResponderStub on(final Connection connection, final String subject)
    {
        Objects.requireNonNull(connection, "connection");
        Subjects.validatePattern(subject);
        return new ResponderStub(connection, subject);
    }

    /**
     * Answer every request with what {@code replyFunction} returns; the first call subscribes.
     *
     * @param replyFunction the reply payload for a request, or {@code null} to send no reply.
     * @return this stub.
     * @throws IllegalStateException if the stub or its connection is closed.
     */
    public ResponderStub with(final Function<Message, byte[]> replyFunction)
    {
        Objects.requireNonNull(replyFunction, "replyFunction");
        synchronized (this)
        {
            if (closed)
            {
                throw new IllegalStateException("responder stub for \"" + subject + "\" is closed");
            }
            reply = replyFunction;
            if (dispatcher == null)
            {
                dispatcher = connection.createDispatcher();
                dispatcher.subscribe(subject, this::onRequest);
            }
        }
        return this;
    }

    /**
     * Answer every request with the UTF-8 text a function returns.
     *
     * @param replyFunction the reply text for a request, or {@code null} to send no reply.
     * @return this stub.
     * @throws IllegalStateException if the stub or its connection is closed.
     */
    public ResponderStub withText(final Function<Message, String> replyFunction)
    {
        Objects.requireNonNull(replyFunction, "replyFunction");
        return with(request ->
        {
            final String text = replyFunction.apply(request);
            return text == null ? null : text.getBytes(UTF_8);
        });
    }

    /**
     * Answer every request with the same UTF-8 text.
     *
     * @param text the reply.
     * @return this stub.
     * @throws IllegalStateException if the stub or its connection is closed.
     */
    public ResponderStub withText(final String text)
    {
        Objects.requireNonNull(text, "text");
        final byte[] bytes = text.getBytes(UTF_8);
        return with(request -> bytes);
    }

    /**
     * Answer every request with the same JSON document, checked for well-formedness now.
     *
     * @param json the reply, a JSON document.
     * @return this stub.
     * @throws IllegalArgumentException if {@code json} is not well-formed JSON (the message says where).
     * @throws IllegalStateException    if the stub or its connection is closed.
     */
    public ResponderStub withJson(final String json)
    {
        Json.check(json);
        return withText(json);
    }

    /**
     * The subject or pattern the stub answers.
     *
     * @return the subject given at creation.
     */
    public String subject()
    {
        return subject;
    }

    /**
     * The requests received so far, in arrival order.
     *
     * @return an immutable copy.
     */
    public List<Message> requests()
    {
        return requests.snapshot();
    }

    /**
     * How many requests were received so far.
     *
     * @return the count.
     */
    public int requestCount()
    {
        return requests.size();
    }

    /**
     * Wait until at least {@code count} requests have been received.
     *
     * @param count   how many to wait for.
     * @param timeout how long to wait, in real time.
     * @return every request received when the count was reached.
     * @throws AssertionError           if fewer arrived in time; the message lists those that did.
     * @throws IllegalArgumentException if {@code count} or {@code timeout} is negative.
     */
    public List<Message> awaitRequests(final int count, final Duration timeout)
    {
        return requests.awaitCount(count, timeout);
    }

    /**
     * Wait until a received request matches, and return the first that does.
     *
     * @param predicate what the request must satisfy.
     * @param timeout   how long to wait, in real time.
     * @return the first matching request.
     * @throws AssertionError           if none matched in time; the message lists what arrived.
     * @throws IllegalArgumentException if {@code timeout} is negative.
     */
    public Message awaitRequest(final Predicate<Message> predicate, final Duration timeout)
    {
        return requests.awaitMessage(predicate, "a matching request", timeout);
    }

    /**
     * Stop answering and close the stub's dispatcher. The recorded requests stay readable. Idempotent.
     */
    @Override
    public void close()
    {
        final Dispatcher toClose;
        synchronized (this)
        {
            closed = true;
            toClose = dispatcher;
        }
        if (toClose != null)
        {
            toClose.close();
        }
    }

    private void onRequest(final Message request)
    {
        requests.add(request.copy());
        final byte[] data = reply.apply(request);
        if (data != null && request.replyTo() != null)
        {
            connection.publish(request.replyTo(), data);
        }
    }

    @Override
    public String toString()
    {
        return "ResponderStub{" + subject + ", " + requests.size() + " requests}";
    }
}
