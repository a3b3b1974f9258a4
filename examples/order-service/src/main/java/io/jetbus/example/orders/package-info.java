/**
 * A worked example of Jetbus: an {@link io.jetbus.example.orders.OrderService} that asks a
 * {@link io.jetbus.example.orders.PricingService} for a price over request-reply and stores {@code orders.created} in
 * the {@code ORDERS} stream, and {@link io.jetbus.example.orders.InventoryWorkers} that share one durable pull
 * consumer (JetStream's queue group) to reserve stock, acknowledging only what they reserved.
 *
 * <p>The tests next to it show how to test such code with {@code bus-test}: virtual time for ack waits and
 * redeliveries, recorders for events, the JetStream inspector for consumer positions, and a restart from disk.
 */
package io.jetbus.example.orders;
