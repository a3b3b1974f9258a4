/**
 * The Jetbus public API: connections, subscriptions, dispatchers, messages and headers, with NATS semantics.
 *
 * <p>This package holds interfaces, value types, exceptions and the {@link io.jetbus.api.Subjects} utility only; it
 * depends on nothing. The engine that implements it lives in {@code bus-core} ({@code io.jetbus.core.EmbeddedBus}).
 * Names follow nats.java where they fit, without the {@code get} prefix on accessors.
 *
 * <p>Subjects are dot-separated tokens such as {@code orders.created}. A subscription pattern may use {@code *} for
 * exactly one token and {@code >} (last token only) for one or more tokens at the tail.
 */
package io.jetbus.api;
