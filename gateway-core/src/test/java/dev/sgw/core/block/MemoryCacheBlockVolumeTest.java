package dev.sgw.core.block;

import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.memory.MemoryObjectStore;
import dev.sgw.core.volume.VolumeMode;

/** The {@link BlockVolumeContract} in CACHE mode on a {@link MemoryObjectStore}. */
class MemoryCacheBlockVolumeTest extends BlockVolumeContract {

    @Override
    protected VolumeMode mode() {
        return VolumeMode.CACHE;
    }

    @Override
    protected ObjectStore newStore() {
        return new MemoryObjectStore();
    }
}
