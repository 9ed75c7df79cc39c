package dev.sgw.core.file;

import java.io.IOException;
import java.nio.file.Path;

import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.VolumeMode;

/** The contract on a share in cache mode over an in-memory bucket. */
class ShareVolumeContractTest extends FileVolumeContract {
    private ShareFixture fixture;
    private ShareFixture first;

    @Override
    protected FileVolume open(Path dir) throws IOException {
        if (fixture != null) {
            first = fixture;
        }
        fixture = new ShareFixture(dir, VolumeMode.CACHE);
        return fixture.volume;
    }

    @Override
    protected void release() throws IOException {
        fixture.disk.close();
        fixture.store.close();
        if (first != null) {
            first.disk.close();
            first.store.close();
        }
    }

    @Override
    protected int chunkSize() {
        return ShareFixture.CHUNK;
    }
}
