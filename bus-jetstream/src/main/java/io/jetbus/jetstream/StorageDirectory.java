package io.jetbus.jetstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bus's storage directory, held exclusively for the bus's lifetime (RELIABILITY.md 3.6): Chronicle lets several
 * processes append to one queue, but Jetbus's sequences, dedupe window and consumer state live in one process.
 *
 * <p>The lock is an OS file lock on {@code jetbus.lock}, which names the holder (pid, host, start time) for the error
 * message; the OS releases it when the process dies, so a crashed holder's lock is taken over with no manual step.
 * Within one JVM a static registry of canonical paths refuses a second open (the OS lock would throw
 * {@link OverlappingFileLockException} instead). Streams live in {@code streams/<name>/}. Safe for concurrent use.
 */
final class StorageDirectory implements AutoCloseable
{
    static final String LOCK_FILE = "jetbus.lock";
    static final String STREAMS = "streams";

    private static final Map<Path, String> HELD = new ConcurrentHashMap<>();
    private static final System.Logger LOG = System.getLogger("io.jetbus.jetstream");

    private final Path root;
    private final FileChannel channel;
    private final FileLock lock;
    private volatile boolean closed;

    private StorageDirectory(final Path root, final FileChannel channel, final FileLock lock)
    {
        this.root = root;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates (if needed) and locks a storage directory.
     *
     * @param dir the directory.
     * @return the held directory; close it to release the lock.
     * @throws IllegalStateException if another bus (in this or another process) holds it: "storage dir ... is in
     *                               use by pid N (started T)", or if the JVM lacks Chronicle's flags.
     * @throws UncheckedIOException  if the directory cannot be created or locked.
     */
    static StorageDirectory open(final Path dir)
    {
        Objects.requireNonNull(dir, "dir");
        ChronicleSupport.ensureReady();
        final Path root;
        try
        {
            Files.createDirectories(dir);
            root = dir.toRealPath();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot create storage dir " + dir, e);
        }
        final String me = holderText();
        final String other = HELD.putIfAbsent(root, me);
        if (other != null)
        {
            throw inUse(root, other);
        }
        FileChannel ch = null;
        try
        {
            ch = FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            FileLock lock;
            try
            {
                lock = ch.tryLock();
            }
            catch (final OverlappingFileLockException e)
            {
                lock = null;
            }
            if (lock == null)
            {
                throw inUse(root, read(ch));
            }
            final String previous = read(ch);
            if (!previous.isBlank())
            {
                LOG.log(System.Logger.Level.DEBUG, "storage dir " + root + ": taking over from " + previous.trim());
            }
            ch.truncate(0);
            FileSupport.writeFully(ch, ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(true);
            return new StorageDirectory(root, ch, lock);
        }
        catch (final IOException e)
        {
            HELD.remove(root);
            FileStreamStore.closeQuietly(ch);
            throw new UncheckedIOException("cannot lock storage dir " + root, e);
        }
        catch (final RuntimeException e)
        {
            HELD.remove(root);
            FileStreamStore.closeQuietly(ch);
            throw e;
        }
    }

    private static String holderText()
    {
        final ProcessHandle self = ProcessHandle.current();
        final Instant started = self.info().startInstant().orElse(Instant.now());
        return "pid=" + self.pid() + "\nhost=" + hostName() + "\nstarted=" + started + "\n";
    }

    /**
     * The host name without any network lookup (never {@code InetAddress.getLocalHost()}).
     */
    private static String hostName()
    {
        try
        {
            final Path proc = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(proc))
            {
                return Files.readString(proc).trim();
            }
        }
        catch (final IOException | RuntimeException ignore)
        {
            // fall through
        }
        final String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "unknown" : env;
    }

    private static String read(final FileChannel ch) throws IOException
    {
        final ByteBuffer buf = ByteBuffer.allocate((int)Math.min(ch.size(), 4096));
        FileSupport.readFully(ch, buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }

    private static IllegalStateException inUse(final Path root, final String holder)
    {
        return new IllegalStateException("storage dir " + root + " is in use by pid " + field(holder, "pid") +
            " (started " + field(holder, "started") + ")");
    }

    private static String field(final String holder, final String key)
    {
        for (final String line : holder.split("\n"))
        {
            if (line.startsWith(key + "="))
            {
                return line.substring(key.length() + 1).trim();
            }
        }
        return "unknown";
    }

    /**
     * @return the directory's canonical path.
     */
    Path root()
    {
        return root;
    }

    /**
     * The directory of one stream's files, created if absent.
     *
     * @param stream the stream name.
     * @return its directory.
     * @throws IllegalArgumentException if the name cannot be a directory name.
     */
    Path streamDir(final String stream)
    {
        checkOpen();
        final Path dir = root.resolve(STREAMS).resolve(checkName(stream));
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot create directory " + dir + " for stream " + stream, e);
        }
        return dir;
    }

    /**
     * @return the names of the streams that have a directory here, sorted.
     */
    Set<String> streamNames()
    {
        checkOpen();
        final Set<String> names = new TreeSet<>();
        final Path streams = root.resolve(STREAMS);
        if (Files.isDirectory(streams))
        {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(streams, Files::isDirectory))
            {
                ds.forEach(p -> names.add(p.getFileName().toString()));
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException("cannot list " + streams, e);
            }
        }
        return names;
    }

    /**
     * Deletes a stream's directory and everything in it. The stream's store must be closed.
     *
     * @param stream the stream name.
     * @return true if there was a directory.
     */
    boolean deleteStreamDir(final String stream)
    {
        checkOpen();
        final Path dir = root.resolve(STREAMS).resolve(checkName(stream));
        if (!Files.exists(dir))
        {
            return false;
        }
        try
        {
            Files.walkFileTree(dir, new SimpleFileVisitor<>()
            {
                @Override
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException
                {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(final Path d, final IOException e) throws IOException
                {
                    if (e != null)
                    {
                        throw e;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
            FileSupport.syncDirectory(root.resolve(STREAMS));
            return true;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot delete " + dir + " of stream " + stream, e);
        }
    }

    private static String checkName(final String stream)
    {
        Objects.requireNonNull(stream, "stream");
        if (stream.isEmpty() || ".".equals(stream) || "..".equals(stream) || stream.indexOf('/') >= 0 ||
            stream.indexOf('\\') >= 0 || stream.indexOf('\0') >= 0)
        {
            throw new IllegalArgumentException("invalid stream name \"" + stream +
                "\" for a storage directory: must be non-empty, not . or .., without / \\ or NUL");
        }
        return stream;
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("storage dir " + root + " is closed");
        }
    }

    /**
     * Releases the lock. Idempotent. Close every stream store first.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            lock.release();
        }
        catch (final IOException e)
        {
            LOG.log(System.Logger.Level.WARNING, "storage dir " + root + ": releasing the lock failed: " + e);
        }
        finally
        {
            FileStreamStore.closeQuietly(channel);
            HELD.remove(root);
        }
    }
}
