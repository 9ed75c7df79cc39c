package dev.sgw;

import java.nio.file.Path;

import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreContract;
import dev.sgw.core.store.s3.S3ObjectStore;
import dev.sgw.core.store.s3.S3StoreConfig;

/**
 * gateway-core's shared {@link ObjectStoreContract} against the embedded bucket, through the gateway's
 * {@code s3} backend over loopback HTTP: S3Proxy with its listings answered by {@link IndexedBlobStore}.
 */
class EmbeddedBucketContractTest extends ObjectStoreContract {

    private EmbeddedBucket bucket;

    @Override
    protected ObjectStore openStore(Path workDirectory) throws Exception {
        bucket = EmbeddedBucket.start(workDirectory, "127.0.0.1", 0, "contract");
        return new S3ObjectStore(S3StoreConfig.builder("contract", bucket.accessKey(), bucket.secretKey())
                .endpoint(bucket.endpoint())
                .pathStyleAccess(true)
                .build());
    }

    @Override
    protected boolean refusesPartsOfAbortedUploads() {
        return false; // S3Proxy 4.1 accepts them (gateway-core's S3ProxyQuirksTest pins it)
    }

    @Override
    protected void closeEnvironment() throws Exception {
        if (bucket != null) {
            bucket.close();
        }
    }
}
