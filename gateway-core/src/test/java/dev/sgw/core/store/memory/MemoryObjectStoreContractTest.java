package dev.sgw.core.store.memory;

import java.nio.file.Path;

import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreContract;

class MemoryObjectStoreContractTest extends ObjectStoreContract {

    @Override
    protected ObjectStore openStore(Path workDirectory) {
        return new MemoryObjectStore();
    }
}
