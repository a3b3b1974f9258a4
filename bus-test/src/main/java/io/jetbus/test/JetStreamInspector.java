package io.jetbus.test;

import io.jetbus.api.Connection;
import io.jetbus.api.jetstream.ConsumerInfo;
import io.jetbus.api.jetstream.JetStreamManagement;
import io.jetbus.api.jetstream.StreamInfo;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
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
     * Wait until a consumer's information satisfies a condition: after each {@link JetbusKit#awaitIdle()} the
     * information is read again, backing off by at most a millisecond, until the real-time deadline.
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
        while (true)
        {
            kit.awaitIdle(Duration.ofNanos(Math.max(0, deadlineNs - System.nanoTime())));
            final ConsumerInfo info = consumer(stream, consumer);
            if (condition.test(info))
            {
                return info;
            }
            if (System.nanoTime() - deadlineNs >= 0)
            {
                throw new AssertionError("expected consumer " + stream + "/" + consumer + " to reach: " +
                    description + " within " + timeout + ", but it is at " + describe(info));
            }
            LockSupport.parkNanos(parkNs);
            parkNs = Math.min(parkNs * 2, MAX_PARK_NS);
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
