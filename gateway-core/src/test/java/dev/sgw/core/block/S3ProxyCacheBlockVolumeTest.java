package dev.sgw.core.block;

import java.nio.file.Path;
import java.util.UUID;

import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.PrefixedObjectStore;
import dev.sgw.core.store.S3ProxyFixture;
import dev.sgw.core.store.s3.S3ObjectStore;
import dev.sgw.core.store.s3.S3StoreConfig;
import dev.sgw.core.volume.VolumeMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link BlockVolumeContract} in cache mode on a real S3 server (S3Proxy), through the S3 backend,
 * each test under a prefix of its own.
 */
class S3ProxyCacheBlockVolumeTest extends BlockVolumeContract {
    private static S3ProxyFixture server;
    private static S3ObjectStore s3;

    @TempDir
    static Path serverDir;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyFixture.start(serverDir);
        server.createBucket("blocks");
        s3 = new S3ObjectStore(S3StoreConfig.builder("blocks", server.accessKey(), server.secretKey())
                .endpoint(server.endpoint())
                .pathStyleAccess(true)
                .build());
    }

    @AfterAll
    static void stopServer() throws Exception {
        s3.close();
        server.close();
    }

    @Override
    protected VolumeMode mode() {
        return VolumeMode.CACHE;
    }

    @Override
    protected int operations() {
        return 150;
    }

    @Override
    protected ObjectStore newStore() {
        // closing the prefixed view must not close the shared client
        return new PrefixedObjectStore(
                ScriptedObjectStore.borrowing(s3),
                "t-" + UUID.randomUUID().toString().substring(0, 8) + "/");
    }
}
