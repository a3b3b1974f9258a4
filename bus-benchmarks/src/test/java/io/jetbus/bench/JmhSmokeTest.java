package io.jetbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * CI smoke run, so that the benchmarks cannot rot: one Jetbus benchmark through the JMH runner, in a real fork that
 * gets the flags of {@link AbstractBenchmark}'s {@code @Fork}, one short warmup and measurement iteration, failing on
 * any benchmark error. About ten seconds.
 */
@Timeout(120)
class JmhSmokeTest
{
    @Test
    void shouldRunPublishSubscribeBenchmarkInAForkAndReceiveMessages() throws Exception
    {
        final Path output = Files.createDirectories(Path.of("target")).resolve("jmh-smoke.txt");
        final Options options = new OptionsBuilder()
            .include(PublishSubscribeBenchmark.class.getName() + ".publishBytes")
            .param("payloadBytes", "16")
            .param("idle", "DEFAULT")
            .forks(1)
            .warmupIterations(1)
            .warmupTime(TimeValue.milliseconds(500))
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(500))
            .shouldFailOnError(true)
            .output(output.toString())
            .build();

        final Collection<RunResult> results = new Runner(options).run();

        assertThat(results).hasSize(1);
        final RunResult result = results.iterator().next();
        assertThat(result.getParams().getJvmArgs()).as("the fork carries the base class's flags")
            .contains("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
        final Result<?> received = result.getSecondaryResults().get("received");
        assertThat(received).as("secondary result 'received' in %s", output).isNotNull();
        assertThat(received.getScore()).isPositive();
    }
}
