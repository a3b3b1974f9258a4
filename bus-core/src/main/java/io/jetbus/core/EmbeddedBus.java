package io.jetbus.core;

import io.jetbus.api.Connection;
import io.jetbus.api.ErrorListener;
import io.jetbus.api.Headers;
import io.jetbus.api.SlowConsumerException;
import io.jetbus.api.SlowConsumerPolicy;
import org.agrona.BitUtil;
import org.agrona.concurrent.IdleStrategy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * An in-process message bus with NATS semantics: build one, {@link #connect()} as many connections as you like,
 * publish and subscribe.
 *
 * <pre>{@code
 * try (EmbeddedBus bus = EmbeddedBus.builder().build();
 *      Connection nc = bus.connect())
 * {
 *     Subscription sub = nc.subscribe("greetings.>");
 *     nc.publish("greetings.hello", "hi".getBytes(UTF_8));
 *     Message m = sub.nextMessage(Duration.ofSeconds(1));
 * }
 * }</pre>
 *
 * <p>Safe for concurrent use. {@link #close()} closes every connection, stops every thread and is idempotent.
 */
public final class EmbeddedBus implements AutoCloseable
{
    /** The default max payload, as in NATS: 1 MiB. */
    public static final int DEFAULT_MAX_PAYLOAD = 1024 * 1024;

    /** How many publishing threads get a lane of their own into each dispatcher, by default. */
    public static final int DEFAULT_PUBLISHER_LANES = 4;

    /** The least room a ring record must leave for the subject, reply subject and headers of a max-size payload. */
    static final int MIN_ENVELOPE = 1024;

    private static final AtomicLong BUS_IDS = new AtomicLong();

    private final String id;
    private final int maxPayload;
    private final int ringCapacity;
    private final int maxRecordLength;
    private final int publisherLanes;
    private final Supplier<IdleStrategy> idleStrategy;
    private final TimeSource timeSource;
    private final ErrorListener errorListener;
    private final SlowConsumerPolicy slowConsumerPolicy;
    private final int maxPendingMessages;
    private final long maxPendingBytes;
    private final Path storageDir;
    private final SubjectIndex<BusSubscription> index;
    private final TimerService timers;
    private final Set<BusConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextConnectionId = new AtomicLong();
    private final AtomicInteger nextSubscriptionId = new AtomicInteger();
    private final AtomicLong nextInboxId = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object jetStreamLock = new Object();
    private JetStreamProvider.Engine jetStream;
    private volatile PublishCapture capture;

    private EmbeddedBus(final Builder builder)
    {
        JvmFlags.requireAgronaAccess();
        id = Long.toString(BUS_IDS.incrementAndGet(), 36) + Long.toString(ProcessHandle.current().pid(), 36);
        maxPayload = builder.maxPayload;
        final int defaultRingCapacity = defaultRingCapacity(maxPayload);
        ringCapacity = builder.ringCapacity != 0 ? builder.ringCapacity : defaultRingCapacity;
        maxRecordLength = ringCapacity / 8;
        if (maxRecordLength < maxPayload + MIN_ENVELOPE)
        {
            throw new IllegalArgumentException("ringCapacity=" + ringCapacity + " cannot hold a message of " +
                "maxPayload=" + maxPayload + " (a ring record is at most capacity/8): use a ring of at least " +
                defaultRingCapacity + " bytes");
        }
        publisherLanes = builder.publisherLanes;
        idleStrategy = builder.idleStrategy;
        timeSource = builder.timeSource;
        errorListener = builder.errorListener;
        slowConsumerPolicy = builder.slowConsumerPolicy;
        maxPendingMessages = builder.maxPendingMessages;
        maxPendingBytes = builder.maxPendingBytes;
        storageDir = builder.storageDir;
        index = new SubjectIndex<>(builder.subjectCacheSize);
        timers = new TimerService(timeSource, errorListener, "jetbus-timer-" + id);
    }

    /**
     * A builder with the defaults: 1 MiB max payload, a ring big enough for it, the wakeable back-off idle strategy,
     * the system clock, a logging error listener, and slow consumers dropping messages.
     *
     * @return a new builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Open a connection.
     *
     * @return a new connection, named after this bus and a counter.
     * @throws IllegalStateException if the bus is closed.
     */
    public Connection connect()
    {
        return connect("conn-" + (nextConnectionId.get() + 1));
    }

    /**
     * Open a named connection.
     *
     * @param name for diagnostics: thread names and error messages.
     * @return a new connection.
     * @throws IllegalStateException if the bus is closed.
     */
    public Connection connect(final String name)
    {
        Objects.requireNonNull(name, "name");
        checkOpen();
        final BusConnection connection = new BusConnection(this, name, nextConnectionId.incrementAndGet());
        connections.add(connection);
        if (closed.get())
        {
            connection.close();
            checkOpen();
        }
        return connection;
    }

    /**
     * Whether the bus is closed.
     *
     * @return {@code true} once {@link #close()} was called.
     */
    public boolean isClosed()
    {
        return closed.get();
    }

    /**
     * Close every connection (and so every dispatcher and subscription) and stop the timer thread. Idempotent.
     */
    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        for (final BusConnection connection : connections)
        {
            connection.close();
        }
        synchronized (jetStreamLock)
        {
            if (jetStream != null)
            {
                jetStream.close();
            }
        }
        timers.close();
    }

    private boolean hasJetStreamProvider()
    {
        return ServiceLoader.load(JetStreamProvider.class, EmbeddedBus.class.getClassLoader()).findFirst().isPresent();
    }

    /**
     * The JetStream engine of this bus, started by {@link Builder#build()} when the bus has a storage directory,
     * else on first use; a hook for {@code bus-jetstream}.
     *
     * @return the engine.
     * @throws IllegalStateException if {@code io.jetbus:bus-jetstream} is not on the class path, or the bus is closed.
     */
    JetStreamProvider.Engine jetStream()
    {
        synchronized (jetStreamLock)
        {
            checkOpen();
            if (jetStream == null)
            {
                final JetStreamProvider provider = ServiceLoader
                    .load(JetStreamProvider.class, EmbeddedBus.class.getClassLoader())
                    .findFirst()
                    .orElseThrow(EmbeddedBus::jetStreamMissing);
                jetStream = provider.start(this);
            }
            return jetStream;
        }
    }

    /**
     * The largest payload a message may carry.
     *
     * @return bytes.
     */
    public int maxPayload()
    {
        return maxPayload;
    }

    /**
     * The capacity of each dispatcher's ring.
     *
     * @return bytes, a power of two.
     */
    public int ringCapacity()
    {
        return ringCapacity;
    }

    /**
     * The directory streams are stored in; not for applications.
     *
     * @return the directory, or {@code null} for a bus with memory storage only.
     */
    public Path storageDir()
    {
        return storageDir;
    }

    /**
     * Where the bus reads time; a hook for {@code bus-jetstream} and {@code bus-test}.
     *
     * @return the time source.
     */
    public TimeSource timeSource()
    {
        return timeSource;
    }

    /**
     * The bus's timers; a hook for {@code bus-jetstream}.
     *
     * @return the timer service.
     */
    public TimerService timers()
    {
        return timers;
    }

    /**
     * Where the bus reports what it cannot throw.
     *
     * @return the error listener.
     */
    public ErrorListener errorListener()
    {
        return errorListener;
    }

    @Override
    public String toString()
    {
        return "EmbeddedBus{id=" + id + ", maxPayload=" + maxPayload + ", ringCapacity=" + ringCapacity + '}';
    }

    String id()
    {
        return id;
    }

    SlowConsumerPolicy slowConsumerPolicy()
    {
        return slowConsumerPolicy;
    }

    int maxPendingMessages()
    {
        return maxPendingMessages;
    }

    long maxPendingBytes()
    {
        return maxPendingBytes;
    }

    int publisherLanes()
    {
        return publisherLanes;
    }

    IdleStrategy newIdleStrategy()
    {
        return idleStrategy.get();
    }

    int nextSubscriptionId()
    {
        return nextSubscriptionId.incrementAndGet();
    }

    long nextInboxId()
    {
        return nextInboxId.incrementAndGet();
    }

    /**
     * Install the hook that stores the core publishes streams capture, or remove it with null. A hook for the
     * JetStream engine.
     *
     * @param capture the hook, or null for none.
     */
    public void capture(final PublishCapture capture)
    {
        this.capture = capture;
    }

    /**
     * Deliver a message to the core subscribers of its subject without offering it to the capture hook: for the
     * JetStream engine, which has stored it already.
     *
     * @param subject a valid publish subject.
     * @param replyTo a valid reply subject, or null.
     * @param headers the headers, or null.
     * @param data the payload.
     * @throws SlowConsumerException if a subscriber with the block policy stayed full.
     */
    public void deliver(final String subject, final String replyTo, final Headers headers, final byte[] data)
    {
        checkOpen();
        final SubjectIndex.Result<BusSubscription> targets = index.match(subject);
        if (targets.isEmpty())
        {
            return; // no subscriber: nothing to encode (a stream publish nobody reads in core, the common case)
        }
        final Outgoing message = Outgoing.acquire();
        try
        {
            route(message.set(subject, replyTo, HeadersCodec.encode(headers)).data(data), targets);
        }
        finally
        {
            message.release();
        }
    }

    /** Offer a core publish to the capture hook, if one is installed and captures its subject. */
    void capture(final String subject, final String replyTo, final Headers headers, final byte[] data)
    {
        final PublishCapture hook = capture;
        if (hook != null && hook.captures(subject))
        {
            hook.capture(subject, replyTo, headers, ByteBuffer.wrap(data).asReadOnlyBuffer());
        }
    }

    /** Offer a core publish to the capture hook, if one is installed and captures its subject. */
    void capture(final String subject, final String replyTo, final Headers headers, final ByteBuffer data)
    {
        final PublishCapture hook = capture;
        if (hook != null && hook.captures(subject))
        {
            hook.capture(subject, replyTo, headers, data.asReadOnlyBuffer());
        }
    }

    void removeConnection(final BusConnection connection)
    {
        connections.remove(connection);
    }

    void route(final BusSubscription subscription)
    {
        index.add(subscription.subject(), subscription.queueName(), subscription);
    }

    void unroute(final BusSubscription subscription)
    {
        index.remove(subscription.subject(), subscription.queueName(), subscription);
    }

    /** The subscriptions a valid publish subject reaches now, for {@link #route(Outgoing, SubjectIndex.Result)}. */
    SubjectIndex.Result<BusSubscription> match(final String subject)
    {
        return index.match(subject);
    }

    /** Deliver one message to every matching subscription and to one member of each matching queue group. */
    void route(final Outgoing message)
    {
        route(message, index.match(message.subject));
    }

    /** Deliver one message to the targets looked up for its subject. */
    void route(final Outgoing message, final SubjectIndex.Result<BusSubscription> targets)
    {
        if (message.dataLength > maxPayload)
        {
            throw new IllegalArgumentException("payload of " + message.dataLength + " bytes exceeds maxPayload=" +
                maxPayload + " on subject \"" + message.subject + "\"");
        }
        if (message.maxEncodedLength() > maxRecordLength)
        {
            throw new IllegalArgumentException("message of " + message.maxEncodedLength() + " bytes (subject, reply " +
                "subject, headers and payload) exceeds the ring's max record length " + maxRecordLength);
        }
        SlowConsumerException failure = null;
        for (int i = 0, n = targets.plainCount(); i < n; i++)
        {
            failure = deliver(targets.plain(i), message, failure);
        }
        for (int g = 0, n = targets.groupCount(); g < n; g++)
        {
            failure = deliver(targets.pick(g), message, failure);
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    private SlowConsumerException deliver(
        final BusSubscription subscription, final Outgoing message, final SlowConsumerException failure)
    {
        if (subscription.offer(message))
        {
            return failure;
        }
        final SlowConsumerPolicy policy = subscription.slowConsumerPolicy();
        if (policy.action() == SlowConsumerPolicy.Action.DROP)
        {
            drop(subscription);
            return failure;
        }
        if (Thread.currentThread() == subscription.consumerThread())
        {
            drop(subscription);
            return firstOf(failure, new SlowConsumerException("the handler of " + subscription + " published to " +
                "its own full ring: it cannot block on itself, so the message was dropped for that subscription"));
        }
        final long timeoutNs = policy.blockTimeout().toNanos();
        final long startNs = timeSource.nanoTime();
        long parkNs = 1_000;
        while (subscription.isActive() && !closed.get())
        {
            LockSupport.parkNanos(parkNs);
            parkNs = Math.min(parkNs << 1, 100_000);
            if (subscription.offer(message))
            {
                return failure;
            }
            if (timeSource.nanoTime() - startNs >= timeoutNs)
            {
                drop(subscription);
                return firstOf(failure, new SlowConsumerException(subscription + " stayed full for " +
                    policy.blockTimeout() + ": the message to \"" + message.subject + "\" was dropped for it"));
            }
        }
        return failure;
    }

    private static IllegalStateException jetStreamMissing()
    {
        return new IllegalStateException(
            "JetStream needs the module io.jetbus:bus-jetstream on the class path, and it is not there");
    }

    /** Eight max-size messages, each with room for a subject, reply subject and headers of up to 1/16 its size. */
    private static int defaultRingCapacity(final int maxPayload)
    {
        final int envelope = Math.max(4 * MIN_ENVELOPE, Math.min(64 * 1024, maxPayload / 16));
        return BitUtil.findNextPositivePowerOfTwo(8 * (maxPayload + envelope));
    }

    private void drop(final BusSubscription subscription)
    {
        if (subscription.onDropped())
        {
            errorListener.onSlowConsumer(subscription, subscription.droppedCount());
        }
    }

    private static SlowConsumerException firstOf(final SlowConsumerException first, final SlowConsumerException next)
    {
        return first != null ? first : next;
    }

    void flush(final Duration timeout) throws TimeoutException, InterruptedException
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        final List<CompletableFuture<Void>> pending = new ArrayList<>();
        final Thread self = Thread.currentThread();
        for (final BusConnection connection : connections)
        {
            for (final BusDispatcher dispatcher : connection.dispatchers())
            {
                if (dispatcher.thread() != self)
                {
                    pending.add(dispatcher.whenHandled());
                }
            }
        }
        for (final CompletableFuture<Void> future : pending)
        {
            try
            {
                future.get(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (final ExecutionException ex)
            {
                throw new IllegalStateException("flush failed", ex.getCause());
            }
            catch (final TimeoutException ex)
            {
                throw new TimeoutException("flush did not complete within " + timeout);
            }
        }
    }

    /**
     * Wait until the bus is quiet: every message published before this call has been handled, and so has every
     * message that handlers published in turn while this call waited. It flushes until no message was routed to any
     * subscription during a flush. Messages that other threads keep publishing meanwhile are not waited for. A hook for
     * {@code bus-test}'s {@code awaitIdle}, not for applications.
     *
     * @param timeout how long to wait, in real time.
     * @throws TimeoutException     if the bus was still busy when the timeout elapsed.
     * @throws InterruptedException if the calling thread was interrupted.
     */
    public void awaitIdle(final Duration timeout) throws TimeoutException, InterruptedException
    {
        Objects.requireNonNull(timeout, "timeout");
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        long before = routedTotal();
        while (true)
        {
            try
            {
                flush(Duration.ofNanos(Math.max(0, deadlineNs - System.nanoTime())));
            }
            catch (final TimeoutException ex)
            {
                throw new TimeoutException("bus " + id + " did not become idle within " + timeout);
            }
            final long after = routedTotal();
            if (after == before)
            {
                return;
            }
            before = after;
        }
    }

    /** How many messages were routed to every subscription so far: it stands still only when nothing is published. */
    private long routedTotal()
    {
        long total = 0;
        for (final BusConnection connection : connections)
        {
            for (final BusSubscription subscription : connection.subscriptions())
            {
                total += subscription.routedMessages();
            }
        }
        return total;
    }

    private void checkOpen()
    {
        if (closed.get())
        {
            throw new IllegalStateException("bus " + id + " is closed");
        }
    }

    /**
     * Options for an {@link EmbeddedBus}. Each setter checks its argument; {@link #build()} checks combinations.
     */
    public static final class Builder
    {
        private int maxPayload = DEFAULT_MAX_PAYLOAD;
        private int ringCapacity;
        private Supplier<IdleStrategy> idleStrategy = WakeableIdleStrategy::new;
        private TimeSource timeSource = TimeSource.system();
        private ErrorListener errorListener = ErrorListener.logging();
        private SlowConsumerPolicy slowConsumerPolicy = SlowConsumerPolicy.drop();
        private int maxPendingMessages = 512 * 1024;
        private long maxPendingBytes = 64L * 1024 * 1024;
        private int subjectCacheSize = 64 * 1024;
        private int publisherLanes = DEFAULT_PUBLISHER_LANES;
        private Path storageDir;

        private Builder()
        {
        }

        /**
         * The largest payload a message may carry; default 1 MiB.
         *
         * @param bytes at least 1.
         * @return this builder.
         * @throws IllegalArgumentException if not positive.
         */
        public Builder maxPayload(final int bytes)
        {
            if (bytes <= 0)
            {
                throw new IllegalArgumentException("maxPayload must be positive: " + bytes);
            }
            maxPayload = bytes;
            return this;
        }

        /**
         * The capacity of each dispatcher's ring; default the smallest power of two holding 8 max-size messages.
         *
         * @param bytes a power of two.
         * @return this builder.
         * @throws IllegalArgumentException if not a power of two.
         */
        public Builder ringCapacity(final int bytes)
        {
            if (!BitUtil.isPowerOfTwo(bytes))
            {
                throw new IllegalArgumentException("ringCapacity must be a power of two: " + bytes);
            }
            ringCapacity = bytes;
            return this;
        }

        /**
         * How dispatcher threads wait for work; one strategy per dispatcher. The default spins, yields, then parks
         * and is woken by publishers; {@code BusySpinIdleStrategy::new} gives the lowest latency at the cost of a
         * core per dispatcher.
         *
         * @param factory creates one strategy per dispatcher.
         * @return this builder.
         */
        public Builder idleStrategy(final Supplier<IdleStrategy> factory)
        {
            idleStrategy = Objects.requireNonNull(factory, "idleStrategy");
            return this;
        }

        /**
         * How many publishing threads get a single-producer lane of their own into each dispatcher; default
         * {@value EmbeddedBus#DEFAULT_PUBLISHER_LANES}. A lane is a ring of {@link #ringCapacity(int)} bytes,
         * allocated off-heap on the thread's first publish to that dispatcher and kept until it closes; it spares the
         * publisher the compare-and-swap of the shared ring and any contention with other publishers. Threads that
         * come after the lanes are taken share the dispatcher's ring, as every thread does with 0.
         *
         * @param lanes 0 or more.
         * @return this builder.
         * @throws IllegalArgumentException if negative.
         */
        public Builder publisherLanes(final int lanes)
        {
            if (lanes < 0)
            {
                throw new IllegalArgumentException("publisherLanes must be >= 0: " + lanes);
            }
            publisherLanes = lanes;
            return this;
        }

        /**
         * Where the bus reads time; the test kit's virtual clock goes here.
         *
         * @param timeSource the time source.
         * @return this builder.
         */
        public Builder timeSource(final TimeSource timeSource)
        {
            this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
            return this;
        }

        /**
         * Where the bus reports handler exceptions, slow consumers and internal errors.
         *
         * @param listener the listener.
         * @return this builder.
         */
        public Builder errorListener(final ErrorListener listener)
        {
            errorListener = Objects.requireNonNull(listener, "errorListener");
            return this;
        }

        /**
         * The slow-consumer policy new subscriptions start with; default drop.
         *
         * @param policy the policy.
         * @return this builder.
         */
        public Builder slowConsumerPolicy(final SlowConsumerPolicy policy)
        {
            slowConsumerPolicy = Objects.requireNonNull(policy, "slowConsumerPolicy");
            return this;
        }

        /**
         * Limits on what a synchronous subscription may hold before it counts as slow; default 512 Ki messages and
         * 64 MiB.
         *
         * @param messages at least 1.
         * @param bytes    at least 1.
         * @return this builder.
         * @throws IllegalArgumentException if either is not positive.
         */
        public Builder maxPending(final int messages, final long bytes)
        {
            if (messages <= 0 || bytes <= 0)
            {
                throw new IllegalArgumentException("max pending messages and bytes must be positive: messages=" +
                    messages + ", bytes=" + bytes);
            }
            maxPendingMessages = messages;
            maxPendingBytes = bytes;
            return this;
        }

        /**
         * How many subjects' match results are cached; default 64 Ki.
         *
         * @param entries at least 1.
         * @return this builder.
         * @throws IllegalArgumentException if not positive.
         */
        public Builder subjectCacheSize(final int entries)
        {
            if (entries <= 0)
            {
                throw new IllegalArgumentException("subjectCacheSize must be positive: " + entries);
            }
            subjectCacheSize = entries;
            return this;
        }

        /**
         * The directory FILE streams are stored in (needs {@code bus-jetstream}); default none, so only MEMORY
         * streams can be created.
         *
         * @param dir the storage directory; created if absent.
         * @return this builder.
         */
        public Builder storageDir(final Path dir)
        {
            storageDir = Objects.requireNonNull(dir, "storageDir");
            return this;
        }

        /**
         * Build and start the bus.
         *
         * @return the bus.
         * @throws IllegalArgumentException if the ring cannot hold a message of max payload.
         * @throws IllegalStateException    if the JVM lacks the flags the bus needs (the message lists them), or
         *                                  the storage directory cannot be opened (for example, another bus holds
         *                                  it).
         */
        public EmbeddedBus build()
        {
            final EmbeddedBus bus = new EmbeddedBus(this);
            if (storageDir != null && bus.hasJetStreamProvider())
            {
                // Streams on disk capture core publishes from the start, and a locked directory fails here.
                try
                {
                    bus.jetStream();
                }
                catch (final RuntimeException | Error e)
                {
                    bus.close();
                    throw e;
                }
            }
            return bus;
        }
    }
}
