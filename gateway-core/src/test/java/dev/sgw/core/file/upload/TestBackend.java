package dev.sgw.core.file.upload;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.RetryPolicy;
import dev.sgw.core.store.RetryingObjectStore;
import dev.sgw.core.store.S3ProxyFixture;
import dev.sgw.core.store.memory.MemoryObjectStore;
import dev.sgw.core.store.oss.OssFixture;
import dev.sgw.core.store.oss.OssObjectStore;
import dev.sgw.core.store.s3.S3ObjectStore;
import dev.sgw.core.store.s3.S3StoreConfig;

/** A store under test and the server behind it, if any: memory, S3 on S3Proxy, or OSS on the OSS fixture. */
record TestBackend(ObjectStore store, Closeable server) implements Closeable {

    static TestBackend memory() {
        return new TestBackend(new MemoryObjectStore(), () -> {});
    }

    /**
     * S3 on S3Proxy, behind the retrying decorator as the gateway wires it: S3Proxy may answer a conditional
     * put with 412 before it has read the body and close the connection, which the client sees as a broken
     * pipe ({@code UNAVAILABLE}); the retry then gets the 412.
     */
    static TestBackend s3Proxy(Path directory) throws Exception {
        S3ProxyFixture server = S3ProxyFixture.start(directory);
        server.createBucket("upload");
        ObjectStore s3 = new S3ObjectStore(S3StoreConfig.builder("upload", server.accessKey(), server.secretKey())
                .endpoint(server.endpoint())
                .pathStyleAccess(true)
                .build());
        return new TestBackend(
                new RetryingObjectStore(
                        s3, new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(10))),
                server);
    }

    static TestBackend oss(Path directory) throws Exception {
        OssFixture fixture = OssFixture.start(directory);
        return new TestBackend(new OssObjectStore(fixture.config()), fixture);
    }

    @Override
    public void close() throws IOException {
        try {
            store.close();
        } finally {
            server.close();
        }
    }
}
