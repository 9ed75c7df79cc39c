package dev.sgw.core.store.oss;

import java.nio.file.Path;

import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreContract;

/** The shared contract, run through Alibaba's OSS SDK against the OSS fixture in front of S3Proxy. */
class OssObjectStoreContractTest extends ObjectStoreContract {

    private OssFixture fixture;

    @Override
    protected ObjectStore openStore(Path workDirectory) throws Exception {
        fixture = OssFixture.start(workDirectory);
        return new OssObjectStore(fixture.config());
    }

    @Override
    protected void closeEnvironment() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }
}
