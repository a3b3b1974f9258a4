package io.jetbus.jetstream;

/**
 * What a {@link FileStreamStore} does when opening finds damaged records (RELIABILITY.md 3.4). Missing cycle files
 * and a torn last record after a crash are not damage: they are reported and handled in every mode.
 */
enum RecoveryMode
{
    /**
     * The default: refuse to open, with a {@link io.jetbus.api.jetstream.CorruptRecordException} naming the stream,
     * file, position and sequences. Jetbus repairs nothing (Chronicle may still touch its metadata file).
     */
    FAIL,

    /**
     * Truncate the damaged cycle at its first bad record: the records from there to the end of that cycle are
     * reported lost and never served, the cycle is sealed (recorded in the journal) and is never appended to again;
     * appends go to a new cycle file. When the damage is at the end of the stream, the next append reuses the first
     * lost sequence, as NATS does.
     */
    TRUNCATE_TAIL,

    /**
     * Skip each damaged record (reported lost) and keep every readable record after it; a cycle whose tail cannot be
     * read is sealed as in {@link #TRUNCATE_TAIL}.
     */
    SKIP
}
