package io.jetbus.jetstream;

import java.util.List;

/**
 * What opening a {@link FileStreamStore} found and did.
 *
 * @param checkpointUsed  true if state was restored from the checkpoint and only newer records were scanned.
 * @param recordsScanned  how many records were read to rebuild state (bounded when the checkpoint is used).
 * @param lost            sequences lost to damage or missing files; they are never served.
 * @param events          human-readable notes: missing or corrupt checkpoint, quarantined or missing files, repairs.
 */
record RecoveryReport(boolean checkpointUsed, long recordsScanned, List<SeqRange> lost, List<String> events)
{
    static final RecoveryReport CLEAN = new RecoveryReport(true, 0, List.of(), List.of());

    RecoveryReport
    {
        lost = List.copyOf(lost);
        events = List.copyOf(events);
    }

    /**
     * @return how many sequences {@link #lost()} covers.
     */
    long lostCount()
    {
        long n = 0;
        for (final SeqRange r : lost)
        {
            n += r.count();
        }
        return n;
    }
}
