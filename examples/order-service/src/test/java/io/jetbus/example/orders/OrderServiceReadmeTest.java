package io.jetbus.example.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The README's "Testing your event-driven code" section shows this example's tests: each {@code ```java order-service}
 * block is a region between {@code // readme:NAME} and {@code // end} of {@link OrderServiceTest}, in the same
 * order, so the README shows code that compiles and passes. (bus-core's ReadmeTest checks every README block too.)
 */
class OrderServiceReadmeTest
{
    private static final Path README = Path.of("..", "..", "README.md");
    private static final Path TESTS = Path.of("src/test/java/io/jetbus/example/orders/OrderServiceTest.java");

    @Test
    void shouldShowTheExampleTestsVerbatimInTheReadme() throws IOException
    {
        final List<String> regions = new ArrayList<>();
        final Matcher region = Pattern.compile("// readme:\\w+\\n(.*?)\\n\\s*// end", Pattern.DOTALL)
            .matcher(Files.readString(TESTS));
        while (region.find())
        {
            regions.add(dedent(region.group(1)));
        }
        final List<String> blocks = new ArrayList<>();
        final Matcher block = Pattern.compile("```java order-service\\n(.*?)\\n```", Pattern.DOTALL)
            .matcher(Files.readString(README));
        while (block.find())
        {
            blocks.add(dedent(block.group(1)));
        }

        assertThat(regions).hasSize(6);
        assertThat(blocks).as("README blocks marked order-service").containsExactlyElementsOf(regions);
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
