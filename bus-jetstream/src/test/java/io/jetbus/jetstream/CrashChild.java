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

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeoutException;

/**
 * The process {@link CrashTest} kills: publishes from 4 threads into a FILE stream and acks, naks and terms from two
 * durable pull consumers, printing a line for each publish that returned a {@link PubAck} and for each
 * acknowledgement that returned, until it is killed with SIGKILL.
 *
 * <p>Lines: {@code ACK seq publisher k}, {@code GOT consumer seq}, {@code ACKED consumer seq},
 * {@code TERMED consumer seq}, to a {@link ChildReport}. A line is printed only after the call it reports returned.
 */
final class CrashChild
{
    static final String STREAM = "CRASH";
    static final int PUBLISHERS = 4;
    static final Duration ACK_WAIT = Duration.ofSeconds(30);

    private CrashChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[0]);
        final long seed = Long.parseLong(args[1]);
        final FlushPolicy flush = "always".equals(args[2]) ? FlushPolicy.everyPublish() : FlushPolicy.none();
        final ChildReport out = new ChildReport(Path.of(args[3]));

        final EmbeddedBus bus = EmbeddedBus.builder().storageDir(dir).build();
        final Connection nc = bus.connect();
        final JetStreamManagement jsm = nc.jetStreamManagement();
        jsm.addStream(StreamConfig.builder().name(STREAM).subjects("crash.>").storage(StorageType.FILE)
            .flushPolicy(flush).build());
        jsm.addOrUpdateConsumer(STREAM, consumer("ACKER"));
        jsm.addOrUpdateConsumer(STREAM, consumer("MIXED"));
        final JetStream js = nc.jetStream();

        for (int p = 0; p < PUBLISHERS; p++)
        {
            final int publisher = p;
            final Thread thread = new Thread(() ->
            {
                for (long k = 0; ; k++)
                {
                    final PubAck ack = js.publish("crash." + publisher, payload(publisher, k));
                    out.println("ACK " + ack.seq() + " " + publisher + " " + k);
                }
            }, "publisher-" + p);
            thread.start();
        }
        startConsumer(js.bind(STREAM, "ACKER"), out, new SplittableRandom(seed), false);
        startConsumer(js.bind(STREAM, "MIXED"), out, new SplittableRandom(seed + 1), true);
    }

    static ConsumerConfig consumer(final String name)
    {
        return ConsumerConfig.builder().durableName(name).ackPolicy(AckPolicy.EXPLICIT).ackWait(ACK_WAIT)
            .maxAckPending(100_000).build();
    }

    /** {@code p:k:} then filler derived from (p, k), 48 bytes in all, so a damaged payload cannot pass as another. */
    static byte[] payload(final int publisher, final long k)
    {
        final StringBuilder text = new StringBuilder(48).append(publisher).append(':').append(k).append(':');
        long x = publisher * 1_000_003L + k;
        while (text.length() < 48)
        {
            x = x * 6364136223846793005L + 1442695040888963407L;
            text.append((char) ('a' + (int) ((x >>> 33) % 26)));
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void startConsumer(
        final PullSubscription sub, final ChildReport out, final SplittableRandom random, final boolean mixed)
    {
        final Thread thread = new Thread(() ->
        {
            try
            {
                while (true)
                {
                    final List<Message> batch = sub.fetch(64, Duration.ofMillis(100));
                    for (final Message m : batch)
                    {
                        final long seq = m.metaData().streamSeq();
                        out.println("GOT " + sub.consumerName() + " " + seq);
                        final int roll = random.nextInt(10);
                        if (roll == 0)
                        {
                            continue;
                        }
                        if (mixed && roll == 1)
                        {
                            m.nak();
                        }
                        else if (mixed && roll == 2)
                        {
                            m.term();
                            out.println("TERMED " + sub.consumerName() + " " + seq);
                        }
                        else
                        {
                            m.ackSync(Duration.ofSeconds(10));
                            out.println("ACKED " + sub.consumerName() + " " + seq);
                        }
                    }
                }
            }
            catch (final InterruptedException | TimeoutException e)
            {
                e.printStackTrace();
                System.exit(3);
            }
        }, "consumer-" + sub.consumerName());
        thread.start();
    }
}
