package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.Dispatcher;
import io.jetbus.api.Headers;
import io.jetbus.api.MessageHandler;
import io.jetbus.api.Subjects;
import io.jetbus.api.Subscription;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.JetStream;
import io.jetbus.api.jetstream.PubAck;
import io.jetbus.api.jetstream.PublishOptions;
import io.jetbus.api.jetstream.PullSubscription;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * {@link JetStream} for one connection. {@code publishAsync} stores the message before it returns, so per-thread
 * publish order is kept, and completes its future once the message is durable: at once, or for a FILE stream with
 * the every-publish flush policy after the sync that covers it, which it shares with every publish made meanwhile.
 * Safe for concurrent use.
 */
final class ConnectionJetStream implements JetStream
{
    private final JetStreamEngine engine;
    private final Connection connection;

    ConnectionJetStream(final JetStreamEngine engine, final Connection connection)
    {
        this.engine = engine;
        this.connection = connection;
    }

    @Override
    public PubAck publish(final String subject, final byte[] data)
    {
        return publish(subject, null, data, PublishOptions.none());
    }

    @Override
    public PubAck publish(final String subject, final Headers headers, final byte[] data)
    {
        return publish(subject, headers, data, PublishOptions.none());
    }

    @Override
    public PubAck publish(final String subject, final Headers headers, final byte[] data, final PublishOptions options)
    {
        checkOpen();
        return engine.publish(subject, headers, data, options);
    }

    @Override
    public CompletableFuture<PubAck> publishAsync(final String subject, final byte[] data)
    {
        return publishAsync(subject, null, data, PublishOptions.none());
    }

    @Override
    public CompletableFuture<PubAck> publishAsync(final String subject, final Headers headers, final byte[] data)
    {
        return publishAsync(subject, headers, data, PublishOptions.none());
    }

    @Override
    public CompletableFuture<PubAck> publishAsync(
        final String subject, final Headers headers, final byte[] data, final PublishOptions options)
    {
        checkOpen();
        Subjects.validatePublish(subject);
        Objects.requireNonNull(options, "options");
        if (data != null && data.length > engine.bus().maxPayload())
        {
            throw new IllegalArgumentException("payload of " + data.length + " bytes exceeds maxPayload=" +
                engine.bus().maxPayload() + " on subject \"" + subject + "\"");
        }
        try
        {
            return engine.publishAsync(subject, headers, data, options);
        }
        catch (final RuntimeException e)
        {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public PullSubscription pullSubscribe(final String stream, final ConsumerConfig config)
    {
        checkOpen();
        Objects.requireNonNull(config, "config");
        return engine.stream(stream).consumers().pullSubscribe(connection, config);
    }

    @Override
    public PullSubscription bind(final String stream, final String consumerName)
    {
        checkOpen();
        Objects.requireNonNull(consumerName, "consumerName");
        return engine.stream(stream).consumers().bind(connection, consumerName);
    }

    @Override
    public Subscription pushSubscribe(
        final String stream, final ConsumerConfig config, final Dispatcher dispatcher, final MessageHandler handler)
    {
        checkOpen();
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(dispatcher, "dispatcher");
        Objects.requireNonNull(handler, "handler");
        return engine.stream(stream).consumers().pushSubscribe(connection, config, dispatcher, handler);
    }

    private void checkOpen()
    {
        if (connection.isClosed())
        {
            throw new IllegalStateException("connection " + connection.name() + " is closed");
        }
        engine.checkOpen();
    }
}
