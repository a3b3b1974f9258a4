package io.jetbus.cli;

import io.jetbus.api.Connection;
import io.jetbus.api.Dispatcher;
import io.jetbus.api.Message;
import io.jetbus.api.jetstream.AckPolicy;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.ConsumerInfo;
import io.jetbus.api.jetstream.JetStream;
import io.jetbus.api.jetstream.JetStreamManagement;
import io.jetbus.api.jetstream.PubAck;
import io.jetbus.api.jetstream.PublishOptions;
import io.jetbus.api.jetstream.PullSubscription;
import io.jetbus.api.jetstream.StorageType;
import io.jetbus.api.jetstream.StreamConfig;
import io.jetbus.api.jetstream.StreamState;
import io.jetbus.core.EmbeddedBus;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * {@code jetbus demo}: the core patterns on an embedded bus, printed as they happen.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Walk through publish-subscribe, wildcards, queue groups, request-reply and a durable stream on " +
        "an embedded bus.")
final class DemoCommand implements Runnable
{
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final PrintStream out = System.out;

    @Override
    public void run()
    {
        try (EmbeddedBus bus = EmbeddedBus.builder().build(); Connection nc = bus.connect("demo"))
        {
            out.println("Jetbus demo: an in-process message bus with NATS semantics, no broker to run.");
            out.println();
            publishSubscribe(nc);
            queueGroup(bus);
            requestReply(nc);
            throughput(nc);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("demo failed: " + ex, ex);
        }
        try
        {
            orders(Files.createTempDirectory("jetbus-demo-"));
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("demo failed: " + ex, ex);
        }
    }

    /** A durable stream on disk: publish, ack, nak, redeliver after the ack wait, then restart and resume. */
    private void orders(final Path dir) throws Exception
    {
        out.println();
        out.println("5. JetStream: an ORDERS stream on disk in " + dir);
        final ConsumerConfig fulfilment = ConsumerConfig.builder().durableName("fulfilment")
            .ackPolicy(AckPolicy.EXPLICIT).ackWait(Duration.ofMillis(500)).build();
        try (EmbeddedBus bus = EmbeddedBus.builder().storageDir(dir).build(); Connection nc = bus.connect("orders"))
        {
            final JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfig.builder().name("ORDERS").subjects("orders.>").storage(StorageType.FILE)
                .build());
            jsm.addOrUpdateConsumer("ORDERS", fulfilment);
            final JetStream js = nc.jetStream();
            for (int i = 1; i <= 5; i++)
            {
                final PubAck ack = js.publish("orders.created", null, order(i),
                    PublishOptions.builder().messageId("order-" + i).build());
                out.printf("   published order %d -> ORDERS seq %d%n", i, ack.seq());
            }
            final PubAck again = js.publish("orders.created", null, order(5),
                PublishOptions.builder().messageId("order-5").build());
            out.printf("   published order 5 again with the same Nats-Msg-Id -> seq %d, duplicate=%b%n",
                again.seq(), again.duplicate());

            final PullSubscription sub = js.bind("ORDERS", "fulfilment");
            for (final Message m : sub.fetch(5, TIMEOUT))
            {
                final long seq = m.metaData().streamSeq();
                switch ((int) seq)
                {
                    case 4 ->
                    {
                        m.nak();
                        out.printf("   fulfilment got seq %d: nak, it comes back at once%n", seq);
                    }
                    case 5 -> out.printf("   fulfilment got seq %d: no ack, it comes back after the 500 ms ack wait%n",
                        seq);
                    default ->
                    {
                        m.ackSync(TIMEOUT);
                        out.printf("   fulfilment got seq %d: ack%n", seq);
                    }
                }
            }
            int redelivered = 0;
            while (redelivered < 2)
            {
                for (final Message m : sub.fetch(2 - redelivered, TIMEOUT))
                {
                    m.ackSync(TIMEOUT);
                    redelivered++;
                    out.printf("   fulfilment got seq %d again (delivery %d): ack%n", m.metaData().streamSeq(),
                        m.metaData().deliveredCount());
                }
            }
            js.publish("orders.created", order(6));
            js.publish("orders.created", order(7));
            final Message six = sub.next(TIMEOUT);
            six.ackSync(TIMEOUT);
            out.printf("   published orders 6 and 7; fulfilment acked seq %d, then the bus closes%n",
                six.metaData().streamSeq());
        }
        try (EmbeddedBus bus = EmbeddedBus.builder().storageDir(dir).build(); Connection nc = bus.connect("orders"))
        {
            final JetStreamManagement jsm = nc.jetStreamManagement();
            final StreamState state = jsm.streamInfo("ORDERS").state();
            final ConsumerInfo info = jsm.consumerInfo("ORDERS", "fulfilment");
            out.printf("   reopened from disk: ORDERS has %d messages (seq %d..%d); fulfilment's ack floor is %d, " +
                "%d pending%n", state.msgs(), state.firstSeq(), state.lastSeq(), info.ackFloor().streamSeq(),
                info.numPending());
            final Message resumed = nc.jetStream().bind("ORDERS", "fulfilment").next(TIMEOUT);
            resumed.ackSync(TIMEOUT);
            out.printf("   fulfilment resumes with seq %d: %s%n", resumed.metaData().streamSeq(),
                new String(resumed.data(), UTF_8));
        }
        finally
        {
            CliFiles.deleteRecursively(dir);
        }
    }

    private static byte[] order(final int id)
    {
        return ("{\"order\":" + id + ",\"item\":\"widget\",\"qty\":" + id + "}").getBytes(UTF_8);
    }

    private void publishSubscribe(final Connection nc) throws Exception
    {
        out.println("1. Publish-subscribe with wildcards");
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        final Dispatcher dispatcher = nc.createDispatcher();
        for (final String pattern : new String[] {"sensors.*.temperature", "sensors.>"})
        {
            counts.put(pattern, new AtomicInteger());
            dispatcher.subscribe(pattern, m ->
            {
                counts.get(pattern).incrementAndGet();
                out.printf("   %-22s got %-26s %s%n", pattern, m.subject(), new String(m.data(), UTF_8));
            });
        }
        final String[][] readings = {
            {"sensors.1.temperature", "21.5 C"}, {"sensors.2.temperature", "19.0 C"},
            {"sensors.2.humidity", "41 %"}, {"sensors.3.temperature", "22.1 C"}};
        for (final String[] reading : readings)
        {
            nc.publish(reading[0], reading[1].getBytes(UTF_8));
            nc.flush(TIMEOUT);
        }
        out.printf("   sensors.*.temperature received %d messages, sensors.> received %d%n%n",
            counts.get("sensors.*.temperature").get(), counts.get("sensors.>").get());
        dispatcher.close();
    }

    private void queueGroup(final EmbeddedBus bus) throws Exception
    {
        final int tasks = 300;
        out.println("2. Queue group: three workers share \"tasks.process\" (group \"workers\")");
        final Map<String, AtomicInteger> perWorker = new TreeMap<>();
        final CountDownLatch done = new CountDownLatch(tasks);
        for (int i = 1; i <= 3; i++)
        {
            final String worker = "worker-" + i;
            final AtomicInteger count = new AtomicInteger();
            perWorker.put(worker, count);
            bus.connect(worker).createDispatcher(m ->
            {
                count.incrementAndGet();
                done.countDown();
            }).subscribe("tasks.process", "workers");
        }
        final Connection producer = bus.connect("producer");
        for (int i = 0; i < tasks; i++)
        {
            producer.publish("tasks.process", ("task " + i).getBytes(UTF_8));
        }
        if (!done.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
        {
            throw new IllegalStateException("workers did not get every task");
        }
        perWorker.forEach((worker, count) -> out.printf("   %s processed %d tasks%n", worker, count.get()));
        out.printf("   %d tasks, each processed exactly once%n%n", tasks);
    }

    private void requestReply(final Connection nc) throws Exception
    {
        out.println("3. Request-reply: a lookup service on \"api.users.lookup\"");
        nc.createDispatcher(m -> nc.publish(m.replyTo(),
            ("{\"id\":" + new String(m.data(), UTF_8) + ",\"name\":\"alice\"}").getBytes(UTF_8)))
            .subscribe("api.users.lookup");
        final long startNs = System.nanoTime();
        final Message reply = nc.request("api.users.lookup", "42".getBytes(UTF_8), TIMEOUT).get();
        final long firstNs = System.nanoTime() - startNs;
        out.printf("   request 42 -> %s (first round trip %.1f us)%n", new String(reply.data(), UTF_8), firstNs / 1e3);
        final int rounds = 10_000;
        final long[] rttNs = new long[rounds];
        for (int i = 0; i < rounds; i++)
        {
            final long t0 = System.nanoTime();
            nc.request("api.users.lookup", "42".getBytes(UTF_8), TIMEOUT).get();
            rttNs[i] = System.nanoTime() - t0;
        }
        Arrays.sort(rttNs);
        out.printf("   %,d more round trips: p50 %.1f us, p99 %.1f us%n%n", rounds, rttNs[rounds / 2] / 1e3,
            rttNs[rounds * 99 / 100] / 1e3);
    }

    private void throughput(final Connection nc) throws Exception
    {
        final int messages = 2_000_000;
        out.println("4. Throughput: one publisher, one asynchronous subscriber, 16-byte messages");
        final AtomicLong received = new AtomicLong();
        final Dispatcher dispatcher = nc.createDispatcher(m -> received.incrementAndGet());
        dispatcher.subscribe("bench.demo");
        final byte[] payload = new byte[16];
        final long startNs = System.nanoTime();
        for (int i = 0; i < messages; i++)
        {
            nc.publish("bench.demo", payload);
        }
        nc.flush(Duration.ofSeconds(60));
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        out.printf("   %,d messages in %.2f s: %,.0f msgs/s (%d received, %d dropped)%n", messages, seconds,
            messages / seconds, received.get(), dispatcher.isActive() ? messages - received.get() : 0);
        out.println("   (a rough single-run figure; `jetbus bench` and the JMH suite measure properly)");
    }
}
