package io.jetbus.test;

import io.jetbus.core.EmbeddedBus;

/**
 * Sets bus options for a {@link JetbusTest}: name an implementation with a public no-argument constructor in
 * {@link JetbusTest#customizer()}. The kit sets the time source, the error listener and the storage directory after
 * it, so those three come from the annotation.
 */
@FunctionalInterface
public interface BusCustomizer
{
    /**
     * Set options on the builder of the test's bus.
     *
     * @param builder the bus builder.
     */
    void customize(EmbeddedBus.Builder builder);

    /**
     * The default: the bus's own defaults.
     */
    final class None implements BusCustomizer
    {
        /**
         * Creates the customizer that changes nothing.
         */
        public None()
        {
        }

        @Override
        public void customize(final EmbeddedBus.Builder builder)
        {
        }
    }
}
