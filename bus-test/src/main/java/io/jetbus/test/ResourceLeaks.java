package io.jetbus.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The extension's leak checks: {@code jetbus-} threads that outlive the test, and files under the storage directory
 * still open or mapped (from {@code /proc/self/fd} and {@code /proc/self/maps}, where the platform has them).
 */
final class ResourceLeaks
{
    /** How long threads and files get to go away after the bus closed; only a leaking test waits this long. */
    static final long GRACE_NS = TimeUnit.MILLISECONDS.toNanos(500);

    private static final String THREAD_PREFIX = "jetbus-";
    private static final Path PROC_FD = Path.of("/proc/self/fd");
    private static final Path PROC_MAPS = Path.of("/proc/self/maps");

    private ResourceLeaks()
    {
    }

    static Set<Thread> jetbusThreads()
    {
        final Set<Thread> threads = new HashSet<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.isAlive() && thread.getName().startsWith(THREAD_PREFIX))
            {
                threads.add(thread);
            }
        }
        return threads;
    }

    /** The jetbus threads not in {@code before} that are still alive after up to {@link #GRACE_NS}, as lines. */
    static List<String> leakedThreads(final Set<Thread> before)
    {
        final long deadlineNs = System.nanoTime() + GRACE_NS;
        final List<String> leaked = new ArrayList<>();
        for (final Thread thread : jetbusThreads())
        {
            if (before.contains(thread))
            {
                continue;
            }
            final long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
            try
            {
                if (remainingMs > 0)
                {
                    thread.join(remainingMs);
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive())
            {
                leaked.add("thread \"" + thread.getName() + "\" is still running after the test: a bus, connection " +
                    "or dispatcher made in the test was not closed");
            }
        }
        leaked.sort(Comparator.naturalOrder());
        return leaked;
    }

    /**
     * Files under {@code dir} still open or mapped once up to {@link #GRACE_NS} has passed (resources released in the
     * background get that long), as lines; empty where {@code /proc/self} is missing.
     */
    static List<String> openFiles(final Path dir)
    {
        final long deadlineNs = System.nanoTime() + GRACE_NS;
        long parkNs = 10_000;
        while (true)
        {
            final List<String> open = openFilesNow(dir);
            if (open.isEmpty() || System.nanoTime() - deadlineNs >= 0)
            {
                return open;
            }
            LockSupport.parkNanos(parkNs);
            parkNs = Math.min(parkNs * 2, TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    static List<String> openFilesNow(final Path dir)
    {
        final List<String> open = new ArrayList<>();
        final Path real;
        try
        {
            real = dir.toRealPath();
        }
        catch (final IOException ex)
        {
            return open;
        }
        if (Files.isDirectory(PROC_FD))
        {
            try (Stream<Path> fds = Files.list(PROC_FD))
            {
                fds.forEach(fd ->
                {
                    try
                    {
                        final Path target = Files.readSymbolicLink(fd);
                        if (target.startsWith(real))
                        {
                            open.add("file " + target + " is still open (fd " + fd.getFileName() + ")");
                        }
                    }
                    catch (final IOException | UnsupportedOperationException ex)
                    {
                        // The descriptor closed while listing (the listing's own, for one): not open.
                    }
                });
            }
            catch (final IOException ex)
            {
                // No /proc to read: the delete of the directory is the remaining check.
            }
        }
        if (Files.isReadable(PROC_MAPS))
        {
            try
            {
                final Set<String> mapped = new HashSet<>();
                final String prefix = real + "/";
                for (final String line : Files.readAllLines(PROC_MAPS))
                {
                    final int at = line.indexOf(prefix);
                    if (at >= 0)
                    {
                        mapped.add(line.substring(at));
                    }
                }
                for (final String file : mapped)
                {
                    open.add("file " + file + " is still memory-mapped");
                }
            }
            catch (final IOException ex)
            {
                // As above.
            }
        }
        open.sort(Comparator.naturalOrder());
        return open;
    }

    /** Delete a directory tree; the paths that could not be deleted, as lines. */
    static List<String> deleteTree(final Path dir)
    {
        final List<String> failures = new ArrayList<>();
        if (!Files.exists(dir))
        {
            return failures;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path ->
            {
                try
                {
                    Files.deleteIfExists(path);
                }
                catch (final IOException ex)
                {
                    failures.add("could not delete " + path + ": " + ex);
                }
            });
        }
        catch (final IOException ex)
        {
            failures.add("could not delete " + dir + ": " + ex);
        }
        return failures;
    }
}
