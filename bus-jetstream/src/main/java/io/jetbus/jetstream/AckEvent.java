package io.jetbus.jetstream;

import java.util.ArrayList;
import java.util.List;

/**
 * One persistent change of an {@link AckTracker}'s state, in the form the engine logs and replays. The tracker
 * reports the same changes through {@link AckEventHandler} without allocating; {@link Recorder} turns those calls into
 * these records.
 */
sealed interface AckEvent
{
    /**
     * A message was delivered; a new delivery when it was not pending, a redelivery when it was.
     *
     * @param streamSeq   the message's stream sequence.
     * @param consumerSeq the consumer sequence of the delivery: one more than the previous delivery's.
     */
    record Delivered(long streamSeq, long consumerSeq) implements AckEvent
    {
    }

    /**
     * A pending message was acknowledged ({@code AckPolicy.EXPLICIT}).
     *
     * @param streamSeq the message's stream sequence.
     */
    record Acked(long streamSeq) implements AckEvent
    {
    }

    /**
     * Every pending message with a stream sequence up to {@code upToStreamSeq} was acknowledged
     * ({@code AckPolicy.ALL}).
     *
     * @param upToStreamSeq the highest stream sequence acknowledged.
     */
    record AckedAll(long upToStreamSeq) implements AckEvent
    {
    }

    /**
     * A pending message was terminated: never redelivered.
     *
     * @param streamSeq the message's stream sequence.
     */
    record Terminated(long streamSeq) implements AckEvent
    {
    }

    /**
     * A pending message reached the delivery limit: never redelivered.
     *
     * @param streamSeq the message's stream sequence.
     */
    record MaxDelivered(long streamSeq) implements AckEvent
    {
    }

    /**
     * An {@link AckEventHandler} that keeps every event as a record, in order. One thread only.
     */
    final class Recorder implements AckEventHandler
    {
        private final List<AckEvent> events = new ArrayList<>();

        /**
         * The events so far.
         *
         * @return a copy of the recorded events, oldest first.
         */
        List<AckEvent> events()
        {
            return List.copyOf(events);
        }

        /**
         * Forget the events so far, as after a snapshot.
         */
        void clear()
        {
            events.clear();
        }

        @Override
        public void onDelivered(final long streamSeq, final long consumerSeq)
        {
            events.add(new Delivered(streamSeq, consumerSeq));
        }

        @Override
        public void onAcked(final long streamSeq)
        {
            events.add(new Acked(streamSeq));
        }

        @Override
        public void onAckedAll(final long upToStreamSeq)
        {
            events.add(new AckedAll(upToStreamSeq));
        }

        @Override
        public void onTerminated(final long streamSeq)
        {
            events.add(new Terminated(streamSeq));
        }

        @Override
        public void onMaxDelivered(final long streamSeq)
        {
            events.add(new MaxDelivered(streamSeq));
        }
    }
}
