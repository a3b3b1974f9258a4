package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.Message;
import io.jetbus.api.jetstream.AckPolicy;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.FlushPolicy;
import io.jetbus.api.jetstream.JetStream;
import io.jetbus.api.jetstream.JetStreamManagement;
import io.jetbus.api.jetstream.PubAck;
import io.jetbus.api.jetstream.PullSubscription;
import io.jetbus.api.jetstream.StorageType;
import io.jetbus.api.jetstream.StreamConfig;
import io.jetbus.core.EmbeddedBus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The process {@link PowerLossTest} kills: one thread publishes into a FILE stream with the flush policy it is given
 * and one durable pull consumer acks most messages with {@code ackSync}, until it is killed with SIGKILL.
 *
 * <p>Lines: {@code ACK seq k} after a publish returned its PubAck (the payload is {@code CrashChild.payload(0, k)}),
 * {@code ACKED seq} after an {@code ackSync} returned (the consumer's log is forced then), and {@code SYNC seq} when
 * the store starts a sync ({@link FileStoreConfig#defaultBeforeSync}): every record up to {@code seq} was appended
 * before the sync began, so it is on the device once that sync ends, which is known when the next {@code SYNC} line
 * appears (syncs are serialised). Each line is one {@code write} to the report file (it survives the kill in the page
 * cache), then to standard output, which only paces the kill (see {@link CrashChild}).
 */
final class PowerLossChild
{
    static final String STREAM = "POWER";
    static final String CONSUMER = "C";
    static final String SUBJECT = "power.p";
    static final Duration INTERVAL = Duration.ofMillis(20);
    static final Duration ACK_WAIT = Duration.ofSeconds(30);

    private PowerLossChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[0]);
        final FlushPolicy flush = flushPolicy(args[1]);
        final SplittableRandom random = new SplittableRandom(Long.parseLong(args[2]));
        final ChildReport out = new ChildReport(Path.of(args[3]));

        final AtomicReference<FileStreamStore> store = new AtomicReference<>();
        FileStoreConfig.defaultBeforeSync = () ->
        {
            final FileStreamStore s = store.get();
            if (s != null)
            {
                // a racy read of the store's last sequence is conservative: any value seen was appended before now
                out.println("SYNC " + s.lastSeq);
            }
        };
        final EmbeddedBus bus = EmbeddedBus.builder().storageDir(dir).build();
        final Connection nc = bus.connect();
        final JetStreamManagement jsm = nc.jetStreamManagement();
        jsm.addStream(StreamConfig.builder().name(STREAM).subjects("power.>").storage(StorageType.FILE)
            .flushPolicy(flush).build());
        jsm.addOrUpdateConsumer(STREAM, ConsumerConfig.builder().durableName(CONSUMER).ackPolicy(AckPolicy.EXPLICIT)
            .ackWait(ACK_WAIT).maxAckPending(1_000_000).build());
        store.set((FileStreamStore)((ConnectionManagement)jsm).engine().stream(STREAM).store());
        final JetStream js = nc.jetStream();

        final Thread publisher = new Thread(() ->
        {
            for (long k = 0; ; k++)
            {
                final PubAck ack = js.publish(SUBJECT, CrashChild.payload(0, k));
                out.println("ACK " + ack.seq() + " " + k);
            }
        }, "publisher");
        publisher.start();
        final PullSubscription sub = js.bind(STREAM, CONSUMER);
        while (true)
        {
            final List<Message> batch = sub.fetch(64, Duration.ofMillis(100));
            for (final Message m : batch)
            {
                if (random.nextInt(5) != 0) // one in five stays pending
                {
                    m.ackSync(Duration.ofSeconds(10));
                    out.println("ACKED " + m.metaData().streamSeq());
                }
            }
        }
    }

    static FlushPolicy flushPolicy(final String name)
    {
        return switch (name)
        {
            case "every" -> FlushPolicy.everyPublish();
            case "interval" -> FlushPolicy.interval(INTERVAL);
            case "none" -> FlushPolicy.none();
            default -> throw new IllegalArgumentException("unknown flush policy " + name);
        };
    }
}
