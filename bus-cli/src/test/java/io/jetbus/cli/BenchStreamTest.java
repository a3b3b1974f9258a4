package io.jetbus.cli;

import io.jetbus.api.jetstream.StorageType;
import io.jetbus.api.jetstream.StreamInfo;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class BenchStreamTest
{
    @Test
    void shouldStoreTheStreamInATempDirectoryAndDeleteItWhenClosed() throws Exception
    {
        final BenchOptions options =
            new BenchOptions(10, 16, 1, 1, BenchOptions.Storage.FILE, BenchOptions.Flush.ALWAYS);
        final Path dir;
        try (BenchStream stream = BenchStream.open(options, new AtomicReference<>()))
        {
            dir = stream.dir();
            stream.bus().connect("test").jetStream().publish(BenchStream.SUBJECT, new byte[16]);
            final StreamInfo info = stream.bus().connect("check").jetStreamManagement().streamInfo(BenchStream.STREAM);
            assertThat(info.config().storage()).isEqualTo(StorageType.FILE);
            assertThat(info.config().flushPolicy()).isEqualTo(options.flush().policy());
            assertThat(info.state().msgs()).isEqualTo(1);
            try (Stream<Path> files = Files.walk(dir))
            {
                assertThat(files.count()).as("files under %s", dir).isGreaterThan(1);
            }
        }

        assertThat(dir).doesNotExist();
    }

    @Test
    void shouldNameTheStreamSetupWhenAskedInWords()
    {
        assertThat(new BenchOptions(1, 0, 1, 0).streamSetup()).isEqualTo("file storage, flush none");
        assertThat(new BenchOptions(1, 0, 1, 0, BenchOptions.Storage.FILE, BenchOptions.Flush.INTERVAL).streamSetup())
            .isEqualTo("file storage, flush interval 1 s");
        assertThat(new BenchOptions(1, 0, 1, 0, BenchOptions.Storage.MEMORY, BenchOptions.Flush.NONE).streamSetup())
            .isEqualTo("memory storage, flush none");
    }
}
