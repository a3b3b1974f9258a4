package io.jetbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;

class AbstractBenchmarkTest
{
    private static final List<String> CHRONICLE_PROPERTIES = List.of(
        "-Dchronicle.analytics.disable=true",
        "-Dchronicle.announcer.disable=true",
        "-Dchronicle.disk.monitor.disable=true");

    @Test
    void shouldPrependTheParentPomJvmFlagsAndTheChronicleProperties()
    {
        final String pomFlags = System.getProperty("jetbus.jvmFlags");
        assertThat(pomFlags).as("surefire passes the parent POM property jetbus.jvmFlags").isNotBlank();
        final List<String> expected = new ArrayList<>(List.of(pomFlags.trim().split("\\s+")));
        expected.addAll(CHRONICLE_PROPERTIES);

        assertThat(AbstractBenchmark.class.getAnnotation(Fork.class).jvmArgsPrepend())
            .containsExactlyElementsOf(expected);
    }

    @Test
    void shouldForkEveryGeneratedBenchmarkOnceWithTheBaseClassFlagsWhenItExtendsTheBaseClass()
        throws IOException, ClassNotFoundException
    {
        final Fork fork = AbstractBenchmark.class.getAnnotation(Fork.class);
        final List<BenchmarkListEntry> entries = generatedBenchmarks();
        assertThat(entries).isNotEmpty();

        for (final BenchmarkListEntry entry : entries)
        {
            final Class<?> benchmarkClass = Class.forName(entry.getUserClassQName());
            assertThat(AbstractBenchmark.class.isAssignableFrom(benchmarkClass))
                .as("%s extends AbstractBenchmark", benchmarkClass.getName()).isTrue();
            assertThat(benchmarkClass.getDeclaredAnnotation(Fork.class))
                .as("%s must not redeclare @Fork", benchmarkClass.getName()).isNull();
            assertThat(entry.getForks().orElse(-1)).as(entry.getUsername()).isEqualTo(1);
            final Collection<String> prepend = entry.getJvmArgsPrepend().orElse(List.of());
            assertThat(prepend).as(entry.getUsername()).containsExactly(fork.jvmArgsPrepend());
        }
    }

    private static List<BenchmarkListEntry> generatedBenchmarks() throws IOException
    {
        try (InputStream in = AbstractBenchmarkTest.class.getResourceAsStream(BenchmarkList.BENCHMARK_LIST))
        {
            assertThat(in).as("JMH annotation processor output %s", BenchmarkList.BENCHMARK_LIST).isNotNull();
            return BenchmarkList.readBenchmarkList(in);
        }
    }
}
