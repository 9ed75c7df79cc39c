package dev.sgw.core.store.oss;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import dev.sgw.core.store.ByteRange;
import dev.sgw.core.store.Crc64;
import dev.sgw.core.store.MultipartPart;
import dev.sgw.core.store.ObjectBody;
import dev.sgw.core.store.ObjectContent;
import dev.sgw.core.store.ObjectInfo;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.ObjectStoreException.Code;
import dev.sgw.core.store.ObjectWritten;
import dev.sgw.core.store.Precondition;
import dev.sgw.core.store.PutOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the OSS backend does beyond the shared contract, through the real OSS SDK against {@link OssFixture}:
 * credentials, the CRC64 checks (with the fixture's corrupting and omitting switches), metadata, copies
 * (single and part by part), large objects, part copies, STS tokens and error mapping.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OssObjectStoreTest {

    private static final int MIB = 1024 * 1024;

    @TempDir
    static Path dir;

    private OssFixture fixture;
    private OssObjectStore store;
    private String p;
    private final Random random = new Random(7);

    @BeforeAll
    void start() throws Exception {
        fixture = OssFixture.start(dir.resolve("s3"));
        store = new OssObjectStore(fixture.config());
    }

    @AfterAll
    void stop() throws Exception {
        store.close();
        fixture.close();
    }

    @BeforeEach
    void freshPrefix() {
        p = "u-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    @AfterEach
    void resetSwitches() {
        fixture.corruptCrc64(false);
        fixture.crc64OnPartCopy(false);
        fixture.requireSecurityToken(null);
        fixture.failNext(0, 0, null);
    }

    // ---- credentials -------------------------------------------------------------------------------

    @Test
    void aWrongSecretOrKeyIdIsDenied() throws Exception {
        int rejectedBefore = fixture.rejectedSignatures();
        OssStoreConfig good = fixture.config();
        try (OssObjectStore wrongSecret =
                new OssObjectStore(good.withCredentials(good.accessKeyId(), good.accessKeySecret() + "x", null))) {
            assertCode(
                    () -> wrongSecret.put(p + "a", ObjectBody.of(new byte[] {1}), PutOptions.defaults()), Code.DENIED);
            assertCode(() -> wrongSecret.head(p + "a"), Code.DENIED);
            assertThatThrownBy(() -> wrongSecret.get(p + "a", null))
                    .hasMessageContaining("SignatureDoesNotMatch")
                    .hasMessageNotContaining(good.accessKeySecret());
        }
        try (OssObjectStore wrongId =
                new OssObjectStore(good.withCredentials("LTAInobody", good.accessKeySecret(), null))) {
            assertCode(() -> wrongId.put(p + "a", ObjectBody.of(new byte[] {1}), PutOptions.defaults()), Code.DENIED);
        }
        assertThat(fixture.rejectedSignatures() - rejectedBefore).isEqualTo(4);
        assertCode(() -> store.head(p + "a"), Code.NOT_FOUND); // nothing was written with bad credentials
    }

    @Test
    void anStsTokenIsSentSignedAndRequired() throws Exception {
        String token = "CAIS" + UUID.randomUUID();
        fixture.requireSecurityToken(token);
        OssStoreConfig good = fixture.config();
        try (OssObjectStore withToken = new OssObjectStore(good.withSecurityToken(token))) {
            byte[] data = randomBytes(1000);
            withToken.put(p + "sts", ObjectBody.of(data), PutOptions.defaults());
            assertThat(read(withToken, p + "sts")).isEqualTo(data);
        }
        // the fixture checks the V1 signature over every x-oss-* header, the token included
        assertThat(fixture.securityTokensSeen()).contains(token);
        assertCode(() -> store.head(p + "sts"), Code.DENIED); // no token
        try (OssObjectStore otherToken = new OssObjectStore(good.withSecurityToken(token + "-forged"))) {
            assertCode(() -> otherToken.head(p + "sts"), Code.DENIED);
        }
        assertThat(good.withSecurityToken(token).toString())
                .doesNotContain(token)
                .doesNotContain(good.accessKeySecret());
    }

    // ---- CRC64 -------------------------------------------------------------------------------------

    @Test
    void wrongCrc64FromTheStoreFailsPutPartAndWholeGet() throws Exception {
        byte[] data = randomBytes(300_000);
        store.put(p + "good", ObjectBody.of(data), PutOptions.defaults());
        String uploadId = store.startMultipart(p + "mp", PutOptions.defaults());

        fixture.corruptCrc64(true);
        assertCode(() -> store.put(p + "bad", ObjectBody.of(data), PutOptions.defaults()), Code.INTEGRITY);
        assertCode(() -> store.uploadPart(p + "mp", uploadId, 1, ObjectBody.of(data)), Code.INTEGRITY);
        try (ObjectContent content = store.get(p + "good", null)) {
            assertThatThrownBy(content::readAllBytes)
                    .isInstanceOf(ObjectStoreException.class)
                    .satisfies(
                            e -> assertThat(((ObjectStoreException) e).code()).isEqualTo(Code.INTEGRITY));
        }
        try (ObjectContent ranged = store.get(p + "good", ByteRange.of(10, 100))) {
            assertThat(ranged.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 10, 110)); // ranges are not checked
        }

        fixture.corruptCrc64(false);
        assertThat(read(store, p + "good")).isEqualTo(data);
        store.abortMultipart(p + "mp", uploadId);
    }

    @Test
    void aMissingCrc64HeaderIsCountedAsUnverifiedNeverAsChecked() throws Exception {
        byte[] data = randomBytes(200_000);
        long writesBefore = store.unverifiedWrites();
        long readsBefore = store.unverifiedReads();

        fixture.omitCrc64(true);
        ObjectWritten written = store.put(p + "o", ObjectBody.of(data), PutOptions.defaults());
        assertThat(written.crc64Verified()).isFalse();
        assertThat(written.crc64()).isEqualTo(Crc64.of(data));
        String uploadId = store.startMultipart(p + "mp", PutOptions.defaults());
        MultipartPart part = store.uploadPart(p + "mp", uploadId, 1, ObjectBody.of(data));
        assertThat(part.crc64()).isEqualTo(Crc64.of(data));
        ObjectWritten completed = store.completeMultipart(p + "mp", uploadId, List.of(part), Precondition.none());
        assertThat(completed.crc64Verified()).isFalse();
        assertThat(read(store, p + "o")).isEqualTo(data);
        assertThat(store.head(p + "o").crc64()).isEmpty();
        assertThat(store.unverifiedWrites() - writesBefore).isEqualTo(3);
        assertThat(store.unverifiedReads() - readsBefore).isEqualTo(1);

        fixture.omitCrc64(false);
        assertThat(store.put(p + "o", ObjectBody.of(data), PutOptions.defaults())
                        .crc64Verified())
                .isTrue();
        assertThat(read(store, p + "o")).isEqualTo(data);
        assertThat(store.unverifiedWrites() - writesBefore).isEqualTo(3);
        assertThat(store.unverifiedReads() - readsBefore).isEqualTo(1);
    }

    @Test
    void aBodyThatChangesWhileItIsSentIsCaught() throws Exception {
        byte[] data = randomBytes(100_000);
        ObjectBody body = ObjectBody.of(data).withCrc64(Crc64.of(data) ^ 0x10); // as if the buffer changed
        assertCode(() -> store.put(p + "changed", body, PutOptions.defaults()), Code.INTEGRITY);
    }

    // ---- metadata, copies, sizes -------------------------------------------------------------------

    @Test
    void userMetadataRoundTripsAsXOssMetaAndNothingElseShows() throws Exception {
        Map<String, String> metadata = Map.of("sgw-mode", "100644", "sgw-uid", "0", "sgw-symlink", "../a b/c");
        ObjectWritten written = store.put(p + "m", ObjectBody.of(randomBytes(10)), PutOptions.withMetadata(metadata));
        ObjectInfo info = store.head(p + "m");
        assertThat(info.userMetadata()).isEqualTo(metadata);
        assertThat(info.crc64()).hasValue(written.crc64());
        try (ObjectContent content = store.get(p + "m", null)) {
            assertThat(content.info().userMetadata()).isEqualTo(metadata);
            assertThat(content.info().etag()).isEqualTo(written.etag());
        }
    }

    @Test
    void copyKeepsContentAndCrcAndReplacesMetadata() throws Exception {
        byte[] data = randomBytes(500_000);
        ObjectWritten source = store.put(p + "src", ObjectBody.of(data), PutOptions.withMetadata(Map.of("sgw-v", "1")));
        ObjectWritten copy =
                store.copy(p + "src", p + "dst", PutOptions.withMetadata(Map.of("sgw-v", "2", "sgw-w", "x")));
        assertThat(copy.crc64()).isEqualTo(source.crc64());
        assertThat(copy.crc64Verified()).isTrue();
        assertThat(copy.size()).isEqualTo(data.length);
        assertThat(read(store, p + "dst")).isEqualTo(data);
        assertThat(store.head(p + "dst").userMetadata()).isEqualTo(Map.of("sgw-v", "2", "sgw-w", "x"));
        assertThat(store.head(p + "src").userMetadata()).isEqualTo(Map.of("sgw-v", "1"));
    }

    @Test
    void objectsOverTheCopyThresholdAreCopiedPartByPart() throws Exception {
        byte[] data = randomBytes(11 * MIB);
        ObjectWritten source = store.put(p + "big", ObjectBody.of(data), PutOptions.withMetadata(Map.of("sgw-v", "1")));
        int copiesBefore = fixture.partCopies();
        // S3Proxy behind the fixture keeps S3's 5 MiB minimum part size (OSS's is 100 KiB)
        try (OssObjectStore smallCopies = new OssObjectStore(fixture.config().withMultipartCopy(5 * MIB, 5 * MIB))) {
            ObjectWritten copy = smallCopies.copy(p + "big", p + "copy", PutOptions.withMetadata(Map.of("sgw-v", "2")));
            assertThat(copy.crc64()).isEqualTo(source.crc64());
            assertThat(copy.crc64Verified()).isTrue();
            assertThat(copy.size()).isEqualTo(data.length);
            assertCode(
                    () -> smallCopies.copy(
                            p + "big", p + "copy", PutOptions.defaults().with(Precondition.ifAbsent())),
                    Code.PRECONDITION_FAILED);
        }
        assertThat(fixture.partCopies() - copiesBefore).isEqualTo(3); // 5 + 5 + 1 MiB; the refused copy copies none
        assertThat(read(store, p + "copy")).isEqualTo(data);
        assertThat(store.head(p + "copy").userMetadata()).containsEntry("sgw-v", "2");
        assertThat(store.listMultipartUploads(p, null).uploads()).isEmpty();
    }

    @Test
    void sixtyFourMebibytesRoundTrip() throws Exception {
        byte[] data = randomBytes(64 * MIB);
        ObjectWritten written = store.put(p + "64m", ObjectBody.of(data), PutOptions.defaults());
        assertThat(written.crc64Verified()).isTrue();
        assertThat(written.crc64()).isEqualTo(Crc64.of(data));
        try (ObjectContent content = store.get(p + "64m", null)) {
            assertThat(content.length()).isEqualTo(data.length);
            assertThat(content.info().crc64()).hasValue(written.crc64());
            assertThat(content.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void multipartWithUploadPartCopyIsByteExactAndItsCrcKnownEitherWay() throws Exception {
        byte[] source = randomBytes(6 * MIB + 1000);
        store.put(p + "old", ObjectBody.of(source), PutOptions.defaults());
        byte[] tail = randomBytes(4321);
        String uploadId = store.startMultipart(p + "new", PutOptions.withMetadata(Map.of("sgw-mode", "100600")));

        MultipartPart read = store.uploadPartCopy(
                p + "new", uploadId, 1, p + "old", ByteRange.of(1000, 5 * MIB)); // no CRC from OSS: computed by reading
        fixture.crc64OnPartCopy(true);
        MultipartPart reported =
                store.uploadPartCopy(p + "new", uploadId, 2, p + "old", ByteRange.of(7, 5 * MIB)); // CRC from OSS
        MultipartPart last = store.uploadPart(p + "new", uploadId, 3, ObjectBody.of(tail));
        assertThat(read.crc64()).isEqualTo(Crc64.of(Arrays.copyOfRange(source, 1000, 1000 + 5 * MIB)));
        assertThat(reported.crc64()).isEqualTo(Crc64.of(Arrays.copyOfRange(source, 7, 7 + 5 * MIB)));
        assertCode(
                () -> store.uploadPartCopy(p + "new", uploadId, 4, p + "old", ByteRange.of(6 * MIB, 2000)),
                Code.INVALID);

        ObjectWritten done =
                store.completeMultipart(p + "new", uploadId, List.of(read, reported, last), Precondition.none());
        byte[] expected = concat(
                Arrays.copyOfRange(source, 1000, 1000 + 5 * MIB), Arrays.copyOfRange(source, 7, 7 + 5 * MIB), tail);
        assertThat(done.crc64Verified()).isTrue();
        assertThat(done.crc64()).isEqualTo(Crc64.of(expected));
        assertThat(done.size()).isEqualTo(expected.length);
        assertThat(read(store, p + "new")).isEqualTo(expected);
        assertThat(store.head(p + "new").userMetadata()).containsEntry("sgw-mode", "100600");
    }

    @Test
    void aCompletionWithAWrongPartCrcIsAnIntegrityFailure() throws Exception {
        byte[] data = randomBytes(150_000);
        String uploadId = store.startMultipart(p + "x", PutOptions.defaults());
        MultipartPart part = store.uploadPart(p + "x", uploadId, 1, ObjectBody.of(data));
        MultipartPart lying = new MultipartPart(1, part.etag(), part.size(), part.crc64() ^ 1);
        assertCode(
                () -> store.completeMultipart(p + "x", uploadId, List.of(lying), Precondition.none()), Code.INTEGRITY);
    }

    // ---- error mapping -----------------------------------------------------------------------------

    @Test
    void throttlingAndServerErrorsAreMappedByOssCodeAndStatus() throws Exception {
        store.put(p + "e", ObjectBody.of(new byte[] {1}), PutOptions.defaults());
        fixture.failNext(1, 503, "QpsLimitExceeded");
        assertCode(() -> store.put(p + "e", ObjectBody.of(new byte[] {2}), PutOptions.defaults()), Code.THROTTLED);
        fixture.failNext(1, 429, "Throttling");
        assertCode(() -> store.get(p + "e", null).close(), Code.THROTTLED);
        fixture.failNext(1, 500, "InternalError");
        assertCode(() -> store.delete(p + "e"), Code.UNAVAILABLE);
        fixture.failNext(1, 503, "SomethingNew");
        assertCode(() -> store.list(dev.sgw.core.store.ListRequest.flat(p)), Code.OTHER); // unknown code with a body
        fixture.failNext(1, 502, null);
        assertCode(() -> store.head(p + "e"), Code.UNAVAILABLE); // no error code at all: the status decides
        fixture.failNext(1, 503, null);
        assertCode(() -> store.head(p + "e"), Code.THROTTLED);
        assertThat(read(store, p + "e")).containsExactly(1); // nothing was changed by the failed requests
    }

    @Test
    void aStoreThatCannotBeReachedIsUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        OssStoreConfig nowhere = OssStoreConfig.of(
                        URI.create("http://127.0.0.1:" + closedPort), "bucket", "LTAIid", "secret")
                .withPathStyle(true)
                .withConnections(2, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5));
        try (OssObjectStore unreachable = new OssObjectStore(nowhere)) {
            assertCode(() -> unreachable.head("k"), Code.UNAVAILABLE);
            assertThat(Code.UNAVAILABLE.retryable()).isTrue();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private interface Call {
        void run() throws Exception;
    }

    private static void assertCode(Call call, Code expected) {
        assertThatThrownBy(call::run)
                .isInstanceOf(ObjectStoreException.class)
                .satisfies(e -> assertThat(((ObjectStoreException) e).code())
                        .as(e.getMessage())
                        .isEqualTo(expected));
    }

    private static byte[] read(OssObjectStore s, String key) throws IOException {
        try (ObjectContent content = s.get(key, null)) {
            return content.readAllBytes();
        }
    }

    private byte[] randomBytes(int size) {
        byte[] data = new byte[size];
        random.nextBytes(data);
        return data;
    }

    private static byte[] concat(byte[]... pieces) {
        int length = 0;
        for (byte[] piece : pieces) {
            length += piece.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] piece : pieces) {
            System.arraycopy(piece, 0, out, at, piece.length);
            at += piece.length;
        }
        return out;
    }
}
