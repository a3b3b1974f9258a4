package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.Message;
import io.jetbus.api.jetstream.AckPolicy;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.ConsumerInfo;
import io.jetbus.api.jetstream.JetStream;
import io.jetbus.api.jetstream.JetStreamManagement;
import io.jetbus.api.jetstream.PullSubscription;
import io.jetbus.api.jetstream.PurgeOptions;
import io.jetbus.api.jetstream.RetentionPolicy;
import io.jetbus.api.jetstream.StorageType;
import io.jetbus.api.jetstream.StreamConfig;
import io.jetbus.core.ManualTimeSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * R22 of the reliability test plan: one operation each, done on a FILE stream before a restart. Shared by the
 * clean-close test and the child JVM of the kill test so both check the same thing.
 */
enum RestartScenario
{
    CREATE_STREAM(RetentionPolicy.LIMITS),
    PURGE(RetentionPolicy.LIMITS),
    PURGE_SUBJECT(RetentionPolicy.LIMITS),
    PURGE_KEEP(RetentionPolicy.LIMITS),
    PURGE_UP_TO_SEQ(RetentionPolicy.LIMITS),
    DELETE_MESSAGE(RetentionPolicy.LIMITS),
    CONSUMER_CREATE(RetentionPolicy.LIMITS),
    CONSUMER_DELETE(RetentionPolicy.LIMITS),
    CONSUMER_UPDATE(RetentionPolicy.LIMITS),
    LIMIT_MSGS(RetentionPolicy.LIMITS),
    LIMIT_BYTES(RetentionPolicy.LIMITS),
    LIMIT_AGE(RetentionPolicy.LIMITS),
    INTEREST_REMOVAL(RetentionPolicy.INTEREST),
    WORK_QUEUE_REMOVAL(RetentionPolicy.WORK_QUEUE);

    static final String STREAM = "R";

    private final RetentionPolicy retention;

    RestartScenario(final RetentionPolicy retention)
    {
        this.retention = retention;
    }

    /** A stream of 10 messages on r.a and r.b, a durable consumer that got 4 and acked 2, then the operation. */
    void run(final Connection nc, final ManualTimeSource clock) throws Exception
    {
        final JetStreamManagement jsm = nc.jetStreamManagement();
        final JetStream js = nc.jetStream();
        jsm.addStream(StreamConfig.builder().name(STREAM).subjects("r.>").storage(StorageType.FILE)
            .retention(retention).build());
        jsm.addOrUpdateConsumer(STREAM, consumer("D").build());
        for (int i = 1; i <= 10; i++)
        {
            js.publish(i % 2 == 0 ? "r.a" : "r.b", ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
        try (PullSubscription sub = js.bind(STREAM, "D"))
        {
            final List<Message> got = sub.fetch(4, Duration.ofSeconds(5));
            got.get(0).ackSync(Duration.ofSeconds(5));
            got.get(2).ackSync(Duration.ofSeconds(5));
        }
        apply(jsm, clock);
    }

    private void apply(final JetStreamManagement jsm, final ManualTimeSource clock)
    {
        final StreamConfig config = jsm.streamInfo(STREAM).config();
        switch (this)
        {
            case PURGE -> jsm.purgeStream(STREAM);
            case PURGE_SUBJECT -> jsm.purgeStream(STREAM, PurgeOptions.builder().subject("r.a").build());
            case PURGE_KEEP -> jsm.purgeStream(STREAM, PurgeOptions.builder().keep(3).build());
            case PURGE_UP_TO_SEQ -> jsm.purgeStream(STREAM, PurgeOptions.builder().upToSeq(6).build());
            case DELETE_MESSAGE -> jsm.deleteMessage(STREAM, 5);
            case CONSUMER_CREATE -> jsm.addOrUpdateConsumer(STREAM, consumer("E").filterSubject("r.a").build());
            case CONSUMER_DELETE -> jsm.deleteConsumer(STREAM, "D");
            case CONSUMER_UPDATE -> jsm.addOrUpdateConsumer(STREAM,
                consumer("D").description("updated").maxDeliver(7).build());
            case LIMIT_MSGS -> jsm.updateStream(StreamConfig.builder(config).maxMsgs(4).build());
            case LIMIT_BYTES -> jsm.updateStream(StreamConfig.builder(config).maxBytes(200).build());
            case LIMIT_AGE ->
            {
                jsm.updateStream(StreamConfig.builder(config).maxAge(Duration.ofMinutes(1))
                    .duplicateWindow(Duration.ofSeconds(30)).build());
                clock.advance(Duration.ofMinutes(2));
            }
            default ->
            {
                // CREATE_STREAM, INTEREST_REMOVAL and WORK_QUEUE_REMOVAL: the set-up is the operation.
            }
        }
    }

    private static ConsumerConfig.Builder consumer(final String name)
    {
        return ConsumerConfig.builder().durableName(name).ackPolicy(AckPolicy.EXPLICIT);
    }

    /**
     * What must survive a restart, on one line: the stream's state and each consumer's position (not its waiting
     * pull requests, which belong to the process).
     */
    static String snapshot(final JetStreamManagement jsm)
    {
        return jsm.streamInfo(STREAM).state() + " " + jsm.consumers(STREAM).stream()
            .map(RestartScenario::position).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String position(final ConsumerInfo c)
    {
        return c.name() + "{config=" + c.config() + ", created=" + c.created() + ", delivered=" + c.delivered() +
            ", ackFloor=" + c.ackFloor() + ", pending=" + c.numPending() + ", ackPending=" + c.numAckPending() +
            ", redelivered=" + c.numRedelivered() + "}";
    }
}
