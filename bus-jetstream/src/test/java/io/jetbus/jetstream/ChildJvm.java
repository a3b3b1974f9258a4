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
import java.util.function.Predicate;

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
     * @param prefix the start of the lines counted.
     * @param count  how many of them make enough.
     * @return a condition for {@link #runAndKill}.
     */
    static Predicate<String> after(final String prefix, final long count)
    {
        final long[] seen = new long[1];
        return line -> line.startsWith(prefix) && ++seen[0] >= count;
    }

    /**
     * @param tmp        a directory for the report and the child's standard error.
     * @param main       the child's main class.
     * @param jvmArgs    extra JVM arguments (heap, JIT).
     * @param args       the child's arguments, before the report path.
     * @param enough     told each line the child prints, in order, on one thread; true once it is time for the kill
     *                   (waited for at most 60 s).
     * @return the complete lines of the report (a line cut by the kill is dropped).
     */
    static List<String> runAndKill(final Path tmp, final Class<?> main, final List<String> jvmArgs,
        final List<String> args, final Predicate<String> enough) throws IOException, InterruptedException
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
        final CountDownLatch reached = new CountDownLatch(1);
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
            {
                for (String line = in.readLine(); line != null; line = in.readLine())
                {
                    if (reached.getCount() > 0 && enough.test(line))
                    {
                        reached.countDown();
                    }
                }
            }
            catch (final IOException e)
            {
                // the pipe of a dead child may be closed under us; the report file is the record
            }
        }, "child-jvm-reader");
        reader.start();
        final boolean inTime = reached.await(60, TimeUnit.SECONDS);
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child exits after SIGKILL").isTrue();
        reader.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(inTime).as("the child got far enough before dying or 60 s; stderr: %s", Files.readString(err))
            .isTrue();
        final String text = Files.readString(report, StandardCharsets.US_ASCII);
        final int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : Arrays.asList(text.substring(0, end).split("\n"));
    }
}
