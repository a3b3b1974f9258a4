package io.jetbus.jetstream;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What a child JVM of a kill -9 test reports, line by line: each line is written with one {@code write} to the report
 * file, the record the test checks (a line in the page cache survives the kill), and then to standard output, which
 * only paces the kill. The pipe is not a record: the JDK may close a dead child's output under the reading thread
 * ({@code IOException: Stream closed}) and so lose the last lines the child printed.
 */
final class ChildReport
{
    private final FileOutputStream file;
    private final FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);

    /**
     * @param file the report file, appended to.
     * @throws IOException if it cannot be opened.
     */
    ChildReport(final Path file) throws IOException
    {
        this.file = new FileOutputStream(file.toFile(), true);
    }

    /**
     * Report a line, after the call it reports returned.
     *
     * @param line the line, ASCII, without its newline.
     */
    synchronized void println(final String line)
    {
        final byte[] bytes = (line + "\n").getBytes(StandardCharsets.US_ASCII);
        try
        {
            file.write(bytes);
            stdout.write(bytes);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
