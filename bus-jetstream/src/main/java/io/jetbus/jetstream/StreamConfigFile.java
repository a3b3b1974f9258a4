package io.jetbus.jetstream;

import io.jetbus.api.jetstream.CorruptRecordException;
import io.jetbus.api.jetstream.DiscardPolicy;
import io.jetbus.api.jetstream.FlushPolicy;
import io.jetbus.api.jetstream.RetentionPolicy;
import io.jetbus.api.jetstream.StorageType;
import io.jetbus.api.jetstream.StreamConfig;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A FILE stream's configuration and creation time, kept crash-safely ({@link StateFile}, forced to the disk) in
 * {@value #FILE_NAME} beside the stream's store. Written before the store is first opened and on every update; a
 * stream directory without it is an unfinished creation.
 */
final class StreamConfigFile
{
    static final String FILE_NAME = "stream.cfg";

    private static final int FORMAT = 1;

    private StreamConfigFile()
    {
    }

    /**
     * A configuration and when its stream was created.
     *
     * @param config         the configuration.
     * @param createdEpochNs the creation time in nanoseconds since the epoch.
     */
    record Saved(StreamConfig config, long createdEpochNs)
    {
    }

    static void write(final Path streamDir, final StreamConfig config, final long createdEpochNs) throws IOException
    {
        StateFile.write(streamDir.resolve(FILE_NAME), encode(config, createdEpochNs), true);
    }

    /**
     * @return the saved configuration, or null when the file does not exist.
     * @throws CorruptRecordException if the file is damaged or cannot be parsed.
     */
    static Saved read(final Path streamDir, final String stream) throws IOException
    {
        final Path file = streamDir.resolve(FILE_NAME);
        final byte[] payload = StateFile.read(file, stream);
        if (payload == null)
        {
            return null;
        }
        try
        {
            return decode(payload);
        }
        catch (final IOException | RuntimeException e)
        {
            throw new CorruptRecordException(stream, file.toString(), CorruptRecordException.UNKNOWN,
                CorruptRecordException.UNKNOWN, "unreadable stream configuration: " + e);
        }
    }

    static byte[] encode(final StreamConfig c, final long createdEpochNs)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            out.writeInt(FORMAT);
            out.writeLong(createdEpochNs);
            writeString(out, c.name());
            writeString(out, c.description());
            out.writeInt(c.subjects().size());
            for (final String s : c.subjects())
            {
                writeString(out, s);
            }
            out.writeUTF(c.storage().name());
            out.writeUTF(c.retention().name());
            out.writeLong(c.maxMsgs());
            out.writeLong(c.maxBytes());
            out.writeInt(c.maxMsgSize());
            out.writeLong(c.maxMsgsPerSubject());
            out.writeLong(c.maxAge().toNanos());
            out.writeUTF(c.discard().name());
            out.writeLong(c.duplicateWindow().toNanos());
            out.writeUTF(c.flushPolicy().mode().name());
            out.writeLong(c.flushPolicy().interval().toNanos());
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot happen: writing to memory", e);
        }
        return bytes.toByteArray();
    }

    static Saved decode(final byte[] payload) throws IOException
    {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload)))
        {
            final int format = in.readInt();
            if (format != FORMAT)
            {
                throw new IOException("unsupported stream configuration format " + format);
            }
            final long created = in.readLong();
            final String name = readString(in);
            final String description = readString(in);
            final int n = in.readInt();
            final List<String> subjects = new ArrayList<>(n);
            for (int i = 0; i < n; i++)
            {
                subjects.add(readString(in));
            }
            final StorageType storage = StorageType.valueOf(in.readUTF());
            final RetentionPolicy retention = RetentionPolicy.valueOf(in.readUTF());
            final long maxMsgs = in.readLong();
            final long maxBytes = in.readLong();
            final int maxMsgSize = in.readInt();
            final long maxMsgsPerSubject = in.readLong();
            final Duration maxAge = Duration.ofNanos(in.readLong());
            final DiscardPolicy discard = DiscardPolicy.valueOf(in.readUTF());
            final Duration duplicateWindow = Duration.ofNanos(in.readLong());
            final FlushPolicy.Mode mode = FlushPolicy.Mode.valueOf(in.readUTF());
            final FlushPolicy flush = new FlushPolicy(mode, Duration.ofNanos(in.readLong()));
            return new Saved(new StreamConfig(name, description, subjects, storage, retention, maxMsgs, maxBytes,
                maxMsgSize, maxMsgsPerSubject, maxAge, discard, duplicateWindow, flush), created);
        }
    }

    private static void writeString(final DataOutputStream out, final String s) throws IOException
    {
        if (s == null)
        {
            out.writeInt(-1);
            return;
        }
        final byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(final DataInputStream in) throws IOException
    {
        final int length = in.readInt();
        if (length < 0)
        {
            return null;
        }
        final byte[] b = new byte[length];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
