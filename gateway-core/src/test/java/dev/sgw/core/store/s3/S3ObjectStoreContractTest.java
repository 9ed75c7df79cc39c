package dev.sgw.core.store.s3;

import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreContract;
import dev.sgw.core.store.S3ProxyFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The shared {@link ObjectStoreContract} against {@link S3ObjectStore} on a real S3 server (S3Proxy 4.1, SigV4). */
class S3ObjectStoreContractTest extends ObjectStoreContract {

    private Path root;
    private S3ProxyFixture server;

    @Override
    protected ObjectStore openStore() throws Exception {
        root = Files.createTempDirectory("sgw-s3-contract");
        server = S3ProxyFixture.start(root);
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
        if (root != null) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
