/**
 * The Jetbus engine: {@link io.jetbus.core.EmbeddedBus} and everything behind it.
 *
 * <p>Data path: {@code publish} validates the subject by scanning its characters, asks the {@code SubjectIndex}
 * (a token trie behind a result cache, so a hot subject costs one hash lookup) for the matching subscriptions, then
 * writes one record per target straight into the target's ring with {@code tryClaim}/{@code commit}: every plain
 * subscription gets the message, each queue group one member (round robin). A dispatcher is one thread draining one
 * Agrona {@code ManyToOneRingBuffer}; it calls handlers with a flyweight over the ring and copies nothing unless
 * asked. Synchronous subscriptions hold copies in a bounded queue drained by {@code nextMessage}.
 *
 * <p>Threads: one per dispatcher, plus one timer thread per bus (request timeouts and JetStream timers) unless the
 * bus runs on a manual {@link io.jetbus.core.TimeSource}, whose owner then fires the timers. Publish and dispatch
 * take no locks; subscribe and unsubscribe lock the index and invalidate the cached results they change.
 *
 * <p>Idle: the default {@link io.jetbus.core.WakeableIdleStrategy} spins, yields, then parks for at most
 * {@value io.jetbus.core.WakeableIdleStrategy#DEFAULT_MAX_PARK_NS} ns at a time, and publishers unpark a parked
 * dispatcher, so an idle bus costs no core yet a message wakes its dispatcher at once.
 *
 * <p>Public types other than {@code EmbeddedBus}, its builder and {@code TimeSource} are hooks for
 * {@code bus-jetstream} and {@code bus-test}, not for applications.
 */
package io.jetbus.core;
