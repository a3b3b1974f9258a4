package io.jetbus.jetstream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Small file helpers shared by the stores.
 */
final class FileSupport
{
    private FileSupport()
    {
    }

    /**
     * Forces a directory's entries (new, renamed or removed files) to the device, as NATS {@code syncDir} does.
     * File systems that cannot open a directory for reading are ignored.
     *
     * @param dir the directory.
     * @throws IOException if the sync fails.
     */
    static void syncDirectory(final Path dir) throws IOException
    {
        try (FileChannel ch = openUninterruptible(dir, StandardOpenOption.READ))
        {
            ch.force(true);
        }
        catch (final UnsupportedOperationException ignore)
        {
            // not every platform lets a directory be opened; nothing more we can do there
        }
    }

    /**
     * Opens a channel that an interrupt of the calling thread cannot close. A plain {@link FileChannel} is closed
     * for every thread when a thread blocked in it is interrupted, which would turn one interrupted publisher into a
     * failed store (RELIABILITY.md R16). Uses the JDK's own switch ({@code FileChannelImpl.setUninterruptible}, open
     * to us through the required {@code sun.nio.ch} export); without it the channel is returned as is.
     *
     * @param file    the file.
     * @param options open options.
     * @return the channel.
     * @throws IOException if it cannot be opened.
     */
    static FileChannel openUninterruptible(final Path file, final StandardOpenOption... options) throws IOException
    {
        final FileChannel ch = FileChannel.open(file, options);
        try
        {
            ch.getClass().getMethod("setUninterruptible").invoke(ch);
        }
        catch (final ReflectiveOperationException | RuntimeException e)
        {
            // not available on this JDK: interrupts may close the channel; callers clear the flag around I/O
        }
        return ch;
    }

    /**
     * Writes the whole buffer at a position.
     *
     * @param ch       the channel.
     * @param buf      the bytes, from position to limit.
     * @param position where to write.
     * @throws IOException if the write fails.
     */
    static void writeFully(final FileChannel ch, final ByteBuffer buf, final long position) throws IOException
    {
        long pos = position;
        while (buf.hasRemaining())
        {
            pos += ch.write(buf, pos);
        }
    }

    /**
     * Reads until the buffer is full or the file ends.
     *
     * @param ch       the channel.
     * @param buf      where to read to.
     * @param position where to read from.
     * @return bytes read.
     * @throws IOException if the read fails.
     */
    static int readFully(final FileChannel ch, final ByteBuffer buf, final long position) throws IOException
    {
        int total = 0;
        while (buf.hasRemaining())
        {
            final int n = ch.read(buf, position + total);
            if (n < 0)
            {
                break;
            }
            total += n;
        }
        return total;
    }

    /**
     * Renames a damaged file out of the way so nothing reads it again, keeping it as evidence.
     *
     * @param file the file.
     * @param tag  a word for the new suffix, e.g. {@code "quarantined"}.
     * @return the new path.
     * @throws IOException if the rename fails.
     */
    static Path moveAside(final Path file, final String tag) throws IOException
    {
        Path target = file.resolveSibling(file.getFileName() + "." + tag + "-" + System.currentTimeMillis());
        for (int i = 1; Files.exists(target); i++)
        {
            target = file.resolveSibling(file.getFileName() + "." + tag + "-" + System.currentTimeMillis() + "-" + i);
        }
        return Files.move(file, target);
    }
}
