package io.jetbus.api.jetstream;

/**
 * Where a new consumer starts reading its stream.
 */
public enum DeliverPolicy
{
    /** From the first message the stream holds. */
    ALL,
    /** From the last message the stream holds (matching the consumer's filter). */
    LAST,
    /** Only messages stored after the consumer was created. */
    NEW,
    /** From the message with sequence {@link ConsumerConfig#optStartSeq()}, or the next one after it. */
    BY_START_SEQUENCE,
    /** From the first message stored at or after {@link ConsumerConfig#optStartTime()}. */
    BY_START_TIME,
    /** The last message of each subject (matching the consumer's filter), then new ones. */
    LAST_PER_SUBJECT
}
