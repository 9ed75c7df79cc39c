package dev.sgw.core.file.upload;

import java.nio.file.Path;

/** Moves and the stale upload sweep on the in-memory store. */
class BucketMaintenanceMemoryTest extends BucketMaintenanceContract {

    @Override
    protected TestBackend open(Path directory) throws Exception {
        return TestBackend.memory();
    }
}
