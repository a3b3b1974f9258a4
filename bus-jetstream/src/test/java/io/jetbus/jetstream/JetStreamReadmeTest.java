package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.Dispatcher;
import io.jetbus.api.Message;
import io.jetbus.api.jetstream.AckPolicy;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.ConsumerInfo;
import io.jetbus.api.jetstream.DeliverPolicy;
import io.jetbus.api.jetstream.JetStream;
import io.jetbus.api.jetstream.JetStreamManagement;
import io.jetbus.api.jetstream.PubAck;
import io.jetbus.api.jetstream.PublishOptions;
import io.jetbus.api.jetstream.PullSubscription;
import io.jetbus.api.jetstream.StorageType;
import io.jetbus.api.jetstream.StreamConfig;
import io.jetbus.core.EmbeddedBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's JetStream section, compiled and run: each snippet sits between {@code // readme:NAME} and
 * {@code // end}, and bus-core's {@code ReadmeTest} checks that every README Java block appears in some README test.
 */
@Timeout(30)
class JetStreamReadmeTest
{
    @TempDir
    Path dataDir;

    @Test
    void shouldRunTheJetStreamSnippets() throws Exception
    {
        final List<String> processed = new CopyOnWriteArrayList<>();
        final BlockingQueue<String> audited = new LinkedBlockingQueue<>();
        // readme:stream
        try (EmbeddedBus bus = EmbeddedBus.builder().storageDir(dataDir).build(); Connection nc = bus.connect())
        {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfig.builder()
                .name("ORDERS")
                .subjects("orders.>")
                .storage(StorageType.FILE)
                .maxAge(Duration.ofDays(7))
                .build());

            JetStream js = nc.jetStream();
            PubAck ack = js.publish("orders.created", "{\"id\":1}".getBytes(UTF_8));
            PubAck again = js.publish("orders.created", null, "{\"id\":2}".getBytes(UTF_8),
                PublishOptions.builder().messageId("order-2").expectedLastSequence(ack.seq()).build());
            nc.publish("orders.shipped", "{\"id\":1}".getBytes(UTF_8)); // a core publish is captured too
            // end
            assertThat(ack.seq()).isEqualTo(1);
            assertThat(again.seq()).isEqualTo(2);
            assertThat(jsm.streamInfo("ORDERS").state().msgs()).isEqualTo(3);

            // readme:pull
            PullSubscription worker = js.pullSubscribe("ORDERS", ConsumerConfig.builder()
                .durableName("fulfilment")
                .filterSubject("orders.created")
                .ackPolicy(AckPolicy.EXPLICIT)
                .ackWait(Duration.ofSeconds(30))
                .maxDeliver(5)
                .build());
            for (Message m : worker.fetch(100, Duration.ofSeconds(1)))
            {
                processed.add(new String(m.data(), UTF_8));
                m.ack(); // or nak(), nakWithDelay(d), inProgress(), term()
            }
            ConsumerInfo info = jsm.consumerInfo("ORDERS", "fulfilment");
            // end
            assertThat(processed).containsExactly("{\"id\":1}", "{\"id\":2}");
            assertThat(info.numPending()).isZero();

            // readme:push
            Dispatcher dispatcher = nc.createDispatcher();
            js.pushSubscribe("ORDERS", ConsumerConfig.builder()
                .deliverPolicy(DeliverPolicy.ALL)
                .ackPolicy(AckPolicy.EXPLICIT)
                .build(), dispatcher, m ->
                {
                    audited.add(m.subject() + " #" + m.metaData().streamSeq());
                    m.ack();
                });
            // end
            final List<String> got = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                got.add(audited.poll(10, TimeUnit.SECONDS));
            }
            assertThat(got).containsExactly("orders.created #1", "orders.created #2", "orders.shipped #3");
        }
    }
}
