package io.jetbus.test;

import io.jetbus.api.Connection;
import io.jetbus.core.EmbeddedBus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * A bus for one test and the helpers to drive and observe it: a {@link Connection} for the code under test, the
 * {@link VirtualClock}, {@link MessageRecorder}s, {@link ResponderStub}s, {@link #awaitIdle()}, one-call publishing
 * of text and JSON, the {@link BusEvents} the bus reported, and the {@link JetStreamInspector}.
 *
 * <p>{@link JetbusTest} makes one per test and closes it afterwards. Without the extension, build one with
 * {@link #builder()} and close it yourself. The kit's helpers use a connection of their own, so a test may close or
 * drain {@link #connection()}. Safe for concurrent use.
 */
public final class JetbusKit implements AutoCloseable
{
    /** How long {@link #awaitIdle()} waits, in real time. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final VirtualClock clock;
    private final Path storageDir;
    private final BusEvents events = new BusEvents();
    private final EmbeddedBus bus;
    private final Connection connection;
    private final Connection kitConnection;
    private final List<AutoCloseable> helpers = new ArrayList<>();
    private final JetStreamInspector jetStream;
    private boolean closed;

    private JetbusKit(final Builder builder)
    {
        clock = builder.clock;
        storageDir = builder.storageDir;
        final EmbeddedBus.Builder busBuilder = EmbeddedBus.builder();
        builder.customizer.accept(busBuilder);
        busBuilder.errorListener(events.listener());
        if (clock != null)
        {
            busBuilder.timeSource(clock);
        }
        if (storageDir != null)
        {
            busBuilder.storageDir(storageDir);
        }
        bus = busBuilder.build();
        try
        {
            connection = bus.connect("test");
            kitConnection = bus.connect("test-kit");
        }
        catch (final RuntimeException | Error ex)
        {
            bus.close();
            throw ex;
        }
        jetStream = new JetStreamInspector(this, kitConnection);
    }

    /**
     * A builder for a kit with virtual time, memory storage and the bus's default options.
     *
     * @return a new builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * The bus.
     *
     * @return the bus, reporting to {@link #events()}.
     */
    public EmbeddedBus bus()
    {
        return bus;
    }

    /**
     * A connection for the code under test, named {@code test}.
     *
     * @return the connection.
     */
    public Connection connection()
    {
        return connection;
    }

    /**
     * The virtual clock the bus reads.
     *
     * @return the clock.
     * @throws IllegalStateException if the kit runs on the system clock ({@code virtualTime = false}).
     */
    public VirtualClock clock()
    {
        if (clock == null)
        {
            throw new IllegalStateException("this bus runs on the system clock (virtualTime = false): there is no " +
                "virtual clock");
        }
        return clock;
    }

    /**
     * Whether the bus reads the virtual clock.
     *
     * @return {@code true} unless built with {@code virtualTime(false)}.
     */
    public boolean hasVirtualTime()
    {
        return clock != null;
    }

    /**
     * The directory FILE streams are stored in.
     *
     * @return the directory, or {@code null} for memory storage only.
     */
    public Path storageDir()
    {
        return storageDir;
    }

    /**
     * What the bus reported: handler exceptions, slow consumers, errors and advisories.
     *
     * @return the events, live.
     */
    public BusEvents events()
    {
        return events;
    }

    /**
     * Start recording what arrives on a subject or pattern.
     *
     * @param pattern a subject or pattern ({@code *}, {@code >}), e.g. {@code "orders.>"}.
     * @return the recorder, closed with the kit.
     * @throws IllegalArgumentException if the pattern is invalid.
     * @throws IllegalStateException    if the kit is closed.
     */
    public MessageRecorder record(final String pattern)
    {
        synchronized (helpers)
        {
            checkOpen();
            final MessageRecorder recorder = MessageRecorder.record(kitConnection, pattern);
            helpers.add(recorder);
            return recorder;
        }
    }

    /**
     * A stub that answers requests on a subject once given a reply with {@link ResponderStub#with}.
     *
     * @param subject a subject or pattern, e.g. {@code "api.users.lookup"}.
     * @return the stub, closed with the kit.
     * @throws IllegalArgumentException if the subject is invalid.
     * @throws IllegalStateException    if the kit is closed.
     */
    public ResponderStub respond(final String subject)
    {
        synchronized (helpers)
        {
            checkOpen();
            final ResponderStub stub = ResponderStub.on(kitConnection, subject);
            helpers.add(stub);
            return stub;
        }
    }

    /**
     * Publish a UTF-8 text payload.
     *
     * @param subject to publish to.
     * @param text    the payload.
     * @throws IllegalArgumentException if the subject is invalid or the payload too large.
     */
    public void publishText(final String subject, final String text)
    {
        Objects.requireNonNull(text, "text");
        kitConnection.publish(subject, text.getBytes(UTF_8));
    }

    /**
     * Publish a JSON payload as UTF-8, after checking that it is well-formed JSON.
     *
     * @param subject to publish to.
     * @param json    the payload, one JSON value.
     * @throws IllegalArgumentException if the JSON is malformed (the message gives the offset and what was expected),
     *                                  the subject is invalid or the payload too large.
     */
    public void publishJson(final String subject, final String json)
    {
        Json.check(json);
        kitConnection.publish(subject, json.getBytes(UTF_8));
    }

    /**
     * Wait until the bus is idle: every handler has run on every message published so far, including the messages
     * handlers published in turn. Waits at most {@link #DEFAULT_TIMEOUT} in real time.
     *
     * @throws AssertionError if the bus was still busy after the timeout.
     */
    public void awaitIdle()
    {
        awaitIdle(DEFAULT_TIMEOUT);
    }

    /**
     * Wait until the bus is idle, as {@link #awaitIdle()}, for at most {@code timeout}.
     *
     * @param timeout how long to wait, in real time.
     * @throws AssertionError if the bus was still busy after the timeout.
     */
    public void awaitIdle(final Duration timeout)
    {
        MessageLog.checkTimeout(timeout);
        try
        {
            bus.awaitIdle(timeout);
        }
        catch (final TimeoutException ex)
        {
            throw new AssertionError("the bus did not become idle within " + timeout + ": a handler is still " +
                "running, or messages keep being published", ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the bus to become idle", ex);
        }
    }

    /**
     * Move the virtual clock forward, firing the timers that fall due, then {@link #awaitIdle()} so that the work the
     * timers handed to dispatchers (a redelivery, a timeout's callbacks) is done too.
     *
     * @param duration how far to move the clock.
     * @return the number of timers fired.
     * @throws IllegalStateException    if the kit runs on the system clock.
     * @throws IllegalArgumentException if {@code duration} is negative.
     * @throws AssertionError           if the bus did not become idle afterwards.
     */
    public int advance(final Duration duration)
    {
        final int fired = clock().advance(duration);
        awaitIdle();
        return fired;
    }

    /**
     * Stream and consumer positions, through the public JetStream API.
     *
     * @return the inspector.
     */
    public JetStreamInspector jetStream()
    {
        return jetStream;
    }

    /**
     * Close the helpers, the connections and the bus. Idempotent.
     */
    @Override
    public void close()
    {
        final List<AutoCloseable> toClose;
        synchronized (helpers)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(helpers);
        }
        try
        {
            for (final AutoCloseable helper : toClose)
            {
                try
                {
                    helper.close();
                }
                catch (final Exception ex)
                {
                    events.listener().onError(ex);
                }
            }
            connection.close();
            kitConnection.close();
        }
        finally
        {
            bus.close();
        }
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return {@code true} once closed.
     */
    public boolean isClosed()
    {
        synchronized (helpers)
        {
            return closed;
        }
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("the Jetbus test kit is closed");
        }
    }

    @Override
    public String toString()
    {
        return "JetbusKit{" + bus + (clock != null ? ", " + clock : ", system clock") + '}';
    }

    /**
     * Options for a {@link JetbusKit}.
     */
    public static final class Builder
    {
        private VirtualClock clock = new VirtualClock();
        private Path storageDir;
        private Consumer<EmbeddedBus.Builder> customizer = b -> { };

        private Builder()
        {
        }

        /**
         * Whether the bus reads a virtual clock (the default) or the system clock.
         *
         * @param virtual {@code false} for the system clock.
         * @return this builder.
         */
        public Builder virtualTime(final boolean virtual)
        {
            clock = virtual ? (clock != null ? clock : new VirtualClock()) : null;
            return this;
        }

        /**
         * Use this virtual clock, for example one that starts at another time.
         *
         * @param clock the clock.
         * @return this builder.
         */
        public Builder clock(final VirtualClock clock)
        {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The directory FILE streams are stored in; default none (memory only).
         *
         * @param dir the directory.
         * @return this builder.
         */
        public Builder storageDir(final Path dir)
        {
            storageDir = Objects.requireNonNull(dir, "storageDir");
            return this;
        }

        /**
         * Set other bus options (ring capacity, max payload, slow-consumer policy, ...). The kit then sets the time
         * source, the error listener and the storage directory itself.
         *
         * @param customizer called with the bus builder.
         * @return this builder.
         */
        public Builder customize(final Consumer<EmbeddedBus.Builder> customizer)
        {
            this.customizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /**
         * Build the bus and connect.
         *
         * @return the kit.
         * @throws IllegalStateException if the JVM lacks the flags the bus needs.
         */
        public JetbusKit build()
        {
            return new JetbusKit(this);
        }
    }
}
