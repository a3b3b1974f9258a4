package io.jetbus.api.jetstream;

/**
 * What a stream does when a publish would exceed one of its limits.
 */
public enum DiscardPolicy
{
    /** Remove the oldest messages to make room; the publish succeeds. */
    OLD,
    /** Refuse the publish with a {@link JetStreamApiException}; stored messages stay. */
    NEW
}
