package io.jetbus.jetstream;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

class FileStreamStoreContractTest extends StreamStoreContractTest
{
    @TempDir
    Path tmp;

    private int count;

    @Override
    StreamStore createStore(final String name)
    {
        return FileStreamStore.open(TestFiles.config(name, tmp.resolve(name + "-" + count++),
            new AtomicLong(TestFiles.START_MS)).build());
    }
}
