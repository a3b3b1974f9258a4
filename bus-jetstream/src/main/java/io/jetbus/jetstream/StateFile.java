package io.jetbus.jetstream;

import io.jetbus.api.jetstream.CorruptRecordException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A small file replaced atomically as a whole: write a temporary file, optionally force it, rename it over the old
 * one, optionally force the directory. A reader sees the old content or the new, never a mix, after a crash at any
 * point; bit rot is caught by a CRC32C. Used for checkpoints, stream and consumer metadata and consumer state.
 *
 * <p>Layout: {@code magic u64 | version u32 | payload length u32 | payload | crc32c u32} (little-endian), the CRC
 * covering everything before it.
 */
final class StateFile
{
    static final long MAGIC = 0x3153544154534A42L; // "BJSTATS1" read little-endian
    static final int VERSION = 1;
    static final int HEADER_LENGTH = 16;
    static final int TRAILER_LENGTH = 4;
    /** The largest payload accepted, so a damaged length can never make the reader allocate gigabytes. */
    static final int MAX_PAYLOAD = 1 << 30;

    private StateFile()
    {
    }

    /**
     * Replaces the file's content atomically.
     *
     * @param file    the file.
     * @param payload the new content.
     * @param sync    whether to force the data and the directory entry to the device (power-loss safety).
     * @throws IOException if writing fails; the old content is then still in place.
     */
    static void write(final Path file, final byte[] payload, final boolean sync) throws IOException
    {
        if (payload.length > MAX_PAYLOAD)
        {
            throw new IllegalArgumentException(
                "state payload of " + payload.length + " bytes exceeds the maximum of " + MAX_PAYLOAD);
        }
        final ByteBuffer buf = ByteBuffer.allocate(HEADER_LENGTH + payload.length + TRAILER_LENGTH)
            .order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(MAGIC).putInt(VERSION).putInt(payload.length).put(payload);
        final CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int)crc.getValue());
        buf.flip();

        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileSupport.openUninterruptible(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            FileSupport.writeFully(ch, buf, 0);
            if (sync)
            {
                ch.force(true);
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (sync)
        {
            FileSupport.syncDirectory(file.toAbsolutePath().getParent());
        }
    }

    /**
     * Reads and checks the file.
     *
     * @param file  the file.
     * @param owner the stream or consumer the file belongs to, for error messages.
     * @return the payload, or null if the file does not exist.
     * @throws CorruptRecordException if the file is truncated, not a state file, or fails its CRC.
     * @throws IOException            if reading fails.
     */
    static byte[] read(final Path file, final String owner) throws IOException
    {
        final byte[] all;
        try
        {
            all = Files.readAllBytes(file);
        }
        catch (final NoSuchFileException e)
        {
            return null;
        }
        if (all.length < HEADER_LENGTH + TRAILER_LENGTH)
        {
            throw corrupt(owner, file, 0, "truncated state file (" + all.length + " bytes)");
        }
        final ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        final long magic = buf.getLong(0);
        if (magic != MAGIC)
        {
            throw corrupt(owner, file, 0, "not a Jetbus state file (magic 0x" + Long.toHexString(magic) + ")");
        }
        final int length = buf.getInt(12);
        if (length < 0 || length != all.length - HEADER_LENGTH - TRAILER_LENGTH)
        {
            throw corrupt(owner, file, 12,
                "payload length " + length + " does not match the file size of " + all.length + " bytes");
        }
        final CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - TRAILER_LENGTH);
        final int stored = buf.getInt(all.length - TRAILER_LENGTH);
        if (stored != (int)crc.getValue())
        {
            throw corrupt(owner, file, all.length - TRAILER_LENGTH, "CRC32C mismatch (stored 0x" +
                Integer.toHexString(stored) + ", computed 0x" + Long.toHexString(crc.getValue()) + ")");
        }
        final int version = buf.getInt(8);
        if (version != VERSION)
        {
            throw corrupt(owner, file, 8, "unsupported state file version " + version);
        }
        final byte[] payload = new byte[length];
        System.arraycopy(all, HEADER_LENGTH, payload, 0, length);
        return payload;
    }

    private static CorruptRecordException corrupt(
        final String owner, final Path file, final long position, final String reason)
    {
        return new CorruptRecordException(owner, file.toString(), position, CorruptRecordException.UNKNOWN, reason);
    }
}
