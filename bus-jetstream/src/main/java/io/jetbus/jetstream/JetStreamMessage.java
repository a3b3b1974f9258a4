package io.jetbus.jetstream;

import io.jetbus.api.Headers;
import io.jetbus.api.Message;
import io.jetbus.api.Subscription;
import io.jetbus.api.jetstream.MessageMetadata;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * One delivery of a stream message by a consumer: immutable, valid after the handler returns, and acknowledged through
 * its consumer from any thread. Its reply subject is the NATS ack subject
 * {@code $JS.ACK.<stream>.<consumer>.<delivered>.<streamSeq>.<consumerSeq>.<timestamp>.<pending>}, for information.
 *
 * <p>Stored headers are decoded in the bus's binary header form (an int pair count, then per pair an int name length,
 * the ASCII name, an int value length and the UTF-8 value; little-endian).
 */
final class JetStreamMessage implements Message
{
    private final StreamConsumer consumer;
    private final StoredMessage stored;
    private final MessageMetadata metadata;
    private final Subscription subscription;
    private Headers headers;

    JetStreamMessage(
        final StreamConsumer consumer, final StoredMessage stored, final MessageMetadata metadata,
        final Subscription subscription)
    {
        this.consumer = consumer;
        this.stored = stored;
        this.metadata = metadata;
        this.subscription = subscription;
    }

    @Override
    public String subject()
    {
        return stored.subject();
    }

    @Override
    public String replyTo()
    {
        return "$JS.ACK." + metadata.stream() + "." + metadata.consumer() + "." + metadata.deliveredCount() + "." +
            metadata.streamSeq() + "." + metadata.consumerSeq() + "." + stored.timestampEpochNs() + "." +
            metadata.pending();
    }

    @Override
    public boolean hasHeaders()
    {
        return stored.headers().length > 0 && !headers().isEmpty();
    }

    @Override
    public synchronized Headers headers()
    {
        if (headers == null)
        {
            headers = StoredHeaders.decode(stored.headers());
        }
        return headers;
    }

    @Override
    public int dataLength()
    {
        return stored.data().length;
    }

    @Override
    public byte[] data()
    {
        return stored.data().clone();
    }

    @Override
    public ByteBuffer dataBuffer()
    {
        return ByteBuffer.wrap(stored.data()).asReadOnlyBuffer();
    }

    @Override
    public Subscription subscription()
    {
        return subscription;
    }

    @Override
    public Message copy()
    {
        return this;
    }

    @Override
    public boolean isJetStream()
    {
        return true;
    }

    @Override
    public MessageMetadata metaData()
    {
        return metadata;
    }

    @Override
    public void ack()
    {
        consumer.ack(metadata.streamSeq(), false);
    }

    @Override
    public void ackSync(final Duration timeout) throws TimeoutException, InterruptedException
    {
        Objects.requireNonNull(timeout, "timeout");
        consumer.ack(metadata.streamSeq(), true);
    }

    @Override
    public void nak()
    {
        consumer.nak(metadata.streamSeq(), 0);
    }

    @Override
    public void nakWithDelay(final Duration delay)
    {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative())
        {
            throw new IllegalArgumentException("invalid nak delay " + delay + ": must not be negative");
        }
        consumer.nak(metadata.streamSeq(), saturatedNanos(delay));
    }

    @Override
    public void inProgress()
    {
        consumer.inProgress(metadata.streamSeq());
    }

    @Override
    public void term()
    {
        consumer.term(metadata.streamSeq());
    }

    @Override
    public String toString()
    {
        return "JetStreamMessage{subject=" + stored.subject() + ", " + metadata + "}";
    }

    static Instant timestamp(final long epochNs)
    {
        return Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L), Math.floorMod(epochNs, 1_000_000_000L));
    }

    static long saturatedNanos(final Duration d)
    {
        try
        {
            return d.toNanos();
        }
        catch (final ArithmeticException ex)
        {
            return Long.MAX_VALUE / 2;
        }
    }
}
