package io.jetbus.jetstream;

import io.jetbus.api.jetstream.CorruptRecordException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of a {@link FileStreamStore}'s in-memory state, so opening does not have to read every record. Stored
 * in a {@link StateFile}; it is only a cache: if it is missing or damaged the store rebuilds by a full scan.
 */
final class Checkpoint
{
    static final String FILE_NAME = "jetbus-checkpoint.dat";
    private static final int VERSION = 1;

    /**
     * A cycle file and the sequences it holds.
     *
     * @param cycle    the Chronicle cycle.
     * @param firstSeq the sequence of its first record.
     * @param lastSeq  the sequence of its last record.
     */
    record Span(int cycle, long firstSeq, long lastSeq)
    {
    }

    long firstSeq;
    long lastSeq;
    long msgs;
    long bytes;
    long lastTimestampNs;
    long journalGeneration;
    long journalOffset;
    final List<Span> spans = new ArrayList<>();
    final Map<String, AbstractStreamStore.SubjectCounter> subjects = new HashMap<>();
    final DeletedSeqs deleted = new DeletedSeqs();

    static Path file(final Path dir)
    {
        return dir.resolve(FILE_NAME);
    }

    /**
     * @param stream the stream name, stored so a checkpoint from another stream is never used.
     * @return the encoded checkpoint.
     */
    byte[] encode(final String stream)
    {
        final ByteArrayOutputStream bytesOut = new ByteArrayOutputStream(256 + subjects.size() * 48);
        try (DataOutputStream out = new DataOutputStream(bytesOut))
        {
            out.writeInt(VERSION);
            writeString(out, stream);
            out.writeLong(firstSeq);
            out.writeLong(lastSeq);
            out.writeLong(msgs);
            out.writeLong(bytes);
            out.writeLong(lastTimestampNs);
            out.writeLong(journalGeneration);
            out.writeLong(journalOffset);
            out.writeInt(spans.size());
            for (final Span s : spans)
            {
                out.writeInt(s.cycle());
                out.writeLong(s.firstSeq());
                out.writeLong(s.lastSeq());
            }
            out.writeInt(subjects.size());
            for (final Map.Entry<String, AbstractStreamStore.SubjectCounter> e : subjects.entrySet())
            {
                final AbstractStreamStore.SubjectCounter c = e.getValue();
                writeString(out, e.getKey());
                out.writeLong(c.msgs);
                out.writeLong(c.first);
                out.writeLong(c.last);
                out.writeByte((c.firstExact ? 1 : 0) | (c.lastExact ? 2 : 0));
            }
            final long[] runs = {0};
            deleted.forEachRun((a, b) -> runs[0]++);
            out.writeLong(runs[0]);
            final IOException[] failure = {null};
            deleted.forEachRun((a, b) ->
            {
                try
                {
                    out.writeLong(a);
                    out.writeLong(b);
                }
                catch (final IOException e)
                {
                    failure[0] = e;
                }
            });
            if (failure[0] != null)
            {
                throw failure[0];
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return bytesOut.toByteArray();
    }

    /**
     * @param payload the encoded checkpoint.
     * @param stream  the stream it must belong to.
     * @param file    the file it came from, for messages.
     * @return the checkpoint.
     * @throws CorruptRecordException if it does not decode or belongs to another stream.
     */
    static Checkpoint decode(final byte[] payload, final String stream, final Path file)
    {
        final Checkpoint c = new Checkpoint();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload)))
        {
            final int version = in.readInt();
            if (version != VERSION)
            {
                throw bad(stream, file, "unsupported checkpoint version " + version);
            }
            final String owner = readString(in);
            if (!owner.equals(stream))
            {
                throw bad(stream, file, "checkpoint belongs to stream " + owner);
            }
            c.firstSeq = in.readLong();
            c.lastSeq = in.readLong();
            c.msgs = in.readLong();
            c.bytes = in.readLong();
            c.lastTimestampNs = in.readLong();
            c.journalGeneration = in.readLong();
            c.journalOffset = in.readLong();
            final int spans = in.readInt();
            for (int i = 0; i < spans; i++)
            {
                c.spans.add(new Span(in.readInt(), in.readLong(), in.readLong()));
            }
            final int subjects = in.readInt();
            for (int i = 0; i < subjects; i++)
            {
                final String subject = readString(in);
                final AbstractStreamStore.SubjectCounter counter = new AbstractStreamStore.SubjectCounter();
                counter.msgs = in.readLong();
                counter.first = in.readLong();
                counter.last = in.readLong();
                final int flags = in.readByte();
                counter.firstExact = (flags & 1) != 0;
                counter.lastExact = (flags & 2) != 0;
                c.subjects.put(subject, counter);
            }
            final long runs = in.readLong();
            for (long i = 0; i < runs; i++)
            {
                c.deleted.addRange(in.readLong(), in.readLong());
            }
            if (in.read() != -1)
            {
                throw bad(stream, file, "trailing bytes after the checkpoint");
            }
        }
        catch (final IOException | RuntimeException e)
        {
            if (e instanceof CorruptRecordException)
            {
                throw (CorruptRecordException)e;
            }
            throw bad(stream, file, "checkpoint does not decode: " + e);
        }
        c.validate(stream, file);
        return c;
    }

    private void validate(final String stream, final Path file)
    {
        long previous = 0;
        for (final Span s : spans)
        {
            if (s.firstSeq() <= previous || s.lastSeq() < s.firstSeq())
            {
                throw bad(stream, file, "checkpoint spans are not ordered at cycle " + s.cycle());
            }
            previous = s.lastSeq();
        }
        if (lastSeq < 0 || firstSeq < 1 || msgs < 0 || msgs > 0 && (firstSeq > lastSeq || previous < lastSeq))
        {
            throw bad(stream, file, "checkpoint counters are inconsistent (first " + firstSeq + ", last " + lastSeq +
                ", msgs " + msgs + ")");
        }
    }

    private static CorruptRecordException bad(final String stream, final Path file, final String reason)
    {
        return new CorruptRecordException(stream, file.toString(), CorruptRecordException.UNKNOWN,
            CorruptRecordException.UNKNOWN, reason);
    }

    private static void writeString(final DataOutputStream out, final String s) throws IOException
    {
        final byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(final DataInputStream in) throws IOException
    {
        final int n = in.readInt();
        if (n < 0 || n > (1 << 20))
        {
            throw new IOException("bad string length " + n);
        }
        final byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
