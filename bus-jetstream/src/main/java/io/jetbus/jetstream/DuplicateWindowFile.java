package io.jetbus.jetstream;

import io.jetbus.api.jetstream.CorruptRecordException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A file stream's {@link DuplicateWindow} saved beside it ({@value #FILE_NAME} in the stream's directory), so that
 * reopening the stream does not read every message within the window to find their {@code Nats-Msg-Id} headers. It
 * records the IDs (with sequence and timestamp) and the last stream sequence it covers; reopening loads it and reads
 * only the messages stored after that sequence, which the stream bounds by saving the window every so many publishes
 * and on close. A {@link StateFile}: replaced atomically, checked by a CRC. Only a cache: when it is missing or
 * damaged the stream rebuilds the window from the messages, as before.
 *
 * <p>Payload: {@code version u32 | stream | coveredSeq u64 | count u32 | count x (id | seq u64 | timestampNs u64)},
 * strings as {@code u32 length | UTF-8}, big-endian.
 */
final class DuplicateWindowFile
{
    static final String FILE_NAME = "duplicates.dat";
    private static final int VERSION = 1;
    private static final int MAX_STRING = 1 << 20;

    /**
     * One saved ID.
     *
     * @param id          the message ID.
     * @param seq         the sequence stored under it.
     * @param timestampNs when it was stored.
     */
    record Entry(String id, long seq, long timestampNs)
    {
    }

    /**
     * A loaded file.
     *
     * @param coveredSeq the last stream sequence whose ID (if it had one) is among the entries.
     * @param entries    the IDs, oldest first.
     */
    record Saved(long coveredSeq, List<Entry> entries)
    {
    }

    private DuplicateWindowFile()
    {
    }

    /**
     * @param streamDir the stream's directory.
     * @return the file.
     */
    static Path file(final Path streamDir)
    {
        return streamDir.resolve(FILE_NAME);
    }

    /**
     * @param stream     the stream's name, stored so a file from another stream is never used.
     * @param coveredSeq the stream's last sequence: the window holds the ID of every message up to it.
     * @param window     the window.
     * @param nowNs      the current time; IDs already outside the window are left out.
     * @return the payload.
     */
    static byte[] encode(final String stream, final long coveredSeq, final DuplicateWindow window, final long nowNs)
    {
        final byte[] owner = stream.getBytes(StandardCharsets.UTF_8);
        final Writer w = new Writer(32 + owner.length + window.size() * 48);
        w.putInt(VERSION);
        w.putString(owner);
        w.putLong(coveredSeq);
        final int countAt = w.position();
        w.putInt(0);
        final int[] count = {0};
        window.forEach(nowNs, (id, seq, ts) ->
        {
            w.putString(id.getBytes(StandardCharsets.UTF_8));
            w.putLong(seq);
            w.putLong(ts);
            count[0]++;
        });
        w.buf.putInt(countAt, count[0]);
        return Arrays.copyOf(w.buf.array(), w.position());
    }

    /**
     * A growable big-endian buffer.
     */
    private static final class Writer
    {
        ByteBuffer buf;

        Writer(final int capacity)
        {
            buf = ByteBuffer.allocate(capacity);
        }

        int position()
        {
            return buf.position();
        }

        private void ensure(final int n)
        {
            if (buf.remaining() < n)
            {
                final ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n));
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
        }

        void putInt(final int v)
        {
            ensure(4);
            buf.putInt(v);
        }

        void putLong(final long v)
        {
            ensure(8);
            buf.putLong(v);
        }

        void putString(final byte[] b)
        {
            ensure(4 + b.length);
            buf.putInt(b.length);
            buf.put(b);
        }
    }

    /**
     * Replaces the file (without forcing it: it is a cache, and a stale one only costs a longer read on reopen).
     *
     * @param streamDir the stream's directory.
     * @param payload   from {@link #encode}.
     * @throws IOException if it cannot be written; the previous file is then still in place.
     */
    static void write(final Path streamDir, final byte[] payload) throws IOException
    {
        StateFile.write(file(streamDir), payload, false);
    }

    /**
     * @param streamDir the stream's directory.
     * @param stream    the stream's name.
     * @return the saved window, or null if there is no file.
     * @throws CorruptRecordException if the file is damaged or belongs to another stream.
     * @throws IOException            if it cannot be read.
     */
    static Saved read(final Path streamDir, final String stream) throws IOException
    {
        final Path file = file(streamDir);
        final byte[] payload = StateFile.read(file, stream);
        if (payload == null)
        {
            return null;
        }
        try
        {
            final ByteBuffer in = ByteBuffer.wrap(payload);
            final int version = in.getInt();
            if (version != VERSION)
            {
                throw bad(stream, file, "unsupported duplicate window version " + version);
            }
            final String owner = readString(in);
            if (!owner.equals(stream))
            {
                throw bad(stream, file, "duplicate window belongs to stream " + owner);
            }
            final long coveredSeq = in.getLong();
            final int count = in.getInt();
            if (coveredSeq < 0 || count < 0 || count > in.remaining() / 20)
            {
                throw bad(stream, file, "duplicate window header is inconsistent (covered seq " + coveredSeq +
                    ", " + count + " entries)");
            }
            final List<Entry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++)
            {
                entries.add(new Entry(readString(in), in.getLong(), in.getLong()));
            }
            if (in.hasRemaining())
            {
                throw bad(stream, file, "trailing bytes after the duplicate window");
            }
            return new Saved(coveredSeq, entries);
        }
        catch (final RuntimeException e)
        {
            if (e instanceof CorruptRecordException)
            {
                throw (CorruptRecordException)e;
            }
            throw bad(stream, file, "duplicate window does not decode: " + e);
        }
    }

    private static CorruptRecordException bad(final String stream, final Path file, final String reason)
    {
        return new CorruptRecordException(stream, file.toString(), CorruptRecordException.UNKNOWN,
            CorruptRecordException.UNKNOWN, reason);
    }

    private static String readString(final ByteBuffer in)
    {
        final int n = in.getInt();
        if (n < 0 || n > MAX_STRING || n > in.remaining())
        {
            throw new IllegalArgumentException("bad string length " + n + " at offset " + (in.position() - 4));
        }
        final String s = new String(in.array(), in.position(), n, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
    }
}
