package dev.sgw.core.store.memory;

import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreContract;
import java.nio.file.Path;

class MemoryObjectStoreContractTest extends ObjectStoreContract {

    @Override
    protected ObjectStore openStore(Path workDirectory) {
        return new MemoryObjectStore();
    }
}
