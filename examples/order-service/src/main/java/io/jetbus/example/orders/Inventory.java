package io.jetbus.example.orders;

/**
 * Where {@link InventoryWorkers} reserve stock. Called from several worker threads at once.
 */
@FunctionalInterface
public interface Inventory
{
    /**
     * Reserve the stock for an order. May be called again for the same order when an earlier call threw or its
     * acknowledgement was lost, so it should be idempotent per order id.
     *
     * @param order the order.
     * @throws RuntimeException if the stock could not be reserved now; the order is delivered again after the ack
     *                          wait, up to the consumer's max deliver.
     */
    void reserve(Order order);
}
