package dev.sgw.core.store.s3;

import java.nio.file.Path;

import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreContract;
import dev.sgw.core.store.S3ProxyFixture;

/** The shared {@link ObjectStoreContract} against {@link S3ObjectStore} on a real S3 server (S3Proxy 4.1, SigV4). */
class S3ObjectStoreContractTest extends ObjectStoreContract {

    private S3ProxyFixture server;

    @Override
    protected ObjectStore openStore(Path workDirectory) throws Exception {
        server = S3ProxyFixture.start(workDirectory);
        server.createBucket("contract");
        return new S3ObjectStore(S3StoreConfig.builder("contract", server.accessKey(), server.secretKey())
                .endpoint(server.endpoint())
                .pathStyleAccess(true)
                .build());
    }

    @Override
    protected boolean refusesPartsOfAbortedUploads() {
        return false; // S3Proxy 4.1 accepts them; S3ProxyQuirksTest pins it
    }

    @Override
    protected void closeEnvironment() throws Exception {
        if (server != null) {
            server.close();
        }
    }
}
