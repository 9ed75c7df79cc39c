package dev.sgw.core.gateway;

import java.nio.file.Path;

import dev.sgw.core.manage.BackendKind;
import dev.sgw.core.manage.CacheDiskConfig;
import dev.sgw.core.manage.CloudResource;
import dev.sgw.core.manage.ManagementService;
import dev.sgw.core.manage.Secret;
import dev.sgw.core.store.S3ProxyFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A gateway runtime's surroundings for its tests: an S3Proxy bucket with a client, and a management state
 * with that bucket as a resource and a 256 MiB cache disk, ready for shares and volumes.
 */
abstract class GatewayBucketFixture {
    static final String BUCKET = "gateway";

    @TempDir
    Path dir;

    S3ProxyFixture s3;
    S3Client client;

    @BeforeEach
    void startBucket() throws Exception {
        s3 = S3ProxyFixture.start(dir.resolve("s3"));
        s3.createBucket(BUCKET);
        client = s3.clientBuilder().build();
    }

    @AfterEach
    void stopBucket() throws Exception {
        client.close();
        s3.close();
    }

    /** A management state with the resource "bucket" and the cache disk "disk". */
    ManagementService configure() throws Exception {
        ManagementService m = ManagementService.open(dir.resolve("state"));
        m.createResource(new CloudResource(
                "bucket",
                BackendKind.S3,
                s3.endpoint(),
                null,
                BUCKET,
                "",
                s3.accessKey(),
                Secret.of(s3.secretKey()),
                true));
        m.createCacheDisk(CacheDiskConfig.of("disk", dir.resolve("cache"), 256L << 20));
        return m;
    }
}
