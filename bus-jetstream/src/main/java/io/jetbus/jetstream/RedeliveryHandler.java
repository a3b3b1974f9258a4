package io.jetbus.jetstream;

/**
 * Told by {@link AckTracker#poll(long, RedeliveryHandler)} about pending messages whose ack wait (or nak delay)
 * expired, in deadline order.
 */
interface RedeliveryHandler
{
    /**
     * The message may be delivered again. It stays pending, with no deadline, until the engine redelivers it and calls
     * {@link AckTracker#onDelivered(long, long)}; before redelivering, the engine checks
     * {@link AckTracker#isAwaitingRedelivery(long)}, since an ack, term, nak or progress in between changes it.
     *
     * @param streamSeq     the message's stream sequence.
     * @param deliveryCount how many times it has been delivered so far; the redelivery will be number
     *                      {@code deliveryCount + 1}.
     */
    void onRedeliver(long streamSeq, int deliveryCount);

    /**
     * The message was delivered {@code maxDeliver} times and its last ack wait expired: it is no longer pending and
     * will not be delivered again. Called once per message; the engine raises the MAX_DELIVERIES advisory.
     *
     * @param streamSeq  the message's stream sequence.
     * @param deliveries how many times it was delivered.
     */
    void onMaxDeliveries(long streamSeq, int deliveries);
}
