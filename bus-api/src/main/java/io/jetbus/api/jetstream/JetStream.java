package io.jetbus.api.jetstream;

import io.jetbus.api.Dispatcher;
import io.jetbus.api.Headers;
import io.jetbus.api.MessageHandler;
import io.jetbus.api.NoRespondersException;
import io.jetbus.api.Subscription;

import java.util.concurrent.CompletableFuture;

/**
 * Publishing to streams with acknowledgements, and subscribing through consumers. Obtained from
 * {@link io.jetbus.api.Connection#jetStream()}.
 *
 * <p>Safe for concurrent use. A JetStream publish is also a core publish: core subscribers of the subject receive
 * it too. Messages delivered by consumers answer {@code true} to {@link io.jetbus.api.Message#isJetStream()} and
 * carry the acknowledgement methods ({@link io.jetbus.api.Message#ack()}, {@code nak()}, {@code inProgress()},
 * {@code term()}) and their {@link io.jetbus.api.Message#metaData()}.
 *
 * <p>Every method throws {@link IllegalStateException} once the connection is closed.
 */
public interface JetStream
{
    /**
     * Publish a message and wait until a stream has stored it.
     *
     * @param subject to publish to; a literal subject that some stream captures.
     * @param data    the payload, copied before this method returns; {@code null} is an empty payload.
     * @return the acknowledgement: stream, sequence, and whether it was a duplicate.
     * @throws IllegalArgumentException if the subject is invalid or the payload exceeds the bus's max payload.
     * @throws NoRespondersException    if no stream captures the subject.
     * @throws JetStreamApiException    if the stream refused the message (a limit with {@link DiscardPolicy#NEW},
     *                                  its max message size).
     */
    PubAck publish(String subject, byte[] data);

    /**
     * Publish a message with headers and wait until a stream has stored it. The {@code Nats-Msg-Id} and
     * {@code Nats-Expected-*} headers ({@link PublishOptions#MSG_ID_HEADER} and others) are honoured.
     *
     * @param subject to publish to; a literal subject that some stream captures.
     * @param headers the headers, or {@code null} for none.
     * @param data    the payload, copied before this method returns; {@code null} is an empty payload.
     * @return the acknowledgement.
     * @throws IllegalArgumentException if the subject is invalid or the message exceeds the bus's max payload.
     * @throws NoRespondersException    if no stream captures the subject.
     * @throws JetStreamApiException    if the stream refused the message: a limit, or an expectation header not met.
     */
    PubAck publish(String subject, Headers headers, byte[] data);

    /**
     * Publish a message with headers and options and wait until a stream has stored it.
     *
     * @param subject to publish to; a literal subject that some stream captures.
     * @param headers the headers, or {@code null} for none.
     * @param data    the payload, copied before this method returns; {@code null} is an empty payload.
     * @param options the message ID and expectations; they take precedence over equivalent headers.
     * @return the acknowledgement; {@link PubAck#duplicate()} when the message ID was seen within the stream's
     *     duplicate window.
     * @throws NullPointerException     if the options are null.
     * @throws IllegalArgumentException if the subject is invalid or the message exceeds the bus's max payload.
     * @throws NoRespondersException    if no stream captures the subject.
     * @throws JetStreamApiException    if the stream refused the message: an expectation not met
     *                                  ({@link JetStreamApiException#STREAM_NOT_MATCH},
     *                                  {@link JetStreamApiException#STREAM_WRONG_LAST_SEQUENCE},
     *                                  {@link JetStreamApiException#STREAM_WRONG_LAST_MSG_ID}) or a limit.
     */
    PubAck publish(String subject, Headers headers, byte[] data, PublishOptions options);

    /**
     * Publish a message without waiting for it to be made durable: the message is stored in publish order before this
     * returns, and the future completes once it is as durable as the stream's flush policy promises (with
     * {@link FlushPolicy#everyPublish()}, after the one sync that covers every publish made meanwhile, so many
     * publishes in flight share a sync). A stream completes its futures in publish order.
     *
     * @param subject to publish to; a literal subject that some stream captures.
     * @param data    the payload, copied before this method returns; {@code null} is an empty payload.
     * @return a future completed with the acknowledgement, or exceptionally with the exceptions
     *     {@link #publish(String, byte[])} throws for a refused message.
     * @throws IllegalArgumentException if the subject is invalid or the payload exceeds the bus's max payload.
     */
    CompletableFuture<PubAck> publishAsync(String subject, byte[] data);

    /**
     * Publish a message with headers without waiting for it to be made durable; see
     * {@link #publishAsync(String, byte[])}.
     *
     * @param subject to publish to; a literal subject that some stream captures.
     * @param headers the headers, or {@code null} for none.
     * @param data    the payload, copied before this method returns; {@code null} is an empty payload.
     * @return a future completed with the acknowledgement, or exceptionally with the exceptions
     *     {@link #publish(String, Headers, byte[])} throws for a refused message.
     * @throws IllegalArgumentException if the subject is invalid or the message exceeds the bus's max payload.
     */
    CompletableFuture<PubAck> publishAsync(String subject, Headers headers, byte[] data);

    /**
     * Publish a message with headers and options without waiting for it to be made durable; see
     * {@link #publishAsync(String, byte[])}. Messages published by one thread are stored in publish order.
     *
     * @param subject to publish to; a literal subject that some stream captures.
     * @param headers the headers, or {@code null} for none.
     * @param data    the payload, copied before this method returns; {@code null} is an empty payload.
     * @param options the message ID and expectations.
     * @return a future completed with the acknowledgement, or exceptionally with the exceptions
     *     {@link #publish(String, Headers, byte[], PublishOptions)} throws for a refused message.
     * @throws NullPointerException     if the options are null.
     * @throws IllegalArgumentException if the subject is invalid or the message exceeds the bus's max payload.
     */
    CompletableFuture<PubAck> publishAsync(String subject, Headers headers, byte[] data, PublishOptions options);

    /**
     * Create a consumer and subscribe to it in pull mode. When {@code config} is durable and a consumer of that name
     * exists with an equal configuration, bind to it instead. An ephemeral consumer is deleted when its subscription
     * ends.
     *
     * @param stream the stream to read.
     * @param config the consumer's configuration.
     * @return the pull subscription.
     * @throws NullPointerException  if an argument is null.
     * @throws JetStreamApiException if the stream does not exist
     *                               ({@link JetStreamApiException#STREAM_NOT_FOUND}), a durable of that name exists
     *                               with another configuration ({@link JetStreamApiException#CONSUMER_ALREADY_EXISTS}),
     *                               or the stream's retention refuses the consumer.
     */
    PullSubscription pullSubscribe(String stream, ConsumerConfig config);

    /**
     * Subscribe in pull mode to an existing consumer. Several pull subscriptions may share one consumer; each
     * message goes to one of them.
     *
     * @param stream       the stream the consumer reads.
     * @param consumerName the consumer's name.
     * @return the pull subscription.
     * @throws NullPointerException  if an argument is null.
     * @throws JetStreamApiException if the stream or the consumer does not exist
     *                               ({@link JetStreamApiException#STREAM_NOT_FOUND},
     *                               {@link JetStreamApiException#CONSUMER_NOT_FOUND}).
     */
    PullSubscription bind(String stream, String consumerName);

    /**
     * Create a consumer (or bind to a durable one with an equal configuration) and have it push messages to a handler
     * on a core dispatcher. The handler's messages carry the acknowledgement methods; delivery pauses while
     * {@link ConsumerConfig#maxAckPending()} messages are unacknowledged. Unsubscribing deletes an ephemeral consumer
     * and keeps a durable one.
     *
     * @param stream     the stream to read.
     * @param config     the consumer's configuration.
     * @param dispatcher the dispatcher whose thread calls the handler.
     * @param handler    called for each message, valid only until it returns.
     * @return the subscription; {@link Subscription#subject()} is the consumer's first filter subject, or
     *     {@code >} without a filter.
     * @throws NullPointerException  if an argument is null.
     * @throws IllegalStateException if the dispatcher is closed.
     * @throws JetStreamApiException if the stream does not exist, a durable of that name exists with another
     *                               configuration or is already bound
     *                               ({@link JetStreamApiException#CONSUMER_EXISTING_ACTIVE}), or the stream's retention
     *                               refuses the consumer.
     */
    Subscription pushSubscribe(String stream, ConsumerConfig config, Dispatcher dispatcher, MessageHandler handler);
}
