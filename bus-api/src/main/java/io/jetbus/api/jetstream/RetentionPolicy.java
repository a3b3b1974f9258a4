package io.jetbus.api.jetstream;

/**
 * When a stream may remove a message, besides its limits ({@code maxMsgs}, {@code maxBytes}, {@code maxAge},
 * {@code maxMsgsPerSubject}), which apply under every policy.
 */
public enum RetentionPolicy
{
    /** Keep messages until a limit removes them, whatever the consumers did. */
    LIMITS,
    /** Remove a message once every consumer that existed when it was stored has acknowledged it. */
    INTEREST,
    /** Remove a message as soon as one consumer acknowledges it; consumers may not overlap. */
    WORK_QUEUE
}
