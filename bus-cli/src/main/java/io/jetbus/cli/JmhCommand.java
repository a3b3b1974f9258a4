package io.jetbus.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jetbus jmh [regex] [jmh options]}: runs the JMH suite, {@code bus-benchmarks/target/benchmarks.jar}, in a
 * child JVM with the flags Jetbus needs (each benchmark forks again with the flags its base class carries). The
 * {@code ./jetbus} launcher builds the jar first when it is missing or older than the sources.
 */
@Command(name = "jmh",
    description = {"Run the JMH benchmarks (bus-benchmarks/target/benchmarks.jar) with the JVM flags they need.",
        "Everything after `jmh` goes to JMH: a benchmark regex and options, e.g.",
        "  ./jetbus jmh 'PublishSubscribe|RingBufferBaseline.claim' -p payloadBytes=16 -prof gc",
        "  ./jetbus jmh -h    (JMH's own help)    ./jetbus jmh -l    (list the benchmarks)"})
final class JmhCommand implements Callable<Integer>
{
    /** The system property the launcher sets to the repository root. */
    static final String HOME_PROPERTY = "jetbus.home";

    @CommandLine.Unmatched
    private List<String> jmhArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception
    {
        final Path jar = benchmarksJar();
        if (!Files.isRegularFile(jar))
        {
            System.err.println("jetbus jmh: " + jar + " does not exist; run through ./jetbus (which builds it) or " +
                "build it with: mvn -B -DskipTests -pl bus-benchmarks -am package");
            return 1;
        }
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(jmhArgs);
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    static Path benchmarksJar()
    {
        final String home = System.getProperty(HOME_PROPERTY, ".");
        return Path.of(home, "bus-benchmarks", "target", "benchmarks.jar").toAbsolutePath().normalize();
    }

    /** The module and Chronicle flags this JVM was started with, so that {@code -f 0} runs work too. */
    static List<String> jvmFlags()
    {
        final List<String> flags = new ArrayList<>();
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-exports") || arg.startsWith("--add-opens") || arg.startsWith("-Dchronicle."))
            {
                flags.add(arg);
            }
        }
        return flags;
    }
}
