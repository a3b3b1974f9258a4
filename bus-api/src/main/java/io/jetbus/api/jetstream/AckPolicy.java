package io.jetbus.api.jetstream;

/**
 * How a consumer's messages are acknowledged.
 */
public enum AckPolicy
{
    /** No acknowledgement: a message counts as handled once delivered and is never redelivered. */
    NONE,
    /** Acknowledging a message also acknowledges every earlier message delivered by the consumer. */
    ALL,
    /** Each message is acknowledged on its own; unacknowledged ones are redelivered after the ack wait. */
    EXPLICIT
}
