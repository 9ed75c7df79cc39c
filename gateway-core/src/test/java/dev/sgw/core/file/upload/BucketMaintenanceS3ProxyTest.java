package dev.sgw.core.file.upload;

import java.nio.file.Path;

/** Moves and the stale upload sweep through the S3 backend on S3Proxy. */
class BucketMaintenanceS3ProxyTest extends BucketMaintenanceContract {

    @Override
    protected TestBackend open(Path directory) throws Exception {
        return TestBackend.s3Proxy(directory);
    }
}
