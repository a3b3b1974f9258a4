package io.jetbus.api.jetstream;

import io.jetbus.api.JetbusException;

/**
 * A JetStream operation failed: the stream or consumer does not exist, a publish expectation was not met, a limit
 * refused a publish, or a configuration change is not allowed. {@link #errorCode()} is the NATS JetStream API error
 * code of the same failure, so code written against nats.java can switch on the same numbers.
 *
 * <p>The engine creates these with the static factories, which keep messages consistent: the NATS description
 * first, then the names and values involved.
 */
public class JetStreamApiException extends JetbusException
{
    /** NATS {@code JSConsumerCreateErrF}: a consumer could not be created or updated. */
    public static final int CONSUMER_CREATE = 10012;
    /** NATS {@code JSConsumerNotFoundErr}: consumer not found. */
    public static final int CONSUMER_NOT_FOUND = 10014;
    /** NATS {@code JSNoMessageFoundErr}: no message found. */
    public static final int NO_MESSAGE_FOUND = 10037;
    /** NATS {@code JSStreamInvalidConfigF}: stream configuration validation error. */
    public static final int STREAM_INVALID_CONFIG = 10052;
    /** NATS {@code JSStreamMessageExceedsMaximumErr}: message size exceeds maximum allowed. */
    public static final int MESSAGE_EXCEEDS_MAXIMUM = 10054;
    /** NATS {@code JSStreamNameExistErr}: stream name already in use with a different configuration. */
    public static final int STREAM_NAME_EXISTS = 10058;
    /** NATS {@code JSStreamNotFoundErr}: stream not found. */
    public static final int STREAM_NOT_FOUND = 10059;
    /** NATS {@code JSStreamNotMatchErr}: expected stream does not match. */
    public static final int STREAM_NOT_MATCH = 10060;
    /** NATS {@code JSStreamSubjectOverlapErr}: subjects overlap with an existing stream. */
    public static final int STREAM_SUBJECT_OVERLAP = 10065;
    /** NATS {@code JSStreamWrongLastMsgIDErrF}: wrong last msg ID. */
    public static final int STREAM_WRONG_LAST_MSG_ID = 10070;
    /** NATS {@code JSStreamWrongLastSequenceErrF}: wrong last sequence (also per subject). */
    public static final int STREAM_WRONG_LAST_SEQUENCE = 10071;
    /** NATS {@code JSStreamStoreFailedF}: storing a message failed, including limits with discard new. */
    public static final int STREAM_STORE_FAILED = 10077;
    /** NATS {@code JSConsumerWQRequiresExplicitAckErr}: workqueue stream requires explicit ack. */
    public static final int WORK_QUEUE_REQUIRES_EXPLICIT_ACK = 10098;
    /** NATS {@code JSConsumerWQMultipleUnfilteredErr}: multiple non-filtered consumers on a workqueue stream. */
    public static final int WORK_QUEUE_MULTIPLE_UNFILTERED = 10099;
    /** NATS {@code JSConsumerWQConsumerNotUniqueErr}: filtered consumer not unique on workqueue stream. */
    public static final int WORK_QUEUE_CONSUMER_NOT_UNIQUE = 10100;
    /** NATS {@code JSConsumerWQConsumerNotDeliverAllErr}: consumer must be deliver all on workqueue stream. */
    public static final int WORK_QUEUE_NOT_DELIVER_ALL = 10101;
    /** NATS {@code JSConsumerExistingActiveErr}: consumer already exists and is still active. */
    public static final int CONSUMER_EXISTING_ACTIVE = 10105;
    /** NATS {@code JSConsumerAlreadyExists}: a consumer of that name exists with a different configuration. */
    public static final int CONSUMER_ALREADY_EXISTS = 10148;

    private static final long serialVersionUID = 1L;

    private final int errorCode;

    /**
     * A failure with its NATS API error code.
     *
     * @param errorCode the NATS JetStream API error code, one of the constants of this class.
     * @param message   what went wrong, naming the stream, consumer and values involved.
     */
    public JetStreamApiException(final int errorCode, final String message)
    {
        super(message);
        this.errorCode = errorCode;
    }

    /**
     * A failure with its NATS API error code and a cause.
     *
     * @param errorCode the NATS JetStream API error code, one of the constants of this class.
     * @param message   what went wrong, naming the stream, consumer and values involved.
     * @param cause     the underlying failure.
     */
    public JetStreamApiException(final int errorCode, final String message, final Throwable cause)
    {
        super(message, cause);
        this.errorCode = errorCode;
    }

    /**
     * The NATS JetStream API error code, such as {@link #STREAM_NOT_FOUND} (10059).
     *
     * @return the error code.
     */
    public int errorCode()
    {
        return errorCode;
    }

    /**
     * No stream has this name (10059).
     *
     * @param stream the name asked for.
     * @return the exception.
     */
    public static JetStreamApiException streamNotFound(final String stream)
    {
        return new JetStreamApiException(STREAM_NOT_FOUND, "stream not found: \"" + stream + "\"");
    }

    /**
     * The stream has no consumer of this name (10014).
     *
     * @param stream   the stream.
     * @param consumer the consumer name asked for.
     * @return the exception.
     */
    public static JetStreamApiException consumerNotFound(final String stream, final String consumer)
    {
        return new JetStreamApiException(CONSUMER_NOT_FOUND,
            "consumer not found: \"" + consumer + "\" on stream \"" + stream + "\"");
    }

    /**
     * A stream of this name exists with a different configuration (10058).
     *
     * @param stream the stream name.
     * @return the exception.
     */
    public static JetStreamApiException streamNameInUse(final String stream)
    {
        return new JetStreamApiException(STREAM_NAME_EXISTS,
            "stream name already in use with a different configuration: \"" + stream + "\"");
    }

    /**
     * A subject of a new or updated stream overlaps a subject of another stream (10065).
     *
     * @param stream          the stream being added or updated.
     * @param subject         its subject that overlaps.
     * @param existingStream  the stream that already captures an overlapping subject.
     * @param existingSubject that stream's overlapping subject.
     * @return the exception.
     */
    public static JetStreamApiException subjectsOverlap(
        final String stream, final String subject, final String existingStream, final String existingSubject)
    {
        return new JetStreamApiException(STREAM_SUBJECT_OVERLAP,
            "subjects overlap with an existing stream: \"" + subject + "\" of stream \"" + stream +
            "\" overlaps \"" + existingSubject + "\" of stream \"" + existingStream + "\"");
    }

    /**
     * A stream configuration or a change to it is not allowed (10052).
     *
     * @param stream the stream name.
     * @param detail the rule broken, naming the field and values.
     * @return the exception.
     */
    public static JetStreamApiException invalidStreamConfig(final String stream, final String detail)
    {
        return new JetStreamApiException(STREAM_INVALID_CONFIG,
            "invalid stream configuration for \"" + stream + "\": " + detail);
    }

    /**
     * A consumer could not be created or updated (10012).
     *
     * @param consumer the consumer name, or {@code null} for an unnamed ephemeral.
     * @param detail   the rule broken, naming the field and values.
     * @return the exception.
     */
    public static JetStreamApiException consumerCreateFailed(final String consumer, final String detail)
    {
        return new JetStreamApiException(CONSUMER_CREATE,
            "consumer create failed for " + (consumer == null ? "an ephemeral consumer" : "\"" + consumer + "\"") +
            ": " + detail);
    }

    /**
     * A consumer of this name exists with a different configuration (10148).
     *
     * @param stream   the stream.
     * @param consumer the consumer name.
     * @return the exception.
     */
    public static JetStreamApiException consumerAlreadyExists(final String stream, final String consumer)
    {
        return new JetStreamApiException(CONSUMER_ALREADY_EXISTS,
            "consumer already exists with a different configuration: \"" + consumer + "\" on stream \"" +
            stream + "\"");
    }

    /**
     * A push consumer is already bound to an active subscription (10105).
     *
     * @param stream   the stream.
     * @param consumer the consumer name.
     * @return the exception.
     */
    public static JetStreamApiException consumerActive(final String stream, final String consumer)
    {
        return new JetStreamApiException(CONSUMER_EXISTING_ACTIVE,
            "consumer already exists and is still active: \"" + consumer + "\" on stream \"" + stream + "\"");
    }

    /**
     * A publish expected another stream to capture its subject (10060).
     *
     * @param expected the stream named in the publish options.
     * @param actual   the stream that captures the subject.
     * @return the exception.
     */
    public static JetStreamApiException expectedStreamMismatch(final String expected, final String actual)
    {
        return new JetStreamApiException(STREAM_NOT_MATCH,
            "expected stream does not match: expected \"" + expected + "\", the subject is stored by \"" +
            actual + "\"");
    }

    /**
     * A publish expected another last sequence of the stream (10071).
     *
     * @param stream   the stream.
     * @param expected the sequence named in the publish options.
     * @param actual   the stream's last sequence, 0 when empty.
     * @return the exception.
     */
    public static JetStreamApiException wrongLastSequence(final String stream, final long expected, final long actual)
    {
        return new JetStreamApiException(STREAM_WRONG_LAST_SEQUENCE,
            "wrong last sequence: " + actual + " in stream \"" + stream + "\", expected " + expected);
    }

    /**
     * A publish expected another last sequence for its subject (10071).
     *
     * @param stream   the stream.
     * @param subject  the subject published to.
     * @param expected the sequence named in the publish options.
     * @param actual   the sequence of the last message on the subject, 0 when there is none.
     * @return the exception.
     */
    public static JetStreamApiException wrongLastSubjectSequence(
        final String stream, final String subject, final long expected, final long actual)
    {
        return new JetStreamApiException(STREAM_WRONG_LAST_SEQUENCE,
            "wrong last sequence: " + actual + " for subject \"" + subject + "\" in stream \"" + stream +
            "\", expected " + expected);
    }

    /**
     * A publish expected another message ID on the stream's last message (10070).
     *
     * @param stream   the stream.
     * @param expected the message ID named in the publish options.
     * @param actual   the last message's ID, or {@code null} when it had none.
     * @return the exception.
     */
    public static JetStreamApiException wrongLastMessageId(
        final String stream, final String expected, final String actual)
    {
        return new JetStreamApiException(STREAM_WRONG_LAST_MSG_ID,
            "wrong last msg ID: " + (actual == null ? "none" : "\"" + actual + "\"") + " in stream \"" + stream +
            "\", expected \"" + expected + "\"");
    }

    /**
     * A message is larger than the stream's {@link StreamConfig#maxMsgSize()} (10054).
     *
     * @param stream     the stream.
     * @param size       the message size in bytes.
     * @param maxMsgSize the stream's limit in bytes.
     * @return the exception.
     */
    public static JetStreamApiException messageTooLarge(final String stream, final long size, final int maxMsgSize)
    {
        return new JetStreamApiException(MESSAGE_EXCEEDS_MAXIMUM,
            "message size exceeds maximum allowed: " + size + " bytes, stream \"" + stream + "\" allows " +
            maxMsgSize);
    }

    /**
     * A stream with {@link DiscardPolicy#NEW} is at its {@link StreamConfig#maxMsgs()} (10077).
     *
     * @param stream  the stream.
     * @param maxMsgs the limit.
     * @return the exception.
     */
    public static JetStreamApiException maximumMessagesExceeded(final String stream, final long maxMsgs)
    {
        return new JetStreamApiException(STREAM_STORE_FAILED,
            "maximum messages exceeded: stream \"" + stream + "\" holds its limit of " + maxMsgs +
            " messages and discards new ones");
    }

    /**
     * A stream with {@link DiscardPolicy#NEW} would exceed its {@link StreamConfig#maxBytes()} (10077).
     *
     * @param stream   the stream.
     * @param maxBytes the limit.
     * @return the exception.
     */
    public static JetStreamApiException maximumBytesExceeded(final String stream, final long maxBytes)
    {
        return new JetStreamApiException(STREAM_STORE_FAILED,
            "maximum bytes exceeded: stream \"" + stream + "\" would exceed its limit of " + maxBytes +
            " bytes and discards new messages");
    }

    /**
     * A stream with {@link DiscardPolicy#NEW} holds {@link StreamConfig#maxMsgsPerSubject()} messages on the
     * subject (10077).
     *
     * @param stream            the stream.
     * @param subject           the subject published to.
     * @param maxMsgsPerSubject the limit.
     * @return the exception.
     */
    public static JetStreamApiException maximumMessagesPerSubjectExceeded(
        final String stream, final String subject, final long maxMsgsPerSubject)
    {
        return new JetStreamApiException(STREAM_STORE_FAILED,
            "maximum messages per subject exceeded: stream \"" + stream + "\" holds its limit of " +
            maxMsgsPerSubject + " messages on \"" + subject + "\" and discards new ones");
    }

    /**
     * Storing a message failed for another reason (10077).
     *
     * @param stream the stream.
     * @param cause  the underlying failure.
     * @return the exception.
     */
    public static JetStreamApiException storeFailed(final String stream, final Throwable cause)
    {
        return new JetStreamApiException(STREAM_STORE_FAILED,
            "storing a message in stream \"" + stream + "\" failed: " + cause.getMessage(), cause);
    }

    /**
     * The stream holds no message with this sequence (10037).
     *
     * @param stream the stream.
     * @param seq    the sequence asked for.
     * @return the exception.
     */
    public static JetStreamApiException noMessageFound(final String stream, final long seq)
    {
        return new JetStreamApiException(NO_MESSAGE_FOUND,
            "no message found: sequence " + seq + " in stream \"" + stream + "\"");
    }

    /**
     * The stream holds no message on this subject (10037).
     *
     * @param stream  the stream.
     * @param subject the subject asked for.
     * @return the exception.
     */
    public static JetStreamApiException noLastMessageFound(final String stream, final String subject)
    {
        return new JetStreamApiException(NO_MESSAGE_FOUND,
            "no message found: no message on \"" + subject + "\" in stream \"" + stream + "\"");
    }

    /**
     * A consumer of a {@link RetentionPolicy#WORK_QUEUE} stream needs {@link AckPolicy#EXPLICIT} (10098).
     *
     * @param stream    the stream.
     * @param ackPolicy the policy asked for.
     * @return the exception.
     */
    public static JetStreamApiException workQueueRequiresExplicitAck(final String stream, final AckPolicy ackPolicy)
    {
        return new JetStreamApiException(WORK_QUEUE_REQUIRES_EXPLICIT_ACK,
            "workqueue stream requires explicit ack: stream \"" + stream + "\", got ackPolicy=" + ackPolicy);
    }

    /**
     * A second consumer without a filter on a {@link RetentionPolicy#WORK_QUEUE} stream (10099).
     *
     * @param stream the stream.
     * @return the exception.
     */
    public static JetStreamApiException workQueueMultipleUnfiltered(final String stream)
    {
        return new JetStreamApiException(WORK_QUEUE_MULTIPLE_UNFILTERED,
            "multiple non-filtered consumers not allowed on workqueue stream \"" + stream + "\"");
    }

    /**
     * A consumer's filter overlaps another consumer's on a {@link RetentionPolicy#WORK_QUEUE} stream (10100).
     *
     * @param stream         the stream.
     * @param filter         the new consumer's filter subject.
     * @param existing       the consumer already reading an overlapping subject.
     * @param existingFilter that consumer's filter subject.
     * @return the exception.
     */
    public static JetStreamApiException workQueueConsumerNotUnique(
        final String stream, final String filter, final String existing, final String existingFilter)
    {
        return new JetStreamApiException(WORK_QUEUE_CONSUMER_NOT_UNIQUE,
            "filtered consumer not unique on workqueue stream \"" + stream + "\": filter \"" + filter +
            "\" overlaps \"" + existingFilter + "\" of consumer \"" + existing + "\"");
    }

    /**
     * A consumer of a {@link RetentionPolicy#WORK_QUEUE} stream needs {@link DeliverPolicy#ALL} (10101).
     *
     * @param stream        the stream.
     * @param deliverPolicy the policy asked for.
     * @return the exception.
     */
    public static JetStreamApiException workQueueNotDeliverAll(final String stream, final DeliverPolicy deliverPolicy)
    {
        return new JetStreamApiException(WORK_QUEUE_NOT_DELIVER_ALL,
            "consumer must be deliver all on workqueue stream \"" + stream + "\", got deliverPolicy=" +
            deliverPolicy);
    }

    /**
     * The message followed by the error code.
     *
     * @return {@code <class>: <message> [<code>]}.
     */
    @Override
    public String toString()
    {
        return super.toString() + " [" + errorCode + "]";
    }
}
