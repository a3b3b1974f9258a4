package io.jetbus.api.jetstream;

import io.jetbus.api.JetbusException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class JetStreamApiExceptionTest
{
    static Stream<Arguments> factories()
    {
        return Stream.of(
            arguments(JetStreamApiException.streamNotFound("S"), 10059, "stream not found: \"S\""),
            arguments(JetStreamApiException.consumerNotFound("S", "C"), 10014,
                "consumer not found: \"C\" on stream \"S\""),
            arguments(JetStreamApiException.streamNameInUse("S"), 10058,
                "stream name already in use with a different configuration: \"S\""),
            arguments(JetStreamApiException.subjectsOverlap("B", "a.*", "A", "a.>"), 10065,
                "subjects overlap with an existing stream: \"a.*\" of stream \"B\" overlaps \"a.>\" of stream \"A\""),
            arguments(JetStreamApiException.invalidStreamConfig("S", "x"), 10052,
                "invalid stream configuration for \"S\": x"),
            arguments(JetStreamApiException.consumerCreateFailed(null, "x"), 10012,
                "consumer create failed for an ephemeral consumer: x"),
            arguments(JetStreamApiException.consumerAlreadyExists("S", "C"), 10148,
                "consumer already exists with a different configuration: \"C\" on stream \"S\""),
            arguments(JetStreamApiException.consumerActive("S", "C"), 10105,
                "consumer already exists and is still active: \"C\" on stream \"S\""),
            arguments(JetStreamApiException.expectedStreamMismatch("A", "B"), 10060,
                "expected stream does not match: expected \"A\", the subject is stored by \"B\""),
            arguments(JetStreamApiException.wrongLastSequence("S", 5, 7), 10071,
                "wrong last sequence: 7 in stream \"S\", expected 5"),
            arguments(JetStreamApiException.wrongLastSubjectSequence("S", "a.b", 0, 3), 10071,
                "wrong last sequence: 3 for subject \"a.b\" in stream \"S\", expected 0"),
            arguments(JetStreamApiException.wrongLastMessageId("S", "m1", null), 10070,
                "wrong last msg ID: none in stream \"S\", expected \"m1\""),
            arguments(JetStreamApiException.wrongLastMessageId("S", "m1", "m2"), 10070,
                "wrong last msg ID: \"m2\" in stream \"S\", expected \"m1\""),
            arguments(JetStreamApiException.messageTooLarge("S", 2048, 1024), 10054,
                "message size exceeds maximum allowed: 2048 bytes, stream \"S\" allows 1024"),
            arguments(JetStreamApiException.maximumMessagesExceeded("S", 10), 10077,
                "maximum messages exceeded: stream \"S\" holds its limit of 10 messages and discards new ones"),
            arguments(JetStreamApiException.maximumBytesExceeded("S", 100), 10077,
                "maximum bytes exceeded: stream \"S\" would exceed its limit of 100 bytes and discards new messages"),
            arguments(JetStreamApiException.maximumMessagesPerSubjectExceeded("S", "a", 1), 10077,
                "maximum messages per subject exceeded: stream \"S\" holds its limit of 1 messages on \"a\" and " +
                "discards new ones"),
            arguments(JetStreamApiException.noMessageFound("S", 4), 10037,
                "no message found: sequence 4 in stream \"S\""),
            arguments(JetStreamApiException.noLastMessageFound("S", "a.*"), 10037,
                "no message found: no message on \"a.*\" in stream \"S\""),
            arguments(JetStreamApiException.workQueueRequiresExplicitAck("Q", AckPolicy.NONE), 10098,
                "workqueue stream requires explicit ack: stream \"Q\", got ackPolicy=NONE"),
            arguments(JetStreamApiException.workQueueMultipleUnfiltered("Q"), 10099,
                "multiple non-filtered consumers not allowed on workqueue stream \"Q\""),
            arguments(JetStreamApiException.workQueueConsumerNotUnique("Q", "a.*", "C", "a.b"), 10100,
                "filtered consumer not unique on workqueue stream \"Q\": filter \"a.*\" overlaps \"a.b\" of " +
                "consumer \"C\""),
            arguments(JetStreamApiException.workQueueNotDeliverAll("Q", DeliverPolicy.NEW), 10101,
                "consumer must be deliver all on workqueue stream \"Q\", got deliverPolicy=NEW"),
            arguments(JetStreamApiException.storeFailed("S", new IOException("disk")), 10077,
                "storing a message in stream \"S\" failed: disk"));
    }

    @ParameterizedTest
    @MethodSource("factories")
    void shouldCarryNatsCodeAndConsistentMessage(
        final JetStreamApiException exception, final int code, final String message)
    {
        assertThat(exception).isInstanceOf(JetbusException.class).hasMessage(message);
        assertThat(exception.errorCode()).isEqualTo(code);
        assertThat(exception.toString()).endsWith(message + " [" + code + "]");
    }
}
