package io.jetbus.jetstream;

import org.agrona.IoUtil;

import java.io.Closeable;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An append-only file of CRC32C-framed records, for small journals such as deletions and consumer acks.
 *
 * <p>Each {@link #append} copies the record into a memory-mapped region of the file: it is in the page cache when the
 * call returns and survives a process crash, without a system call per record (a consumer logs every delivery and
 * every ack). The record's length is stored last, after a release fence, so a process killed mid-append leaves a zero
 * length where the next record goes, never a length over a half-written payload. {@link #sync()} makes the records
 * survive power loss. The region is grown by writing zeros through the channel before it is mapped, so a full disk
 * fails an append with an {@link IOException}, never a SIGBUS; {@link #close()} cuts the file back to its records.
 *
 * <p>Opening replays every valid record and stops at the first zero length; a torn last record (a crash mid-write)
 * is cut off silently, damage before the end is reported in {@link #damage()} and everything from it on is dropped
 * (the damaged file is kept beside as evidence). The log is compacted by {@link #rewrite}, which atomically replaces
 * it with a new generation.
 *
 * <p>Layout: header {@code magic u64 | generation u64 | crc32c u32}, then records {@code length u32 | crc32c u32 |
 * payload}, the record CRC covering the length and the payload (little-endian). Safe for concurrent use.
 */
final class RecordLog implements Closeable
{
    static final long MAGIC = 0x31474F4C534A424AL; // "JBJSLOG1" read little-endian
    static final int FILE_HEADER_LENGTH = 20;
    static final int RECORD_HEADER_LENGTH = 8;
    /** The largest record accepted; a damaged length beyond it is treated as damage. */
    static final int MAX_RECORD = 16 << 20;
    /** The first mapped length; it doubles as the log grows, up to {@link #MAX_GROWTH} at a time. */
    static final int INITIAL_MAPPING = 64 << 10;
    private static final int MAX_GROWTH = 16 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 << 10);

    /**
     * Receives each valid record when the log is opened.
     */
    @FunctionalInterface
    interface Replay
    {
        /**
         * @param offset  the file offset of the record, usable with {@link #size()} to tell old from new.
         * @param payload the record.
         */
        void onRecord(long offset, byte[] payload);
    }

    private final Path file;
    private final String owner;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer lengthBytes = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    private FileChannel channel;
    /** The records' region, mapped from offset 0; null until the first append after an open or a rewrite. */
    private MappedByteBuffer map;
    private long generation;
    private long size;
    private String damage;

    private RecordLog(final Path file, final String owner)
    {
        this.file = file;
        this.owner = owner;
    }

    /**
     * Opens (creating if absent) and replays a log.
     *
     * @param file   the file.
     * @param owner  the stream or consumer it belongs to, for messages.
     * @param replay receives every valid record, in order.
     * @return the open log, positioned after its last valid record.
     * @throws IOException if the file cannot be read or written.
     */
    static RecordLog open(final Path file, final String owner, final Replay replay) throws IOException
    {
        final RecordLog log = new RecordLog(file, owner);
        log.openAndReplay(replay);
        return log;
    }

    private void openAndReplay(final Replay replay) throws IOException
    {
        channel = FileSupport.openUninterruptible(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        final long fileSize = channel.size();
        if (fileSize == 0)
        {
            writeHeader(channel, 0);
            generation = 0;
            size = FILE_HEADER_LENGTH;
            return;
        }
        final ByteBuffer header = ByteBuffer.allocate(FILE_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        final int n = FileSupport.readFully(channel, header, 0);
        if (n < FILE_HEADER_LENGTH || header.getLong(0) != MAGIC ||
            header.getInt(16) != crc(header.array(), 0, 16))
        {
            damage = "log header damaged (" + fileSize + " bytes); the whole log was set aside";
            restartAfterDamage(0);
            return;
        }
        generation = header.getLong(8);
        long pos = FILE_HEADER_LENGTH;
        final ByteBuffer recordHeader = ByteBuffer.allocate(RECORD_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        while (pos < fileSize)
        {
            recordHeader.clear();
            final int h = FileSupport.readFully(channel, recordHeader, pos);
            final int length = recordHeader.getInt(0);
            if (h < RECORD_HEADER_LENGTH || length <= 0 || length > MAX_RECORD ||
                pos + RECORD_HEADER_LENGTH + length > fileSize)
            {
                break; // the end, a torn tail or damage; decided below
            }
            final ByteBuffer payload = ByteBuffer.allocate(RECORD_HEADER_LENGTH + length)
                .order(ByteOrder.LITTLE_ENDIAN);
            FileSupport.readFully(channel, payload, pos);
            final byte[] bytes = payload.array();
            if (payload.getInt(4) != recordCrc(bytes, length))
            {
                break;
            }
            final byte[] record = new byte[length];
            System.arraycopy(bytes, RECORD_HEADER_LENGTH, record, 0, length);
            replay.onRecord(pos, record);
            pos += RECORD_HEADER_LENGTH + length;
        }
        if (pos < fileSize)
        {
            if (isTornTail(pos, fileSize))
            {
                channel.truncate(pos);
            }
            else
            {
                damage = "log damaged at offset " + pos + " of " + fileSize + " bytes; records from there on" +
                    " were dropped and the damaged log was set aside";
                restartAfterDamage(pos);
                return;
            }
        }
        size = pos;
    }

    /**
     * Where the records end: a zero length (the unused, zeroed part of the mapped region, or an append cut short
     * before it stored the length), a short header, or a length that reaches exactly to (or past) the end of the file
     * (a write through the channel cut short). Anything else before the end is damage.
     */
    private boolean isTornTail(final long pos, final long fileSize) throws IOException
    {
        final long remaining = fileSize - pos;
        if (remaining < RECORD_HEADER_LENGTH)
        {
            return true;
        }
        final ByteBuffer h = ByteBuffer.allocate(RECORD_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        FileSupport.readFully(channel, h, pos);
        final int length = h.getInt(0);
        return length == 0 || length > 0 && RECORD_HEADER_LENGTH + (long)length >= remaining;
    }

    private void restartAfterDamage(final long validEnd) throws IOException
    {
        final ByteBuffer valid = ByteBuffer.allocate((int)Math.max(0, validEnd - FILE_HEADER_LENGTH));
        if (validEnd > FILE_HEADER_LENGTH)
        {
            FileSupport.readFully(channel, valid, FILE_HEADER_LENGTH);
        }
        valid.flip();
        channel.close();
        FileSupport.moveAside(file, "damaged");
        channel = FileSupport.openUninterruptible(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        writeHeader(channel, generation);
        FileSupport.writeFully(channel, valid, FILE_HEADER_LENGTH);
        channel.force(true);
        FileSupport.syncDirectory(file.toAbsolutePath().getParent());
        size = FILE_HEADER_LENGTH + valid.limit();
    }

    private static void writeHeader(final FileChannel ch, final long generation) throws IOException
    {
        final ByteBuffer header = ByteBuffer.allocate(FILE_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(MAGIC).putLong(generation);
        header.putInt(crc(header.array(), 0, 16));
        header.flip();
        FileSupport.writeFully(ch, header, 0);
    }

    /**
     * @return the generation, incremented by each {@link #rewrite}.
     */
    synchronized long generation()
    {
        return generation;
    }

    /**
     * @return the offset just past the last record: where the next record goes.
     */
    synchronized long size()
    {
        return size;
    }

    /**
     * @return what was wrong when the log was opened (records were dropped), or null if it was sound.
     */
    synchronized String damage()
    {
        return damage;
    }

    Path file()
    {
        return file;
    }

    /**
     * Appends a record; it is in the page cache when this returns.
     *
     * @param payload the record.
     * @return the record's offset.
     * @throws IOException if the log cannot grow (disk full); the log is then unchanged as far as readers can tell.
     */
    synchronized long append(final byte[] payload) throws IOException
    {
        return append(ByteBuffer.wrap(payload));
    }

    /**
     * Appends a record from a buffer's remaining bytes (consumed); it is in the page cache when this returns.
     *
     * @param payload the record.
     * @return the record's offset.
     * @throws IOException if the log cannot grow (disk full); the log is then unchanged as far as readers can tell.
     */
    synchronized long append(final ByteBuffer payload) throws IOException
    {
        checkOpen();
        final int length = payload.remaining();
        if (length == 0 || length > MAX_RECORD)
        {
            throw new IllegalArgumentException(
                "log record of " + length + " bytes: must be from 1 to " + MAX_RECORD + " bytes");
        }
        final long offset = size;
        final long end = offset + RECORD_HEADER_LENGTH + length;
        if (map == null || end > map.capacity())
        {
            grow(end);
        }
        final int at = (int)offset;
        crc.reset();
        crc.update(lengthBytes.putInt(0, length).rewind());
        final int payloadStart = payload.position();
        crc.update(payload);
        payload.position(payloadStart);
        map.put(at + RECORD_HEADER_LENGTH, payload, payloadStart, length);
        payload.position(payload.limit());
        map.putInt(at + 4, (int)crc.getValue());
        VarHandle.releaseFence(); // the length last: a record with a length is whole
        map.putInt(at, length);
        size = end;
        return offset;
    }

    /**
     * Map at least {@code required} bytes from offset 0, extending the file with written zeros first: the blocks
     * then exist, so a full disk shows here as an exception instead of a SIGBUS on a later store.
     */
    private void grow(final long required) throws IOException
    {
        final long current = map == null ? 0 : map.capacity();
        long length = Math.max(INITIAL_MAPPING, current + Math.min(Math.max(current, INITIAL_MAPPING), MAX_GROWTH));
        while (length < required)
        {
            length += MAX_GROWTH;
        }
        if (length > Integer.MAX_VALUE)
        {
            throw new IOException("log " + file + " of " + owner + " would exceed " + Integer.MAX_VALUE +
                " bytes; it should have been compacted");
        }
        for (long pos = Math.max(size, channel.size()); pos < length; )
        {
            final ByteBuffer zeros = ZEROS.duplicate();
            zeros.limit((int)Math.min(zeros.capacity(), length - pos));
            pos += channel.write(zeros, pos);
        }
        unmap();
        map = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
        map.order(ByteOrder.LITTLE_ENDIAN);
    }

    private void unmap()
    {
        if (map != null)
        {
            IoUtil.unmap(map);
            map = null;
        }
    }

    /**
     * Forces every appended record to the device.
     *
     * @throws IOException if the sync fails.
     */
    synchronized void sync() throws IOException
    {
        checkOpen();
        channel.force(false);
    }

    /**
     * Atomically replaces the log with the given records (compaction) as the next generation, durably.
     *
     * @param records the records of the new log.
     * @throws IOException if writing fails; the old log is then still in place.
     */
    synchronized void rewrite(final List<byte[]> records) throws IOException
    {
        checkOpen();
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        long pos = FILE_HEADER_LENGTH;
        try (FileChannel ch = FileSupport.openUninterruptible(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            writeHeader(ch, generation + 1);
            for (final byte[] r : records)
            {
                FileSupport.writeFully(ch, frame(r), pos);
                pos += RECORD_HEADER_LENGTH + r.length;
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        FileSupport.syncDirectory(file.toAbsolutePath().getParent());
        unmap();
        channel.close();
        channel = FileSupport.openUninterruptible(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        generation++;
        size = pos;
    }

    /**
     * Closes the log, cutting the file back to its records (the zeros beyond them were only room to grow).
     */
    @Override
    public synchronized void close() throws IOException
    {
        if (channel != null)
        {
            unmap();
            try
            {
                channel.truncate(size);
            }
            finally
            {
                channel.close();
                channel = null;
            }
        }
    }

    private void checkOpen()
    {
        if (channel == null)
        {
            throw new IllegalStateException("log " + file + " of " + owner + " is closed");
        }
    }

    private static ByteBuffer frame(final byte[] payload)
    {
        final ByteBuffer buf = ByteBuffer.allocate(RECORD_HEADER_LENGTH + payload.length)
            .order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(payload.length).putInt(0).put(payload);
        buf.putInt(4, recordCrc(buf.array(), payload.length));
        buf.flip();
        return buf;
    }

    private static int recordCrc(final byte[] framed, final int length)
    {
        final CRC32C crc = new CRC32C();
        crc.update(framed, 0, 4);
        crc.update(framed, RECORD_HEADER_LENGTH, length);
        return (int)crc.getValue();
    }

    private static int crc(final byte[] bytes, final int offset, final int length)
    {
        final CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int)crc.getValue();
    }
}
