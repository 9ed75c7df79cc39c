package dev.sgw.core.store.oss;

import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The shared contract, run through Alibaba's OSS SDK against the OSS fixture in front of S3Proxy. */
class OssObjectStoreContractTest extends ObjectStoreContract {

    private Path dir;
    private OssFixture fixture;

    @Override
    protected ObjectStore openStore() throws Exception {
        dir = Files.createTempDirectory("sgw-oss-contract");
        fixture = OssFixture.start(dir);
        return new OssObjectStore(fixture.config());
    }

    @Override
    protected void closeEnvironment() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
        if (dir != null) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
