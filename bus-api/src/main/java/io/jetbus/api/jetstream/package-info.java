/**
 * The JetStream public API: persistent streams that capture subjects, consumers that read them with
 * acknowledgements, and the values that configure and describe both. Semantics follow NATS JetStream and names
 * follow nats.java (without {@code get} prefixes), so each concept maps one to one onto a NATS server.
 *
 * <p>Entry points: {@link io.jetbus.api.Connection#jetStream()} publishes with acknowledgements and subscribes
 * through consumers; {@link io.jetbus.api.Connection#jetStreamManagement()} creates, inspects and deletes streams
 * and consumers. Both fail with {@link IllegalStateException} naming {@code io.jetbus:bus-jetstream} when that
 * module is not on the class path.
 *
 * <p>Conventions used throughout:
 * <ul>
 *     <li>Configurations are immutable records built with a builder ({@code StreamConfig.builder()}) and changed
 *     with a copy builder ({@code StreamConfig.builder(existing)}). Each setter checks its own argument; the record
 *     constructor checks combinations. Bad values throw {@link IllegalArgumentException} naming the value and the
 *     rule.</li>
 *     <li>Limits use {@code -1} for "unlimited" and {@link java.time.Duration#ZERO} for "no age limit", as in
 *     nats.java. Absent optional numbers use the named constants of their type.</li>
 *     <li>Stream sequences start at 1 and are contiguous. Consumer sequences count deliveries, redeliveries
 *     included.</li>
 *     <li>Failures the JetStream engine reports (a stream not found, a failed publish expectation, a limit) are
 *     {@link io.jetbus.api.jetstream.JetStreamApiException} carrying the NATS API error code.</li>
 * </ul>
 */
package io.jetbus.api.jetstream;
