package io.jetbus.jetstream;

/**
 * Told by an {@link AckTracker} about each change of its state that must survive a restart, as it happens, so the
 * engine can append it to the consumer's log. Primitive arguments: nothing is allocated on the hot path. Each call
 * corresponds to one {@link AckEvent}; replaying those events rebuilds the state
 * ({@link AckTracker#replay(AckSnapshot, Iterable, AckSettings, long, AckEventHandler)}).
 *
 * <p>Nak and in-progress are not reported: they move only timers, and timers restart after a restart anyway.
 */
interface AckEventHandler
{
    /** A handler that ignores every event. */
    AckEventHandler NONE = new AckEventHandler()
    {
    };

    /**
     * A message was delivered (first time or again); see {@link AckEvent.Delivered}.
     *
     * @param streamSeq   the message's stream sequence.
     * @param consumerSeq the consumer sequence given to this delivery.
     */
    default void onDelivered(long streamSeq, long consumerSeq)
    {
    }

    /**
     * One pending message was acknowledged; see {@link AckEvent.Acked}.
     *
     * @param streamSeq the message's stream sequence.
     */
    default void onAcked(long streamSeq)
    {
    }

    /**
     * Every pending message up to a stream sequence was acknowledged; see {@link AckEvent.AckedAll}.
     *
     * @param upToStreamSeq the highest stream sequence acknowledged.
     */
    default void onAckedAll(long upToStreamSeq)
    {
    }

    /**
     * A pending message was terminated; see {@link AckEvent.Terminated}.
     *
     * @param streamSeq the message's stream sequence.
     */
    default void onTerminated(long streamSeq)
    {
    }

    /**
     * A pending message reached its delivery limit and left the pending set; see {@link AckEvent.MaxDelivered}.
     *
     * @param streamSeq the message's stream sequence.
     */
    default void onMaxDelivered(long streamSeq)
    {
    }
}
