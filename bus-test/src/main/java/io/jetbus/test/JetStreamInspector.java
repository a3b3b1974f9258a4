package io.jetbus.test;

import io.jetbus.api.Connection;
import io.jetbus.api.jetstream.ConsumerInfo;
import io.jetbus.api.jetstream.JetStreamManagement;
import io.jetbus.api.jetstream.StreamInfo;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Reads stream and consumer positions for assertions, through the public JetStream API only
 * ({@link JetStreamManagement#streamInfo(String)}, {@link JetStreamManagement#consumerInfo(String, String)}), so it
 * works with whatever engine {@code bus-jetstream} provides. Needs {@code io.jetbus:bus-jetstream} on the test class
 * path; without it every method throws the {@link IllegalStateException} that names the module.
 *
 * <p>Obtained from {@link JetbusKit#jetStream()}. Safe for concurrent use.
 */
public final class JetStreamInspector
{
    private static final long MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    /** How long each reading waits for the bus to become idle, at most. */
    private static final long IDLE_SLICE_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private final JetbusKit kit;
    private final Connection connection;
    private volatile JetStreamManagement management;

    JetStreamInspector(final JetbusKit kit, final Connection connection)
    {
        this.kit = kit;
        this.connection = connection;
    }

    /**
     * A stream's configuration and state now.
     *
     * @param stream the stream name.
     * @return the stream's information.
     * @throws io.jetbus.api.jetstream.JetStreamApiException if there is no such stream.
     */
    public StreamInfo stream(final String stream)
    {
        return management().streamInfo(stream);
    }

    /**
     * A consumer's configuration and position now.
     *
     * @param stream   the stream the consumer reads.
     * @param consumer the consumer name.
     * @return the consumer's information.
     * @throws io.jetbus.api.jetstream.JetStreamApiException if there is no such stream or consumer.
     */
    public ConsumerInfo consumer(final String stream, final String consumer)
    {
        return management().consumerInfo(stream, consumer);
    }

    /**
     * How many messages a stream holds now.
     *
     * @param stream the stream name.
     * @return the message count.
     */
    public long streamMessages(final String stream)
    {
        return stream(stream).state().msgs();
    }

    /**
     * How many messages matching a consumer's filter it has not delivered yet.
     *
     * @param stream   the stream the consumer reads.
     * @param consumer the consumer name.
     * @return the consumer's {@link ConsumerInfo#numPending()}.
     */
    public long numPending(final String stream, final String consumer)
    {
        return consumer(stream, consumer).numPending();
    }

    /**
     * How many messages a consumer delivered and has not had acknowledged.
     *
     * @param stream   the stream the consumer reads.
     * @param consumer the consumer name.
     * @return the consumer's {@link ConsumerInfo#numAckPending()}.
     */
    public int numAckPending(final String stream, final String consumer)
    {
        return consumer(stream, consumer).numAckPending();
    }

    /**
     * How many of the messages a consumer has not had acknowledged were delivered more than once. A message counts
     * once it is delivered again, not when its ack wait runs out, and stops counting when it is acknowledged,
     * terminated or given up after max deliver.
     *
     * @param stream   the stream the consumer reads.
     * @param consumer the consumer name.
     * @return the consumer's {@link ConsumerInfo#numRedelivered()}.
     */
    public int numRedelivered(final String stream, final String consumer)
    {
        return consumer(stream, consumer).numRedelivered();
    }

    /**
     * The stream sequence up to which every delivery of a consumer is acknowledged.
     *
     * @param stream   the stream the consumer reads.
     * @param consumer the consumer name.
     * @return the ack floor's stream sequence, 0 before the first acknowledgement.
     */
    public long ackFloor(final String stream, final String consumer)
    {
        return consumer(stream, consumer).ackFloor().streamSeq();
    }

    /**
     * Wait until a consumer's information satisfies a condition. Before each reading the bus gets up to 50 ms to become
     * idle (as in {@link JetbusKit#awaitIdle()}), so that what was published is stored and handled first; a bus that
     * keeps publishing does not fail the wait, only a condition that does not hold. Between readings the wait backs
     * off by at most a millisecond, until the real-time deadline.
     *
     * @param stream      the stream the consumer reads.
     * @param consumer    the consumer name.
     * @param condition   what the information must satisfy.
     * @param description the condition in words, for the failure message.
     * @param timeout     how long to wait, in real time.
     * @return the first information that satisfied the condition.
     * @throws AssertionError if the condition did not hold in time; the message shows the last information read.
     */
    public ConsumerInfo awaitConsumer(final String stream, final String consumer,
        final Predicate<ConsumerInfo> condition, final String description, final Duration timeout)
    {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(description, "description");
        MessageLog.checkTimeout(timeout);
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        long parkNs = 1_000;
        boolean busy = false;
        while (true)
        {
            final long idleWaitNs = Math.min(IDLE_SLICE_NS, deadlineNs - System.nanoTime());
            if (idleWaitNs >= MAX_PARK_NS)
            {
                busy = !awaitIdle(idleWaitNs, stream, consumer);
            }
            final ConsumerInfo info = consumer(stream, consumer);
            if (condition.test(info))
            {
                return info;
            }
            if (System.nanoTime() - deadlineNs >= 0)
            {
                throw new AssertionError("expected consumer " + stream + "/" + consumer + " to reach: " +
                    description + " within " + timeout + ", but it is at " + describe(info) +
                    (busy ? " (and the bus never became idle: something keeps publishing)" : ""));
            }
            LockSupport.parkNanos(parkNs);
            parkNs = Math.min(parkNs * 2, MAX_PARK_NS);
        }
    }

    /** Whether the bus became idle within {@code waitNs}. */
    private boolean awaitIdle(final long waitNs, final String stream, final String consumer)
    {
        try
        {
            kit.bus().awaitIdle(Duration.ofNanos(waitNs));
            return true;
        }
        catch (final TimeoutException ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for consumer " + stream + "/" + consumer, ex);
        }
    }

    /**
     * Wait until a consumer has delivered everything its filter matches and every delivery is acknowledged.
     *
     * @param stream   the stream the consumer reads.
     * @param consumer the consumer name.
     * @param timeout  how long to wait, in real time.
     * @return the consumer's information at that point.
     * @throws AssertionError if that did not happen in time; the message shows where the consumer stands.
     */
    public ConsumerInfo awaitAllAcknowledged(final String stream, final String consumer, final Duration timeout)
    {
        return awaitConsumer(stream, consumer, info -> info.numPending() == 0 && info.numAckPending() == 0,
            "nothing pending and nothing awaiting acknowledgement", timeout);
    }

    static String describe(final ConsumerInfo info)
    {
        return "numPending=" + info.numPending() + ", numAckPending=" + info.numAckPending() + ", numRedelivered=" +
            info.numRedelivered() + ", delivered=" + info.delivered().streamSeq() + ", ackFloor=" +
            info.ackFloor().streamSeq();
    }

    private JetStreamManagement management()
    {
        JetStreamManagement current = management;
        if (current == null)
        {
            current = connection.jetStreamManagement();
            management = current;
        }
        return current;
    }
}
