package io.jetbus.api.jetstream;

/**
 * A consumer position as a pair of sequences: the consumer's own delivery count and the stream sequence.
 *
 * @param consumerSeq the consumer sequence (one per delivery, redeliveries included), 0 before the first.
 * @param streamSeq   the stream sequence, 0 before the first.
 */
public record SequencePair(long consumerSeq, long streamSeq)
{
    /** The position before anything was delivered. */
    public static final SequencePair ZERO = new SequencePair(0, 0);

    /**
     * Validates the pair.
     *
     * @param consumerSeq the consumer sequence.
     * @param streamSeq   the stream sequence.
     * @throws IllegalArgumentException if a sequence is negative.
     */
    public SequencePair
    {
        if (consumerSeq < 0 || streamSeq < 0)
        {
            throw new IllegalArgumentException("invalid sequence pair consumerSeq=" + consumerSeq + ", streamSeq=" +
                streamSeq + ": sequences must not be negative");
        }
    }
}
