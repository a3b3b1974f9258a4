package io.jetbus.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * File helpers of the commands that work in a temporary directory.
 */
final class CliFiles
{
    private CliFiles()
    {
    }

    /**
     * Delete a directory and everything under it; a path that does not exist is left alone.
     *
     * @param dir the directory.
     * @throws IOException if a file cannot be deleted.
     */
    static void deleteRecursively(final Path dir) throws IOException
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }
}
