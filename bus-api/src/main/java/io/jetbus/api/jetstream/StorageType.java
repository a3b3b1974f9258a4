package io.jetbus.api.jetstream;

/**
 * Where a stream keeps its messages. Fixed when the stream is created.
 */
public enum StorageType
{
    /** Memory-mapped files in the bus's storage directory: survive a JVM crash; see {@link FlushPolicy}. */
    FILE,
    /** The JVM heap: fast, lost when the bus closes or the JVM exits. */
    MEMORY
}
