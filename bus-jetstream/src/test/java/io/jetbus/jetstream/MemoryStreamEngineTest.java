package io.jetbus.jetstream;

import io.jetbus.api.jetstream.StorageType;

import java.nio.file.Path;

/**
 * The shared stream engine behaviour on MEMORY streams, on a bus without a storage directory.
 */
class MemoryStreamEngineTest extends StreamEngineContractTest
{
    @Override
    StorageType storage()
    {
        return StorageType.MEMORY;
    }

    @Override
    Path storageDir()
    {
        return null;
    }
}
