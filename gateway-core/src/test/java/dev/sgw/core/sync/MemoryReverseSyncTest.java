package dev.sgw.core.sync;

import java.nio.file.Path;

import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.memory.MemoryObjectStore;

/** {@link ReverseSyncContract} over {@link MemoryObjectStore}. */
class MemoryReverseSyncTest extends ReverseSyncContract {

    @Override
    protected ObjectStore openBucket(Path workDirectory) {
        return new MemoryObjectStore();
    }
}
