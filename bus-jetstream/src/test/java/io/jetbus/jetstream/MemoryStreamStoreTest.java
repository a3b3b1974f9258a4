package io.jetbus.jetstream;

class MemoryStreamStoreTest extends StreamStoreContractTest
{
    @Override
    StreamStore createStore(final String name)
    {
        return new MemoryStreamStore(name);
    }
}
