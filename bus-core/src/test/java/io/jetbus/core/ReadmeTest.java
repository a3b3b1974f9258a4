package io.jetbus.core;

import io.jetbus.api.Connection;
import io.jetbus.api.Dispatcher;
import io.jetbus.api.Headers;
import io.jetbus.api.Message;
import io.jetbus.api.SlowConsumerPolicy;
import io.jetbus.api.Subscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's API tour, compiled and run. Each snippet sits between {@code // readme:NAME} and {@code // end}; the
 * last test checks that every Java block in the README appears verbatim here or in another test of the repository
 * (another module's {@code *ReadmeTest}, or the tests of {@code examples/order-service} that the testing section
 * shows), so the two cannot drift apart.
 */
@Timeout(30)
class ReadmeTest
{
    private static final Path README = Path.of("..", "README.md");

    @Test
    void pubSub() throws Exception
    {
        // readme:pubsub
        try (EmbeddedBus bus = EmbeddedBus.builder().build();
             Connection nc = bus.connect())
        {
            Subscription sub = nc.subscribe("sensors.*.temperature");
            nc.publish("sensors.1.temperature", "21.5".getBytes(UTF_8));

            Message m = sub.nextMessage(Duration.ofSeconds(1));
            System.out.println(m.subject() + " = " + new String(m.data(), UTF_8));
        }
        // end
    }

    @Test
    void dispatcherAndQueueGroup() throws Exception
    {
        try (EmbeddedBus bus = EmbeddedBus.builder().build(); Connection nc = bus.connect())
        {
            final AtomicInteger handled = new AtomicInteger();
            // readme:dispatcher
            Dispatcher workers = nc.createDispatcher(msg ->
            {
                handled.incrementAndGet();              // runs on the dispatcher's thread
                String task = new String(msg.data(), UTF_8);
            });
            workers.subscribe("tasks.process", "workers");  // queue group: one member gets each message
            workers.subscribe("tasks.process", "workers");

            for (int i = 0; i < 10; i++)
            {
                nc.publish("tasks.process", ("task " + i).getBytes(UTF_8));
            }
            nc.flush(Duration.ofSeconds(1));                 // every handler has run
            // end
            assertThat(handled).hasValue(10);
        }
    }

    @Test
    void requestReply() throws Exception
    {
        try (EmbeddedBus bus = EmbeddedBus.builder().build(); Connection nc = bus.connect())
        {
            // readme:request
            nc.createDispatcher(req -> nc.publish(req.replyTo(), "{\"name\":\"alice\"}".getBytes(UTF_8)))
                .subscribe("api.users.lookup");

            Message reply = nc.request("api.users.lookup", "{\"id\":42}".getBytes(UTF_8), Duration.ofSeconds(2))
                              .join();
            // end
            assertThat(new String(reply.data(), UTF_8)).isEqualTo("{\"name\":\"alice\"}");
        }
    }

    @Test
    void headersAndSlowConsumers() throws Exception
    {
        try (EmbeddedBus bus = EmbeddedBus.builder().build(); Connection nc = bus.connect())
        {
            // readme:headers
            Subscription audit = nc.subscribe("orders.>");
            audit.slowConsumerPolicy(SlowConsumerPolicy.block(Duration.ofMillis(100)));

            Headers headers = new Headers().add("Trace-Id", "4bf92f35").add("Tenant", "acme");
            nc.publish("orders.created", headers, "{\"order\":1}".getBytes(UTF_8));

            Message m = audit.nextMessage(Duration.ofSeconds(1));
            String trace = m.headers().first("Trace-Id");
            // end
            assertThat(trace).isEqualTo("4bf92f35");
        }
    }

    @Test
    void drain() throws Exception
    {
        EmbeddedBus bus = EmbeddedBus.builder().build();
        Connection nc = bus.connect();
        nc.createDispatcher(m -> { }).subscribe("events.>");
        // readme:drain
        boolean drained = nc.drain(Duration.ofSeconds(5)).get();  // stop taking, finish pending, close
        bus.close();
        // end
        assertThat(drained).isTrue();
    }

    @Test
    void shouldContainEveryReadmeSnippetVerbatim() throws IOException
    {
        final String readme = Files.readString(README);
        final List<String> regions = new ArrayList<>();
        for (final Path test : tests())
        {
            final Matcher region = Pattern.compile("// readme:\\w+\\n(.*?)\\n\\s*// end", Pattern.DOTALL)
                .matcher(Files.readString(test));
            while (region.find())
            {
                regions.add(dedent(region.group(1)));
            }
        }
        final Matcher block = Pattern.compile("```java[^\\n]*\\n(.*?)\\n```", Pattern.DOTALL).matcher(readme);
        int blocks = 0;
        while (block.find())
        {
            final String snippet = dedent(block.group(1));
            blocks++;
            assertThat(regions).as("README snippet must be compiled by a *ReadmeTest").contains(snippet);
        }
        assertThat(blocks).isGreaterThanOrEqualTo(regions.size());
    }

    /**
     * Every test source of the repository: this test, the README tests of the other modules (JetStream snippets need
     * the engine on the class path) and the example's tests. Only those with {@code // readme:} regions count.
     */
    private static List<Path> tests() throws IOException
    {
        final List<Path> tests = new ArrayList<>();
        Files.walkFileTree(Path.of(".."), new SimpleFileVisitor<>()
        {
            @Override
            public FileVisitResult preVisitDirectory(final Path dir, final BasicFileAttributes attributes)
            {
                final String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                return name.equals("target") || name.startsWith(".") && !name.equals("..") ?
                    FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attributes)
            {
                if (file.getFileName().toString().endsWith("Test.java"))
                {
                    tests.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return tests;
    }

    private static String dedent(final String text)
    {
        final String[] lines = text.split("\n", -1);
        int indent = Integer.MAX_VALUE;
        for (final String line : lines)
        {
            if (!line.isBlank())
            {
                indent = Math.min(indent, line.length() - line.stripLeading().length());
            }
        }
        final StringBuilder out = new StringBuilder();
        for (final String line : lines)
        {
            out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return out.toString().strip();
    }
}
