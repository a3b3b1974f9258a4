package io.jetbus.jetstream;

import io.jetbus.api.jetstream.CorruptRecordException;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Opens a {@link FileStreamStore}: rebuilds its in-memory state from the checkpoint, the journal and the records,
 * finds damage and lost sequences, and decides where appends go (RELIABILITY.md 3.3, 3.4, 3.8).
 *
 * <ol>
 *     <li>Replay the journal (deletions, purges, sealed cycles); load the checkpoint if it is sound.</li>
 *     <li>Check each cycle file's header before Chronicle maps it; a half-created newest file is set aside.</li>
 *     <li>With a checkpoint whose last record still checks out, scan only the records after it (bounded time);
 *     otherwise scan every cycle. Every cycle is entered by index, never by walking from the previous one.</li>
 *     <li>Each scanned cycle is read up to Chronicle's own count of its records: a record that is missing, fails
 *     its CRC or holds the wrong sequence is damage (Chronicle's invisible-append hazard shows up here).</li>
 *     <li>Sequences that are neither readable nor deleted are lost and reported; a damaged cycle is sealed and
 *     appends move to a new cycle.</li>
 * </ol>
 */
final class FileStoreRecovery
{
    static final String IDENTITY_FILE = "jetbus-store.dat";
    private static final int MAX_EVENTS_PER_CYCLE = 5;
    private static final int MAX_SKIPPED_IN_A_ROW = 1024;
    /** The smallest a record can be in a cycle file: Chronicle's header plus Jetbus framing. */
    private static final long MIN_RECORD_FOOTPRINT = 4 + RecordCodec.OVERHEAD;

    private final FileStreamStore store;
    private final FileStoreConfig config;
    private final RecoveryMode mode;
    private final List<String> events = new ArrayList<>();
    private final List<StoreJournal.Entry> entries = new ArrayList<>();
    private final DeletedSeqs journalDeleted = new DeletedSeqs();
    private final List<SeqRange> lost = new ArrayList<>();
    private long purgeBelow = 1;
    /** The timestamp of {@code purgeBelow - 1} that the purge entry carries, when it purged everything; else 0. */
    private long purgeLastTimestampNs;
    private Checkpoint checkpoint;
    private NavigableSet<Integer> diskCycles = new TreeSet<>();
    private long scanned;
    private boolean changed;
    /** The last sequence whose record was found (live or removed). */
    private long prevGood;
    private long maxRemovedSeen;
    private FileStreamStore.CycleSpan current;
    private long newestCycleEnd;
    private int newestCycleWithRecords = Integer.MIN_VALUE;
    /** A tailer only for Chronicle's per-cycle counts, which move it. */
    private FileStreamStore.Reader counter;
    private final Set<Integer> quarantined = new HashSet<>();

    /**
     * @param store   the store to recover into.
     * @param carried events of an earlier attempt, reported with this one's.
     */
    FileStoreRecovery(final FileStreamStore store, final List<String> carried)
    {
        this.store = store;
        this.config = store.config;
        this.mode = config.recoveryMode;
        this.events.addAll(carried);
    }

    void run() throws IOException
    {
        resolveRollCycle();
        openJournal();
        loadCheckpoint();
        checkCycleFiles();
        store.openQueue(events);
        listDiskCycles();
        checkCycleHeaders();
        store.replaceLockedReader();
        counter = store.newReader();
        try
        {
            final boolean incremental = checkpoint != null && tryIncremental();
            if (!incremental)
            {
                resetState();
                fullScan();
            }
            finish(incremental);
        }
        finally
        {
            FileStreamStore.closeQuietly(counter.tailer);
        }
    }

    // ------------------------------------------------------------------------------------------------ inputs

    private void openJournal() throws IOException
    {
        final StoreJournal journal = StoreJournal.open(store.dir, store.name, entries);
        store.journal(journal);
        if (journal.damage() != null)
        {
            events.add("journal " + journal.file() + ": " + journal.damage() +
                "; deletions recorded after the damage may reappear");
        }
        for (final StoreJournal.Entry e : entries)
        {
            switch (e.type())
            {
                case StoreJournal.DELETE -> journalDeleted.addRange(e.a(), e.b());
                case StoreJournal.PURGE_BELOW ->
                {
                    if (e.a() >= purgeBelow)
                    {
                        purgeBelow = e.a();
                        purgeLastTimestampNs = e.b();
                    }
                }
                case StoreJournal.SEAL -> store.seals().put(e.cycle(), new StoreJournal.Seal(e.a(), e.b()));
                default ->
                {
                }
            }
        }
    }

    /**
     * The roll cycle is fixed when the store is created (the cycle file names and indexes depend on it); it is kept
     * in a small state file, since Chronicle's own metadata is rebuilt on every open.
     */
    private void resolveRollCycle() throws IOException
    {
        final Path file = store.dir.resolve(IDENTITY_FILE);
        String stored = null;
        try
        {
            final byte[] payload = StateFile.read(file, store.name);
            stored = payload == null ? null : new String(payload, StandardCharsets.UTF_8);
        }
        catch (final CorruptRecordException e)
        {
            events.add("store identity unusable (" + e.getMessage() + "); using the configured roll cycle");
        }
        final String configured = rollCycleName(config.rollCycle);
        if (stored != null && !stored.equals(configured))
        {
            final RollCycle kept = rollCycleNamed(stored);
            if (kept != null && hasCycleFiles())
            {
                store.rollCycle(kept);
                events.add("keeping roll cycle " + stored + " the files were written with (configured: " +
                    configured + ")");
                return;
            }
        }
        if (!configured.equals(stored))
        {
            StateFile.write(file, configured.getBytes(StandardCharsets.UTF_8), true);
        }
    }

    static String rollCycleName(final RollCycle rollCycle)
    {
        return rollCycle instanceof Enum<?> e ? e.getDeclaringClass().getName() + "#" + e.name() :
            rollCycle.getClass().getName();
    }

    private static RollCycle rollCycleNamed(final String name)
    {
        final int hash = name.indexOf('#');
        if (hash < 0)
        {
            return null;
        }
        try
        {
            final Class<?> type = Class.forName(name.substring(0, hash));
            for (final Object constant : type.getEnumConstants())
            {
                if (((Enum<?>)constant).name().equals(name.substring(hash + 1)) && constant instanceof RollCycle r)
                {
                    return r;
                }
            }
        }
        catch (final ClassNotFoundException | RuntimeException e)
        {
            return null;
        }
        return null;
    }

    private void loadCheckpoint()
    {
        final Path file = Checkpoint.file(store.dir);
        try
        {
            final byte[] payload = StateFile.read(file, store.name);
            if (payload == null)
            {
                if (!entries.isEmpty() || hasCycleFiles())
                {
                    events.add("no checkpoint " + file + ": full scan");
                }
                return;
            }
            checkpoint = Checkpoint.decode(payload, store.name, file);
        }
        catch (final CorruptRecordException | IOException e)
        {
            events.add("checkpoint unusable (" + e.getMessage() + "): full scan");
        }
    }

    private boolean hasCycleFiles() throws IOException
    {
        return !cycleFiles().isEmpty();
    }

    private List<Path> cycleFiles() throws IOException
    {
        final List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(store.dir, "*.cq4"))
        {
            ds.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    /**
     * Sets aside cycle files whose header Chronicle would stall or fail on. A half-created newest file is normal
     * after a crash; a damaged file that held records fails the open in {@link RecoveryMode#FAIL} mode.
     */
    private void checkCycleFiles() throws IOException
    {
        final List<Path> files = cycleFiles();
        final Map<String, Checkpoint.Span> known = new HashMap<>();
        if (checkpoint != null)
        {
            for (final Checkpoint.Span s : checkpoint.spans)
            {
                known.put(store.cycleFileName(s.cycle()), s);
            }
        }
        for (int i = 0; i < files.size(); i++)
        {
            final Path file = files.get(i);
            final String reason = FileStreamStore.checkCycleHeader(file);
            if (reason == null)
            {
                continue;
            }
            final Checkpoint.Span span = known.get(file.getFileName().toString());
            final boolean newest = i == files.size() - 1;
            final boolean heldRecords = span != null && span.lastSeq() >= Math.max(purgeBelow, checkpoint.firstSeq);
            if (mode == RecoveryMode.FAIL && (heldRecords || span == null && !newest))
            {
                throw new CorruptRecordException(store.name, file.toString(), 0,
                    span == null ? CorruptRecordException.UNKNOWN : span.firstSeq(),
                    span == null ? CorruptRecordException.UNKNOWN : span.lastSeq(),
                    "cycle file cannot be used: " + reason + failHint());
            }
            final Path aside = FileSupport.moveAside(file, "quarantined");
            events.add((heldRecords ? "damaged cycle file " : span == null && newest ?
                "half-created cycle file " : "unusable cycle file ") + file + " (" + reason + ") moved to " + aside);
            changed |= heldRecords;
        }
    }

    private void listDiskCycles()
    {
        store.queue().refreshDirectoryListing();
        final int first = store.queue().firstCycle();
        final int last = store.queue().lastCycle();
        diskCycles = new TreeSet<>();
        if (first <= last && first != Integer.MAX_VALUE)
        {
            for (final Long c : store.queue().listCyclesBetween(first, last))
            {
                diskCycles.add(c.intValue());
            }
        }
    }

    /**
     * Every new tailer reads the first cycle's header, and the appender reads the newest ones (back to one with an
     * end-of-file mark); an unparseable header there makes Chronicle fail. Check those now, even when the checkpoint
     * spares reading their records, before any tailer exists.
     */
    private void checkCycleHeaders() throws IOException
    {
        boolean again = true;
        while (again && !diskCycles.isEmpty())
        {
            again = false;
            final Set<Integer> critical = new TreeSet<>(List.of(diskCycles.first()));
            critical.addAll(new ArrayList<>(diskCycles.descendingSet()).subList(0, Math.min(2, diskCycles.size())));
            for (final int cycle : critical)
            {
                if (!headerReadable(cycle))
                {
                    diskCycles.remove(cycle);
                    again = true; // another cycle is now first or newest
                }
            }
        }
    }

    /**
     * Parses a cycle's header with Chronicle and checks the positions it holds.
     *
     * @return false if it is unreadable (and was set aside).
     */
    private boolean headerReadable(final int cycle) throws IOException
    {
        final String problem = store.checkCycle(cycle);
        if (problem == null)
        {
            return true;
        }
        unreadableCycle(cycle, problem);
        return false;
    }

    /**
     * A cycle whose header Chronicle cannot parse has no readable record: fail closed, or set the file aside (its
     * sequences are then reported lost).
     */
    private void unreadableCycle(final int cycle, final Object e) throws IOException
    {
        if (counter != null)
        {
            FileStreamStore.closeQuietly(counter.tailer);
            counter = store.newReader();
            store.replaceLockedReader();
        }
        final Path file = store.cycleFile(cycle);
        Checkpoint.Span span = null;
        if (checkpoint != null)
        {
            for (final Checkpoint.Span s : checkpoint.spans)
            {
                span = s.cycle() == cycle ? s : span;
            }
        }
        if (mode == RecoveryMode.FAIL)
        {
            throw new CorruptRecordException(store.name, file.toString(), 0,
                span == null ? CorruptRecordException.UNKNOWN : span.firstSeq(),
                span == null ? CorruptRecordException.UNKNOWN : span.lastSeq(),
                "Chronicle cannot read the cycle file: " + e + failHint());
        }
        final Path aside = FileSupport.moveAside(file, "quarantined");
        store.queue().refreshDirectoryListing();
        quarantined.add(cycle);
        events.add("cycle file " + file + " is unreadable (" + e + "); moved to " + aside);
        changed = true;
    }

    // ------------------------------------------------------------------------------------------------ scanning

    private boolean tryIncremental() throws IOException
    {
        final Checkpoint c = checkpoint;
        final long effectiveFirst = Math.max(c.firstSeq, purgeBelow);
        final List<Checkpoint.Span> kept = new ArrayList<>();
        for (final Checkpoint.Span s : c.spans)
        {
            if (diskCycles.contains(s.cycle()))
            {
                kept.add(s);
            }
            else if (s.lastSeq() >= effectiveFirst &&
                journalDeleted.countInRange(s.firstSeq(), s.lastSeq()) + c.deleted.countInRange(s.firstSeq(),
                s.lastSeq()) < s.lastSeq() - s.firstSeq() + 1)
            {
                events.add("cycle file " + store.cycleFile(s.cycle()) + " holding seqs " + s.firstSeq() + ".." +
                    s.lastSeq() + " is missing: full scan");
                return false;
            }
            else if (s.lastSeq() >= c.firstSeq && c.deleted.countInRange(Math.max(s.firstSeq(), c.firstSeq),
                s.lastSeq()) < s.lastSeq() - Math.max(s.firstSeq(), c.firstSeq) + 1)
            {
                // Retention removed the file after the checkpoint (the journal made the removal durable first, so
                // nothing is lost), but the checkpoint's counts still hold its records, and replaying the removal
                // would need to read them for their subjects and sizes: rebuild from the records still on disk.
                events.add("cycle file " + store.cycleFile(s.cycle()) + " with seqs " + s.firstSeq() + ".." +
                    s.lastSeq() + " was removed after the checkpoint: full scan");
                return false;
            }
        }
        if (!kept.isEmpty())
        {
            final Checkpoint.Span last = kept.get(kept.size() - 1);
            if (c.lastSeq < last.firstSeq() || c.lastSeq > last.lastSeq())
            {
                events.add("checkpoint last seq " + c.lastSeq + " is not in its last cycle: full scan");
                return false;
            }
            final String problem = verify(last.cycle(), c.lastSeq - last.firstSeq(), c.lastSeq);
            if (problem != null)
            {
                events.add("checkpoint does not match the files (seq " + c.lastSeq + ": " + problem + "): full scan");
                return false;
            }
        }
        adopt(c, kept);
        int nextCycle = Integer.MIN_VALUE;
        if (!kept.isEmpty())
        {
            final Checkpoint.Span last = kept.get(kept.size() - 1);
            scanCycle(last.cycle(), c.lastSeq - last.firstSeq() + 1, last.firstSeq());
            nextCycle = last.cycle() + 1;
        }
        for (final int cycle : diskCycles.tailSet(nextCycle, true))
        {
            scanCycle(cycle, 0, -1);
        }
        return replayJournalTail(c);
    }

    private String verify(final int cycle, final long offset, final long seq)
    {
        final FileStreamStore.Reader r = store.lockedReader();
        try
        {
            final String reason = store.readRaw(r, cycle, offset);
            return reason != null ? reason : RecordCodec.check(r.buf, r.length, seq);
        }
        catch (final Exception | AssertionError e)
        {
            return "Chronicle failed: " + e;
        }
    }

    private void adopt(final Checkpoint c, final List<Checkpoint.Span> kept)
    {
        store.firstSeq = c.firstSeq;
        store.lastSeq = c.lastSeq;
        store.msgs = c.msgs;
        store.bytes = c.bytes;
        store.lastTimestampNs = c.lastTimestampNs;
        store.firstTimestampNs = -1;
        store.subjects.putAll(c.subjects);
        c.deleted.forEachRun(store.deleted::addRange);
        for (final Checkpoint.Span s : kept)
        {
            current = new FileStreamStore.CycleSpan(s.cycle(), s.firstSeq(), s.lastSeq());
            store.spans().put(s.firstSeq(), current);
            newestCycleWithRecords = s.cycle();
            newestCycleEnd = s.lastSeq();
        }
        prevGood = c.lastSeq;
        maxRemovedSeen = c.lastSeq;
    }

    private void resetState()
    {
        store.firstSeq = 1;
        store.lastSeq = 0;
        store.msgs = 0;
        store.bytes = 0;
        store.lastTimestampNs = 0;
        store.firstTimestampNs = -1;
        store.subjects.clear();
        store.deleted.clear();
        store.spans().clear();
        lost.clear();
        current = null;
        prevGood = 0;
        maxRemovedSeen = 0;
        newestCycleEnd = 0;
        newestCycleWithRecords = Integer.MIN_VALUE;
        scanned = 0;
    }

    private void fullScan() throws IOException
    {
        for (final int cycle : diskCycles)
        {
            scanCycle(cycle, 0, -1);
        }
    }

    /**
     * Reads a cycle from {@code fromOffset} up to Chronicle's count of its records (or its seal).
     *
     * @param cycleFirst the sequence of the cycle's first record, or -1 if not yet known.
     */
    private void scanCycle(final int cycle, final long fromOffset, final long cycleFirstKnown) throws IOException
    {
        final StoreJournal.Seal seal = store.seals().get(cycle);
        long cycleFirst = cycleFirstKnown >= 0 ? cycleFirstKnown : seal != null ? seal.firstSeq() : -1;
        long count;
        if (quarantined.contains(cycle) || !headerReadable(cycle))
        {
            return;
        }
        try
        {
            count = counter.tailer.excerptsInCycle(cycle);
        }
        catch (final Exception | AssertionError e)
        {
            unreadableCycle(cycle, "Chronicle cannot count its records: " + e);
            return;
        }
        final long physicalMax = maxRecordsIn(cycle);
        if (count > physicalMax)
        {
            damage(cycle, CorruptRecordException.UNKNOWN, cycleFirst, cycleFirst,
                "Chronicle counts " + count + " records in a file that can hold at most " + physicalMax);
            count = physicalMax;
        }
        final long limit = seal != null ? Math.min(Math.max(count, 0), seal.validCount()) : Math.max(count, 0);
        final int eventsBefore = events.size();
        long nextPosition = CorruptRecordException.UNKNOWN;
        final List<Long> badOffsets = new ArrayList<>();
        long lastGoodOffset = fromOffset - 1;
        boolean damaged = false;
        int badInARow = 0;
        for (long offset = fromOffset; offset < limit; offset++)
        {
            if (cycleFirst > 0)
            {
                final long seq = cycleFirst + offset;
                if (seq < purgeBelow)
                {
                    // removed by a purge: jump over the whole removed stretch without reading it
                    final long jump = Math.min(limit, purgeBelow - cycleFirst);
                    noteRemoved(cycle, cycleFirst, cycleFirst + jump - 1);
                    offset = jump - 1;
                    lastGoodOffset = offset;
                    continue;
                }
                if (journalDeleted.contains(seq))
                {
                    noteRemoved(cycle, cycleFirst, seq);
                    lastGoodOffset = offset;
                    continue;
                }
            }
            final FileStreamStore.Reader r = store.lockedReader();
            String reason;
            try
            {
                reason = store.readRaw(r, cycle, offset);
            }
            catch (final Exception | AssertionError e)
            {
                reason = "Chronicle failed reading: " + e;
                replaceReader();
            }
            long seq = cycleFirst > 0 ? cycleFirst + offset : -1;
            final boolean unreachable = reason != null;
            long position = unreachable ? nextPosition : r.position;
            if (reason == null)
            {
                nextPosition = (r.position + r.length + 3) & ~3L;
                reason = RecordCodec.check(r.buf, r.length, seq > 0 ? seq : RecordCodec.seq(r.buf));
                if (reason == null && seq < 0)
                {
                    seq = RecordCodec.seq(r.buf);
                    if (seq <= prevGood || seq - offset < 1)
                    {
                        reason = "record holds seq " + seq + " but seq " + prevGood + " came before it";
                    }
                    else
                    {
                        cycleFirst = seq - offset;
                    }
                }
            }
            if (reason != null)
            {
                damage(cycle, position, seq, cycleFirst > 0 && count > 0 ? cycleFirst + count - 1 : seq, reason);
                damaged = true;
                if (mode == RecoveryMode.TRUNCATE_TAIL || unreachable)
                {
                    break; // a record Chronicle cannot reach hides the rest of the cycle from sequential reads
                }
                badOffsets.add(offset);
                if (++badInARow > MAX_SKIPPED_IN_A_ROW)
                {
                    break; // nothing readable for a long stretch: treat the rest as an unreadable tail
                }
                continue;
            }
            scanned++;
            badInARow = 0;
            lastGoodOffset = offset;
            if (seq < purgeBelow || journalDeleted.contains(seq))
            {
                noteRemoved(cycle, cycleFirst, seq); // read only to learn the cycle's first sequence
                continue;
            }
            onGood(cycle, cycleFirst, seq, r);
        }
        if (!damaged && seal == null && count >= 0 && cycleFirst > 0)
        {
            damaged = probeBeyond(cycle, count, cycleFirst);
        }
        final long counted = seal != null ? Math.min(count, seal.validCount()) : count;
        if (cycleFirst > 0 && counted > 0)
        {
            newestCycleEndCandidate(cycle, cycleFirst + counted - 1);
        }
        if (events.size() - eventsBefore > MAX_EVENTS_PER_CYCLE)
        {
            final int more = events.size() - eventsBefore - MAX_EVENTS_PER_CYCLE;
            events.subList(eventsBefore + MAX_EVENTS_PER_CYCLE, events.size()).clear();
            events.add("... and " + more + " more damaged records in " + store.cycleFile(cycle));
        }
        if (damaged)
        {
            sealCycle(cycle, cycleFirst, lastGoodOffset + 1, badOffsets);
        }
    }

    private long maxRecordsIn(final int cycle)
    {
        try
        {
            return Files.size(store.cycleFile(cycle)) / MIN_RECORD_FOOTPRINT;
        }
        catch (final IOException e)
        {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Chronicle's count of a cycle's records must be all there is: a valid record after it means the cycle's
     * header is wrong, and Chronicle could append over it.
     */
    private boolean probeBeyond(final int cycle, final long count, final long cycleFirst)
    {
        final FileStreamStore.Reader r = store.lockedReader();
        try
        {
            if (store.readRaw(r, cycle, count) == null &&
                RecordCodec.check(r.buf, r.length, cycleFirst + count) == null)
            {
                damage(cycle, r.position, cycleFirst + count, cycleFirst + count,
                    "a valid record follows the " + count + " records Chronicle counts in the cycle");
                return true;
            }
        }
        catch (final Exception | AssertionError e)
        {
            replaceReader();
        }
        return false;
    }

    private void replaceReader()
    {
        store.replaceLockedReader(); // after a Chronicle failure the tailer may be anywhere
    }

    private void damage(final int cycle, final long position, final long seq, final long lastSeq, final String reason)
    {
        if (mode == RecoveryMode.FAIL)
        {
            throw store.corrupt(cycle, position, seq > 0 ? seq : CorruptRecordException.UNKNOWN,
                seq > 0 ? Math.max(seq, lastSeq) : CorruptRecordException.UNKNOWN, reason + failHint());
        }
        events.add("damage in " + store.cycleFile(cycle) + (position >= 0 ? " at position " + position : "") +
            (seq > 0 ? " (seq " + seq + ")" : "") + ": " + reason);
    }

    private static String failHint()
    {
        return "; the store was not changed (recovery mode FAIL): repair with recovery mode TRUNCATE_TAIL or SKIP";
    }

    private void onGood(final int cycle, final long cycleFirst, final long seq, final FileStreamStore.Reader r)
    {
        extendSpan(cycle, cycleFirst, seq);
        gapTo(seq);
        final byte[] b = r.buf;
        if (store.msgs > 0 && seq > store.lastSeq + 1)
        {
            store.deleted.addRange(store.lastSeq + 1, seq - 1);
        }
        store.accountAppend(seq, RecordCodec.subject(b), r.length, RecordCodec.timestampNs(b));
        prevGood = seq;
    }

    /**
     * Records from {@code cycleFirst} (or the current span's end) to {@code lastSeq} exist but were removed.
     */
    private void noteRemoved(final int cycle, final long cycleFirst, final long lastSeq)
    {
        extendSpan(cycle, cycleFirst, lastSeq);
        final long firstOfRun = Math.max(prevGood + 1, cycleFirst);
        gapTo(firstOfRun);
        prevGood = Math.max(prevGood, lastSeq);
        maxRemovedSeen = Math.max(maxRemovedSeen, lastSeq);
    }

    private void extendSpan(final int cycle, final long cycleFirst, final long seq)
    {
        if (current == null || current.cycle != cycle)
        {
            current = new FileStreamStore.CycleSpan(cycle, cycleFirst, seq);
            store.spans().put(cycleFirst, current);
        }
        else if (seq > current.lastSeq)
        {
            current.lastSeq = seq;
        }
        newestCycleWithRecords = Math.max(newestCycleWithRecords, cycle);
    }

    private void newestCycleEndCandidate(final int cycle, final long end)
    {
        if (cycle >= newestCycleWithRecords)
        {
            newestCycleEnd = Math.max(newestCycleEnd, end);
        }
    }

    /**
     * Sequences between the last record found and {@code seq} that were not removed are lost.
     */
    private void gapTo(final long seq)
    {
        if (seq > prevGood + 1)
        {
            addLost(prevGood + 1, seq - 1);
        }
    }

    private void addLost(final long from, final long to)
    {
        long s = journalDeleted.nextClear(Math.max(from, purgeBelow));
        while (s <= to)
        {
            long end = journalDeleted.nextSet(s);
            end = end < 0 || end > to ? to : end - 1;
            if (!lost.isEmpty() && lost.get(lost.size() - 1).last() + 1 == s)
            {
                final SeqRange prev = lost.remove(lost.size() - 1);
                lost.add(new SeqRange(prev.first(), end));
            }
            else
            {
                lost.add(new SeqRange(s, end));
            }
            s = journalDeleted.nextClear(end + 1);
        }
    }

    private void sealCycle(final int cycle, final long cycleFirst, final long validCount, final List<Long> badOffsets)
    {
        final StoreJournal.Seal seal = new StoreJournal.Seal(Math.max(cycleFirst, 0), Math.max(validCount, 0));
        store.seals().put(cycle, seal);
        store.journal().seal(cycle, seal);
        if (cycleFirst > 0)
        {
            for (final long offset : badOffsets)
            {
                if (offset < validCount)
                {
                    store.journal().delete(cycleFirst + offset, cycleFirst + offset);
                }
            }
        }
        events.add("sealed cycle file " + store.cycleFile(cycle) + " after " + seal.validCount() +
            " records; appends go to a new cycle file");
        changed = true;
    }

    // ------------------------------------------------------------------------------------------------ journal

    /**
     * Applies the journal entries written after the checkpoint through the normal delete paths (idempotent).
     *
     * @return false if a record they need is damaged (the caller falls back to a full scan).
     */
    private boolean replayJournalTail(final Checkpoint c)
    {
        final boolean sameGeneration = c.journalGeneration == store.journal().generation();
        store.replaying(true);
        try
        {
            for (final StoreJournal.Entry e : entries)
            {
                if (sameGeneration && e.offset() < c.journalOffset)
                {
                    continue;
                }
                if (e.type() == StoreJournal.DELETE)
                {
                    for (long s = Math.max(e.a(), store.firstSeq); s <= Math.min(e.b(), store.lastSeq); s++)
                    {
                        store.delete(s);
                    }
                }
                else if (e.type() == StoreJournal.PURGE_BELOW)
                {
                    store.purge(null, e.a(), 0);
                }
            }
            return true;
        }
        catch (final CorruptRecordException e)
        {
            events.add("journal replay met a damaged record (" + e.getMessage() + "): full scan");
            return false;
        }
        finally
        {
            store.replaying(false);
        }
    }

    // ------------------------------------------------------------------------------------------------ finish

    private void finish(final boolean incremental) throws IOException
    {
        final long knownEnd = Math.max(newestCycleEnd, checkpoint == null ? 0 : checkpoint.lastSeq);
        final long lastLive = store.lastSeq;
        store.lastSeq = Math.max(Math.max(store.lastSeq, maxRemovedSeen), purgeBelow - 1);
        if (store.msgs > 0 && store.lastSeq > lastLive)
        {
            store.deleted.addRange(lastLive + 1, store.lastSeq);
        }
        final long lastFound = Math.max(prevGood, purgeBelow - 1);
        if (knownEnd > lastFound)
        {
            tailLost(lastFound, knownEnd);
        }
        for (final SeqRange r : lost)
        {
            if (r.first() <= store.lastSeq && store.msgs > 0)
            {
                store.deleted.addRange(Math.max(r.first(), store.firstSeq), Math.min(r.last(), store.lastSeq));
            }
        }
        if (store.msgs == 0)
        {
            store.firstSeq = store.lastSeq + 1;
            store.deleted.clear();
        }
        if (store.msgs == 0 || store.lastSeq > lastLive)
        {
            restoreLastTimestamp();
        }
        placeAppends();
        store.openAppender();
        store.recovered(new RecoveryReport(incremental, scanned, lost, events));
        if (changed)
        {
            store.compactJournal();
        }
        if (!incremental || changed || scanned > 0)
        {
            store.writeCheckpoint();
        }
        if (!lost.isEmpty() || !events.isEmpty())
        {
            System.getLogger("io.jetbus.jetstream").log(lost.isEmpty() ? System.Logger.Level.INFO :
                System.Logger.Level.WARNING, "stream " + store.name + " opened from " + store.dir + ": lost seqs " +
                lost + ", events " + events);
        }
    }

    /**
     * The message of the last sequence was removed: its timestamp (the stream's last time, which survives removals)
     * comes from its record while the record is on disk, else from the purge that removed everything, else from a
     * checkpoint taken at the same last sequence; otherwise the timestamp of the newest live record stays.
     */
    private void restoreLastTimestamp()
    {
        if (store.lastSeq == 0)
        {
            store.lastTimestampNs = 0;
            return;
        }
        try
        {
            final AbstractStreamStore.RecordMeta m = store.meta(store.lastSeq);
            if (m != null)
            {
                store.lastTimestampNs = m.timestampNs();
                return;
            }
        }
        catch (final RuntimeException e)
        {
            // damaged or unreadable: the journal or the checkpoint may still know it
        }
        if (purgeBelow - 1 == store.lastSeq && purgeLastTimestampNs != 0)
        {
            store.lastTimestampNs = purgeLastTimestampNs;
        }
        else if (checkpoint != null && checkpoint.lastSeq == store.lastSeq && checkpoint.lastTimestampNs != 0)
        {
            store.lastTimestampNs = checkpoint.lastTimestampNs;
        }
    }

    /**
     * @return true if the cycle ends with Chronicle's end-of-file mark; false if not, or if that cannot be read (an
     *     append then fails and reports it).
     */
    private boolean closedForAppends(final int cycle)
    {
        try
        {
            final SingleChronicleQueueStore s = store.queue().storeForCycle(cycle, store.queue().epoch(), false, null);
            if (s == null)
            {
                return false;
            }
            try
            {
                final Path file = store.cycleFile(cycle);
                final boolean closed = ChronicleHeaders.closedForAppends(s, file, Files.size(file));
                if (closed)
                {
                    events.add("cycle file " + file + " was rolled to a newer cycle whose file is gone, or lost the " +
                        "document its header points at; appends go to a new cycle file");
                }
                return closed;
            }
            finally
            {
                store.queue().closeStore(s);
            }
        }
        catch (final IOException | RuntimeException | AssertionError e)
        {
            return false;
        }
    }

    private void tailLost(final long lastFound, final long knownEnd)
    {
        final int newest = newestCycleWithRecords;
        final boolean fileStillThere = checkpoint != null && !checkpoint.spans.isEmpty() &&
            diskCycles.contains(checkpoint.spans.get(checkpoint.spans.size() - 1).cycle());
        if (mode == RecoveryMode.FAIL && fileStillThere && !store.seals().containsKey(newest))
        {
            throw store.corrupt(newest, CorruptRecordException.UNKNOWN, lastFound + 1, knownEnd,
                "records up to seq " + knownEnd + " were stored but the cycle ends at seq " + lastFound + failHint());
        }
        addLost(lastFound + 1, knownEnd);
        events.add("seqs " + (lastFound + 1) + ".." + knownEnd + " at the end of the stream are lost; the next " +
            "append takes seq " + (store.lastSeq + 1));
        if (newest != Integer.MIN_VALUE && !store.seals().containsKey(newest))
        {
            final FileStreamStore.CycleSpan span =
                store.spans().isEmpty() ? null : store.spans().lastEntry().getValue();
            if (span != null && span.cycle == newest)
            {
                sealCycle(newest, span.firstSeq, span.lastSeq - span.firstSeq + 1, List.of());
            }
        }
        changed = true;
    }

    /**
     * Appends never go into a cycle older than the newest on disk, nor into a sealed one, nor into one Chronicle can
     * no longer append to ({@link ChronicleHeaders#closedForAppends}).
     */
    private void placeAppends()
    {
        final FileStreamStore.CycleSpan last = store.spans().isEmpty() ? null : store.spans().lastEntry().getValue();
        store.lastSpan(last);
        diskCycles.removeAll(quarantined);
        int floorCycle = diskCycles.isEmpty() ? Integer.MIN_VALUE : diskCycles.last();
        if (floorCycle != Integer.MIN_VALUE &&
            (store.seals().containsKey(floorCycle) || closedForAppends(floorCycle)))
        {
            floorCycle++;
        }
        if (floorCycle != Integer.MIN_VALUE)
        {
            store.time().raiseFloor(store.cycleStartMs(floorCycle));
        }
        if (last != null && !store.seals().containsKey(last.cycle))
        {
            store.openChannel(last.cycle);
        }
    }
}
