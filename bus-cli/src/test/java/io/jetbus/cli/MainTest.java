package io.jetbus.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

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
            .contains("2,000,000 messages in");
    }

    @Test
    void shouldPrintHelpForEveryCommand()
    {
        assertThat(Main.run("--help")).isZero();
        assertThat(Main.run("demo", "--help")).isZero();
        assertThat(captured.toString(UTF_8)).contains("Usage: jetbus", "Usage: jetbus demo");
    }
}
