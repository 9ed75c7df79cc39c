package dev.sgw.core.block;

import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.memory.MemoryObjectStore;
import dev.sgw.core.volume.VolumeMode;

/** The {@link BlockVolumeContract} in SYNC mode on a {@link MemoryObjectStore}. */
class MemorySyncBlockVolumeTest extends BlockVolumeContract {

    @Override
    protected VolumeMode mode() {
        return VolumeMode.SYNC;
    }

    @Override
    protected ObjectStore newStore() {
        return new MemoryObjectStore();
    }
}
