package io.jetbus.core;

import io.jetbus.api.Connection;
import io.jetbus.api.jetstream.JetStream;
import io.jetbus.api.jetstream.JetStreamManagement;

/**
 * How {@code bus-core} finds the JetStream engine of {@code bus-jetstream} at run time, through
 * {@link java.util.ServiceLoader}. A hook for {@code bus-jetstream}, not for applications.
 */
public interface JetStreamProvider
{
    /**
     * Start the engine of one bus; called once, on first use.
     *
     * @param bus the bus the engine serves.
     * @return the engine, closed with the bus.
     */
    Engine start(EmbeddedBus bus);

    /**
     * The JetStream engine of one bus.
     */
    interface Engine extends AutoCloseable
    {
        /**
         * The JetStream context of a connection.
         *
         * @param connection the connection.
         * @return its context.
         */
        JetStream jetStream(Connection connection);

        /**
         * The JetStream management context of a connection.
         *
         * @param connection the connection.
         * @return its context.
         */
        JetStreamManagement management(Connection connection);

        @Override
        void close();
    }
}
