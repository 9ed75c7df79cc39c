package dev.sgw;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import dev.sgw.cache.CacheConfig;
import dev.sgw.cache.CacheMode;
import dev.sgw.core.cachedisk.CacheDisk;
import dev.sgw.core.file.FileShareConfig;
import dev.sgw.core.file.ShareVolume;
import dev.sgw.core.meta.MetadataStore;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.PrefixedObjectStore;
import dev.sgw.core.store.s3.S3ObjectStore;
import dev.sgw.core.store.s3.S3StoreConfig;
import dev.sgw.core.sync.ReverseSync;
import dev.sgw.core.sync.ReverseSyncSettings;
import dev.sgw.core.sync.ScanProgress;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileType;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.core.volume.VolumeMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Objects another tool writes into the embedded bucket under a share's prefix appear in the share after a
 * reverse-sync scan, as the gateway wires it: a {@link ShareVolume} (RocksDB metadata, cache disk) over the
 * {@code s3} backend rooted at the prefix, talking HTTP to the embedded bucket; the other tool is the AWS
 * SDK v2. The second scan runs after a restart of the bucket, so on the index loaded from disk.
 */
class EmbeddedBucketReverseSyncTest {

    private static final String BUCKET = "sgw";
    private static final String PREFIX = "team/";

    @TempDir
    Path dir;

    private EmbeddedBucket bucket;
    private S3Client tool;
    private ObjectStore backend;
    private MetadataStore metadata;
    private CacheDisk disk;
    private ShareVolume share;

    @AfterEach
    void close() throws Exception {
        if (share != null) {
            share.close();
            disk.close();
            metadata.close();
        }
        if (backend != null) {
            backend.close();
            tool.close();
            bucket.close();
        }
    }

    @Test
    void objectsPutWithTheSdkAppearInTheShareAfterAScan() throws Exception {
        startBucket();
        toolPut(PREFIX + "readme.txt", "hello from elsewhere");
        toolPut(PREFIX + "docs/plan.md", "# plan\n".repeat(100));
        toolPut(PREFIX + "docs/deep/er/notes.txt", "n");
        toolPut(PREFIX + "empty/", "");
        toolPut("team-outside.txt", "not in the share");
        toolPut("other/team/x", "not in the share either");
        openShare();

        ScanProgress first = scan();

        assertThat(first.scanned()).isEqualTo(4);
        assertThat(read("readme.txt")).isEqualTo("hello from elsewhere");
        assertThat(read("docs/plan.md")).isEqualTo("# plan\n".repeat(100));
        assertThat(read("docs/deep/er/notes.txt")).isEqualTo("n");
        assertThat(node("empty").type()).isEqualTo(FileType.DIRECTORY);
        assertThat(node("docs/plan.md").size()).isEqualTo("# plan\n".length() * 100L);
        assertThat(missing("team-outside.txt")).isTrue();
        assertThat(missing("other")).isTrue();

        // changes made while the gateway's bucket was down are found on the index loaded at restart
        backend.close();
        bucket.close();
        startBucket();
        toolPut(PREFIX + "docs/plan.md", "replaced");
        tool.deleteObject(b -> b.bucket(BUCKET).key(PREFIX + "readme.txt"));
        toolPut(PREFIX + "new/file.bin", "new");
        share.close();
        share = ShareVolume.open(config(), metadata, disk, new PrefixedObjectStore(backend, PREFIX));

        ScanProgress second = scan();

        assertThat(read("docs/plan.md")).isEqualTo("replaced");
        assertThat(read("new/file.bin")).isEqualTo("new");
        assertThat(missing("readme.txt")).isTrue();
        assertThat(second.removed()).isEqualTo(1);
        assertThat(second.changed()).isEqualTo(1);
    }

    private void startBucket() throws Exception {
        bucket = EmbeddedBucket.start(dir.resolve("bucket"), "127.0.0.1", 0, BUCKET);
        tool = S3Client.builder()
                .endpointOverride(bucket.endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .httpClientBuilder(Apache5HttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(bucket.accessKey(), bucket.secretKey())))
                .build();
        backend = new S3ObjectStore(S3StoreConfig.builder(BUCKET, bucket.accessKey(), bucket.secretKey())
                .endpoint(bucket.endpoint())
                .pathStyleAccess(true)
                .build());
    }

    private void openShare() throws IOException {
        metadata = MetadataStore.open(dir.resolve("meta"));
        disk = CacheDisk.open(
                "cache",
                new CacheConfig(dir.resolve("cache"), 64L << 20, CacheMode.EVICTING, 64 << 10, Duration.ofSeconds(5)));
        share = ShareVolume.open(config(), metadata, disk, new PrefixedObjectStore(backend, PREFIX));
    }

    private static FileShareConfig config() {
        return FileShareConfig.of("team", 7, "s7", VolumeMode.CACHE);
    }

    private ScanProgress scan() throws Exception {
        try (ReverseSync sync = new ReverseSync(
                "team",
                new PrefixedObjectStore(backend, PREFIX),
                share.remoteChanges(),
                metadata,
                7,
                ReverseSyncSettings.defaults(),
                null)) {
            return sync.scan();
        }
    }

    private void toolPut(String key, String content) {
        tool.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(content, StandardCharsets.UTF_8));
    }

    private FileAttributes node(String path) throws IOException {
        NodeId at = share.root();
        FileAttributes attributes = null;
        for (String name : path.split("/")) {
            attributes = share.lookup(at, name);
            at = attributes.id();
        }
        return attributes;
    }

    private boolean missing(String path) {
        VolumeException e = catchThrowableOfType(VolumeException.class, () -> node(path));
        return e != null && e.error() == VolumeError.NOENT;
    }

    private String read(String path) throws IOException {
        FileAttributes file = node(path);
        ByteBuffer buffer = ByteBuffer.allocate((int) file.size() + 16);
        share.read(file.id(), 0, buffer);
        return new String(Arrays.copyOf(buffer.array(), buffer.position()), StandardCharsets.UTF_8);
    }
}
