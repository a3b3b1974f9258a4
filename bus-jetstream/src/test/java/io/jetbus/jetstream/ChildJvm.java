package io.jetbus.jetstream;

import io.jetbus.core.JvmFlags;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the child JVM of a kill -9 test and kills it with SIGKILL once it has printed enough lines: the child gets the
 * bus's JVM flags, its arguments and, last, the path of its {@link ChildReport} file, whose complete lines are
 * returned.
 */
final class ChildJvm
{
    private ChildJvm()
    {
    }

    /**
     * @param tmp        a directory for the report and the child's standard error.
     * @param main       the child's main class.
     * @param jvmArgs    extra JVM arguments (heap, JIT).
     * @param args       the child's arguments, before the report path.
     * @param pacePrefix the lines counted, by their start.
     * @param killAfter  how many counted lines to wait for (at most 60 s) before the kill.
     * @return the complete lines of the report (a line cut by the kill is dropped).
     */
    static List<String> runAndKill(final Path tmp, final Class<?> main, final List<String> jvmArgs,
        final List<String> args, final String pacePrefix, final long killAfter) throws IOException, InterruptedException
    {
        final Path report = tmp.resolve("child.report");
        final Path err = tmp.resolve("child.err");
        Files.deleteIfExists(report);
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JvmFlags.ALL);
        command.add("-Dchronicle.analytics.disable=true");
        command.add("-Dchronicle.announcer.disable=true");
        command.add("-Dchronicle.disk.monitor.disable=true");
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        command.add(report.toString());
        final Process child = new ProcessBuilder(command).redirectError(err.toFile()).start();
        final CountDownLatch enough = new CountDownLatch(1);
        final AtomicLong counted = new AtomicLong();
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
            {
                for (String line = in.readLine(); line != null; line = in.readLine())
                {
                    if (line.startsWith(pacePrefix) && counted.incrementAndGet() == killAfter)
                    {
                        enough.countDown();
                    }
                }
            }
            catch (final IOException e)
            {
                // the pipe of a dead child may be closed under us; the report file is the record
            }
            enough.countDown();
        }, "child-jvm-reader");
        reader.start();
        final boolean reached = enough.await(60, TimeUnit.SECONDS);
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child exits after SIGKILL").isTrue();
        reader.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(reached && counted.get() >= killAfter)
            .as("child printed %d \"%s\" lines (got %d); stderr: %s", killAfter, pacePrefix, counted.get(),
                Files.readString(err))
            .isTrue();
        final String text = Files.readString(report, StandardCharsets.US_ASCII);
        final int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : Arrays.asList(text.substring(0, end).split("\n"));
    }
}
