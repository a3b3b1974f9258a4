package io.jetbus.cli;

import io.jetbus.api.Connection;
import io.jetbus.api.Headers;
import io.jetbus.api.jetstream.ConsumerConfig;
import io.jetbus.api.jetstream.JetStreamManagement;
import io.jetbus.api.jetstream.StorageType;
import io.jetbus.api.jetstream.StreamConfig;
import io.jetbus.core.EmbeddedBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(120)
class MainTest
{
    private final PrintStream originalOut = System.out;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    @BeforeEach
    void capture()
    {
        System.setOut(new PrintStream(captured, true, UTF_8));
    }

    @AfterEach
    void restore()
    {
        System.setOut(originalOut);
    }

    @Test
    void shouldRunDemoThroughEveryCorePattern()
    {
        assertThat(Main.run("demo")).isZero();
        final String out = captured.toString(UTF_8);
        assertThat(out)
            .contains("sensors.*.temperature received 3 messages, sensors.> received 4")
            .contains("worker-1 processed 100 tasks", "worker-2 processed 100 tasks", "worker-3 processed 100 tasks")
            .contains("request 42 -> {\"id\":42,\"name\":\"alice\"}")
            .contains("2,000,000 messages in")
            .contains("published order 5 again with the same Nats-Msg-Id -> seq 5, duplicate=true")
            .contains("fulfilment got seq 4: nak", "fulfilment got seq 4 again (delivery 2): ack")
            .contains("fulfilment got seq 5 again (delivery 2): ack")
            .contains("reopened from disk: ORDERS has 7 messages (seq 1..7); fulfilment's ack floor is 6, 1 pending")
            .contains("fulfilment resumes with seq 7");
    }

    @Test
    void shouldInspectStreamsOnDisk(@TempDir final Path dir) throws Exception
    {
        try (EmbeddedBus bus = EmbeddedBus.builder().storageDir(dir).build(); Connection nc = bus.connect())
        {
            final JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfig.builder().name("ORDERS").subjects("orders.>").storage(StorageType.FILE)
                .build());
            jsm.addStream(StreamConfig.builder().name("EMPTY").subjects("empty").storage(StorageType.FILE).build());
            jsm.addOrUpdateConsumer("ORDERS", ConsumerConfig.builder().durableName("billing").build());
            nc.jetStream().publish("orders.created", new Headers().add("Order-Id", "1"), bytes("{\"order\":1}"));
            nc.jetStream().publish("orders.shipped", new byte[] {0, 1, 2, (byte) 0xff});
            nc.jetStream().publish("orders.created", bytes("third"));
            jsm.deleteMessage("ORDERS", 3);
        }

        assertThat(Main.run("stream", "ls", dir.toString())).isZero();
        assertThat(Main.run("stream", "info", dir.toString(), "ORDERS")).isZero();
        assertThat(Main.run("stream", "view", dir.toString(), "ORDERS")).isZero();
        assertThat(Main.run("stream", "view", dir.toString(), "ORDERS", "--from", "2", "-n", "1")).isZero();

        final String out = captured.toString(UTF_8);
        assertThat(out).containsPattern("ORDERS +FILE +LIMITS +2 +\\d+ +1 +3  orders\\.>")
            .containsPattern("EMPTY +FILE +LIMITS +0 +0 +[01] +0  empty")
            .contains("messages: 2", "1 deleted", "billing", "ack floor 0, 2 pending")
            .contains("[1] ", "orders.created", "headers: ", "Order-Id", "{\"order\":1}")
            .contains("[2] ", "orders.shipped (4 bytes)", "0001 02ff")
            .doesNotContain("[3] ");
    }

    @Test
    void shouldRunAShortSoak()
    {
        assertThat(Main.run("soak", "--duration", "2s", "--sample", "1s", "--rate", "2000")).isZero();
        assertThat(captured.toString(UTF_8)).contains("heap MiB", "soak passed: ")
            .containsPattern("soak passed: [\\d,]+ published, [\\d,]+ consumed in order with no gap");
    }

    @Test
    void shouldFailClearlyOnAMissingDirectory(@TempDir final Path dir)
    {
        final ByteArrayOutputStream errors = new ByteArrayOutputStream();
        final PrintStream originalErr = System.err;
        System.setErr(new PrintStream(errors, true, UTF_8));
        try
        {
            assertThat(Main.run("stream", "ls", dir.resolve("missing").toString())).isNotZero();
        }
        finally
        {
            System.setErr(originalErr);
        }
        assertThat(errors.toString(UTF_8)).contains("no storage directory at " + dir.resolve("missing"));
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(UTF_8);
    }

    @Test
    void shouldPrintHelpForEveryCommand()
    {
        assertThat(Main.run("--help")).isZero();
        assertThat(Main.run("demo", "--help")).isZero();
        assertThat(Main.run("stream", "view", "--help")).isZero();
        assertThat(captured.toString(UTF_8))
            .contains("Usage: jetbus", "Usage: jetbus demo", "Usage: jetbus stream view");
    }
}
