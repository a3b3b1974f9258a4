package io.jetbus.api.jetstream;

import java.util.List;

/**
 * Creating, inspecting, changing and deleting streams and consumers. Obtained from
 * {@link io.jetbus.api.Connection#jetStreamManagement()}.
 *
 * <p>Safe for concurrent use; each call is atomic with respect to the others. Every method throws
 * {@link IllegalStateException} once the connection is closed, and {@link NullPointerException} for a null argument.
 * Names are checked as {@link StreamConfig#name()} is: an invalid name throws {@link IllegalArgumentException}.
 */
public interface JetStreamManagement
{
    /**
     * Create a stream. Adding a stream that exists with an equal configuration returns it unchanged, as in NATS.
     *
     * @param config the stream's configuration.
     * @return the stream's information.
     * @throws JetStreamApiException if a stream of that name exists with another configuration
     *                               ({@link JetStreamApiException#STREAM_NAME_EXISTS}), or a subject overlaps one of
     *                               another stream ({@link JetStreamApiException#STREAM_SUBJECT_OVERLAP}).
     */
    StreamInfo addStream(StreamConfig config);

    /**
     * Change a stream's configuration; see {@link StreamConfig#checkUpdate(StreamConfig)} for what may change. New
     * limits apply at once to the messages already stored.
     *
     * @param config the new configuration, naming the stream.
     * @return the stream's information under the new configuration.
     * @throws JetStreamApiException if the stream does not exist ({@link JetStreamApiException#STREAM_NOT_FOUND}), a
     *                               field that cannot change differs
     *                               ({@link JetStreamApiException#STREAM_INVALID_CONFIG}), or a subject overlaps one of
     *                               another stream ({@link JetStreamApiException#STREAM_SUBJECT_OVERLAP}).
     */
    StreamInfo updateStream(StreamConfig config);

    /**
     * Delete a stream, its consumers and its stored messages.
     *
     * @param stream the stream name.
     * @return {@code true} when the stream was deleted, {@code false} when there was no such stream.
     */
    boolean deleteStream(String stream);

    /**
     * A stream's configuration and state.
     *
     * @param stream the stream name.
     * @return the stream's information.
     * @throws JetStreamApiException if the stream does not exist ({@link JetStreamApiException#STREAM_NOT_FOUND}).
     */
    StreamInfo streamInfo(String stream);

    /**
     * The names of all streams.
     *
     * @return the names, sorted; empty when there are none.
     */
    List<String> streamNames();

    /**
     * The information of all streams.
     *
     * @return the information, sorted by stream name; empty when there are none.
     */
    List<StreamInfo> streams();

    /**
     * Remove every message from a stream. Sequences go on from where they were.
     *
     * @param stream the stream name.
     * @return the number of messages removed.
     * @throws JetStreamApiException if the stream does not exist ({@link JetStreamApiException#STREAM_NOT_FOUND}).
     */
    long purgeStream(String stream);

    /**
     * Remove the messages of a stream that the options select.
     *
     * @param stream  the stream name.
     * @param options the subject, sequence bound or number to keep.
     * @return the number of messages removed.
     * @throws JetStreamApiException if the stream does not exist ({@link JetStreamApiException#STREAM_NOT_FOUND}).
     */
    long purgeStream(String stream, PurgeOptions options);

    /**
     * Remove one message from a stream.
     *
     * @param stream the stream name.
     * @param seq    the message's stream sequence.
     * @return {@code true} when the message was removed, {@code false} when the stream held no message with that
     *     sequence.
     * @throws IllegalArgumentException if the sequence is not positive.
     * @throws JetStreamApiException    if the stream does not exist ({@link JetStreamApiException#STREAM_NOT_FOUND}).
     */
    boolean deleteMessage(String stream, long seq);

    /**
     * Read one message of a stream by sequence.
     *
     * @param stream the stream name.
     * @param seq    the message's stream sequence.
     * @return the message.
     * @throws IllegalArgumentException if the sequence is not positive.
     * @throws JetStreamApiException    if the stream does not exist ({@link JetStreamApiException#STREAM_NOT_FOUND}) or
     *                                  holds no message with that sequence
     *                                  ({@link JetStreamApiException#NO_MESSAGE_FOUND}).
     */
    MessageInfo message(String stream, long seq);

    /**
     * Read the last message a stream holds on a subject.
     *
     * @param stream  the stream name.
     * @param subject a subject or pattern.
     * @return the message with the highest sequence matching {@code subject}.
     * @throws IllegalArgumentException if the subject is invalid.
     * @throws JetStreamApiException    if the stream does not exist ({@link JetStreamApiException#STREAM_NOT_FOUND}) or
     *                                  holds no message on the subject
     *                                  ({@link JetStreamApiException#NO_MESSAGE_FOUND}).
     */
    MessageInfo lastMessage(String stream, String subject);

    /**
     * Create a consumer, or update the one of the same name; see {@link ConsumerConfig#checkUpdate(ConsumerConfig)}
     * for what may change. An ephemeral configuration without a name creates a new consumer with a generated name.
     *
     * @param stream the stream to read.
     * @param config the consumer's configuration.
     * @return the consumer's information.
     * @throws JetStreamApiException if the stream does not exist ({@link JetStreamApiException#STREAM_NOT_FOUND}), a
     *                               field that cannot change differs ({@link JetStreamApiException#CONSUMER_CREATE}),
     *                               or the stream's retention refuses the consumer (the work-queue codes).
     */
    ConsumerInfo addOrUpdateConsumer(String stream, ConsumerConfig config);

    /**
     * Delete a consumer; its subscriptions end.
     *
     * @param stream   the stream the consumer reads.
     * @param consumer the consumer's name.
     * @return {@code true} when the consumer was deleted, {@code false} when the stream had no such consumer.
     * @throws JetStreamApiException if the stream does not exist ({@link JetStreamApiException#STREAM_NOT_FOUND}).
     */
    boolean deleteConsumer(String stream, String consumer);

    /**
     * A consumer's configuration and position.
     *
     * @param stream   the stream the consumer reads.
     * @param consumer the consumer's name.
     * @return the consumer's information.
     * @throws JetStreamApiException if the stream or the consumer does not exist
     *                               ({@link JetStreamApiException#STREAM_NOT_FOUND},
     *                               {@link JetStreamApiException#CONSUMER_NOT_FOUND}).
     */
    ConsumerInfo consumerInfo(String stream, String consumer);

    /**
     * The names of a stream's consumers.
     *
     * @param stream the stream name.
     * @return the names, sorted; empty when there are none.
     * @throws JetStreamApiException if the stream does not exist ({@link JetStreamApiException#STREAM_NOT_FOUND}).
     */
    List<String> consumerNames(String stream);

    /**
     * The information of a stream's consumers.
     *
     * @param stream the stream name.
     * @return the information, sorted by consumer name; empty when there are none.
     * @throws JetStreamApiException if the stream does not exist ({@link JetStreamApiException#STREAM_NOT_FOUND}).
     */
    List<ConsumerInfo> consumers(String stream);
}
