package io.jetbus.jetstream;

import io.jetbus.api.jetstream.StreamConfig;
import io.jetbus.core.EmbeddedBus;

import java.nio.file.Path;

/**
 * What a consumer needs from its stream: the seam between the stream engine and the consumers. The engine's stream
 * implements it; consumers read messages through {@link #store()} and never write to it.
 */
interface ConsumerSource
{
    /**
     * @return the stream's name.
     */
    String streamName();

    /**
     * @return the stream's current configuration (retention decides what {@link #acknowledged} does).
     */
    StreamConfig config();

    /**
     * @return the stream's messages; consumers only read ({@code read}, {@code nextSeq}, {@code state}).
     */
    StreamStore store();

    /**
     * @return the bus: its time source, timers, error listener and dispatchers.
     */
    EmbeddedBus bus();

    /**
     * Where the stream's durable consumers keep their state (one entry per consumer, laid out by the consumers), or
     * null when the stream is in memory. Deleted with the stream.
     *
     * @return the directory, which exists, or null.
     */
    Path consumersDir();

    /**
     * Be told after every change to the stream's messages: an append (on the publisher's thread, after the append
     * returned), a purge, a delete or an expiry. The listener must be quick and must not block: it wakes waiting
     * fetches and push deliveries.
     *
     * @param listener called with the stream's last sequence after the change.
     * @return a handle that removes the listener when closed.
     */
    AutoCloseable onChange(java.util.function.LongConsumer listener);

    /**
     * A consumer is done with a message: acked, terminated, or given up after max deliver. With WORK_QUEUE retention
     * the stream removes it; with INTEREST retention the stream removes it once every consumer whose filter matches
     * its subject is done with it; with LIMITS retention nothing happens.
     *
     * @param consumer the consumer's name.
     * @param streamSeq the message's stream sequence.
     */
    void acknowledged(String consumer, long streamSeq);

    /**
     * A consumer was deleted: with INTEREST retention the stream removes every message from {@code fromSeq} on that
     * no remaining consumer still needs (as nats-server does); with other retentions nothing happens.
     *
     * @param fromSeq the first sequence the deleted consumer was not done with.
     */
    void interestRemoved(long fromSeq);
}
