package io.jetbus.jetstream;

/**
 * The messages a stream holds on one literal subject.
 *
 * @param msgs     how many live messages.
 * @param firstSeq the sequence of the oldest, or 0 when {@code msgs} is 0.
 * @param lastSeq  the sequence of the newest, or 0 when {@code msgs} is 0.
 */
record SubjectState(long msgs, long firstSeq, long lastSeq)
{
    static final SubjectState EMPTY = new SubjectState(0, 0, 0);

    SubjectState
    {
        if (msgs < 0 || firstSeq < 0 || lastSeq < firstSeq)
        {
            throw new IllegalArgumentException(
                "invalid subject state msgs=" + msgs + " firstSeq=" + firstSeq + " lastSeq=" + lastSeq);
        }
    }
}
