package io.jetbus.api.jetstream;

import io.jetbus.api.JetbusException;

import java.util.Objects;

/**
 * A write to JetStream storage was refused because the file system holding the storage directory has less usable
 * space than the configured reserve. Nothing was stored; every earlier acknowledged write is intact. Writing resumes
 * once space is freed.
 *
 * <p>The reserve exists because running a memory-mapped store out of disk space can crash the JVM; Jetbus refuses
 * the write before that can happen.
 */
public class StorageFullException extends JetbusException
{
    private static final long serialVersionUID = 1L;

    private final String directory;
    private final long usableBytes;
    private final long reserveBytes;

    /**
     * A write refused for lack of disk space.
     *
     * @param directory    the storage directory whose file system is full.
     * @param usableBytes  the usable bytes measured on that file system.
     * @param reserveBytes the reserve that usable space must stay above.
     * @throws NullPointerException if {@code directory} is null.
     */
    public StorageFullException(final String directory, final long usableBytes, final long reserveBytes)
    {
        super("storage dir " + Objects.requireNonNull(directory, "directory") + " is full: usable space " +
            usableBytes + " bytes is below the reserve of " + reserveBytes + " bytes");
        this.directory = directory;
        this.usableBytes = usableBytes;
        this.reserveBytes = reserveBytes;
    }

    /**
     * The storage directory whose file system is full.
     *
     * @return the directory path as text.
     */
    public String directory()
    {
        return directory;
    }

    /**
     * The usable space measured when the write was refused.
     *
     * @return usable bytes.
     */
    public long usableBytes()
    {
        return usableBytes;
    }

    /**
     * The reserve that usable space must stay above for a write to be accepted.
     *
     * @return reserve bytes.
     */
    public long reserveBytes()
    {
        return reserveBytes;
    }
}
