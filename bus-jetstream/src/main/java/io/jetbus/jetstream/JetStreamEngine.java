package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.Headers;
import io.jetbus.api.jetstream.CorruptRecordException;
import io.jetbus.api.jetstream.JetStream;
import io.jetbus.api.jetstream.JetStreamAdvisory;
import io.jetbus.api.jetstream.JetStreamApiException;
import io.jetbus.api.jetstream.JetStreamManagement;
import io.jetbus.api.jetstream.PubAck;
import io.jetbus.api.jetstream.PublishOptions;
import io.jetbus.api.jetstream.StorageType;
import io.jetbus.api.jetstream.StreamConfig;
import io.jetbus.api.jetstream.StreamInfo;
import io.jetbus.core.EmbeddedBus;
import io.jetbus.core.JetStreamProvider;
import io.jetbus.core.PublishCapture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The JetStream engine of one bus, found by {@code bus-core} through {@link java.util.ServiceLoader} (the instance
 * the loader makes is only a provider: {@link #start(EmbeddedBus)} makes the engine). Safe for concurrent use.
 *
 * <p>Starting the engine of a bus with a storage directory locks the directory ({@link StorageDirectory}) and reopens
 * every stream found in it: each lives in {@code streams/<name>/}, with its configuration in
 * {@value StreamConfigFile#FILE_NAME}, its messages in {@code store/} and its consumers in {@code consumers/}. A
 * stream whose files cannot be opened (damage with the fail-closed {@link RecoveryMode}) is reported to the error
 * listener and kept aside: calls naming it fail with the reason until it is deleted. The recovery mode is
 * {@link RecoveryMode#FAIL} (a torn tail after a crash is repaired in every mode), or the one named by the system
 * property {@value #RECOVERY_MODE_PROPERTY}.
 *
 * <p>Management calls are serialised by the engine's lock. Publishes take only their stream's lock. Core publishes
 * on a subject a stream captures reach {@link #capture}: they are stored before core subscribers get them, and a
 * reply subject gets the PubAck as NATS JSON.
 */
public final class JetStreamEngine implements JetStreamProvider, JetStreamProvider.Engine
{
    /** The system property that chooses the {@link RecoveryMode} of FILE streams: FAIL, TRUNCATE_TAIL or SKIP. */
    public static final String RECOVERY_MODE_PROPERTY = "jetbus.jetstream.recoveryMode";

    static final String STORE_DIR = "store";

    private final EmbeddedBus bus;
    private final StorageDirectory storage;
    private final RecoveryMode recoveryMode;
    private final ReentrantLock lock = new ReentrantLock();
    private final TreeMap<String, Stream> streams = new TreeMap<>();
    private final Map<String, RuntimeException> unopened = new LinkedHashMap<>();
    private final SubjectRouter router = new SubjectRouter();
    private final PublishCapture capture = new Capture();
    private volatile boolean closed;
    private boolean shutDown;

    /**
     * The provider, made by {@link java.util.ServiceLoader}; {@link #start(EmbeddedBus)} makes each bus's engine.
     */
    public JetStreamEngine()
    {
        bus = null;
        storage = null;
        recoveryMode = null;
        closed = true;
    }

    private JetStreamEngine(final EmbeddedBus bus, final StorageDirectory storage, final RecoveryMode recoveryMode)
    {
        this.bus = bus;
        this.storage = storage;
        this.recoveryMode = recoveryMode;
    }

    @Override
    public Engine start(final EmbeddedBus bus)
    {
        Objects.requireNonNull(bus, "bus");
        final RecoveryMode mode = recoveryMode(System.getProperty(RECOVERY_MODE_PROPERTY));
        StorageDirectory storage = null;
        if (bus.storageDir() != null)
        {
            ChronicleSupport.ensureReady();
            storage = StorageDirectory.open(bus.storageDir());
        }
        final JetStreamEngine engine = new JetStreamEngine(bus, storage, mode);
        try
        {
            engine.reopenStreams();
        }
        catch (final RuntimeException | Error e)
        {
            engine.close();
            throw e;
        }
        bus.capture(engine.capture);
        return engine;
    }

    static RecoveryMode recoveryMode(final String value)
    {
        if (value == null || value.isBlank())
        {
            return RecoveryMode.FAIL;
        }
        try
        {
            return RecoveryMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException("invalid " + RECOVERY_MODE_PROPERTY + " \"" + value +
                "\": must be FAIL, TRUNCATE_TAIL or SKIP", e);
        }
    }

    @Override
    public JetStream jetStream(final Connection connection)
    {
        checkOpen();
        return new ConnectionJetStream(this, Objects.requireNonNull(connection, "connection"));
    }

    @Override
    public JetStreamManagement management(final Connection connection)
    {
        checkOpen();
        return new ConnectionManagement(this, Objects.requireNonNull(connection, "connection"));
    }

    /**
     * Close every stream (consumers keep their durable state) and release the storage directory. Idempotent.
     */
    @Override
    public void close()
    {
        if (bus == null)
        {
            return;
        }
        lock.lock();
        try
        {
            if (shutDown)
            {
                return;
            }
            shutDown = true;
            closed = true;
            bus.capture(null);
            router.update(List.of());
            for (final Stream stream : streams.values())
            {
                try
                {
                    stream.close();
                }
                catch (final RuntimeException e)
                {
                    bus.errorListener().onError(e);
                }
            }
            streams.clear();
            unopened.clear();
            if (storage != null)
            {
                storage.close();
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    // ================================================================================================ opening

    private void reopenStreams()
    {
        if (storage == null)
        {
            return;
        }
        for (final String name : storage.streamNames())
        {
            try
            {
                reopen(name);
            }
            catch (final RuntimeException e)
            {
                unopened.put(name, e);
                bus.errorListener().onError(e);
                if (e instanceof CorruptRecordException)
                {
                    bus.errorListener().onAdvisory(JetStreamAdvisory.recovery(JetStreamAdvisory.Type.CORRUPT_DATA,
                        name, null, e.getMessage()));
                }
            }
        }
        router.update(new ArrayList<>(streams.values()));
    }

    private void reopen(final String name)
    {
        final Path dir = storage.streamDir(name);
        final StreamConfigFile.Saved saved;
        try
        {
            saved = StreamConfigFile.read(dir, name);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read the configuration of stream " + name + " in " + dir, e);
        }
        if (saved == null)
        {
            // a creation that did not finish: the configuration is written before anything else
            Stream.logInfo("stream directory " + dir + " has no " + StreamConfigFile.FILE_NAME +
                ": an unfinished creation, removed");
            storage.deleteStreamDir(name);
            return;
        }
        if (!saved.config().name().equals(name))
        {
            throw new CorruptRecordException(name, dir.resolve(StreamConfigFile.FILE_NAME).toString(),
                CorruptRecordException.UNKNOWN, CorruptRecordException.UNKNOWN,
                "the configuration names stream \"" + saved.config().name() + "\"");
        }
        final FileStreamStore store = openStore(saved.config(), dir);
        report(name, store.recoveryReport());
        final Stream stream;
        try
        {
            stream = new Stream(bus, saved.config(), saved.createdEpochNs(), store, dir);
        }
        catch (final RuntimeException | Error e)
        {
            store.close();
            throw e;
        }
        streams.put(name, stream);
    }

    private FileStreamStore openStore(final StreamConfig config, final Path dir)
    {
        return FileStreamStore.open(FileStoreConfig.builder(config.name(), dir.resolve(STORE_DIR))
            .flushPolicy(config.flushPolicy())
            .recoveryMode(recoveryMode)
            .build());
    }

    private void report(final String name, final RecoveryReport report)
    {
        if (report.lostCount() > 0)
        {
            bus.errorListener().onAdvisory(JetStreamAdvisory.recovery(JetStreamAdvisory.Type.LOST_DATA, name, null,
                "recovery lost " + report.lostCount() + " messages, sequences " + report.lost() +
                (report.events().isEmpty() ? "" : "; " + String.join("; ", report.events()))));
        }
        else if (!report.events().isEmpty())
        {
            Stream.logInfo("stream " + name + " recovered: " + String.join("; ", report.events()));
        }
    }

    // ================================================================================================ management

    StreamInfo addStream(final StreamConfig config)
    {
        Objects.requireNonNull(config, "config");
        final String name = config.name();
        lock.lock();
        try
        {
            checkOpen();
            final Stream existing = streams.get(name);
            if (existing != null)
            {
                if (existing.config().equals(config))
                {
                    return existing.info();
                }
                throw JetStreamApiException.streamNameInUse(name);
            }
            checkOpened(name);
            if (config.storage() == StorageType.FILE && storage == null)
            {
                throw JetStreamApiException.invalidStreamConfig(name, "storage=FILE needs a bus with a storage " +
                    "directory: build it with EmbeddedBus.builder().storageDir(...), or use storage=MEMORY");
            }
            checkOverlap(config);
            final long createdNs = bus.timeSource().epochNanos();
            final Stream stream = config.storage() == StorageType.MEMORY ?
                new Stream(bus, config, createdNs, new MemoryStreamStore(name), null) : createFileStream(config,
                createdNs);
            streams.put(name, stream);
            router.update(new ArrayList<>(streams.values()));
            return stream.info();
        }
        finally
        {
            lock.unlock();
        }
    }

    private Stream createFileStream(final StreamConfig config, final long createdNs)
    {
        final String name = config.name();
        final Path dir = storage.streamDir(name);
        FileStreamStore store = null;
        try
        {
            StreamConfigFile.write(dir, config, createdNs);
            store = openStore(config, dir);
            return new Stream(bus, config, createdNs, store, dir);
        }
        catch (final IOException e)
        {
            discard(name, store);
            throw new UncheckedIOException("cannot write the configuration of stream " + name + " in " + dir, e);
        }
        catch (final RuntimeException | Error e)
        {
            discard(name, store);
            throw e;
        }
    }

    private void discard(final String name, final FileStreamStore store)
    {
        if (store != null)
        {
            store.close();
        }
        try
        {
            storage.deleteStreamDir(name);
        }
        catch (final RuntimeException e)
        {
            bus.errorListener().onError(e);
        }
    }

    StreamInfo updateStream(final StreamConfig config)
    {
        Objects.requireNonNull(config, "config");
        lock.lock();
        try
        {
            final Stream stream = stream(config.name());
            final StreamConfig old = stream.config();
            old.checkUpdate(config);
            if (!old.flushPolicy().equals(config.flushPolicy()))
            {
                throw JetStreamApiException.invalidStreamConfig(config.name(), "flushPolicy can not change on an " +
                    "existing stream: " + old.flushPolicy() + " -> " + config.flushPolicy());
            }
            checkOverlap(config);
            if (stream.dir() != null)
            {
                try
                {
                    StreamConfigFile.write(stream.dir(), config, stream.createdEpochNs());
                }
                catch (final IOException e)
                {
                    throw new UncheckedIOException("cannot write the configuration of stream " + config.name() +
                        " in " + stream.dir(), e);
                }
            }
            stream.update(config);
            router.update(new ArrayList<>(streams.values()));
            return stream.info();
        }
        finally
        {
            lock.unlock();
        }
    }

    boolean deleteStream(final String name)
    {
        checkName(name);
        lock.lock();
        try
        {
            checkOpen();
            final Stream stream = streams.remove(name);
            if (stream == null)
            {
                if (unopened.remove(name) != null)
                {
                    storage.deleteStreamDir(name);
                    return true;
                }
                return false;
            }
            router.update(new ArrayList<>(streams.values()));
            try
            {
                stream.delete();
            }
            finally
            {
                if (stream.dir() != null)
                {
                    storage.deleteStreamDir(name);
                }
            }
            return true;
        }
        finally
        {
            lock.unlock();
        }
    }

    List<String> streamNames()
    {
        lock.lock();
        try
        {
            checkOpen();
            return List.copyOf(streams.keySet());
        }
        finally
        {
            lock.unlock();
        }
    }

    List<StreamInfo> streamInfos()
    {
        lock.lock();
        try
        {
            checkOpen();
            final List<StreamInfo> infos = new ArrayList<>(streams.size());
            for (final Stream stream : streams.values())
            {
                infos.add(stream.info());
            }
            return List.copyOf(infos);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @param name a stream name, checked as {@link StreamConfig#name()} is.
     * @return the open stream.
     * @throws JetStreamApiException if there is no such stream, or it could not be opened.
     */
    Stream stream(final String name)
    {
        checkName(name);
        lock.lock();
        try
        {
            checkOpen();
            final Stream stream = streams.get(name);
            if (stream == null)
            {
                checkOpened(name);
                throw JetStreamApiException.streamNotFound(name);
            }
            return stream;
        }
        finally
        {
            lock.unlock();
        }
    }

    private void checkOpened(final String name)
    {
        final RuntimeException failure = unopened.get(name);
        if (failure != null)
        {
            throw new JetStreamApiException(JetStreamApiException.STREAM_STORE_FAILED, "stream \"" + name +
                "\" could not be opened from its files: " + failure.getMessage() + " (to repair it, start the bus " +
                "with -D" + RECOVERY_MODE_PROPERTY + "=TRUNCATE_TAIL or SKIP; or delete the stream to start again)",
                failure);
        }
    }

    private void checkOverlap(final StreamConfig config)
    {
        for (final Stream other : streams.values())
        {
            if (other.streamName().equals(config.name()))
            {
                continue;
            }
            for (final String subject : config.subjects())
            {
                for (final String existing : other.config().subjects())
                {
                    if (SubjectRouter.overlap(subject, existing))
                    {
                        throw JetStreamApiException.subjectsOverlap(config.name(), subject, other.streamName(),
                            existing);
                    }
                }
            }
        }
    }

    static void checkName(final String name)
    {
        StreamConfig.builder().name(name);
    }

    // ================================================================================================ publishing

    /**
     * A JetStream publish: store in the stream that captures the subject, then deliver to core subscribers.
     */
    PubAck publish(final String subject, final Headers headers, final byte[] data, final PublishOptions options)
    {
        final Stream stream = router.findValidating(subject);
        final Headers stored = withMessageId(headers, options(options).messageId());
        final byte[] payload = payload(subject, data);
        return deliverAfter(subject, stored, payload, open(stream, subject).publish(subject, stored, payload, options));
    }

    /**
     * {@link #publish} with the wait for the store's sync moved into the future (see {@link Stream#publishAsync}).
     */
    CompletableFuture<PubAck> publishAsync(
        final String subject, final Headers headers, final byte[] data, final PublishOptions options)
    {
        final Stream stream = router.findValidating(subject);
        final Headers stored = withMessageId(headers, options(options).messageId());
        final byte[] payload = payload(subject, data);
        return open(stream, subject).publishAsync(subject, stored, payload, options,
            ack -> deliverAfter(subject, stored, payload, ack));
    }

    private static PublishOptions options(final PublishOptions options)
    {
        return Objects.requireNonNull(options, "options");
    }

    private byte[] payload(final String subject, final byte[] data)
    {
        final byte[] payload = data == null ? StoredHeaders.EMPTY : data;
        if (payload.length > bus.maxPayload())
        {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds maxPayload=" +
                bus.maxPayload() + " on subject \"" + subject + "\"");
        }
        return payload;
    }

    private Stream open(final Stream stream, final String subject)
    {
        checkOpen();
        if (stream == null)
        {
            throw new NoStreamException(subject);
        }
        return stream;
    }

    /** Stored and acknowledged: deliver to core subscribers (not for a duplicate), which cannot undo the store. */
    private PubAck deliverAfter(final String subject, final Headers stored, final byte[] payload, final PubAck ack)
    {
        if (!ack.duplicate())
        {
            try
            {
                bus.deliver(subject, null, stored, payload);
            }
            catch (final RuntimeException e)
            {
                // stored and acknowledged: a core subscriber falling behind does not undo that
                bus.errorListener().onError(e);
            }
        }
        return ack;
    }

    /**
     * The headers with {@code Nats-Msg-Id} set to the option's message ID, as a NATS client sends it, so the ID is
     * stored with the message (the duplicate window is rebuilt from it on restart).
     */
    static Headers withMessageId(final Headers headers, final String messageId)
    {
        if (messageId == null || headers != null && messageId.equals(headers.first(PublishOptions.MSG_ID_HEADER)))
        {
            return headers;
        }
        final Headers copy = new Headers();
        if (headers != null)
        {
            headers.forEach((name, value) -> copy.add(name, value));
        }
        return copy.put(PublishOptions.MSG_ID_HEADER, messageId);
    }

    /**
     * The capture hook: core publishes on captured subjects are stored before core subscribers get them.
     */
    private final class Capture implements PublishCapture
    {
        @Override
        public boolean captures(final String subject)
        {
            return router.captures(subject);
        }

        @Override
        public void capture(final String subject, final String replyTo, final Headers headers, final ByteBuffer data)
        {
            final Stream stream = router.find(subject);
            if (stream == null)
            {
                return;
            }
            final byte[] payload = new byte[data.remaining()];
            data.duplicate().get(payload);
            String reply;
            try
            {
                reply = PubAckJson.ack(stream.publish(subject, headers, payload, PublishOptions.none()));
            }
            catch (final RuntimeException e)
            {
                if (replyTo == null)
                {
                    bus.errorListener().onError(e);
                    return;
                }
                reply = PubAckJson.error(e);
            }
            if (replyTo != null)
            {
                try
                {
                    bus.deliver(replyTo, null, null, reply.getBytes(StandardCharsets.UTF_8));
                }
                catch (final RuntimeException e)
                {
                    bus.errorListener().onError(e);
                }
            }
        }
    }

    // ================================================================================================ state

    EmbeddedBus bus()
    {
        return bus;
    }

    boolean isClosed()
    {
        return closed;
    }

    void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException(bus == null ? "the JetStream provider is not an engine: call start(bus)" :
                "the JetStream engine of " + bus + " is closed");
        }
    }

    @Override
    public String toString()
    {
        return "JetStreamEngine{" + (bus == null ? "provider" : bus + ", streams=" + streams.keySet()) + "}";
    }
}
