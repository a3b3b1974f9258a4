package io.jetbus.jetstream;

import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.wire.Wires;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sanity checks on the positions a Chronicle cycle file holds: the write position, the index-of-indexes pointer and
 * every index entry. Chronicle trusts them; a flipped bit makes it map chunks terabytes into the file, which stalls
 * and can exhaust the heap ({@code ChunkedMappedFile} grows a list of chunks up to the bogus position). Checking them
 * against the file size first turns that into a prompt, reported damage.
 *
 * <p>The index pointer is not public, so it is read reflectively, and the index arrays are parsed from the file
 * ({@code header | field name | padding | 0x8D | capacity u64 | used u64 | values}). Whatever cannot be parsed is
 * not judged: the check only ever reports positions that are certainly outside the file.
 */
final class ChronicleHeaders
{
    private static final Field INDEXING = field(SingleChronicleQueueStore.class, "indexing");
    private static final Field INDEX2INDEX = INDEXING == null ? null : field(INDEXING.getType(), "index2Index");
    private static final int HEADER_META_DATA = 0x40000000;
    private static final int HEADER_NOT_COMPLETE = 0x80000000;
    private static final int HEADER_LENGTH_MASK = 0x3FFFFFFF;
    private static final int INT64_ARRAY = 0x8D;
    private static final int MAX_CAPACITY = 1 << 20;
    /** Beyond this a document at the write position is taken for damage rather than read (records are far smaller). */
    private static final int MAX_RECORD_CHECKED = 64 << 20;
    /** The last data document and the index documents Chronicle may write after it. */
    private static final int MAX_HEADERS_AFTER_WRITE_POSITION = 4096;

    private ChronicleHeaders()
    {
    }

    private static Field field(final Class<?> type, final String name)
    {
        try
        {
            final Field f = type.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        }
        catch (final ReflectiveOperationException | RuntimeException e)
        {
            return null;
        }
    }

    /**
     * @param store    an open cycle store.
     * @param file     its file.
     * @param fileSize the size of its file.
     * @return null if its positions are inside the file, otherwise what is wrong.
     * @throws IOException if the file cannot be read.
     */
    static String check(final SingleChronicleQueueStore store, final Path file, final long fileSize) throws IOException
    {
        final long writePosition = store.writePosition();
        if (writePosition < 0 || writePosition > fileSize)
        {
            return "cycle header write position " + writePosition + " is outside the file (" + fileSize + " bytes)";
        }
        final long index2index = index2index(store);
        if (index2index == 0 || index2index == Long.MIN_VALUE)
        {
            return null; // no index yet, or cannot tell
        }
        if (index2index < 0 || index2index > fileSize)
        {
            return "cycle header index position " + index2index + " is outside the file (" + fileSize + " bytes)";
        }
        try (FileChannel ch = FileSupport.openUninterruptible(file, StandardOpenOption.READ))
        {
            final long[] arrays = readArray(ch, index2index, fileSize);
            if (arrays == null)
            {
                return null;
            }
            for (final long array : arrays)
            {
                if (array < 0 || array > fileSize)
                {
                    return "index array position " + array + " is outside the file (" + fileSize + " bytes)";
                }
                if (array == 0)
                {
                    continue;
                }
                final long[] positions = readArray(ch, array, fileSize);
                if (positions == null)
                {
                    continue;
                }
                for (final long position : positions)
                {
                    if (position < 0 || position > fileSize)
                    {
                        return "index entry " + position + " at array " + array + " is outside the file (" +
                            fileSize + " bytes)";
                    }
                }
            }
        }
        return null;
    }

    private static long index2index(final SingleChronicleQueueStore store)
    {
        if (INDEX2INDEX == null)
        {
            return Long.MIN_VALUE;
        }
        try
        {
            return ((LongValue)INDEX2INDEX.get(INDEXING.get(store))).getVolatileValue();
        }
        catch (final ReflectiveOperationException | RuntimeException e)
        {
            return Long.MIN_VALUE;
        }
    }

    /**
     * Whether Chronicle can no longer append to a cycle: it ends with the end-of-file marker, which its appender writes
     * to the old cycle when it rolls to a new one ({@code WriteAfterEOFException} after it; when the newer cycle file
     * is missing or was set aside after a crash during the roll), or the document at the cycle's write position is
     * gone or followed by something other than index metadata and a free slot (a power loss zeroed the last record, or
     * left a torn page of garbage after it, while the header that points at it survived: Chronicle's appender then
     * fails an assertion, or without assertions appends where no reader looks). Either way appends must go to a newer
     * cycle, which costs nothing but a file. Walks the headers from the cycle's write position (its last document) to
     * the first free slot or the marker.
     *
     * @param store    an open cycle store.
     * @param file     its file.
     * @param fileSize the size of its file.
     * @return true if the marker follows the cycle's documents.
     * @throws IOException if the file cannot be read.
     */
    static boolean closedForAppends(final SingleChronicleQueueStore store, final Path file, final long fileSize)
        throws IOException
    {
        long position = store.writePosition();
        if (position < 0)
        {
            return false;
        }
        final ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileSupport.openUninterruptible(file, StandardOpenOption.READ))
        {
            for (int steps = 0; steps < MAX_HEADERS_AFTER_WRITE_POSITION; steps++)
            {
                b.clear();
                if (position + 4 > fileSize || FileSupport.readFully(ch, b, position) < 4)
                {
                    return true; // the file ends before a free slot: it was cut short
                }
                final int header = b.getInt(0);
                if (header == Wires.END_OF_DATA || (header & HEADER_NOT_COMPLETE) != 0)
                {
                    return true; // rolled, or a torn document Chronicle would wait on
                }
                if (header == 0)
                {
                    return steps == 0 && position > 0; // a free slot; at the write position, a lost document
                }
                final int length = header & HEADER_LENGTH_MASK;
                if ((header & HEADER_META_DATA) != 0 ? length > MAX_CAPACITY :
                    steps > 0 || !isRecord(ch, position + 4, length, fileSize))
                {
                    // the write position's document is not the intact record it was, or after it comes something
                    // other than index metadata and a free slot: garbage
                    return true;
                }
                position = (position + 4 + length + 3) & ~3L;
            }
        }
        return true;
    }

    /** Whether {@code length} bytes at {@code position} hold an intact Jetbus record (framing and CRC32C). */
    private static boolean isRecord(final FileChannel ch, final long position, final int length, final long fileSize)
        throws IOException
    {
        if (length < RecordCodec.HEADER_LENGTH || length > MAX_RECORD_CHECKED || position + length > fileSize)
        {
            return false;
        }
        final ByteBuffer record = ByteBuffer.allocate(length);
        return FileSupport.readFully(ch, record, position) == length &&
            RecordCodec.check(record.array(), length, RecordCodec.seq(record.array())) == null;
    }

    /**
     * @return the used values of the int64 array document at {@code position}, or null if it does not parse.
     */
    private static long[] readArray(final FileChannel ch, final long position, final long fileSize)
        throws IOException
    {
        final ByteBuffer head = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        final int n = FileSupport.readFully(ch, head, position);
        if (n < 64)
        {
            return null;
        }
        final int header = head.getInt(0);
        if ((header & HEADER_META_DATA) == 0 || (header & HEADER_NOT_COMPLETE) != 0)
        {
            return null;
        }
        final long length = header & HEADER_LENGTH_MASK;
        for (int i = 4; i + 17 <= n; i++)
        {
            if ((head.get(i) & 0xFF) != INT64_ARRAY)
            {
                continue;
            }
            final long capacity = head.getLong(i + 1);
            final long used = head.getLong(i + 9);
            if (capacity <= 0 || capacity > MAX_CAPACITY || used < 0 || used > capacity ||
                i + 17 + capacity * 8 > length + 4 || position + 4 + length > fileSize)
            {
                continue;
            }
            final ByteBuffer values = ByteBuffer.allocate((int)used * 8).order(ByteOrder.LITTLE_ENDIAN);
            FileSupport.readFully(ch, values, position + i + 17);
            final long[] result = new long[(int)used];
            for (int k = 0; k < used; k++)
            {
                result[k] = values.getLong(k * 8);
            }
            return result;
        }
        return null;
    }
}
