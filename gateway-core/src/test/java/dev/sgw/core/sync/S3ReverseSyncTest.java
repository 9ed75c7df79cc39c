package dev.sgw.core.sync;

import java.nio.file.Path;

import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.S3ProxyFixture;
import dev.sgw.core.store.s3.S3ObjectStore;
import dev.sgw.core.store.s3.S3StoreConfig;

/** {@link ReverseSyncContract} over {@link S3ObjectStore} on a real S3 server (S3Proxy, filesystem blob store). */
class S3ReverseSyncTest extends ReverseSyncContract {

    private S3ProxyFixture server;

    @Override
    protected ObjectStore openBucket(Path workDirectory) throws Exception {
        server = S3ProxyFixture.start(workDirectory);
        server.createBucket("rsync");
        return new S3ObjectStore(S3StoreConfig.builder("rsync", server.accessKey(), server.secretKey())
                .endpoint(server.endpoint())
                .pathStyleAccess(true)
                .build());
    }

    @Override
    protected void closeEnvironment() throws Exception {
        if (server != null) {
            server.close();
        }
    }
}
