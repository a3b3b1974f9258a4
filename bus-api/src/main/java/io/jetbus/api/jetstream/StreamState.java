package io.jetbus.api.jetstream;

import java.time.Instant;

/**
 * What a stream holds at one moment.
 *
 * @param msgs          the number of messages stored.
 * @param bytes         their bytes (payloads and headers).
 * @param firstSeq      the sequence of the first message stored; when empty, the sequence the next message gets.
 * @param firstTime     when the first message was stored, or {@code null} when the stream is empty.
 * @param lastSeq       the sequence of the last message stored, 0 when nothing was ever stored.
 * @param lastTime      when the last message was stored, or {@code null} when nothing was ever stored.
 * @param consumerCount the number of consumers.
 * @param numDeleted    the messages deleted between {@code firstSeq} and {@code lastSeq} (gaps in the sequence).
 * @param numSubjects   the number of distinct subjects among the messages stored.
 */
public record StreamState(
    long msgs,
    long bytes,
    long firstSeq,
    Instant firstTime,
    long lastSeq,
    Instant lastTime,
    int consumerCount,
    long numDeleted,
    long numSubjects)
{
    /**
     * Validates the state.
     *
     * @param msgs          the message count.
     * @param bytes         the byte count.
     * @param firstSeq      the first sequence.
     * @param firstTime     the first message time, or {@code null}.
     * @param lastSeq       the last sequence.
     * @param lastTime      the last message time, or {@code null}.
     * @param consumerCount the consumer count.
     * @param numDeleted    the deleted message count.
     * @param numSubjects   the subject count.
     * @throws IllegalArgumentException if a count or sequence is negative.
     */
    public StreamState
    {
        checkNotNegative("msgs", msgs);
        checkNotNegative("bytes", bytes);
        checkNotNegative("firstSeq", firstSeq);
        checkNotNegative("lastSeq", lastSeq);
        checkNotNegative("consumerCount", consumerCount);
        checkNotNegative("numDeleted", numDeleted);
        checkNotNegative("numSubjects", numSubjects);
    }

    static void checkNotNegative(final String field, final long value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException("invalid " + field + " " + value + ": must not be negative");
        }
    }
}
