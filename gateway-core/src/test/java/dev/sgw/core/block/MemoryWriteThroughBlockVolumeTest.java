package dev.sgw.core.block;

import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.memory.MemoryObjectStore;
import dev.sgw.core.volume.VolumeMode;

/** The {@link BlockVolumeContract} in WRITE_THROUGH mode on a {@link MemoryObjectStore}. */
class MemoryWriteThroughBlockVolumeTest extends BlockVolumeContract {

    @Override
    protected VolumeMode mode() {
        return VolumeMode.WRITE_THROUGH;
    }

    @Override
    protected ObjectStore newStore() {
        return new MemoryObjectStore();
    }
}
