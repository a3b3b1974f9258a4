package io.jetbus.jetstream;

import io.jetbus.api.jetstream.FlushPolicy;
import io.jetbus.api.jetstream.CorruptRecordException;
import io.jetbus.api.jetstream.StorageFullException;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;

/**
 * A {@link StreamStore} on Chronicle Queue: one directory per stream holding the cycle files ({@code *.cq4}),
 * Chronicle's {@code metadata.cq4t} (rebuilt on every open), the roll cycle ({@code jetbus-store.dat}), the
 * deletion journal ({@link StoreJournal}) and a checkpoint ({@link Checkpoint}). Safe for concurrent use; see the
 * package documentation for the design.
 *
 * <p>Appends are serialised by the store lock around encode + Chronicle append (one appender owner). Reads position
 * a pooled tailer by index ({@code cycle}, {@code seq - firstSeqOfCycle}) and check the record's CRC and sequence.
 *
 * <p><b>Guarantees</b> (RELIABILITY.md 1.6). A process crash loses nothing whose append returned, under every
 * {@link FlushPolicy}; a torn last record is dropped silently. On power loss, {@link FlushPolicy.Mode#NONE} may
 * lose what the kernel had not written back, {@link FlushPolicy.Mode#INTERVAL} at most one interval, and
 * {@link FlushPolicy.Mode#EVERY_PUBLISH} no write whose {@link #awaitDurable} returned ({@link GroupCommit}; the
 * stream waits for it after releasing its lock, before it acknowledges). Under every policy a damaged
 * record is never served, and opening reports lost sequences ({@link #recoveryReport()}); damage fails the open
 * unless a repair {@link RecoveryMode} is chosen. The store refuses appends with
 * {@link io.jetbus.api.jetstream.StorageFullException} while usable disk space is below the reserve; a storage
 * fault or failed sync makes it read-only. Opening reads only the records after the last checkpoint (written every
 * N appends, on each new cycle and on close), so its time does not grow with the stream.
 */
final class FileStreamStore extends AbstractStreamStore
{
    private static final System.Logger LOG = System.getLogger("io.jetbus.jetstream");
    private static final Set<Path> OPEN_DIRS = ConcurrentHashMap.newKeySet();
    private static final byte[] EMPTY = new byte[0];
    private static final int HEADER_NOT_COMPLETE = 0x80000000;
    private static final int HEADER_META_DATA = 0x40000000;
    private static final int HEADER_LENGTH_MASK = 0x3FFFFFFF;

    final FileStoreConfig config;
    final Path dir;
    private RollCycle rollCycle;
    private DateTimeFormatter cycleNames;
    private final FloorTimeProvider time;
    private final LongSupplier usableSpace;
    private final ReentrantReadWriteLock closeGuard = new ReentrantReadWriteLock();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final ConcurrentSkipListMap<Long, CycleSpan> spans = new ConcurrentSkipListMap<>();
    private final Map<Integer, StoreJournal.Seal> seals = new HashMap<>();
    private final ConcurrentLinkedDeque<Reader> readers = new ConcurrentLinkedDeque<>();
    private final RecordCodec.Encoder encoder = new RecordCodec.Encoder();
    private final ReentrantLock checkpointLock = new ReentrantLock();
    private final GroupCommit commit;
    /** Cycles whose Chronicle header and index positions were checked; value: null-free problem text if damaged. */
    private final Map<Integer, String> checkedCycles = new ConcurrentHashMap<>();

    private SingleChronicleQueue queue;
    private ExcerptAppender appender;
    private StoreJournal journal;
    private Reader lockedReader;
    private CycleSpan lastSpan;
    private ScheduledExecutorService syncer;
    /** The syncer's thread, joined on close so that no thread outlives the store. */
    private volatile Thread syncerThread;
    private RecoveryReport report = RecoveryReport.CLEAN;
    private List<SeqRange> lost = List.of();
    private volatile String failure;
    private volatile boolean checkpointDue;
    /** Set once the resources are released: a sync can no longer make anything durable. */
    private volatile boolean released;
    private long appendsSinceCheckpoint;
    private long bytesSinceSpaceCheck;
    private long lastUsableBytes;
    private boolean spaceLow;
    private boolean replaying;

    /**
     * One cycle file's sequences. {@code lastSeq} grows while it is the cycle being appended to.
     */
    static final class CycleSpan
    {
        final int cycle;
        final long firstSeq;
        volatile long lastSeq;

        CycleSpan(final int cycle, final long firstSeq, final long lastSeq)
        {
            this.cycle = cycle;
            this.firstSeq = firstSeq;
            this.lastSeq = lastSeq;
        }
    }

    /**
     * A tailer with its read buffer. Pooled; one thread at a time.
     */
    static final class Reader
    {
        final ExcerptTailer tailer;
        byte[] buf = new byte[512];
        int length;
        long position;
        /** The index the tailer reads next, known only right after a read through {@link #readRaw}. */
        long nextIndex = -1;

        Reader(final ExcerptTailer tailer)
        {
            this.tailer = tailer;
            tailer.singleThreadedCheckDisabled(true);
        }
    }

    private FileStreamStore(final FileStoreConfig config, final Path dir) throws IOException
    {
        super(config.streamName);
        this.config = config;
        this.dir = dir;
        rollCycle(config.rollCycle);
        commit = new GroupCommit(config.streamName, config.beforeSync, () -> failure, this::fail, () -> journal);
        this.time = new FloorTimeProvider(config.clockMs);
        if (config.usableSpace != null)
        {
            usableSpace = config.usableSpace;
        }
        else
        {
            final FileStore fileStore = Files.getFileStore(dir);
            usableSpace = () ->
            {
                try
                {
                    return fileStore.getUsableSpace();
                }
                catch (final IOException e)
                {
                    return Long.MAX_VALUE;
                }
            };
        }
        bytesSinceSpaceCheck = config.spaceCheckIntervalBytes;
    }

    /**
     * Opens (creating if needed) the store in {@code config.directory}, recovering as {@link RecoveryMode} says.
     *
     * @param config how to open it.
     * @return the open store; {@link #recoveryReport()} tells what opening found.
     * @throws CorruptRecordException in {@link RecoveryMode#FAIL} mode, when records are damaged.
     * @throws IllegalStateException  if the directory is already open in this JVM, or the JVM lacks flags.
     * @throws UncheckedIOException   if the directory cannot be read or written.
     */
    static FileStreamStore open(final FileStoreConfig config)
    {
        ChronicleSupport.ensureReady();
        final Path real;
        try
        {
            Files.createDirectories(config.directory);
            real = config.directory.toRealPath();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot create stream directory " + config.directory, e);
        }
        if (!OPEN_DIRS.add(real))
        {
            throw new IllegalStateException(
                "stream " + config.streamName + " is already open in this JVM (directory " + real + ")");
        }
        FileStreamStore store = null;
        try
        {
            store = new FileStreamStore(config, real);
            store.recover();
            store.startSyncer();
            return store;
        }
        catch (final IOException e)
        {
            release(store, real);
            throw new UncheckedIOException("cannot open stream " + config.streamName + " in " + real, e);
        }
        catch (final RuntimeException | Error e)
        {
            release(store, real);
            throw e;
        }
    }

    private static void release(final FileStreamStore store, final Path real)
    {
        if (store != null)
        {
            store.releaseResources();
        }
        OPEN_DIRS.remove(real);
    }

    // ================================================================================================ recovery

    /**
     * Runs recovery. If Chronicle then cannot create an appender (a damaged header in the newest cycle file, which
     * Chronicle reads to find where to append), a repair mode sets that file aside and recovers again.
     */
    private void recover() throws IOException
    {
        final List<String> carried = new ArrayList<>();
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                new FileStoreRecovery(this, carried).run();
                return;
            }
            catch (final AppenderUnavailable e)
            {
                final List<Path> files = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.cq4"))
                {
                    ds.forEach(files::add);
                }
                files.sort(null);
                final String newest = files.isEmpty() ? dir.toString() : files.get(files.size() - 1).toString();
                if (config.recoveryMode == RecoveryMode.FAIL || attempt == 2 || files.isEmpty())
                {
                    throw new CorruptRecordException(name, newest, CorruptRecordException.UNKNOWN,
                        CorruptRecordException.UNKNOWN, "Chronicle cannot append after this cycle file: " +
                        e.getCause() + "; repair with recovery mode TRUNCATE_TAIL or SKIP (its records are then lost)");
                }
                resetForRetry();
                final Path aside = FileSupport.moveAside(Path.of(newest), "quarantined");
                carried.add("Chronicle could not append after cycle file " + newest + " (" + e.getCause() +
                    "); moved to " + aside);
            }
        }
    }

    /**
     * Chronicle could not create an appender; recovery may set the newest cycle file aside and retry.
     */
    static final class AppenderUnavailable extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        AppenderUnavailable(final Throwable cause)
        {
            super(cause);
        }
    }

    private void resetForRetry()
    {
        Reader r;
        while ((r = readers.pollFirst()) != null)
        {
            closeQuietly(r.tailer);
        }
        if (lockedReader != null)
        {
            closeQuietly(lockedReader.tailer);
            lockedReader = null;
        }
        closeQuietly(queue);
        queue = null;
        closeQuietly(journal);
        journal = null;
        commit.closeChannels();
        spans.clear();
        seals.clear();
        checkedCycles.clear();
        subjects.clear();
        deleted.clear();
        lastSpan = null;
        firstSeq = 1;
        lastSeq = 0;
        lastTimestampNs = 0;
        msgs = 0;
        bytes = 0;
    }

    /**
     * Builds the Chronicle queue; a metadata file Chronicle cannot use is moved aside once and rebuilt.
     */
    void openQueue(final List<String> events) throws IOException
    {
        // Chronicle's metadata.cq4t only caches what the directory and our config say, plus cross-process locks
        // that are stale by construction (we hold the directory exclusively). A damaged one stalls or misleads
        // Chronicle, so it is always rebuilt; if it cannot be removed, at least its stale locks are released.
        try
        {
            Files.deleteIfExists(dir.resolve(ChronicleLocks.METADATA_FILE));
        }
        catch (final IOException e)
        {
            ChronicleLocks.releaseStaleLocks(dir, events);
        }
        try
        {
            queue = buildQueue();
        }
        catch (final Exception | AssertionError e)
        {
            final Path meta = dir.resolve(ChronicleLocks.METADATA_FILE);
            if (!Files.exists(meta))
            {
                throw e;
            }
            final Path aside = FileSupport.moveAside(meta, "quarantined");
            events.add("Chronicle could not open the queue (" + e + "); moved " + meta + " to " + aside);
            queue = buildQueue();
        }
        queue.refreshDirectoryListing();
    }

    private SingleChronicleQueue buildQueue()
    {
        return SingleChronicleQueueBuilder.binary(dir)
            .rollCycle(rollCycle)
            .blockSize(config.blockSize)
            .timeoutMS(config.chronicleTimeout.toMillis())
            .timeProvider(time)
            .checkInterrupts(false)
            // GroupCommit forces the files; Chronicle's msync on release (MS_ASYNC) would do nothing useful.
            .syncMode(SyncMode.NONE)
            .build();
    }

    /**
     * Creates the appender once recovery has decided where appends go.
     */
    void openAppender()
    {
        try
        {
            appender = queue.createAppender();
            appender.singleThreadedCheckDisabled(true);
        }
        catch (final Exception | AssertionError e)
        {
            throw new AppenderUnavailable(e);
        }
    }

    SingleChronicleQueue queue()
    {
        return queue;
    }

    RollCycle rollCycle()
    {
        return rollCycle;
    }

    /**
     * Sets the roll cycle the store's files use (recovery keeps the one the files were written with).
     */
    void rollCycle(final RollCycle rollCycle)
    {
        this.rollCycle = rollCycle;
        this.cycleNames = DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC);
    }

    FloorTimeProvider time()
    {
        return time;
    }

    Map<Integer, StoreJournal.Seal> seals()
    {
        return seals;
    }

    ConcurrentSkipListMap<Long, CycleSpan> spans()
    {
        return spans;
    }

    void journal(final StoreJournal journal)
    {
        this.journal = journal;
    }

    StoreJournal journal()
    {
        return journal;
    }

    void lastSpan(final CycleSpan span)
    {
        lastSpan = span;
    }

    Reader lockedReader()
    {
        return lockedReader;
    }

    void replaying(final boolean replaying)
    {
        this.replaying = replaying;
    }

    void recovered(final RecoveryReport report)
    {
        this.report = report;
        this.lost = report.lost();
    }

    /**
     * @param cycle a Chronicle cycle.
     * @return the name of its file.
     */
    String cycleFileName(final int cycle)
    {
        return cycleNames.format(Instant.ofEpochMilli(cycleStartMs(cycle))) + SingleChronicleQueue.SUFFIX;
    }

    long cycleStartMs(final int cycle)
    {
        return (long)cycle * rollCycle.lengthInMillis();
    }

    Path cycleFile(final int cycle)
    {
        return dir.resolve(cycleFileName(cycle));
    }

    /**
     * Checks a cycle file's first header word before Chronicle maps it: a file whose header was never completed (a
     * crash while it was created) or is damaged makes Chronicle stall or throw.
     *
     * @param file a {@code *.cq4} file.
     * @return null if the header looks complete, otherwise what is wrong.
     */
    static String checkCycleHeader(final Path file) throws IOException
    {
        final long size = Files.size(file);
        if (size < 8)
        {
            return "file is " + size + " bytes long, too short for a cycle header";
        }
        final ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileSupport.openUninterruptible(file, StandardOpenOption.READ))
        {
            FileSupport.readFully(ch, b, 0);
        }
        final int header = b.getInt(0);
        final int length = header & HEADER_LENGTH_MASK;
        if ((header & HEADER_NOT_COMPLETE) != 0 || (header & HEADER_META_DATA) == 0 || length < 8 ||
            4L + length > size)
        {
            return "incomplete or damaged cycle header 0x" + Integer.toHexString(header) + " (file " + size +
                " bytes)";
        }
        return null;
    }

    // ================================================================================================ reading

    Reader newReader()
    {
        return new Reader(queue.createTailer());
    }

    private Reader acquireReader()
    {
        final Reader r = readers.pollFirst();
        return r != null ? r : newReader();
    }

    private void releaseReader(final Reader r, final boolean healthy)
    {
        if (healthy && !closed)
        {
            readers.offerFirst(r);
        }
        else
        {
            closeQuietly(r.tailer);
        }
    }

    CorruptRecordException corrupt(final int cycle, final long position, final long seq, final String reason)
    {
        return new CorruptRecordException(name, cycleFile(cycle).toString(), position, seq, reason);
    }

    CorruptRecordException corrupt(
        final int cycle, final long position, final long firstSeq, final long lastSeq, final String reason)
    {
        return new CorruptRecordException(name, cycleFile(cycle).toString(), position, firstSeq, lastSeq, reason);
    }

    /**
     * Reads the raw record at a Chronicle index into the reader, without checking it.
     *
     * @return null if read, otherwise why not (the reader's tailer may then be anywhere).
     */
    String readRaw(final Reader r, final int cycle, final long offset)
    {
        final long index = rollCycle.toIndex(cycle, offset);
        final ExcerptTailer t = r.tailer;
        final boolean sequential = r.nextIndex == index;
        r.nextIndex = -1;
        if (!sequential && !t.moveToIndex(index))
        {
            return "Chronicle cannot find index 0x" + Long.toHexString(index) + " (offset " + offset + " in cycle)";
        }
        try (DocumentContext dc = t.readingDocument())
        {
            if (!dc.isPresent())
            {
                return "no readable record at offset " + offset + " of the cycle";
            }
            if (dc.index() != index)
            {
                return "Chronicle returned index 0x" + Long.toHexString(dc.index()) + " for 0x" +
                    Long.toHexString(index);
            }
            final Bytes<?> bytes = dc.wire().bytes();
            r.position = bytes.readPosition();
            final long length = bytes.readRemaining();
            if (length > config.maxRecordBytes() + RecordCodec.OVERHEAD)
            {
                return "record length " + length + " exceeds the maximum of " + config.maxRecordBytes();
            }
            final int n = (int)length;
            if (r.buf.length < n)
            {
                r.buf = new byte[Math.max(n, r.buf.length * 2)];
            }
            bytes.read(r.buf, 0, n);
            r.length = n;
            r.nextIndex = index + 1;
            return null;
        }
    }

    /**
     * Reads and checks the record of a sequence into the reader.
     *
     * @return false if storage does not hold the sequence.
     * @throws CorruptRecordException if the record is damaged.
     */
    private boolean readChecked(final Reader r, final long seq)
    {
        final Map.Entry<Long, CycleSpan> e = spans.floorEntry(seq);
        if (e == null || seq > e.getValue().lastSeq)
        {
            return false;
        }
        final CycleSpan span = e.getValue();
        String reason = checkCycle(span.cycle);
        r.position = CorruptRecordException.UNKNOWN;
        try
        {
            if (reason == null)
            {
                reason = readRaw(r, span.cycle, seq - span.firstSeq);
            }
        }
        catch (final Exception | AssertionError x)
        {
            if (closed)
            {
                throw new IllegalStateException("stream " + name + " is closed", x);
            }
            reason = "Chronicle failed reading the record: " + x;
        }
        if (reason == null)
        {
            reason = RecordCodec.check(r.buf, r.length, seq);
        }
        if (reason != null)
        {
            throw corrupt(span.cycle, r.position, seq, reason);
        }
        return true;
    }

    /**
     * Checks a cycle's header positions once, before Chronicle follows them (see {@link ChronicleHeaders}).
     *
     * @return null if sound, otherwise what is wrong.
     */
    String checkCycle(final int cycle)
    {
        final String known = checkedCycles.get(cycle);
        if (known != null)
        {
            return known.isEmpty() ? null : known;
        }
        String problem;
        try
        {
            final SingleChronicleQueueStore s = queue.storeForCycle(cycle, queue.epoch(), false, null);
            if (s == null)
            {
                return "cycle file " + cycleFile(cycle) + " is missing";
            }
            try
            {
                final Path file = cycleFile(cycle);
                problem = ChronicleHeaders.check(s, file, Files.size(file));
            }
            finally
            {
                queue.closeStore(s);
            }
        }
        catch (final Exception | AssertionError e)
        {
            problem = "Chronicle cannot read the cycle header: " + e;
        }
        checkedCycles.put(cycle, problem == null ? "" : problem);
        return problem;
    }

    /**
     * Records that a cycle's header is known good (recovery checked it, or this store created it).
     */
    void cycleChecked(final int cycle)
    {
        checkedCycles.put(cycle, "");
    }

    @Override
    RecordMeta meta(final long seq)
    {
        final Reader r = lockedReaderChecked(seq);
        if (r == null)
        {
            return null;
        }
        final byte[] b = r.buf;
        return new RecordMeta(RecordCodec.subject(b), r.length, RecordCodec.timestampNs(b));
    }

    @Override
    StoredMessage load(final long seq)
    {
        final Reader r = lockedReaderChecked(seq);
        return r == null ? null : RecordCodec.toMessage(r.buf);
    }

    /**
     * Reads with the reader reserved for lock holders; a reader that hit damage is replaced.
     */
    private Reader lockedReaderChecked(final long seq)
    {
        final Reader r = lockedReader;
        try
        {
            return readChecked(r, seq) ? r : null;
        }
        catch (final CorruptRecordException e)
        {
            closeQuietly(r.tailer);
            lockedReader = newReader();
            throw e;
        }
    }

    /**
     * Tests and tools: where a record is.
     *
     * @param seq a live sequence.
     * @return {file position of the record's first byte (after Chronicle's 4-byte header), record length, cycle}.
     */
    long[] recordLocation(final long seq)
    {
        lock.lock();
        try
        {
            checkOpen();
            final Reader r = lockedReader;
            if (!readChecked(r, seq))
            {
                throw new IllegalArgumentException("seq " + seq + " is not stored");
            }
            return new long[] {r.position, r.length, spans.floorEntry(seq).getValue().cycle};
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public StoredMessage read(final long seq)
    {
        closeGuard.readLock().lock();
        try
        {
            lock.lock();
            try
            {
                checkOpen();
                if (!isLive(seq))
                {
                    return null;
                }
            }
            finally
            {
                lock.unlock();
            }
            final Reader r = acquireReader();
            boolean healthy = false;
            try
            {
                final boolean found = readChecked(r, seq);
                healthy = true;
                return found ? RecordCodec.toMessage(r.buf) : null;
            }
            catch (final CorruptRecordException e)
            {
                lock.lock();
                try
                {
                    if (!isLive(seq))
                    {
                        return null; // deleted while we read it; its file may be gone
                    }
                }
                finally
                {
                    lock.unlock();
                }
                throw e;
            }
            finally
            {
                releaseReader(r, healthy);
            }
        }
        finally
        {
            closeGuard.readLock().unlock();
        }
    }

    // ================================================================================================ appending

    @Override
    public long append(final String subject, final byte[] headers, final byte[] data, final long timestampEpochNs)
    {
        final byte[] subjectBytes = subjectCache.of(subject);
        final byte[] h = headers == null ? EMPTY : headers;
        final byte[] d = Objects.requireNonNull(data, "data");
        final long size = RecordCodec.storedSize(subjectBytes.length, h.length, d.length);
        if (size > config.maxRecordBytes())
        {
            throw new IllegalArgumentException("message of " + size + " bytes (with headers, subject and framing) " +
                "exceeds the store's maximum record size of " + config.maxRecordBytes() + " bytes");
        }
        // no close guard: everything happens under the lock, which close() takes after marking the store closed
        final long seq;
        lock.lock();
        try
        {
            checkOpen();
            checkWritable();
            checkSpace(size);
            seq = lastSeq + 1;
            final int length = encoder.encode(seq, timestampEpochNs, subjectBytes, h, d);
            final long index = writeRecord(encoder.buffer(), length);
            placeRecord(seq, index);
            accountAppend(seq, subject, length, timestampEpochNs);
            bytesSinceSpaceCheck += length;
            commit.recordWritten();
            if (++appendsSinceCheckpoint >= config.checkpointEveryAppends)
            {
                checkpointDue = true;
            }
        }
        finally
        {
            lock.unlock();
        }
        if (checkpointDue)
        {
            checkpointIfDue();
        }
        return seq;
    }

    /**
     * @return the ticket of the last write (append or journaled removal) so far.
     */
    @Override
    public long writeMark()
    {
        return commit.ticket();
    }

    /**
     * With {@link FlushPolicy.Mode#EVERY_PUBLISH}, returns once every write up to the mark is forced to the device,
     * sharing one sync with every writer waiting at the same time ({@link GroupCommit}); with the other policies at
     * once.
     *
     * @throws IllegalStateException if a sync failed (the store is then read-only), or the store was closed without
     *     making the writes durable.
     */
    /**
     * @param mark a mark from {@link #writeMark()}.
     * @return whether {@link #awaitDurable} would return at once for it.
     */
    boolean isDurable(final long mark)
    {
        return !waitsForSyncs() || commit.synced() >= mark;
    }

    @Override
    public boolean waitsForSyncs()
    {
        return config.flushPolicy.mode() == FlushPolicy.Mode.EVERY_PUBLISH;
    }

    @Override
    public void awaitDurable(final long mark)
    {
        if (config.flushPolicy.mode() != FlushPolicy.Mode.EVERY_PUBLISH || commit.synced() >= mark)
        {
            return;
        }
        closeGuard.readLock().lock(); // close() waits for the sync, then forces what is left itself
        try
        {
            if (released && commit.synced() < mark)
            {
                final String f = failure;
                throw new IllegalStateException(
                    "stream " + name + (f == null ? " is closed" : " could not sync: " + f));
            }
            commit.awaitDurable(mark);
        }
        finally
        {
            closeGuard.readLock().unlock();
        }
    }

    private void checkWritable()
    {
        final String f = failure;
        if (f != null)
        {
            throw new IllegalStateException("stream " + name + " is read-only after a storage failure: " + f);
        }
    }

    private void checkSpace(final long size)
    {
        if (spaceLow || bytesSinceSpaceCheck + size >= config.spaceCheckIntervalBytes)
        {
            lastUsableBytes = usableSpace.getAsLong();
            bytesSinceSpaceCheck = 0;
            spaceLow = lastUsableBytes < config.reserveBytes;
        }
        if (spaceLow)
        {
            throw new StorageFullException(dir.toString(), lastUsableBytes, config.reserveBytes);
        }
    }

    /**
     * Appends one Chronicle document. A Chronicle failure leaves the store in an unknown state: it becomes
     * read-only. Under the lock.
     */
    private long writeRecord(final byte[] buf, final int length)
    {
        try
        {
            try (DocumentContext dc = appender.writingDocument())
            {
                try
                {
                    dc.wire().bytes().write(buf, 0, length);
                }
                catch (final Throwable e)
                {
                    dc.rollbackOnClose();
                    throw e;
                }
            }
            return appender.lastIndexAppended();
        }
        catch (final InternalError e)
        {
            // a fault in a memory-mapped write: typically the disk filled up between space checks
            fail("storage fault while appending (disk full?): " + e);
            throw new IllegalStateException("stream " + name + " failed while appending and is now read-only", e);
        }
        catch (final Exception | AssertionError e)
        {
            if (closed)
            {
                throw new IllegalStateException("stream " + name + " is closed", e);
            }
            fail("Chronicle append failed: " + e);
            throw new IllegalStateException("stream " + name + " failed while appending and is now read-only", e);
        }
    }

    /**
     * Records where a new record went, checking that indexes stay contiguous within a cycle. Under the lock.
     */
    private void placeRecord(final long seq, final long index)
    {
        final int cycle = rollCycle.toCycle(index);
        final long offset = rollCycle.toSequenceNumber(index);
        final CycleSpan last = lastSpan;
        if (last != null && last.cycle == cycle)
        {
            if (offset != seq - last.firstSeq)
            {
                fail("Chronicle index 0x" + Long.toHexString(index) + " does not follow seq " + seq);
                throw new IllegalStateException("stream " + name + " failed: " + failure);
            }
            last.lastSeq = seq;
            return;
        }
        if (last != null && cycle < last.cycle || offset != 0)
        {
            fail("record of seq " + seq + " went to cycle " + cycle + " offset " + offset + " after cycle " +
                (last == null ? "none" : Integer.toString(last.cycle)));
            throw new IllegalStateException("stream " + name + " failed: " + failure);
        }
        final CycleSpan span = new CycleSpan(cycle, seq, seq);
        spans.put(seq, span);
        lastSpan = span;
        onNewCycle(cycle);
    }

    private void onNewCycle(final int cycle)
    {
        cycleChecked(cycle);
        time.raiseFloor(cycleStartMs(cycle));
        bytesSinceSpaceCheck = config.spaceCheckIntervalBytes;
        checkpointDue = true;
        try
        {
            if (config.flushPolicy.mode() != FlushPolicy.Mode.NONE)
            {
                FileSupport.syncDirectory(dir);
            }
        }
        catch (final IOException e)
        {
            fail("cannot sync the directory after creating " + cycleFile(cycle) + ": " + e);
        }
        openChannel(cycle);
    }

    /**
     * Opens the channel used to force a cycle file; the previous one is forced once more, then closed.
     */
    void openChannel(final int cycle)
    {
        try
        {
            commit.cycleFile(cycleFile(cycle));
        }
        catch (final IOException e)
        {
            fail("cannot open cycle file " + cycleFile(cycle) + " to sync it: " + e);
        }
    }

    void replaceLockedReader()
    {
        if (lockedReader != null)
        {
            closeQuietly(lockedReader.tailer);
        }
        lockedReader = newReader();
    }

    private void fail(final String reason)
    {
        if (failure == null)
        {
            failure = reason;
            LOG.log(System.Logger.Level.ERROR, "stream " + name + " in " + dir + " is now read-only: " + reason);
        }
    }

    /**
     * @return why the store is read-only, or null if it is writable.
     */
    String failure()
    {
        return failure;
    }

    // ================================================================================================ durability

    /**
     * @return how many writes (appends and journaled removals) have been made; a sync covers all up to a ticket.
     */
    long writeTicket()
    {
        return commit.ticket();
    }

    /**
     * @return the mark up to which every write is forced to the device (tests).
     */
    long durableMark()
    {
        return commit.synced();
    }

    /**
     * @return how many syncs have run (group commit makes this far smaller than the appends).
     */
    long syncCount()
    {
        return commit.syncCount();
    }

    /**
     * Forces everything written so far (used by {@link FlushPolicy.Mode#INTERVAL}, checkpoints and tests).
     */
    void sync()
    {
        closeGuard.readLock().lock();
        try
        {
            checkOpen();
            commit.syncAll();
        }
        finally
        {
            closeGuard.readLock().unlock();
        }
    }

    private void startSyncer()
    {
        if (config.flushPolicy.mode() != FlushPolicy.Mode.INTERVAL)
        {
            return;
        }
        syncer = Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread t = new Thread(r, "jetbus-sync-" + name);
            t.setDaemon(true);
            syncerThread = t;
            return t;
        });
        final long periodNs = config.flushPolicy.interval().toNanos();
        syncer.scheduleWithFixedDelay(this::intervalSync, periodNs, periodNs, TimeUnit.NANOSECONDS);
    }

    private void intervalSync()
    {
        if (!closeGuard.readLock().tryLock())
        {
            return; // closing
        }
        try
        {
            if (!closed)
            {
                commit.syncAll();
            }
        }
        finally
        {
            closeGuard.readLock().unlock();
        }
    }

    @Override
    void persistRemoval(final long first, final long last)
    {
        if (!replaying)
        {
            checkWritable();
            journal.delete(first, last);
            commit.journalWritten();
        }
    }

    @Override
    void persistPurgeBelow(final long newFirst)
    {
        if (!replaying)
        {
            checkWritable();
            journal.purgeBelow(newFirst, newFirst - 1 == lastSeq ? lastTimestampNs : 0);
            commit.journalWritten();
        }
    }

    /**
     * Unlinks cycle files that hold nothing retained, after making the new first sequence durable. Never the cycle
     * being appended to. Under the lock.
     */
    @Override
    void onFirstSeqAdvanced()
    {
        if (replaying)
        {
            return;
        }
        removeSpans(false);
    }

    /**
     * @param interiorToo also remove spans in the middle whose every sequence is deleted.
     */
    void removeSpans(final boolean interiorToo)
    {
        final List<CycleSpan> doomed = new ArrayList<>();
        for (final CycleSpan span : spans.values())
        {
            if (span == lastSpan)
            {
                break;
            }
            final boolean gone = span.lastSeq < firstSeq || msgs == 0 ||
                interiorToo && deleted.countInRange(span.firstSeq, span.lastSeq) == span.lastSeq - span.firstSeq + 1;
            if (gone)
            {
                doomed.add(span);
            }
            else if (!interiorToo)
            {
                break;
            }
        }
        if (doomed.isEmpty())
        {
            return;
        }
        try
        {
            journal.sync(); // the new first sequence (or the deletions) must be durable before files vanish
            for (final CycleSpan span : doomed)
            {
                spans.remove(span.firstSeq);
                seals.remove(span.cycle);
                Files.deleteIfExists(cycleFile(span.cycle));
            }
            FileSupport.syncDirectory(dir);
        }
        catch (final IOException e)
        {
            LOG.log(System.Logger.Level.WARNING, "stream " + name + ": could not remove old cycle files: " + e);
        }
        queue.refreshDirectoryListing();
        Reader r;
        while ((r = readers.pollFirst()) != null)
        {
            closeQuietly(r.tailer); // idle tailers may still map a removed file
        }
        closeQuietly(lockedReader.tailer);
        lockedReader = newReader();
    }

    // ================================================================================================ checkpoint

    private void checkpointIfDue()
    {
        if (!closeGuard.readLock().tryLock())
        {
            return; // closing: close() writes the checkpoint
        }
        try
        {
            if (closed || !checkpointLock.tryLock())
            {
                return;
            }
            try
            {
                writeCheckpoint();
            }
            catch (final IOException | RuntimeException e)
            {
                LOG.log(System.Logger.Level.WARNING, "stream " + name + ": could not write a checkpoint: " + e);
            }
            finally
            {
                checkpointLock.unlock();
            }
        }
        finally
        {
            closeGuard.readLock().unlock();
        }
    }

    /**
     * Snapshots the state under the lock, forces the data it covers, then replaces the checkpoint file.
     */
    void writeCheckpoint() throws IOException
    {
        final byte[] payload;
        lock.lock();
        try
        {
            if (closed && !closing.get())
            {
                return;
            }
            checkpointDue = false;
            appendsSinceCheckpoint = 0;
            removeSpans(true);
            if (journal.size() > config.journalCompactBytes)
            {
                compactJournal();
            }
            payload = snapshot().encode(name);
        }
        finally
        {
            lock.unlock();
        }
        commit.syncAll(); // everything the checkpoint vouches for must be on the device before it is
        if (failure == null)
        {
            StateFile.write(Checkpoint.file(dir), payload, true);
        }
    }

    /**
     * Rewrites the journal as the current state. Under the lock.
     */
    void compactJournal() throws IOException
    {
        journal.compact(msgs == 0 ? lastSeq + 1 : firstSeq, msgs == 0 ? lastTimestampNs : 0, deleted, seals);
    }

    private Checkpoint snapshot()
    {
        final Checkpoint c = new Checkpoint();
        c.firstSeq = msgs == 0 ? lastSeq + 1 : firstSeq;
        c.lastSeq = lastSeq;
        c.msgs = msgs;
        c.bytes = bytes;
        c.lastTimestampNs = lastTimestampNs;
        c.journalGeneration = journal.generation();
        c.journalOffset = journal.size();
        for (final CycleSpan s : spans.values())
        {
            c.spans.add(new Checkpoint.Span(s.cycle, s.firstSeq, s.lastSeq));
        }
        for (final Map.Entry<String, SubjectCounter> e : subjects.entrySet())
        {
            final SubjectCounter copy = new SubjectCounter();
            copy.msgs = e.getValue().msgs;
            copy.first = e.getValue().first;
            copy.last = e.getValue().last;
            copy.firstExact = e.getValue().firstExact;
            copy.lastExact = e.getValue().lastExact;
            c.subjects.put(e.getKey(), copy);
        }
        deleted.forEachRun(c.deleted::addRange);
        return c;
    }

    // ================================================================================================ state

    @Override
    public RecoveryReport recoveryReport()
    {
        return report;
    }

    @Override
    List<SeqRange> lostSeqs()
    {
        return lost;
    }

    @Override
    public void close()
    {
        if (!closing.compareAndSet(false, true))
        {
            return;
        }
        closed = true;
        closeGuard.writeLock().lock(); // waits for in-flight appends, reads and syncs
        lock.lock(); // and for lock holders reading through the locked reader (state, scans)
        try
        {
            if (syncer != null)
            {
                syncer.shutdownNow();
            }
            if (failure == null)
            {
                try
                {
                    checkpointLock.lock();
                    try
                    {
                        writeCheckpoint();
                    }
                    finally
                    {
                        checkpointLock.unlock();
                    }
                }
                catch (final IOException | RuntimeException e)
                {
                    LOG.log(System.Logger.Level.WARNING, "stream " + name + ": no checkpoint at close: " + e);
                }
            }
            releaseResources();
            OPEN_DIRS.remove(dir);
        }
        finally
        {
            lock.unlock();
            closeGuard.writeLock().unlock();
        }
    }

    /**
     * Tests only: drop the store as a crash would, without the checkpoint and sync of {@link #close()}.
     */
    void releaseForCrashTest()
    {
        if (closing.compareAndSet(false, true))
        {
            closed = true;
            closeGuard.writeLock().lock();
            lock.lock();
            try
            {
                releaseResources();
                OPEN_DIRS.remove(dir);
            }
            finally
            {
                lock.unlock();
                closeGuard.writeLock().unlock();
            }
        }
    }

    private void releaseResources()
    {
        closed = true;
        released = true;
        if (syncer != null)
        {
            syncer.shutdownNow();
            try
            {
                syncer.awaitTermination(5, TimeUnit.SECONDS);
                final Thread t = syncerThread;
                if (t != null)
                {
                    t.join(TimeUnit.SECONDS.toMillis(5)); // terminated, but the thread may still be exiting
                }
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
        Reader r;
        while ((r = readers.pollFirst()) != null)
        {
            closeQuietly(r.tailer);
        }
        if (lockedReader != null)
        {
            closeQuietly(lockedReader.tailer);
        }
        closeQuietly(appender);
        closeQuietly(queue);
        commit.closeChannels();
        closeQuietly(journal);
    }

    static void closeQuietly(final AutoCloseable c)
    {
        if (c != null)
        {
            try
            {
                c.close();
            }
            catch (final Exception | AssertionError e)
            {
                LOG.log(System.Logger.Level.DEBUG, "ignored while closing: " + e);
            }
        }
    }
}
