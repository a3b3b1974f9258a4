package io.jetbus.jetstream;

import io.jetbus.api.jetstream.FlushPolicy;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY.md R18 for the store alone: 50 rounds of open, append across cycles, read, delete, close leave no
 * threads, file descriptors or mappings behind.
 */
class ResourceLeakTest
{
    @TempDir
    Path tmp;

    private void round(final int i)
    {
        final AtomicLong clock = new AtomicLong(TestFiles.START_MS);
        final Path dir = tmp.resolve("round-" + i);
        try (StorageDirectory storage = StorageDirectory.open(dir);
            FileStreamStore store = FileStreamStore.open(TestFiles.config("S", storage.streamDir("S"), clock)
                .flushPolicy(FlushPolicy.interval(Duration.ofMillis(50))).build()))
        {
            for (int k = 0; k < 200; k++)
            {
                if (k == 100)
                {
                    clock.addAndGet(1000);
                }
                store.append("s." + k % 5, null, new byte[64], k);
            }
            for (long s = 1; s <= 200; s++)
            {
                assertThat(store.read(s)).isNotNull();
            }
            store.purge(null, 120, 0);
            store.delete(150);
        }
    }

    private static Set<String> threads()
    {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
            .collect(Collectors.toSet());
    }

    private static long openFds() throws IOException
    {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd")))
        {
            return fds.count();
        }
    }

    private long mappingsUnderTmp() throws IOException
    {
        final String prefix = tmp.toRealPath().toString();
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains(prefix)).count();
    }

    @Test
    void shouldLeaveNoThreadsFdsOrMappingsAfterFiftyRounds() throws Exception
    {
        round(-1); // starts Chronicle's JVM-wide threads
        BackgroundResourceReleaser.releasePendingResources();
        final Set<String> baselineThreads = threads();
        final long baselineFds = openFds();

        for (int i = 0; i < 50; i++)
        {
            round(i);
        }
        BackgroundResourceReleaser.releasePendingResources();

        assertThat(threads()).isSubsetOf(baselineThreads);
        assertThat(openFds()).isBetween(baselineFds - 2, baselineFds + 2);
        assertThat(mappingsUnderTmp()).isZero();
    }
}
