package io.jetbus.test;

import io.jetbus.api.Connection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Testing your event-driven code" snippets: each {@code ```java bus-test} block must appear verbatim
 * between {@code // readme:NAME} and {@code // end} in this file, where it is compiled and run (the snippet classes
 * follow this one and run as tests of their own). Plain {@code ```java} blocks are bus-core's ReadmeTest's.
 */
class ReadmeTest
{
    private static final Path README = Path.of("..", "README.md");
    private static final Path SOURCE = Path.of("src/test/java/io/jetbus/test/ReadmeTest.java");

    @Test
    void shouldContainEveryTestKitSnippetVerbatim() throws IOException
    {
        final String readme = Files.readString(README);
        final String source = Files.readString(SOURCE);
        final List<String> regions = new ArrayList<>();
        final Matcher region = Pattern.compile("// readme:\\w+\\n(.*?)\\n\\s*// end", Pattern.DOTALL).matcher(source);
        while (region.find())
        {
            regions.add(dedent(region.group(1)));
        }
        final Matcher block = Pattern.compile("```java bus-test\\n(.*?)\\n```", Pattern.DOTALL).matcher(readme);
        int blocks = 0;
        while (block.find())
        {
            blocks++;
            assertThat(regions).as("README snippet must be compiled by bus-test's ReadmeTest")
                .contains(dedent(block.group(1)));
        }
        assertThat(blocks).isEqualTo(regions.size()).isPositive();
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

// readme:timeout
@JetbusTest
class PaymentTimeoutTest
{
    @Test
    void shouldCancelTheOrderWhenPaymentTimesOut(JetbusKit kit, Connection nc)
    {
        ResponderStub payments = kit.respond("payments.charge").with(request -> null);  // never replies
        MessageRecorder cancelled = kit.record("orders.cancelled");

        nc.request("payments.charge", "{\"order\":7}".getBytes(UTF_8), Duration.ofSeconds(30))
            .exceptionally(timeout ->
            {
                nc.publish("orders.cancelled", "7".getBytes(UTF_8));
                return null;
            });

        kit.advance(Duration.ofSeconds(30));    // fires the timeout now, then waits for every handler
        assertThat(payments.requests()).hasSize(1);
        cancelled.assertCount(1);
    }
}
// end
