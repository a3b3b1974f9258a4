package io.jetbus.core;

import io.jetbus.api.Connection;
import io.jetbus.api.Dispatcher;
import io.jetbus.api.Headers;
import io.jetbus.api.Message;
import io.jetbus.api.MessageHandler;
import io.jetbus.api.NoRespondersException;
import io.jetbus.api.Subjects;
import io.jetbus.api.Subscription;
import io.jetbus.api.jetstream.JetStream;
import io.jetbus.api.jetstream.JetStreamManagement;
import org.agrona.collections.Long2ObjectHashMap;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection: publishes through the bus, owns its subscriptions and dispatchers, and multiplexes its requests
 * over one inbox subscription.
 */
final class BusConnection implements Connection
{
    /** The capacity beyond which an emptied request map gives its arrays back. */
    private static final int COMPACT_PENDING_CAPACITY = 1024;

    final EmbeddedBus bus;
    private final String name;
    private final String inboxPrefix;
    private final byte[] inboxPrefixAscii;
    private final Set<BusSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final Set<BusDispatcher> dispatchers = ConcurrentHashMap.newKeySet();
    /** The requests waiting for a reply, by token; guarded by itself. */
    private final Long2ObjectHashMap<PendingRequest> pendingRequests = new Long2ObjectHashMap<>();
    private final AtomicLong nextToken = new AtomicLong();
    private final AtomicLong nextDispatcher = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object inboxLock = new Object();
    private volatile InboxSubscription inbox;

    BusConnection(final EmbeddedBus bus, final String name, final long id)
    {
        this.bus = bus;
        this.name = name;
        this.inboxPrefix = "_INBOX." + bus.id() + "-" + id + ".";
        this.inboxPrefixAscii = inboxPrefix.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public void publish(final String subject, final byte[] data)
    {
        publish(subject, null, null, data);
    }

    @Override
    public void publish(final String subject, final Headers headers, final byte[] data)
    {
        publish(subject, null, headers, data);
    }

    @Override
    public void publish(final String subject, final String replyTo, final byte[] data)
    {
        publish(subject, replyTo, null, data);
    }

    @Override
    public void publish(final String subject, final String replyTo, final Headers headers, final byte[] data)
    {
        checkOpen();
        final Outgoing message = Outgoing.acquire();
        try
        {
            message.checkSubjects(subject, replyTo);
            bus.capture(subject, replyTo, headers, data == null ? HeadersCodec.EMPTY : data);
            bus.route(message.set(subject, replyTo, HeadersCodec.encode(headers)).data(data));
        }
        finally
        {
            message.release();
        }
    }

    @Override
    public void publish(final String subject, final String replyTo, final Headers headers, final ByteBuffer data)
    {
        Objects.requireNonNull(data, "data");
        checkOpen();
        final Outgoing message = Outgoing.acquire();
        try
        {
            message.checkSubjects(subject, replyTo);
            bus.capture(subject, replyTo, headers, data);
            bus.route(message.set(subject, replyTo, HeadersCodec.encode(headers)).data(data));
        }
        finally
        {
            message.release();
        }
    }

    @Override
    public Subscription subscribe(final String subject)
    {
        return subscribeSync(subject, null);
    }

    @Override
    public Subscription subscribe(final String subject, final String queueName)
    {
        Objects.requireNonNull(queueName, "queueName");
        return subscribeSync(subject, queueName);
    }

    private Subscription subscribeSync(final String subject, final String queueName)
    {
        Subjects.validatePattern(subject);
        if (queueName != null)
        {
            Subjects.validateQueueName(queueName);
        }
        checkOpen();
        final SyncSubscription subscription = new SyncSubscription(this, subject, queueName);
        addSubscription(subscription);
        return subscription;
    }

    @Override
    public Dispatcher createDispatcher()
    {
        return createDispatcher(null);
    }

    @Override
    public Dispatcher createDispatcher(final MessageHandler handler)
    {
        checkOpen();
        final BusDispatcher dispatcher = new BusDispatcher(this, handler,
            "jetbus-dispatcher-" + name + "-" + nextDispatcher.incrementAndGet());
        dispatchers.add(dispatcher);
        if (closed.get())
        {
            dispatcher.close();
            checkOpen();
        }
        return dispatcher;
    }

    @Override
    public CompletableFuture<Message> request(final String subject, final byte[] data, final Duration timeout)
    {
        return request(subject, null, data, timeout);
    }

    @Override
    public CompletableFuture<Message> request(
        final String subject, final Headers headers, final byte[] data, final Duration timeout)
    {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative())
        {
            throw new IllegalArgumentException("request timeout must be positive: " + timeout);
        }
        checkOpen();
        final Outgoing message = Outgoing.acquire();
        try
        {
            message.checkSubjects(subject, null);
            final SubjectIndex.Result<BusSubscription> targets = bus.match(subject);
            if (targets.isEmpty())
            {
                return CompletableFuture.failedFuture(new NoRespondersException(subject));
            }
            ensureInbox();
            final PendingRequest request = new PendingRequest(this, nextToken.incrementAndGet(), subject, timeout);
            register(request, timeout.toNanos());
            // Valid by construction: the inbox prefix's tokens and base-36 digits; no need to check it again.
            final String replyTo = PendingRequest.replySubject(inboxPrefixAscii, request.token());
            try
            {
                bus.capture(subject, replyTo, headers, data == null ? HeadersCodec.EMPTY : data);
                // The targets that decided there are responders: one lookup for both.
                bus.route(message.set(subject, replyTo, HeadersCodec.encode(headers)).data(data), targets);
            }
            catch (final RuntimeException ex)
            {
                if (removePending(request))
                {
                    request.failRemoved(ex);
                }
            }
            return request;
        }
        finally
        {
            message.release();
        }
    }

    /** Add the request to the map and start its timeout, together, so whoever removes it sees its timer. */
    private void register(final PendingRequest request, final long timeoutNs)
    {
        synchronized (pendingRequests)
        {
            request.timer(bus.timers().schedule(timeoutNs, request));
            pendingRequests.put(request.token(), request);
        }
        if (closed.get() && removePending(request))
        {
            // close() emptied the map before this request was in it.
            request.failRemoved(closedError());
        }
    }

    /**
     * Take the request out of the map, for the one who will complete it.
     *
     * @return false if it was no longer there: someone else completes it.
     */
    boolean removePending(final PendingRequest request)
    {
        synchronized (pendingRequests)
        {
            return removePendingLocked(request.token()) != null;
        }
    }

    private PendingRequest removePendingLocked(final long token)
    {
        final PendingRequest removed = pendingRequests.remove(token);
        if (removed != null && pendingRequests.isEmpty() && pendingRequests.capacity() > COMPACT_PENDING_CAPACITY)
        {
            pendingRequests.compact(); // give back the arrays a burst of requests grew
        }
        return removed;
    }

    /** A reply reached the inbox: complete its request, or drop it quietly when it came too late. */
    boolean onReply(final Outgoing reply, final InboxSubscription subscription)
    {
        final long token = PendingRequest.parseToken(reply.subject);
        if (token == 0)
        {
            return false;
        }
        final PendingRequest request;
        synchronized (pendingRequests)
        {
            request = removePendingLocked(token);
        }
        if (request == null)
        {
            return false;
        }
        request.completeRemoved(reply.toMessage(subscription));
        return true;
    }

    int pendingRequestCount()
    {
        synchronized (pendingRequests)
        {
            return pendingRequests.size();
        }
    }

    @Override
    public String createInbox()
    {
        checkOpen();
        return "_INBOX." + bus.id() + "-" + bus.nextInboxId();
    }

    @Override
    public JetStream jetStream()
    {
        checkOpen();
        return bus.jetStream().jetStream(this);
    }

    @Override
    public JetStreamManagement jetStreamManagement()
    {
        checkOpen();
        return bus.jetStream().management(this);
    }

    @Override
    public void flush(final Duration timeout) throws TimeoutException, InterruptedException
    {
        Objects.requireNonNull(timeout, "timeout");
        checkOpen();
        bus.flush(timeout);
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
        for (final BusSubscription subscription : subscriptions)
        {
            bus.unroute(subscription);
        }
        final List<CompletableFuture<Boolean>> drains = new ArrayList<>();
        for (final BusDispatcher dispatcher : dispatchers)
        {
            drains.add(dispatcher.drain(timeout));
        }
        CompletableFuture.allOf(drains.toArray(new CompletableFuture<?>[0])).whenComplete((ignored, error) ->
        {
            boolean all = error == null;
            for (final CompletableFuture<Boolean> drain : drains)
            {
                all &= drain.getNow(false);
            }
            close();
            result.complete(all);
        });
        return result;
    }

    @Override
    public boolean isClosed()
    {
        return closed.get();
    }

    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        for (final BusDispatcher dispatcher : dispatchers)
        {
            dispatcher.close();
        }
        for (final BusSubscription subscription : subscriptions)
        {
            subscription.unsubscribe();
            if (subscription instanceof SyncSubscription)
            {
                ((SyncSubscription)subscription).discardPending();
            }
        }
        final List<PendingRequest> pending;
        synchronized (pendingRequests)
        {
            pending = new ArrayList<>(pendingRequests.values());
            pendingRequests.clear();
            pendingRequests.compact();
        }
        final IllegalStateException closedError = closedError();
        for (final PendingRequest request : pending)
        {
            request.failRemoved(closedError);
        }
        bus.removeConnection(this);
    }

    void addSubscription(final BusSubscription subscription)
    {
        subscriptions.add(subscription);
        bus.route(subscription);
        if (closed.get())
        {
            subscription.unsubscribe();
            checkOpen();
        }
    }

    void removeSubscription(final BusSubscription subscription)
    {
        bus.unroute(subscription);
        subscriptions.remove(subscription);
    }

    void removeDispatcher(final BusDispatcher dispatcher)
    {
        dispatchers.remove(dispatcher);
    }

    Set<BusDispatcher> dispatchers()
    {
        return dispatchers;
    }

    Set<BusSubscription> subscriptions()
    {
        return subscriptions;
    }

    private void ensureInbox()
    {
        if (inbox == null)
        {
            synchronized (inboxLock)
            {
                if (inbox == null)
                {
                    final InboxSubscription subscription = new InboxSubscription(this, inboxPrefix + "*");
                    addSubscription(subscription);
                    inbox = subscription;
                }
            }
        }
    }

    private void checkOpen()
    {
        if (closed.get())
        {
            throw closedError();
        }
    }

    private IllegalStateException closedError()
    {
        return new IllegalStateException("connection " + name + " is closed");
    }

    @Override
    public String toString()
    {
        return "Connection{" + name + '}';
    }
}
