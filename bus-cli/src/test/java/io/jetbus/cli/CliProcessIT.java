package io.jetbus.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * R19c and R24 of the reliability test plan: the shaded jar, run as a user runs it ({@code java -jar}, no JVM flags
 * on the command line, no JUnit on the class path, a fresh home directory), works, and Chronicle's usage analytics
 * leave no trace: no file, no thread, no log line.
 */
@Timeout(120)
class CliProcessIT
{
    @TempDir
    Path home;

    @Test
    void shouldRunTheDemoWithPlainJavaJarAndNoAnalytics() throws Exception
    {
        final Run run = jetbus("demo");

        assertThat(run.exitCode).as("exit code; output:%n%s", run.output).isZero();
        assertThat(run.output).contains("ORDERS").doesNotContainIgnoringCase("usage statistics")
            .doesNotContain("Exception");
        assertThat(run.output.lines().filter(line -> line.startsWith("thread: ")))
            .as("threads at exit").isNotEmpty().noneMatch(line -> line.toLowerCase().contains("analytics"));
        try (Stream<Path> files = Files.walk(home))
        {
            assertThat(files.map(Path::toString)).as("files under the home directory")
                .noneMatch(name -> name.toLowerCase().contains("analytics"));
        }
    }

    private Run jetbus(final String... args) throws IOException, InterruptedException
    {
        final Path jar = Path.of("target", "jetbus.jar").toAbsolutePath();
        assertThat(jar).as("the shaded jar, built by `package`").exists();
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Duser.home=" + home, "-Djetbus.debugThreads=true", "-jar", jar.toString()));
        command.addAll(List.of(args));
        final Path out = home.resolve("..").resolve(home.getFileName() + ".out");
        final Process process = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
            .redirectOutput(out.toFile()).start();
        assertThat(process.waitFor(100, TimeUnit.SECONDS)).as("jetbus %s finishes", List.of(args)).isTrue();
        final String output = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        return new Run(process.exitValue(), output);
    }

    private record Run(int exitCode, String output)
    {
    }
}
