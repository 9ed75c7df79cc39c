package dev.sgw.core.file;

import java.io.IOException;
import java.nio.file.Path;

import dev.sgw.core.access.CheckedFileVolume;
import dev.sgw.core.file.memory.MemoryFileVolume;
import dev.sgw.core.sharing.FileSharing;
import dev.sgw.core.sharing.LeaseBreakingVolume;
import dev.sgw.core.volume.Caller;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.ForwardingFileVolume;

/**
 * The contract through the decorators an NFS export stacks on its volume (lease breaks over the caller's
 * permission checks, for root), over the in-memory volume: every call, the directory reports included, passes
 * through. The outermost layer only closes the volume, which a caller's checked view leaves open.
 */
class DecoratedFileVolumeContractTest extends FileVolumeContract {

    @Override
    protected FileVolume open(Path dir) {
        MemoryFileVolume volume = new MemoryFileVolume("decorated");
        FileVolume checked = new CheckedFileVolume(volume, Caller.ROOT, true);
        FileVolume breaking = new LeaseBreakingVolume(checked, FileSharing.of(volume), null);
        return new ForwardingFileVolume(breaking) {
            @Override
            public void close() throws IOException {
                volume.close();
            }
        };
    }

    @Override
    protected int chunkSize() {
        return MemoryFileVolume.CHUNK_BYTES;
    }
}
