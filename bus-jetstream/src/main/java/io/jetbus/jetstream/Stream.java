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
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;

/**
 * One stream: its configuration, its {@link StreamStore}, its {@link Consumers}, and the rules applied on each
 * publish: de-duplication, expectations, limits and retention. Safe for concurrent use.
 *
 * <p>Publishes, purges, deletes, expiry and configuration changes are serialised by the stream's lock; the store is
 * safe for concurrent use on its own, so reads and consumer acknowledgements ({@link #acknowledged}) do not take the
 * lock. The lock is never held while calling into {@link Consumers} or {@link #onChange} listeners, so consumers may
 * call back into the stream from under their own locks, nor while waiting for the store to make writes durable
 * ({@link StreamStore#awaitDurable}): a publish appends under the lock, releases it, then waits, so one sync covers
 * the publishes of every thread waiting meanwhile (group commit). The PubAck, and the consumers' wake-up, come only
 * after that wait; a failed sync reaches the publisher as an exception.
 *
 * <p>Max age is enforced by one timer, due when the oldest message expires; when it fires it removes every expired
 * message and schedules itself for the new oldest one. The duplicate window forgets IDs as it is used; a file stream
 * saves it ({@link DuplicateWindowFile}) every so many publishes and on close, so reopening reads only the messages
 * stored after the last save.
 */
final class Stream implements ConsumerSource
{
    private static final System.Logger LOG = System.getLogger("io.jetbus.jetstream");
    /** Save the duplicate window at least every this many publishes (more with many IDs; see {@link #saveEvery}). */
    static final long DEFAULT_SAVE_DUPLICATES_EVERY = 100_000;

    private final EmbeddedBus bus;
    private final String name;
    private final long createdEpochNs;
    private final StreamStore store;
    private final AsyncPublishes asyncPublishes;
    private final Path dir;
    private final Path consumersDir;
    private final ReentrantLock lock = new ReentrantLock();
    private final DuplicateWindow dedupe;
    private final CopyOnWriteArrayList<LongConsumer> listeners = new CopyOnWriteArrayList<>();
    /** A snapshot of {@link #listeners}, so notifying after each publish allocates nothing. */
    private volatile LongConsumer[] listenerArray = new LongConsumer[0];
    private final Consumers consumers;
    private final ReentrantLock saveLock = new ReentrantLock();
    private volatile StreamConfig config;
    private volatile boolean closed;
    /** The configuration's max age in nanoseconds (0: none); under the lock. */
    private long maxAgeNs;
    /** The message ID of the last message stored, or null; under the lock. */
    private String lastMsgId;
    private TimerService.Timer expiryTimer;
    private long expiryGeneration;
    /** Publishes since the duplicate window was saved; under the lock. */
    private long publishesSinceSave;
    private long saveDuplicatesEvery = DEFAULT_SAVE_DUPLICATES_EVERY;

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
        this.asyncPublishes = new AsyncPublishes(name, store);
        this.dir = dir;
        this.consumersDir = dir == null ? null : createDirectory(dir.resolve("consumers"));
        this.dedupe = new DuplicateWindow(config.duplicateWindow().toNanos());
        this.maxAgeNs = config.maxAge().toNanos();
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
     * Rebuild what is not stored as such: the last message ID (from the newest live message) and the duplicate
     * window. A file stream loads the window it saved and reads only the messages stored after the save; without a
     * usable save it reads the messages within the window, found by their timestamps. Under the lock.
     */
    private void restore()
    {
        final StoreState state = store.state();
        if (state.msgs() == 0 && dir == null)
        {
            return;
        }
        lastMsgId = newestMessageId(state);
        final long nowNs = nowNs();
        final long windowNs = config.duplicateWindow().toNanos();
        long from = state.lastSeq() + 1;
        boolean save = false;
        if (windowNs > 0)
        {
            final DuplicateWindowFile.Saved saved = dir == null ? null : loadDuplicates();
            if (saved != null)
            {
                dedupe.reserve(saved.entries().size());
                for (final DuplicateWindowFile.Entry e : saved.entries())
                {
                    // a message lost since the save (power loss, damage) is no longer a duplicate
                    if (e.seq() <= state.lastSeq() && !isLost(state, e.seq()))
                    {
                        dedupe.add(e.id(), e.seq(), e.timestampNs(), nowNs);
                    }
                }
                from = saved.coveredSeq() + 1;
            }
            else
            {
                from = state.firstSeq();
                save = dir != null;
            }
            from = firstWithin(state, from, nowNs - windowNs);
        }
        long read = 0;
        for (long seq = store.nextSeq(from, null); seq != StreamStore.NO_SEQ && seq <= state.lastSeq();
            seq = store.nextSeq(seq + 1, null))
        {
            final StoredMessage m = store.read(seq);
            read++;
            final String id = m == null ? null : StoredHeaders.first(m.headers(), PublishOptions.MSG_ID_HEADER);
            if (id != null)
            {
                dedupe.add(id, seq, m.timestampEpochNs(), nowNs);
            }
        }
        if (save || read > 0)
        {
            saveDuplicatesLocked();
        }
    }

    private DuplicateWindowFile.Saved loadDuplicates()
    {
        try
        {
            return DuplicateWindowFile.read(dir, name);
        }
        catch (final IOException | RuntimeException e)
        {
            LOG.log(System.Logger.Level.WARNING, "stream " + name + ": duplicate window not loaded (" + e +
                "): rebuilding it from the messages");
            return null;
        }
    }

    private static boolean isLost(final StoreState state, final long seq)
    {
        for (final SeqRange r : state.lost())
        {
            if (seq >= r.first() && seq <= r.last())
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the {@code Nats-Msg-Id} of the newest live message, or null. Under the lock.
     */
    private String newestMessageId(final StoreState state)
    {
        if (state.msgs() == 0)
        {
            return null;
        }
        for (long seq = state.lastSeq(); seq >= state.firstSeq(); seq--)
        {
            final StoredMessage m = store.read(seq);
            if (m != null)
            {
                return StoredHeaders.first(m.headers(), PublishOptions.MSG_ID_HEADER);
            }
        }
        return null;
    }

    /**
     * The first live message at or after {@code from} that is newer than {@code cutoffNs}: the message at
     * {@code from} when it is (the common case after a save), else a binary search by timestamp (timestamps grow
     * with the sequence, as the bus's clock does). Under the lock.
     *
     * @return its sequence, or {@code lastSeq + 1} if there is none.
     */
    private long firstWithin(final StoreState state, final long from, final long cutoffNs)
    {
        final long first = store.nextSeq(from, null);
        if (first == StreamStore.NO_SEQ || first > state.lastSeq())
        {
            return state.lastSeq() + 1;
        }
        final StoredMessage m = store.read(first);
        if (m == null || m.timestampEpochNs() > cutoffNs)
        {
            return first;
        }
        long lo = first + 1;
        long hi = state.lastSeq() + 1;
        while (lo < hi)
        {
            final long mid = lo + (hi - lo) / 2;
            final long live = store.nextSeq(mid, null);
            final StoredMessage probe = live == StreamStore.NO_SEQ || live >= hi ? null : store.read(live);
            if (probe == null || probe.timestampEpochNs() > cutoffNs)
            {
                hi = mid;
            }
            else
            {
                lo = live + 1;
            }
        }
        return lo;
    }

    /**
     * Saves the duplicate window when enough publishes have passed: the snapshot under the lock, the file write
     * after it. The save lock, always taken while holding the lock, keeps one save at a time and in snapshot order.
     */
    private void saveDuplicatesIfDue()
    {
        final byte[] payload;
        lock.lock();
        try
        {
            if (closed || publishesSinceSave < saveEvery() || !saveLock.tryLock())
            {
                return; // another thread is saving
            }
            payload = snapshotDuplicates();
        }
        finally
        {
            lock.unlock();
        }
        try
        {
            writeDuplicates(payload);
        }
        finally
        {
            saveLock.unlock();
        }
    }

    /** Under the lock (opening and closing): save the duplicate window now. */
    private void saveDuplicatesLocked()
    {
        saveLock.lock();
        try
        {
            writeDuplicates(snapshotDuplicates());
        }
        finally
        {
            saveLock.unlock();
        }
    }

    /** Under the lock. */
    private byte[] snapshotDuplicates()
    {
        publishesSinceSave = 0;
        return DuplicateWindowFile.encode(name, store.state().lastSeq(), dedupe, nowNs());
    }

    private void writeDuplicates(final byte[] payload)
    {
        try
        {
            DuplicateWindowFile.write(dir, payload);
        }
        catch (final IOException | RuntimeException e)
        {
            LOG.log(System.Logger.Level.WARNING, "stream " + name + ": could not save the duplicate window: " + e);
        }
    }

    /**
     * @return how many publishes may pass between two saves: at least {@link #saveDuplicatesEvery}, and twice the
     *     IDs in the window, so saving costs a few bytes per publish however large the window. Under the lock.
     */
    private long saveEvery()
    {
        return Math.max(saveDuplicatesEvery, 2L * dedupe.size());
    }

    /**
     * Tests: save the duplicate window at least every {@code publishes} publishes.
     */
    void saveDuplicatesEvery(final long publishes)
    {
        lock.lock();
        try
        {
            saveDuplicatesEvery = publishes;
        }
        finally
        {
            lock.unlock();
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
        synchronized (listeners)
        {
            listeners.add(listener);
            listenerArray = listeners.toArray(new LongConsumer[0]);
        }
        return () ->
        {
            synchronized (listeners)
            {
                listeners.remove(listener);
                listenerArray = listeners.toArray(new LongConsumer[0]);
            }
        };
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
            if (removed)
            {
                store.awaitDurable(store.writeMark());
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

    @Override
    public void interestRemoved(final long fromSeq)
    {
        if (config.retention() != RetentionPolicy.INTEREST || closed)
        {
            return;
        }
        boolean removed = false;
        try
        {
            final long last = store.state().lastSeq();
            for (long seq = store.nextSeq(Math.max(1, fromSeq), null); seq != StreamStore.NO_SEQ && seq <= last;
                seq = store.nextSeq(seq + 1, null))
            {
                final StoredMessage m = store.read(seq);
                if (m != null && consumers.allDone(seq, m.subject()) && store.delete(seq))
                {
                    removed = true;
                }
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
        final Appended appended = append(subject, headers, data, options);
        store.awaitDurable(appended.mark()); // outside the lock: one sync serves every publisher waiting meanwhile
        return acknowledge(appended);
    }

    /**
     * Publish without waiting for the store's sync: the future completes, in publish order, once the message is as
     * durable as {@link #publish} would have made it, with {@code then} applied to the ack on the completing thread.
     * Expectations, limits and de-duplication are checked at once; their failures are thrown.
     */
    CompletableFuture<PubAck> publishAsync(final String subject, final Headers headers, final byte[] data,
        final PublishOptions options, final UnaryOperator<PubAck> then)
    {
        final Appended appended = append(subject, headers, data, options);
        if (!store.waitsForSyncs())
        {
            return CompletableFuture.completedFuture(then.apply(acknowledge(appended)));
        }
        // even if already durable: one thread completes them all, so the futures complete in publish order
        final CompletableFuture<PubAck> future = new CompletableFuture<>();
        asyncPublishes.complete(appended.mark(), () -> then.apply(acknowledge(appended)), future);
        return future;
    }

    /**
     * A publish's message ID and expectations, from its options or, as a NATS client sends them, its headers.
     */
    private record Expectations(String msgId, String stream, long lastSeq, long lastSubjectSeq, String lastMsgId)
    {
        static final Expectations NONE = new Expectations(null, null, PublishOptions.UNSET_SEQUENCE,
            PublishOptions.UNSET_SEQUENCE, null);

        static Expectations of(final Headers headers, final PublishOptions options)
        {
            if (headers == null && options == PublishOptions.none())
            {
                return NONE;
            }
            return new Expectations(
                options.messageId() != null ? options.messageId() : header(headers, PublishOptions.MSG_ID_HEADER),
                options.expectedStream() != null ? options.expectedStream() :
                    header(headers, PublishOptions.EXPECTED_STREAM_HEADER),
                sequence(options.expectedLastSequence(), headers, PublishOptions.EXPECTED_LAST_SEQUENCE_HEADER),
                sequence(options.expectedLastSubjectSequence(), headers,
                    PublishOptions.EXPECTED_LAST_SUBJECT_SEQUENCE_HEADER),
                options.expectedLastMessageId() != null ? options.expectedLastMessageId() :
                    header(headers, PublishOptions.EXPECTED_LAST_MSG_ID_HEADER));
        }
    }

    /** A message appended (or found to be a duplicate) under the lock, not yet acknowledged. */
    private record Appended(long seq, long mark, boolean duplicate, boolean saveDue)
    {
    }

    /** Once the append is durable: wake the consumers, save the duplicate window when due, and make the ack. */
    private PubAck acknowledge(final Appended appended)
    {
        if (appended.duplicate())
        {
            return new PubAck(name, appended.seq(), true);
        }
        changed(appended.seq());
        if (appended.saveDue())
        {
            saveDuplicatesIfDue();
        }
        return new PubAck(name, appended.seq(), false);
    }

    private Appended append(final String subject, final Headers headers, final byte[] data,
        final PublishOptions options)
    {
        final Expectations expect = Expectations.of(headers, options);
        if (expect.stream() != null && !expect.stream().equals(name))
        {
            throw JetStreamApiException.expectedStreamMismatch(expect.stream(), name);
        }
        final String msgId = expect.msgId();
        final StreamConfig cfg = config;
        final boolean retain = cfg.retention() != RetentionPolicy.INTEREST || consumers.hasInterest(subject);
        final byte[] storedHeaders = StoredHeaders.encode(headers);
        final long seq;
        final long mark;
        boolean duplicate = false;
        boolean saveDue = false;
        lock.lock();
        try
        {
            checkOpen();
            final long nowNs = nowNs();
            final long original = msgId == null ? 0 : dedupe.seqOf(msgId, nowNs);
            if (original > 0)
            {
                duplicate = true;
                seq = original;
            }
            else
            {
                seq = storeLocked(subject, storedHeaders, data, expect, retain, nowNs);
                saveDue = dir != null && ++publishesSinceSave >= saveEvery();
            }
            // a duplicate is acknowledged only once its original is as durable as a new message would be
            mark = store.writeMark();
        }
        finally
        {
            lock.unlock();
        }
        return new Appended(seq, mark, duplicate, saveDue);
    }

    /** Under the lock: check the expectations and limits, store the message, and apply the limits after it. */
    private long storeLocked(final String subject, final byte[] storedHeaders, final byte[] data,
        final Expectations expect, final boolean retain, final long nowNs)
    {
        checkExpectations(subject, expect.lastSeq(), expect.lastSubjectSeq(), expect.lastMsgId());
        checkLimits(subject, storedHeaders, data);
        final long seq = store.append(subject, storedHeaders, data, nowNs);
        lastMsgId = expect.msgId();
        if (expect.msgId() != null)
        {
            dedupe.add(expect.msgId(), seq, nowNs, nowNs);
        }
        enforcePerSubjectLimit(subject);
        enforceLimits(nowNs);
        if (!retain)
        {
            store.delete(seq);
        }
        scheduleExpiry();
        return seq;
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
        final long storedSize = cfg.maxBytes() == StreamConfig.UNLIMITED ? 0 :
            RecordCodec.storedSize(RecordCodec.utf8Length(subject), storedHeaders.length, data.length);
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
        final long mark;
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
            mark = store.writeMark();
        }
        finally
        {
            lock.unlock();
        }
        if (removed)
        {
            try
            {
                store.awaitDurable(mark);
            }
            catch (final IllegalStateException e)
            {
                bus.errorListener().onError(e);
            }
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
        final long mark;
        lock.lock();
        try
        {
            checkOpen();
            config = newer;
            maxAgeNs = newer.maxAge().toNanos();
            dedupe.windowNs(newer.duplicateWindow().toNanos());
            removed = enforcePerSubjectLimitAll();
            removed |= enforceLimits(nowNs());
            cancelExpiry();
            scheduleExpiry();
            mark = store.writeMark();
        }
        finally
        {
            lock.unlock();
        }
        if (removed)
        {
            store.awaitDurable(mark);
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
        final long mark;
        lock.lock();
        try
        {
            checkOpen();
            removed = store.purge(subject, upToSeq, keep);
            mark = store.writeMark();
        }
        finally
        {
            lock.unlock();
        }
        if (removed > 0)
        {
            store.awaitDurable(mark);
            changed();
        }
        return removed;
    }

    boolean deleteMessage(final long seq)
    {
        final boolean removed;
        final long mark;
        lock.lock();
        try
        {
            checkOpen();
            removed = store.delete(seq);
            mark = store.writeMark();
        }
        finally
        {
            lock.unlock();
        }
        if (removed)
        {
            store.awaitDurable(mark);
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
        asyncPublishes.close();
        try
        {
            consumers.close();
        }
        finally
        {
            shutDown(true);
        }
    }

    /**
     * Stream deleted: remove the consumers' state, stop the timer and close the store; the engine then deletes the
     * directory.
     */
    void delete()
    {
        asyncPublishes.close();
        try
        {
            consumers.deleteAll();
        }
        finally
        {
            shutDown(false);
        }
    }

    /**
     * @param save whether to save the duplicate window (a file stream that is closed, not deleted).
     */
    private void shutDown(final boolean save)
    {
        lock.lock();
        try
        {
            // only if it changed: the saved window then still covers every message
            if (save && dir != null && !closed && publishesSinceSave > 0 && config.duplicateWindow().toNanos() > 0)
            {
                try
                {
                    saveDuplicatesLocked();
                }
                catch (final IllegalStateException e)
                {
                    // the store failed or closed under us: the next open rebuilds the window from the messages
                }
            }
            closed = true;
            cancelExpiry();
            synchronized (listeners)
            {
                listeners.clear();
                listenerArray = new LongConsumer[0];
            }
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
        for (final LongConsumer listener : listenerArray)
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
