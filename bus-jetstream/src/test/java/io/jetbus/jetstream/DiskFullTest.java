package io.jetbus.jetstream;

import io.jetbus.core.JvmFlags;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY.md R7: a real full disk (a 48 MiB tmpfs). The publisher gets {@code StorageFullException} before
 * Chronicle can fault on the mapped file; the JVM survives (no hs_err file, exit code 0), including interpreted
 * ({@code -Xint}, where raw Chronicle died of SIGBUS); after the file system grows, publishing resumes and every
 * record is intact. Runs only where {@code mount -t tmpfs} works (root on Linux).
 */
@EnabledIf(value = "tmpfsAvailable", disabledReason = "needs root and mount -t tmpfs (RELIABILITY.md R7)")
class DiskFullTest
{
    @TempDir
    Path tmp;

    static boolean tmpfsAvailable()
    {
        if (!System.getProperty("os.name").startsWith("Linux"))
        {
            return false;
        }
        try
        {
            final Path probe = Files.createTempDirectory("jetbus-tmpfs-probe");
            try
            {
                if (run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe.toString()) != 0)
                {
                    return false;
                }
                return run("umount", probe.toString()) == 0;
            }
            finally
            {
                Files.deleteIfExists(probe);
            }
        }
        catch (final IOException | InterruptedException e)
        {
            return false;
        }
    }

    static int run(final String... command) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @ParameterizedTest
    @ValueSource(strings = {"-Xmixed", "-Xint"})
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldRefuseBeforeFaultAndResumeAfterSpaceIsAdded(final String mode) throws Exception
    {
        final Path mount = Files.createDirectories(tmp.resolve("mnt"));
        assertThat(run("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString())).isZero();
        Process child = null;
        try
        {
            final List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(JvmFlags.ALL);
            command.add("-Dchronicle.analytics.disable=true");
            command.add(mode);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(DiskFullChild.class.getName());
            command.add(mount.resolve("FULL").toString());
            child = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true).start();
            final BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));

            final String full = readUntil(out, "FULL ");
            assertThat(full).matches("FULL \\d+ storage dir .*/FULL is full: usable space \\d+ bytes is below the " +
                "reserve of 4194304 bytes");
            final long acked = Long.parseLong(full.split(" ")[1]);
            assertThat(acked).isGreaterThan(30_000);

            assertThat(run("mount", "-o", "remount,size=256m", mount.toString())).isZero();
            final Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
            in.write("REMOUNTED\n");
            in.flush();

            assertThat(readUntil(out, "RESUMED ")).isEqualTo("RESUMED " + (acked + 100));
            assertThat(readUntil(out, "OK ")).isEqualTo("OK " + (acked + 100));
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isZero();
            try (Stream<Path> files = Files.list(tmp))
            {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("hs_err"));
            }
        }
        finally
        {
            if (child != null)
            {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            run("umount", mount.toString());
        }
    }

    private static String readUntil(final BufferedReader out, final String prefix) throws IOException
    {
        final StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null)
        {
            if (line.startsWith(prefix))
            {
                return line;
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("child ended without \"" + prefix + "\"; its output:\n" + seen);
    }
}
