package io.jetbus.jetstream;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The durable record of what a {@link FileStreamStore} removed or repaired, on a {@link RecordLog}: deletions,
 * purges below a sequence, and sealed (damaged) cycles. It, not the checkpoint, is the truth about deletions, so a
 * lost checkpoint costs only a scan. Entries are idempotent, so replaying one twice is harmless. Compaction rewrites
 * it as the current state. Used under the store's lock.
 */
final class StoreJournal implements Closeable
{
    static final String FILE_NAME = "jetbus-journal.dat";

    static final byte DELETE = 1;
    static final byte PURGE_BELOW = 2;
    static final byte SEAL = 3;

    /**
     * One journal entry.
     *
     * @param offset where it is in the log.
     * @param type   {@link #DELETE} (seqs a..b), {@link #PURGE_BELOW} (every seq below a; b is the timestamp of
     *               seq a - 1 when it was the last sequence, so a purge of everything keeps the last time, else 0),
     *               or {@link #SEAL} (cycle
     *               {@code cycle} holds valid records only at offsets below b, its first seq is a).
     * @param a      first value.
     * @param b      second value.
     * @param cycle  the cycle of a {@link #SEAL}.
     */
    record Entry(long offset, byte type, long a, long b, int cycle)
    {
    }

    /**
     * A sealed cycle.
     *
     * @param firstSeq   the sequence of its first record.
     * @param validCount how many records from its start are valid; later ones are never read.
     */
    record Seal(long firstSeq, long validCount)
    {
    }

    private final RecordLog log;

    private StoreJournal(final RecordLog log)
    {
        this.log = log;
    }

    /**
     * @param dir     the stream directory.
     * @param stream  the stream name.
     * @param entries receives every entry, in order.
     * @return the open journal.
     * @throws IOException if it cannot be read or created.
     */
    static StoreJournal open(final Path dir, final String stream, final List<Entry> entries) throws IOException
    {
        return new StoreJournal(RecordLog.open(dir.resolve(FILE_NAME), stream, (offset, payload) ->
        {
            final Entry e = decode(offset, payload);
            if (e != null)
            {
                entries.add(e);
            }
        }));
    }

    private static Entry decode(final long offset, final byte[] payload)
    {
        final ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        if (payload.length == 17 && (payload[0] == DELETE || payload[0] == PURGE_BELOW))
        {
            return new Entry(offset, payload[0], b.getLong(1), b.getLong(9), 0);
        }
        if (payload.length == 21 && payload[0] == SEAL)
        {
            return new Entry(offset, SEAL, b.getLong(1), b.getLong(9), b.getInt(17));
        }
        return null; // unknown entry from a newer version: ignore
    }

    private static byte[] encode(final byte type, final long a, final long b)
    {
        return ByteBuffer.allocate(17).order(ByteOrder.LITTLE_ENDIAN).put(type).putLong(a).putLong(b).array();
    }

    private static byte[] encodeSeal(final int cycle, final Seal seal)
    {
        return ByteBuffer.allocate(21).order(ByteOrder.LITTLE_ENDIAN).put(SEAL).putLong(seal.firstSeq())
            .putLong(seal.validCount()).putInt(cycle).array();
    }

    /**
     * @return the damage found when opening, or null.
     */
    String damage()
    {
        return log.damage();
    }

    Path file()
    {
        return log.file();
    }

    long generation()
    {
        return log.generation();
    }

    long size()
    {
        return log.size();
    }

    void delete(final long first, final long last)
    {
        append(encode(DELETE, first, last));
    }

    /**
     * @param seq             every sequence below it is gone.
     * @param lastTimestampNs the timestamp of {@code seq - 1} when it is the last sequence (everything was purged),
     *                        else 0.
     */
    void purgeBelow(final long seq, final long lastTimestampNs)
    {
        append(encode(PURGE_BELOW, seq, lastTimestampNs));
    }

    void seal(final int cycle, final Seal seal)
    {
        append(encodeSeal(cycle, seal));
    }

    private void append(final byte[] entry)
    {
        try
        {
            log.append(entry);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write journal " + log.file(), e);
        }
    }

    void sync() throws IOException
    {
        log.sync();
    }

    /**
     * Rewrites the journal as the given state (a new generation), durably.
     *
     * @param firstSeq        every sequence below it is gone.
     * @param lastTimestampNs the timestamp of {@code firstSeq - 1} when it is the last sequence (the store is
     *                        empty), else 0.
     * @param deleted         deleted sequences at or above {@code firstSeq}.
     * @param seals           sealed cycles still on disk.
     * @throws IOException if writing fails; the old journal then stays.
     */
    void compact(final long firstSeq, final long lastTimestampNs, final DeletedSeqs deleted,
        final Map<Integer, Seal> seals) throws IOException
    {
        final List<byte[]> entries = new ArrayList<>();
        entries.add(encode(PURGE_BELOW, firstSeq, lastTimestampNs));
        deleted.forEachRun((first, last) -> entries.add(encode(DELETE, first, last)));
        for (final Map.Entry<Integer, Seal> e : seals.entrySet())
        {
            entries.add(encodeSeal(e.getKey(), e.getValue()));
        }
        log.rewrite(entries);
    }

    @Override
    public void close() throws IOException
    {
        log.close();
    }
}
