/**
 * The JetStream engine: streams, consumers and their storage, behind the public API of
 * {@code io.jetbus.api.jetstream}. Everything here is package-private unless {@code bus-core} or the test kit needs it.
 *
 * <p><b>Engine.</b> {@link io.jetbus.jetstream.JetStreamEngine} is the bus's engine (found through
 * {@code ServiceLoader}): it owns the streams, the storage directory lock and the capture hook that stores core
 * publishes on captured subjects ({@link io.jetbus.jetstream.SubjectRouter} answers "which stream?" from a cache
 * without allocating). Each {@link io.jetbus.jetstream.Stream} applies, under its own lock, de-duplication
 * ({@link io.jetbus.jetstream.DuplicateWindow}, saved beside a file stream in
 * {@link io.jetbus.jetstream.DuplicateWindowFile} so that reopening reads only the messages stored after the last
 * save), the publish expectations, the limits (max age by one timer due at the oldest message's deadline) and
 * retention, then waits for the store's sync outside its lock, so that concurrent publishers share one sync (group
 * commit, {@link io.jetbus.jetstream.GroupCommit}); it is the {@link io.jetbus.jetstream.ConsumerSource} of its
 * {@link io.jetbus.jetstream.Consumers}. A message's size for
 * {@code maxMsgSize} is its payload plus its headers in stored form ({@link io.jetbus.jetstream.StoredHeaders});
 * {@code maxBytes} counts stored bytes as {@link io.jetbus.jetstream.StoreState#bytes()} does.
 *
 * <p>Consumers: each consumer's acknowledgement state (pending messages, delivery counts, redelivery deadlines, ack
 * floor) lives in an {@link io.jetbus.jetstream.AckTracker}, a pure single-threaded state machine that is given the
 * time ({@code nowNs}) rather than reading a clock, so the test kit's virtual clock drives every timer. The tracker
 * reports each change that must survive a restart as an {@link io.jetbus.jetstream.AckEvent} (through
 * {@link io.jetbus.jetstream.AckEventHandler}), which the engine appends to the consumer's log; the log replayed on
 * top of the last {@link io.jetbus.jetstream.AckSnapshot} rebuilds the same state. Timers are not persisted: after a
 * restart every pending message gets a fresh ack wait. Deadlines live in {@link io.jetbus.jetstream.RedeliveryTimers},
 * an Agrona timer wheel wound straight to its earliest deadline, so a virtual clock can jump hours at no cost.
 *
 * <p>{@link io.jetbus.jetstream.Consumers} holds a stream's consumers, one {@link io.jetbus.jetstream.StreamConsumer}
 * each: its start ({@link io.jetbus.jetstream.ConsumerStart}, from the store's indexes, never a scan), its tracker, one
 * bus timer for its earliest deadline, pull requests waiting in arrival order (woken by the stream's change listener,
 * acknowledgements and the timer) and at most one push binding, which runs the handler on the user's dispatcher by
 * sending it tokens on a private subject ({@link io.jetbus.jetstream.ConsumerPushSubscription}). A durable consumer of
 * a file stream keeps its configuration, snapshot and acknowledgement log in {@link io.jetbus.jetstream.ConsumerFiles}.
 *
 * <p><b>Storage layer.</b> A stream's messages live in a {@link io.jetbus.jetstream.StreamStore}: either
 * {@link io.jetbus.jetstream.MemoryStreamStore} or {@link io.jetbus.jetstream.FileStreamStore} (Chronicle Queue
 * cycle files in one directory per stream, inside the bus's storage
 * directory). Design notes, see also {@code RELIABILITY.md}:
 * <ul>
 *     <li>Every file record carries its stream sequence and a CRC32C ({@link io.jetbus.jetstream.RecordCodec}); a
 *     record that fails either check is never returned ({@link io.jetbus.api.jetstream.CorruptRecordException}).</li>
 *     <li>Sequences are contiguous from 1. One Chronicle document per message and nothing else, so within a cycle
 *     file the Chronicle index is the sequence minus the cycle's first sequence: no scan to find a message.</li>
 *     <li>Deletions are logical and journaled ({@link io.jetbus.jetstream.RecordLog}); a cycle file is unlinked only
 *     after nothing in it is retained and the new first sequence is durable.</li>
 *     <li>A checkpoint ({@link io.jetbus.jetstream.StateFile}) bounds recovery: on open only records after it are
 *     scanned, plus a check of the tail that catches Chronicle's invisible-append hazard.</li>
 *     <li>Chronicle is never trusted to walk from one cycle to the next: every cycle is entered by index, and a
 *     cycle whose tail is damaged is sealed and never appended to again.</li>
 * </ul>
 */
package io.jetbus.jetstream;
