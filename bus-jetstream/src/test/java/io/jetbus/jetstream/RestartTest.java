package io.jetbus.jetstream;

import io.jetbus.api.Connection;
import io.jetbus.api.jetstream.JetStreamManagement;
import io.jetbus.api.jetstream.PubAck;
import io.jetbus.core.EmbeddedBus;
import io.jetbus.core.JvmFlags;
import io.jetbus.core.ManualTimeSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * R3 and R22 of the reliability test plan: after each operation, a clean close or a kill -9 and a reopen give back
 * the same stream state and consumer positions; the next publish continues the sequence.
 */
@Timeout(60)
class RestartTest
{
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(RestartScenario.class)
    void shouldComeBackTheSameAfterClose(final RestartScenario scenario) throws Exception
    {
        final ManualTimeSource clock = new ManualTimeSource();
        final String before;
        try (EmbeddedBus bus = EmbeddedBus.builder().storageDir(dir).timeSource(clock).build())
        {
            final Connection nc = bus.connect();
            scenario.run(nc, clock);
            before = RestartScenario.snapshot(nc.jetStreamManagement());
        }
        assertSameAfterReopen(before, clock);
    }

    @ParameterizedTest
    @EnumSource(RestartScenario.class)
    void shouldComeBackTheSameAfterKill(final RestartScenario scenario) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JvmFlags.ALL);
        command.add("-Dchronicle.analytics.disable=true");
        command.add("-Xmx128m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RestartChild.class.getName());
        command.add(dir.toString());
        command.add(scenario.name());
        final Path err = Files.createTempFile("restart-child", ".err");
        final Process child = new ProcessBuilder(command).redirectError(err.toFile()).start();
        final String before;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            final String line = in.readLine();
            assertThat(line).as("child output; stderr: %s", Files.readString(err)).startsWith("SNAPSHOT ");
            before = line.substring("SNAPSHOT ".length());
        }
        finally
        {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Files.delete(err);
        }
        assertSameAfterReopen(before, new ManualTimeSource());
    }

    private void assertSameAfterReopen(final String before, final ManualTimeSource clock)
    {
        try (EmbeddedBus bus = EmbeddedBus.builder().storageDir(dir).timeSource(clock).build())
        {
            final Connection nc = bus.connect();
            final JetStreamManagement jsm = nc.jetStreamManagement();
            assertThat(RestartScenario.snapshot(jsm)).isEqualTo(before);
            final long lastSeq = jsm.streamInfo(RestartScenario.STREAM).state().lastSeq();
            final PubAck next = nc.jetStream().publish("r.c", new byte[] {1});
            assertThat(next.seq()).as("the sequence continues").isEqualTo(lastSeq + 1);
        }
    }
}
