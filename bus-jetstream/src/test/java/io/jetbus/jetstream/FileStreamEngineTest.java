package io.jetbus.jetstream;

import io.jetbus.api.jetstream.StorageType;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * The shared stream engine behaviour on FILE streams.
 */
class FileStreamEngineTest extends StreamEngineContractTest
{
    @TempDir
    Path tmp;

    @Override
    StorageType storage()
    {
        return StorageType.FILE;
    }

    @Override
    Path storageDir()
    {
        return tmp;
    }
}
