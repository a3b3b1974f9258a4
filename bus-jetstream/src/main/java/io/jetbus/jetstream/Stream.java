package io.jetbus.jetstream;

import io.jetbus.api.Headers;
import io.jetbus.api.jetstream.DiscardPolicy;
import io.jetbus.api.jetstream.JetStreamApiException;
import io.jetbus.api.jetstream.MessageInfo;
import io.jetbus.api.jetstream.PubAck;
import io.jetbus.api.jetstream.PublishOptions;
import io.jetbus.api.jetstream.RetentionPolicy;
import io.jetbus.api.jetstream.StreamConfig;
import io.jetbus.api.jetstream.StreamInfo;
import io.jetbus.api.jetstream.StreamState;
import io.jetbus.core.EmbeddedBus;
import io.jetbus.core.TimerService;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * One stream: its configuration, its {@link StreamStore}, its {@link Consumers}, and the rules applied on each
 * publish: de-duplication, expectations, limits and retention. Safe for concurrent use.
 *
 * <p>Publishes, purges, deletes, expiry and configuration changes are serialised by the stream's lock; the store is
 * safe for concurrent use on its own, so reads and consumer acknowledgements ({@link #acknowledged}) do not take the
 * lock. The lock is never held while calling into {@link Consumers} or {@link #onChange} listeners, so consumers may
 * call back into the stream from under their own locks.
 *
 * <p>Max age is enforced by one timer, due when the oldest message expires; when it fires it removes every expired
 * message and schedules itself for the new oldest one. The duplicate window forgets IDs as it is used.
 */
final class Stream implements ConsumerSource
{
    private static final System.Logger LOG = System.getLogger("io.jetbus.jetstream");

    private final EmbeddedBus bus;
    private final String name;
    private final long createdEpochNs;
    private final StreamStore store;
    private final Path dir;
    private final Path consumersDir;
    private final ReentrantLock lock = new ReentrantLock();
    private final DuplicateWindow dedupe;
    private final CopyOnWriteArrayList<LongConsumer> listeners = new CopyOnWriteArrayList<>();
    private final Consumers consumers;
    private volatile StreamConfig config;
    private volatile boolean closed;
    /** The message ID of the last message stored, or null; under the lock. */
    private String lastMsgId;
    private TimerService.Timer expiryTimer;
    private long expiryGeneration;

    /**
     * Open a stream over a store.
     *
     * @param bus            the bus.
     * @param config         its configuration.
     * @param createdEpochNs when it was created.
     * @param store          its messages, open; closed by {@link #close()}.
     * @param dir            its directory (FILE), or null (MEMORY).
     */
    Stream(final EmbeddedBus bus, final StreamConfig config, final long createdEpochNs, final StreamStore store,
        final Path dir)
    {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.config = Objects.requireNonNull(config, "config");
        this.name = config.name();
        this.createdEpochNs = createdEpochNs;
        this.store = Objects.requireNonNull(store, "store");
        this.dir = dir;
        this.consumersDir = dir == null ? null : createDirectory(dir.resolve("consumers"));
        this.dedupe = new DuplicateWindow(config.duplicateWindow().toNanos());
        lock.lock();
        try
        {
            restore();
            scheduleExpiry();
        }
        finally
        {
            lock.unlock();
        }
        // last: the consumers may call back into this stream while restoring
        this.consumers = new Consumers(this);
    }

    private static Path createDirectory(final Path d)
    {
        try
        {
            return Files.createDirectories(d);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot create directory " + d, e);
        }
    }

    /**
     * Rebuild what is not stored as such: the duplicate window (from the {@code Nats-Msg-Id} headers of the messages
     * stored within it, newest first, so it reads no more than the window), and the last message ID.
     */
    private void restore()
    {
        final StoreState state = store.state();
        if (state.msgs() == 0)
        {
            return;
        }
        final long nowNs = nowNs();
        final long windowNs = config.duplicateWindow().toNanos();
        final List<StoredMessage> recent = new ArrayList<>();
        boolean last = true;
        for (long seq = state.lastSeq(); seq >= state.firstSeq(); seq--)
        {
            final StoredMessage m = store.read(seq);
            if (m == null)
            {
                continue;
            }
            if (last)
            {
                last = false;
                lastMsgId = StoredHeaders.first(m.headers(), PublishOptions.MSG_ID_HEADER);
            }
            if (windowNs == 0 || nowNs - m.timestampEpochNs() >= windowNs)
            {
                break;
            }
            recent.add(m);
        }
        for (int i = recent.size() - 1; i >= 0; i--)
        {
            final StoredMessage m = recent.get(i);
            final String id = StoredHeaders.first(m.headers(), PublishOptions.MSG_ID_HEADER);
            if (id != null)
            {
                dedupe.add(id, m.seq(), m.timestampEpochNs(), nowNs);
            }
        }
    }

    // ============================================================================================ ConsumerSource

    @Override
    public String streamName()
    {
        return name;
    }

    @Override
    public StreamConfig config()
    {
        return config;
    }

    @Override
    public StreamStore store()
    {
        return store;
    }

    @Override
    public EmbeddedBus bus()
    {
        return bus;
    }

    @Override
    public Path consumersDir()
    {
        return consumersDir;
    }

    @Override
    public AutoCloseable onChange(final LongConsumer listener)
    {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void acknowledged(final String consumer, final long streamSeq)
    {
        final RetentionPolicy retention = config.retention();
        if (retention == RetentionPolicy.LIMITS || closed)
        {
            return;
        }
        boolean removed = false;
        try
        {
            if (retention == RetentionPolicy.WORK_QUEUE)
            {
                removed = store.delete(streamSeq);
            }
            else
            {
                final StoredMessage m = store.read(streamSeq);
                removed = m != null && consumers.allDone(streamSeq, m.subject()) && store.delete(streamSeq);
            }
        }
        catch (final IllegalStateException e)
        {
            if (!closed)
            {
                throw e;
            }
        }
        if (removed)
        {
            changed();
        }
    }

    // ============================================================================================ engine side

    /**
     * @return the stream's consumers (the engine delegates the consumer calls of the API here).
     */
    Consumers consumers()
    {
        return consumers;
    }

    /**
     * @return the stream's directory, or null for a MEMORY stream.
     */
    Path dir()
    {
        return dir;
    }

    /**
     * @return when the stream was created, in nanoseconds since the epoch.
     */
    long createdEpochNs()
    {
        return createdEpochNs;
    }

    /**
     * Store one message and apply the stream's limits and retention. Does not deliver it to core subscribers.
     *
     * @param subject the literal subject, captured by this stream.
     * @param headers the headers, or null; {@code Nats-Msg-Id} and {@code Nats-Expected-*} are honoured.
     * @param data    the payload, not null; not copied (the store copies or writes it).
     * @param options the options, which take precedence over the equivalent headers.
     * @return the acknowledgement; {@code duplicate} when the message ID was seen within the window.
     * @throws JetStreamApiException if an expectation is not met or a limit refuses the message.
     */
    PubAck publish(final String subject, final Headers headers, final byte[] data, final PublishOptions options)
    {
        final String msgId = options.messageId() != null ? options.messageId() :
            header(headers, PublishOptions.MSG_ID_HEADER);
        final String expectedStream = options.expectedStream() != null ? options.expectedStream() :
            header(headers, PublishOptions.EXPECTED_STREAM_HEADER);
        final long expectedLastSeq = sequence(options.expectedLastSequence(), headers,
            PublishOptions.EXPECTED_LAST_SEQUENCE_HEADER);
        final long expectedLastSubjectSeq = sequence(options.expectedLastSubjectSequence(), headers,
            PublishOptions.EXPECTED_LAST_SUBJECT_SEQUENCE_HEADER);
        final String expectedLastMsgId = options.expectedLastMessageId() != null ? options.expectedLastMessageId() :
            header(headers, PublishOptions.EXPECTED_LAST_MSG_ID_HEADER);
        if (expectedStream != null && !expectedStream.equals(name))
        {
            throw JetStreamApiException.expectedStreamMismatch(expectedStream, name);
        }
        final StreamConfig cfg = config;
        final boolean retain = cfg.retention() != RetentionPolicy.INTEREST || consumers.hasInterest(subject);
        final byte[] storedHeaders = StoredHeaders.encode(headers);
        final long seq;
        lock.lock();
        try
        {
            checkOpen();
            final long nowNs = nowNs();
            if (msgId != null)
            {
                final long original = dedupe.seqOf(msgId, nowNs);
                if (original > 0)
                {
                    return new PubAck(name, original, true);
                }
            }
            checkExpectations(subject, expectedLastSeq, expectedLastSubjectSeq, expectedLastMsgId);
            checkLimits(subject, storedHeaders, data);
            seq = store.append(subject, storedHeaders, data, nowNs);
            lastMsgId = msgId;
            if (msgId != null)
            {
                dedupe.add(msgId, seq, nowNs, nowNs);
            }
            enforcePerSubjectLimit(subject);
            enforceLimits(nowNs);
            if (!retain)
            {
                store.delete(seq);
            }
            scheduleExpiry();
        }
        finally
        {
            lock.unlock();
        }
        changed(seq);
        return new PubAck(name, seq, false);
    }

    private void checkExpectations(
        final String subject, final long expectedLastSeq, final long expectedLastSubjectSeq,
        final String expectedLastMsgId)
    {
        if (expectedLastSeq != PublishOptions.UNSET_SEQUENCE)
        {
            final long lastSeq = store.state().lastSeq();
            if (lastSeq != expectedLastSeq)
            {
                throw JetStreamApiException.wrongLastSequence(name, expectedLastSeq, lastSeq);
            }
        }
        if (expectedLastSubjectSeq != PublishOptions.UNSET_SEQUENCE)
        {
            final long lastSeq = store.subjectState(subject).lastSeq();
            if (lastSeq != expectedLastSubjectSeq)
            {
                throw JetStreamApiException.wrongLastSubjectSequence(name, subject, expectedLastSubjectSeq, lastSeq);
            }
        }
        if (expectedLastMsgId != null && !expectedLastMsgId.equals(lastMsgId))
        {
            throw JetStreamApiException.wrongLastMessageId(name, expectedLastMsgId, lastMsgId);
        }
    }

    /**
     * The limits a publish is refused for: the message size always; the totals and the per-subject count with
     * {@link DiscardPolicy#NEW}; and a message that alone exceeds {@code maxBytes}, which no discarding can fit.
     */
    private void checkLimits(final String subject, final byte[] storedHeaders, final byte[] data)
    {
        final StreamConfig cfg = config;
        final long size = (long)storedHeaders.length + data.length;
        if (cfg.maxMsgSize() != StreamConfig.UNLIMITED && size > cfg.maxMsgSize())
        {
            throw JetStreamApiException.messageTooLarge(name, size, cfg.maxMsgSize());
        }
        final long storedSize = RecordCodec.storedSize(RecordCodec.utf8Length(subject), storedHeaders.length,
            data.length);
        if (cfg.maxBytes() != StreamConfig.UNLIMITED && storedSize > cfg.maxBytes())
        {
            throw JetStreamApiException.maximumBytesExceeded(name, cfg.maxBytes());
        }
        if (cfg.discard() != DiscardPolicy.NEW)
        {
            return;
        }
        if (cfg.maxMsgs() != StreamConfig.UNLIMITED || cfg.maxBytes() != StreamConfig.UNLIMITED)
        {
            final StoreState state = store.state();
            if (cfg.maxMsgs() != StreamConfig.UNLIMITED && state.msgs() >= cfg.maxMsgs())
            {
                throw JetStreamApiException.maximumMessagesExceeded(name, cfg.maxMsgs());
            }
            if (cfg.maxBytes() != StreamConfig.UNLIMITED && state.bytes() + storedSize > cfg.maxBytes())
            {
                throw JetStreamApiException.maximumBytesExceeded(name, cfg.maxBytes());
            }
        }
        if (cfg.maxMsgsPerSubject() != StreamConfig.UNLIMITED &&
            store.subjectState(subject).msgs() >= cfg.maxMsgsPerSubject())
        {
            throw JetStreamApiException.maximumMessagesPerSubjectExceeded(name, subject, cfg.maxMsgsPerSubject());
        }
    }

    /** Under the lock, after an append on {@code subject}: drop its oldest messages beyond the per-subject limit. */
    private void enforcePerSubjectLimit(final String subject)
    {
        final long limit = config.maxMsgsPerSubject();
        if (limit == StreamConfig.UNLIMITED)
        {
            return;
        }
        SubjectState s = store.subjectState(subject);
        while (s.msgs() > limit && store.delete(s.firstSeq()))
        {
            s = store.subjectState(subject);
        }
    }

    /**
     * Under the lock: remove the oldest messages until every limit holds (after a publish with discard old, and at
     * once after an update that tightens them, whatever the discard policy).
     *
     * @return whether anything was removed.
     */
    private boolean enforceLimits(final long nowNs)
    {
        final StreamConfig cfg = config;
        boolean removed = expireAged(nowNs);
        if (cfg.maxMsgs() == StreamConfig.UNLIMITED && cfg.maxBytes() == StreamConfig.UNLIMITED)
        {
            return removed;
        }
        StoreState state = store.state();
        if (cfg.maxMsgs() != StreamConfig.UNLIMITED && state.msgs() > cfg.maxMsgs())
        {
            removed |= store.purge(null, 0, cfg.maxMsgs()) > 0;
            state = store.state();
        }
        while (cfg.maxBytes() != StreamConfig.UNLIMITED && state.bytes() > cfg.maxBytes() && state.msgs() > 0 &&
            store.delete(state.firstSeq()))
        {
            removed = true;
            state = store.state();
        }
        return removed;
    }

    /** Under the lock: apply the per-subject limit to every subject (after an update that tightens it). */
    private boolean enforcePerSubjectLimitAll()
    {
        final long limit = config.maxMsgsPerSubject();
        if (limit == StreamConfig.UNLIMITED)
        {
            return false;
        }
        boolean removed = false;
        for (final Map.Entry<String, SubjectState> e : store.subjects(null).entrySet())
        {
            if (e.getValue().msgs() > limit)
            {
                removed |= store.purge(e.getKey(), 0, limit) > 0;
            }
        }
        return removed;
    }

    /**
     * Under the lock: remove every message older than max age.
     *
     * @return whether anything was removed.
     */
    private boolean expireAged(final long nowNs)
    {
        final long maxAgeNs = config.maxAge().toNanos();
        if (maxAgeNs == 0)
        {
            return false;
        }
        final long cutoffNs = nowNs - maxAgeNs;
        long bound = 0;
        for (long seq = store.nextSeq(0, null); seq != StreamStore.NO_SEQ; seq = store.nextSeq(seq + 1, null))
        {
            final StoredMessage m = store.read(seq);
            if (m != null)
            {
                if (m.timestampEpochNs() > cutoffNs)
                {
                    break;
                }
                bound = seq;
            }
        }
        return bound > 0 && store.purge(null, bound + 1, 0) > 0;
    }

    /** Under the lock: make sure a timer is due when the oldest message expires. */
    private void scheduleExpiry()
    {
        final long maxAgeNs = config.maxAge().toNanos();
        if (closed || maxAgeNs == 0 || expiryTimer != null)
        {
            return;
        }
        final StoreState state = store.state();
        if (state.msgs() == 0)
        {
            return;
        }
        final long delayNs = state.firstTimestampNs() + maxAgeNs - nowNs();
        final long generation = ++expiryGeneration;
        try
        {
            expiryTimer = bus.timers().schedule(delayNs, () -> onExpiryTimer(generation));
        }
        catch (final IllegalStateException e)
        {
            // the bus is closing: nothing expires any more
            expiryTimer = null;
        }
    }

    private void cancelExpiry()
    {
        if (expiryTimer != null)
        {
            expiryTimer.cancel();
            expiryTimer = null;
        }
        expiryGeneration++;
    }

    private void onExpiryTimer(final long generation)
    {
        final boolean removed;
        lock.lock();
        try
        {
            if (closed || generation != expiryGeneration)
            {
                return;
            }
            expiryTimer = null;
            removed = expireAged(nowNs());
            scheduleExpiry();
        }
        finally
        {
            lock.unlock();
        }
        if (removed)
        {
            changed();
        }
    }

    /**
     * Apply a new configuration (already checked against the old one and persisted): tightened limits remove the
     * oldest messages at once.
     *
     * @param newer the new configuration.
     */
    void update(final StreamConfig newer)
    {
        boolean removed;
        lock.lock();
        try
        {
            checkOpen();
            config = newer;
            dedupe.windowNs(newer.duplicateWindow().toNanos());
            removed = enforcePerSubjectLimitAll();
            removed |= enforceLimits(nowNs());
            cancelExpiry();
            scheduleExpiry();
        }
        finally
        {
            lock.unlock();
        }
        if (removed)
        {
            changed();
        }
    }

    /**
     * Remove messages as {@link io.jetbus.api.jetstream.PurgeOptions} say.
     *
     * @return how many were removed.
     */
    long purge(final String subject, final long upToSeq, final long keep)
    {
        final long removed;
        lock.lock();
        try
        {
            checkOpen();
            removed = store.purge(subject, upToSeq, keep);
        }
        finally
        {
            lock.unlock();
        }
        if (removed > 0)
        {
            changed();
        }
        return removed;
    }

    boolean deleteMessage(final long seq)
    {
        final boolean removed;
        lock.lock();
        try
        {
            checkOpen();
            removed = store.delete(seq);
        }
        finally
        {
            lock.unlock();
        }
        if (removed)
        {
            changed();
        }
        return removed;
    }

    /**
     * @return the message with that sequence, or null.
     */
    MessageInfo message(final long seq)
    {
        checkOpen();
        final StoredMessage m = store.read(seq);
        return m == null ? null : toInfo(m);
    }

    /**
     * @param filter a subject or pattern.
     * @return the last message on a subject matching it, or null.
     */
    MessageInfo lastMessage(final String filter)
    {
        checkOpen();
        long last = 0;
        for (final SubjectState s : store.subjects(filter).values())
        {
            last = Math.max(last, s.lastSeq());
        }
        if (last == 0)
        {
            return null;
        }
        final StoredMessage m = store.read(last);
        return m == null ? null : toInfo(m);
    }

    private MessageInfo toInfo(final StoredMessage m)
    {
        return new MessageInfo(name, m.subject(), m.seq(), StoredHeaders.decode(m.headers()), m.data(),
            instant(m.timestampEpochNs()));
    }

    /**
     * @return the configuration and state now.
     */
    StreamInfo info()
    {
        final StreamConfig cfg;
        final StoreState s;
        lock.lock();
        try
        {
            checkOpen();
            cfg = config;
            s = store.state();
        }
        finally
        {
            lock.unlock();
        }
        final long lastTimeNs = s.lastTimestampNs();
        final StreamState state = new StreamState(s.msgs(), s.bytes(), s.firstSeq(),
            s.msgs() == 0 ? null : instant(s.firstTimestampNs()), s.lastSeq(),
            lastTimeNs == 0 ? null : instant(lastTimeNs), consumers.count(), s.numDeleted(), s.numSubjects());
        return new StreamInfo(cfg, state, instant(createdEpochNs));
    }

    /**
     * Bus closing: stop the timer, close the consumers (keeping their state) and the store. Idempotent.
     */
    void close()
    {
        if (closed)
        {
            return;
        }
        try
        {
            consumers.close();
        }
        finally
        {
            shutDown();
        }
    }

    /**
     * Stream deleted: remove the consumers' state, stop the timer and close the store; the engine then deletes the
     * directory.
     */
    void delete()
    {
        try
        {
            consumers.deleteAll();
        }
        finally
        {
            shutDown();
        }
    }

    private void shutDown()
    {
        lock.lock();
        try
        {
            closed = true;
            cancelExpiry();
            listeners.clear();
            store.close();
        }
        finally
        {
            lock.unlock();
        }
    }

    boolean isClosed()
    {
        return closed;
    }

    // ============================================================================================ helpers

    private void changed()
    {
        changed(store.state().lastSeq());
    }

    private void changed(final long lastSeq)
    {
        for (final LongConsumer listener : listeners)
        {
            try
            {
                listener.accept(lastSeq);
            }
            catch (final RuntimeException e)
            {
                bus.errorListener().onError(e);
            }
        }
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("stream \"" + name + "\" is closed");
        }
    }

    private long nowNs()
    {
        return bus.timeSource().epochNanos();
    }

    static Instant instant(final long epochNs)
    {
        return Instant.ofEpochSecond(0, epochNs);
    }

    private static String header(final Headers headers, final String header)
    {
        return headers == null ? null : headers.first(header);
    }

    private static long sequence(final long option, final Headers headers, final String header)
    {
        if (option != PublishOptions.UNSET_SEQUENCE)
        {
            return option;
        }
        final String value = header(headers, header);
        if (value == null)
        {
            return PublishOptions.UNSET_SEQUENCE;
        }
        try
        {
            final long seq = Long.parseLong(value.trim());
            if (seq >= 0)
            {
                return seq;
            }
        }
        catch (final NumberFormatException e)
        {
            // fall through to the error below
        }
        throw new IllegalArgumentException("invalid header " + header + " \"" + value +
            "\": must be a sequence, 0 or positive");
    }

    @Override
    public String toString()
    {
        return "Stream{" + name + ", " + config.storage() + (closed ? ", closed" : "") + "}";
    }

    static void logInfo(final String message)
    {
        LOG.log(System.Logger.Level.INFO, message);
    }
}
