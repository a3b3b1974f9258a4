package io.jetbus.jetstream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AckEventTest
{
    @Test
    void shouldRecordEachCallbackAsItsRecordInOrder()
    {
        final AckEvent.Recorder recorder = new AckEvent.Recorder();

        recorder.onDelivered(5, 1);
        recorder.onAcked(5);
        recorder.onAckedAll(9);
        recorder.onTerminated(6);
        recorder.onMaxDelivered(7);

        assertThat(recorder.events()).containsExactly(new AckEvent.Delivered(5, 1), new AckEvent.Acked(5),
            new AckEvent.AckedAll(9), new AckEvent.Terminated(6), new AckEvent.MaxDelivered(7));
        recorder.clear();
        assertThat(recorder.events()).isEmpty();
    }
}
