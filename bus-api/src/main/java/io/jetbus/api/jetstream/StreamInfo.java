package io.jetbus.api.jetstream;

import java.time.Instant;
import java.util.Objects;

/**
 * A stream's configuration and state, as returned by {@link JetStreamManagement}.
 *
 * @param config  the stream's configuration.
 * @param state   what the stream held when the information was taken.
 * @param created when the stream was created.
 */
public record StreamInfo(StreamConfig config, StreamState state, Instant created)
{
    /**
     * Validates the information.
     *
     * @param config  the configuration.
     * @param state   the state.
     * @param created the creation time.
     * @throws NullPointerException if a component is null.
     */
    public StreamInfo
    {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(created, "created");
    }
}
