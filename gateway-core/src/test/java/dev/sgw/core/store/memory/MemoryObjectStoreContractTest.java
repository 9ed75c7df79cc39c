package dev.sgw.core.store.memory;

import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreContract;

class MemoryObjectStoreContractTest extends ObjectStoreContract {

    @Override
    protected ObjectStore openStore() {
        return new MemoryObjectStore();
    }
}
