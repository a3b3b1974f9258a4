/**
 * The JetStream engine: streams, consumers and their storage, behind the public API of
 * {@code io.jetbus.api.jetstream}. Everything here is package-private unless {@code bus-core} or the test kit needs it.
 *
 * <p>Consumers: each consumer's acknowledgement state (pending messages, delivery counts, redelivery deadlines, ack
 * floor) lives in an {@link io.jetbus.jetstream.AckTracker}, a pure single-threaded state machine that is given the
 * time ({@code nowNs}) rather than reading a clock, so the test kit's virtual clock drives every timer. The tracker
 * reports each change that must survive a restart as an {@link io.jetbus.jetstream.AckEvent} (through
 * {@link io.jetbus.jetstream.AckEventHandler}), which the engine appends to the consumer's log; the log replayed on
 * top of the last {@link io.jetbus.jetstream.AckSnapshot} rebuilds the same state. Timers are not persisted: after a
 * restart every pending message gets a fresh ack wait. Deadlines live in {@link io.jetbus.jetstream.RedeliveryTimers},
 * an Agrona timer wheel wound straight to its earliest deadline, so a virtual clock can jump hours at no cost.
 */
package io.jetbus.jetstream;
