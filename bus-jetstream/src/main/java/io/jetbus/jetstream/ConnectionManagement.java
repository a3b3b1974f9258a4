package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.Subjects;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.ConsumerInfo;
import io.jetbus.api.jetstream.JetStreamApiException;
import io.jetbus.api.jetstream.JetStreamManagement;
import io.jetbus.api.jetstream.MessageInfo;
import io.jetbus.api.jetstream.PurgeOptions;
import io.jetbus.api.jetstream.StreamConfig;
import io.jetbus.api.jetstream.StreamInfo;

import java.util.List;
import java.util.Objects;

/**
 * {@link JetStreamManagement} for one connection: stream calls go to the engine, consumer calls to the stream's
 * {@link Consumers}. Safe for concurrent use.
 */
final class ConnectionManagement implements JetStreamManagement
{
    private final JetStreamEngine engine;
    private final Connection connection;

    ConnectionManagement(final JetStreamEngine engine, final Connection connection)
    {
        this.engine = engine;
        this.connection = connection;
    }

    /**
     * @return the engine behind this context (for the engine's own tests and tools).
     */
    JetStreamEngine engine()
    {
        return engine;
    }

    @Override
    public StreamInfo addStream(final StreamConfig config)
    {
        checkOpen();
        return engine.addStream(config);
    }

    @Override
    public StreamInfo updateStream(final StreamConfig config)
    {
        checkOpen();
        return engine.updateStream(config);
    }

    @Override
    public boolean deleteStream(final String stream)
    {
        checkOpen();
        return engine.deleteStream(stream);
    }

    @Override
    public StreamInfo streamInfo(final String stream)
    {
        checkOpen();
        return engine.stream(stream).info();
    }

    @Override
    public List<String> streamNames()
    {
        checkOpen();
        return engine.streamNames();
    }

    @Override
    public List<StreamInfo> streams()
    {
        checkOpen();
        return engine.streamInfos();
    }

    @Override
    public long purgeStream(final String stream)
    {
        checkOpen();
        return engine.stream(stream).purge(null, 0, 0);
    }

    @Override
    public long purgeStream(final String stream, final PurgeOptions options)
    {
        checkOpen();
        Objects.requireNonNull(options, "options");
        return engine.stream(stream).purge(options.subject(), options.upToSeq(), options.keep());
    }

    @Override
    public boolean deleteMessage(final String stream, final long seq)
    {
        checkOpen();
        checkSeq(seq);
        return engine.stream(stream).deleteMessage(seq);
    }

    @Override
    public MessageInfo message(final String stream, final long seq)
    {
        checkOpen();
        checkSeq(seq);
        final MessageInfo m = engine.stream(stream).message(seq);
        if (m == null)
        {
            throw JetStreamApiException.noMessageFound(stream, seq);
        }
        return m;
    }

    @Override
    public MessageInfo lastMessage(final String stream, final String subject)
    {
        checkOpen();
        Subjects.validatePattern(subject);
        final MessageInfo m = engine.stream(stream).lastMessage(subject);
        if (m == null)
        {
            throw JetStreamApiException.noLastMessageFound(stream, subject);
        }
        return m;
    }

    @Override
    public ConsumerInfo addOrUpdateConsumer(final String stream, final ConsumerConfig config)
    {
        checkOpen();
        Objects.requireNonNull(config, "config");
        return engine.stream(stream).consumers().addOrUpdate(config);
    }

    @Override
    public boolean deleteConsumer(final String stream, final String consumer)
    {
        checkOpen();
        Objects.requireNonNull(consumer, "consumer");
        return engine.stream(stream).consumers().delete(consumer);
    }

    @Override
    public ConsumerInfo consumerInfo(final String stream, final String consumer)
    {
        checkOpen();
        Objects.requireNonNull(consumer, "consumer");
        return engine.stream(stream).consumers().info(consumer);
    }

    @Override
    public List<String> consumerNames(final String stream)
    {
        checkOpen();
        return engine.stream(stream).consumers().names();
    }

    @Override
    public List<ConsumerInfo> consumers(final String stream)
    {
        checkOpen();
        return engine.stream(stream).consumers().infos();
    }

    private static void checkSeq(final long seq)
    {
        if (seq <= 0)
        {
            throw new IllegalArgumentException("invalid seq " + seq + ": must be positive");
        }
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
