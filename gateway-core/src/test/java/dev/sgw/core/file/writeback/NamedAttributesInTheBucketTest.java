package dev.sgw.core.file.writeback;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.layout.BucketLayout;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.sync.ReverseSync;
import dev.sgw.core.sync.ReverseSyncSettings;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.VolumeMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import static dev.sgw.core.file.writeback.UploaderFixture.random;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Named attributes in the bucket, on a real S3 server (S3Proxy): set locally, they reach the object's user
 * metadata ({@code sgw-named}) within S3's 2 KB, follow changes like a chmod, and come back in a share
 * rebuilt from the bucket by reverse sync; a set too large for the metadata stays local without failing the
 * upload; another writer's values are imported, a malformed one ignored.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NamedAttributesInTheBucketTest {
    private static final String PREFIX = "n1/";
    /** S3's limit on an object's user metadata: the UTF-8 bytes of every name and value. */
    private static final int S3_USER_METADATA_BYTES = 2048;

    @TempDir
    Path dir;

    BucketServer server;
    ObjectStore bucket;
    S3Client other;
    UploaderFixture share;

    @BeforeEach
    void start() throws Exception {
        server = new BucketServer(dir.resolve("s3"));
        bucket = server.store(PREFIX);
        other = server.client();
        share = new UploaderFixture(dir.resolve("share"), bucket, VolumeMode.SYNC, Duration.ZERO).open();
    }

    @AfterEach
    void stop() throws Exception {
        share.close();
        other.close();
        bucket.close();
        server.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The object's user metadata as another S3 client sees it (names without {@code x-amz-meta-}). */
    private Map<String, String> theirMetadata(String path) {
        return other.headObject(HeadObjectRequest.builder()
                        .bucket(BucketServer.BUCKET)
                        .key(PREFIX + path)
                        .build())
                .metadata();
    }

    private static int bytesOf(Map<String, String> metadata) {
        return metadata.entrySet().stream()
                .mapToInt(e -> utf8(e.getKey()).length + utf8(e.getValue()).length)
                .sum();
    }

    private void theirPut(String path, byte[] data, Map<String, String> metadata) {
        other.putObject(
                PutObjectRequest.builder()
                        .bucket(BucketServer.BUCKET)
                        .key(PREFIX + path)
                        .metadata(metadata)
                        .build(),
                RequestBody.fromBytes(data));
    }

    /** A share on its own metadata store and cache, rebuilt from the bucket alone by a reverse-sync scan. */
    private UploaderFixture rebuilt(String name) throws Exception {
        UploaderFixture fresh = new UploaderFixture(dir.resolve(name), bucket, VolumeMode.CACHE, Duration.ZERO);
        fresh.openShare();
        scan(fresh);
        return fresh;
    }

    private static void scan(UploaderFixture s) throws Exception {
        new ReverseSync(
                        "test",
                        s.bucket,
                        s.volume.remoteChanges(),
                        s.store,
                        s.config.volumeId(),
                        ReverseSyncSettings.defaults(),
                        null)
                .scan();
    }

    private static void assertSameMap(Map<String, byte[]> actual, Map<String, byte[]> expected) {
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((k, v) -> assertThat(actual.get(k)).as(k).isEqualTo(v));
    }

    @Test
    void namedAttributesReachTheObjectFollowChangesAndComeBackInAShareRebuiltFromTheBucket() throws Exception {
        var v = share.volume;
        NodeId docs = share.mkdirs("docs");
        v.setattr(docs, SetAttributes.mode(0750));
        v.setNamedAttribute(docs, "smb.sd", random(120, 8));
        byte[] data = random(3000, 1);
        NodeId f = share.write("docs/a.txt", data);
        NavigableMap<String, byte[]> named = new TreeMap<>();
        named.put("smb.sd", random(180, 2)); // about what a Windows security descriptor takes
        named.put("smb.ea.USER.comment", utf8("written by a test"));
        named.put("smb.stream.Zone.Identifier:$DATA", utf8("[ZoneTransfer]\r\nZoneId=3\r\n"));
        for (Map.Entry<String, byte[]> e : named.entrySet()) {
            v.setNamedAttribute(f, e.getKey(), e.getValue());
        }
        v.setattr(f, SetAttributes.mode(0640));
        assertThat(share.awaitUploaded()).isTrue();

        Map<String, String> meta = theirMetadata("docs/a.txt");
        assertThat(meta).containsKey(BucketLayout.NAMED).containsEntry(BucketLayout.MODE, "640");
        assertThat(bytesOf(meta)).isLessThanOrEqualTo(S3_USER_METADATA_BYTES);
        assertSameMap(BucketLayout.namedAttributes(meta).orElseThrow(), named);

        // a change of one is a change of the object's metadata, as a chmod is
        v.setNamedAttribute(f, "smb.ea.USER.comment", null);
        named.remove("smb.ea.USER.comment");
        assertThat(share.awaitUploaded()).isTrue();
        assertSameMap(BucketLayout.namedAttributes(theirMetadata("docs/a.txt")).orElseThrow(), named);
        assertThat(share.object("docs/a.txt")).isEqualTo(data);

        try (UploaderFixture fresh = rebuilt("rebuilt")) {
            NodeId a = fresh.node("docs/a.txt");
            assertSameMap(fresh.volume.namedAttributes(a), named);
            assertThat(fresh.volume.getattr(a).mode() & 07777).isEqualTo(0640);
            assertThat(fresh.read("docs/a.txt")).isEqualTo(data);
            NodeId dir = fresh.node("docs");
            assertThat(fresh.volume.getattr(dir).mode() & 07777)
                    .as("a directory's come from its marker")
                    .isEqualTo(0750);
            assertSameMap(fresh.volume.namedAttributes(dir), v.namedAttributes(docs));
        }
    }

    @Test
    void aSetTooLargeForTheObjectsMetadataStaysLocalAndTheUploadStillSucceeds() throws Exception {
        var v = share.volume;
        byte[] data = random(500, 3);
        NodeId f = share.write("big.bin", data);
        byte[] stream = random(BucketLayout.NAMED_BUDGET, 4); // does not deflate; base64 makes it a third larger
        v.setNamedAttribute(f, "smb.stream.big:$DATA", stream);
        v.setNamedAttribute(f, "smb.sd", random(100, 5));
        v.setattr(f, SetAttributes.mode(0600));
        NodeId small = share.write("small.bin", data);
        v.setNamedAttribute(small, "smb.sd", random(100, 5));
        assertThat(share.awaitUploaded()).isTrue();

        Map<String, String> meta = theirMetadata("big.bin");
        assertThat(meta).doesNotContainKey(BucketLayout.NAMED).containsEntry(BucketLayout.MODE, "600");
        assertThat(share.object("big.bin")).isEqualTo(data);
        assertThat(v.namedAttributes(f)).containsOnlyKeys("smb.sd", "smb.stream.big:$DATA");
        assertThat(theirMetadata("small.bin")).containsKey(BucketLayout.NAMED);
        assertThat(share.uploader.backlog().failedAttempts()).isZero();

        try (UploaderFixture fresh = rebuilt("rebuilt")) {
            assertThat(fresh.volume.namedAttributes(fresh.node("big.bin"))).isEmpty();
            assertThat(fresh.volume.getattr(fresh.node("big.bin")).mode() & 07777)
                    .isEqualTo(0600);
            assertThat(fresh.volume.namedAttributes(fresh.node("small.bin"))).containsOnlyKeys("smb.sd");
        }
    }

    @Test
    void anotherWritersNamedAttributesAreImportedAndAMalformedValueIsIgnored() throws Exception {
        Map<String, byte[]> theirs = Map.of("smb.sd", random(60, 6));
        theirPut(
                "theirs.txt",
                utf8("one"),
                Map.of(BucketLayout.NAMED, BucketLayout.namedAttributesValue(theirs), BucketLayout.MODE, "644"));
        theirPut(
                "broken.txt",
                utf8("two"),
                Map.of(BucketLayout.NAMED, "AQ==not base64 at all", BucketLayout.MODE, "600"));
        theirPut("junk.txt", utf8("three"), Map.of(BucketLayout.NAMED, "CQ", BucketLayout.MODE, "604"));
        theirPut("no/marker.txt", utf8("four"), Map.of());
        scan(share);
        assertThat(share.volume.namedAttributes(share.node("no")))
                .as("a directory without a marker")
                .isEmpty();
        assertThat(share.volume.getattr(share.node("no")).mode() & 07777).isEqualTo(share.config.defaultDirMode());

        var v = share.volume;
        assertSameMap(v.namedAttributes(share.node("theirs.txt")), theirs);
        assertThat(v.namedAttributes(share.node("broken.txt"))).isEmpty();
        assertThat(v.getattr(share.node("broken.txt")).mode() & 07777)
                .as("the object's other attributes are still taken")
                .isEqualTo(0600);
        assertThat(v.namedAttributes(share.node("junk.txt"))).isEmpty();
        assertThat(v.getattr(share.node("junk.txt")).mode() & 07777).isEqualTo(0604);

        // a new version from them brings its own
        Map<String, byte[]> next = Map.of("smb.sd", random(70, 7), "smb.ea.X", utf8("x"));
        theirPut(
                "theirs.txt",
                utf8("one, changed"),
                Map.of(BucketLayout.NAMED, BucketLayout.namedAttributesValue(next)));
        scan(share);
        assertSameMap(v.namedAttributes(share.node("theirs.txt")), next);
        assertThat(share.read("theirs.txt")).isEqualTo(utf8("one, changed"));
    }
}
