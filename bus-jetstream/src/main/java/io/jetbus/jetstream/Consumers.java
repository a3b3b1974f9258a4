package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.Dispatcher;
import io.jetbus.api.MessageHandler;
import io.jetbus.api.Subscription;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.ConsumerInfo;
import io.jetbus.api.jetstream.PullSubscription;

import java.util.List;
import java.util.Objects;

/**
 * The consumers of one stream. Thread-safe.
 *
 * <p>PLACEHOLDER on branch {@code engine}: the real class is written on branch {@code consumers} and replaces this
 * file at merge (see CONSUMERS_SEAM.md). Here a stream has no consumers: the queries answer as for none, and every
 * method that would create or find one throws {@link UnsupportedOperationException}.
 */
final class Consumers implements AutoCloseable
{
    private static final String NOT_HERE = "consumers: see branch consumers";

    private final ConsumerSource source;

    /**
     * Restores every durable consumer found under source.consumersDir() (if not null).
     *
     * @param source the stream.
     */
    Consumers(final ConsumerSource source)
    {
        this.source = Objects.requireNonNull(source, "source");
    }

    ConsumerInfo addOrUpdate(final ConsumerConfig config)
    {
        throw new UnsupportedOperationException(NOT_HERE);
    }

    boolean delete(final String name)
    {
        throw new UnsupportedOperationException(NOT_HERE);
    }

    ConsumerInfo info(final String name)
    {
        throw new UnsupportedOperationException(NOT_HERE);
    }

    List<String> names()
    {
        return List.of();
    }

    List<ConsumerInfo> infos()
    {
        return List.of();
    }

    int count()
    {
        return 0;
    }

    PullSubscription pullSubscribe(final Connection connection, final ConsumerConfig config)
    {
        throw new UnsupportedOperationException(NOT_HERE);
    }

    PullSubscription bind(final Connection connection, final String name)
    {
        throw new UnsupportedOperationException(NOT_HERE);
    }

    Subscription pushSubscribe(
        final Connection connection, final ConsumerConfig config, final Dispatcher dispatcher,
        final MessageHandler handler)
    {
        throw new UnsupportedOperationException(NOT_HERE);
    }

    /**
     * INTEREST retention: true when at least one consumer's filter matches the subject.
     *
     * @param subject a literal subject.
     * @return false here: there are no consumers.
     */
    boolean hasInterest(final String subject)
    {
        return false;
    }

    /**
     * INTEREST retention: true when every consumer whose filter matches the subject is done with the message.
     *
     * @param streamSeq the message.
     * @param subject   its subject.
     * @return true here: there are no consumers.
     */
    boolean allDone(final long streamSeq, final String subject)
    {
        return true;
    }

    /** Bus or stream closing: stop timers and deliveries, persist durable state, keep it on disk. Idempotent. */
    @Override
    public void close()
    {
    }

    /** Stream deleted: close, and remove every consumer's state. */
    void deleteAll()
    {
    }

    @Override
    public String toString()
    {
        return "Consumers{stream=" + source.streamName() + ", placeholder}";
    }
}
