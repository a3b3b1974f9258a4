package io.jetbus.bench;

import io.jetbus.api.jetstream.FlushPolicy;
import io.jetbus.api.jetstream.StorageType;

import java.time.Duration;

/**
 * Where a benchmark stream stores its messages and when a FILE stream forces them to the disk.
 */
public enum StreamSetup
{
    /** {@link StorageType#MEMORY}: nothing to flush. */
    MEMORY(StorageType.MEMORY, FlushPolicy.none()),
    /** {@link StorageType#FILE}, {@link FlushPolicy#none()}: write-back is left to the operating system. */
    FILE_FLUSH_NONE(StorageType.FILE, FlushPolicy.none()),
    /** {@link StorageType#FILE}, forced every second by a background thread (as {@code jetbus soak} does). */
    FILE_FLUSH_INTERVAL(StorageType.FILE, FlushPolicy.interval(Duration.ofSeconds(1))),
    /** {@link StorageType#FILE}, {@link FlushPolicy#everyPublish()}: each acknowledgement waits for its force. */
    FILE_FLUSH_EVERY_PUBLISH(StorageType.FILE, FlushPolicy.everyPublish());

    private final StorageType storage;
    private final FlushPolicy flushPolicy;

    StreamSetup(final StorageType storage, final FlushPolicy flushPolicy)
    {
        this.storage = storage;
        this.flushPolicy = flushPolicy;
    }

    /**
     * The storage type.
     *
     * @return memory or file.
     */
    public StorageType storage()
    {
        return storage;
    }

    /**
     * The flush policy.
     *
     * @return the stream's flush policy.
     */
    public FlushPolicy flushPolicy()
    {
        return flushPolicy;
    }
}
