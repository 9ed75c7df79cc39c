package dev.sgw.core.store.s3;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import dev.sgw.core.store.ListRequest;
import dev.sgw.core.store.ObjectBody;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.ObjectStoreException.Code;
import dev.sgw.core.store.PutOptions;
import dev.sgw.core.store.S3ProxyFixture;
import dev.sgw.core.store.s3.S3StoreConfig.UploadChecksum;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How {@link S3ObjectStore} fails: credentials, an absent server, corruption on the wire, the error table. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ObjectStoreFailureTest {

    private static final String BUCKET = "failures";

    @TempDir
    static Path root;

    private S3ProxyFixture server;

    @BeforeAll
    void startServer() throws Exception {
        server = S3ProxyFixture.start(root);
        server.createBucket(BUCKET);
    }

    @AfterAll
    void stopServer() throws Exception {
        server.close();
    }

    private S3StoreConfig.Builder config(String secretKey) {
        return S3StoreConfig.builder(BUCKET, server.accessKey(), secretKey)
                .endpoint(server.endpoint())
                .pathStyleAccess(true);
    }

    @Test
    void aWrongSecretKeyIsDeniedBecauseTheSignatureIsChecked() throws Exception {
        try (S3ObjectStore good = new S3ObjectStore(config(server.secretKey()).build());
                S3ObjectStore wrong =
                        new S3ObjectStore(config(server.secretKey() + "x").build())) {
            good.put("signed", ObjectBody.of(new byte[] {1, 2, 3}), PutOptions.defaults());

            assertCode(() -> wrong.head("signed"), Code.DENIED);
            assertCode(() -> wrong.get("signed", null).close(), Code.DENIED);
            assertCode(() -> wrong.put("other", ObjectBody.of(new byte[10]), PutOptions.defaults()), Code.DENIED);
            assertCode(() -> wrong.list(ListRequest.flat("")), Code.DENIED);
            assertThatThrownBy(() -> wrong.head("signed")).hasMessageNotContaining(server.secretKey());
            assertCode(() -> good.head("other"), Code.NOT_FOUND);
        }
    }

    @Test
    void aClosedPortIsUnavailableQuickly() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        S3StoreConfig nowhere = config(server.secretKey())
                .endpoint(java.net.URI.create("http://127.0.0.1:" + closedPort))
                .connectTimeout(Duration.ofSeconds(1))
                .socketTimeout(Duration.ofSeconds(1))
                .build();
        try (S3ObjectStore store = new S3ObjectStore(nowhere)) {
            long start = System.nanoTime();
            assertCode(() -> store.head("k"), Code.UNAVAILABLE);
            assertCode(() -> store.put("k", ObjectBody.of(new byte[100]), PutOptions.defaults()), Code.UNAVAILABLE);
            assertCode(() -> store.list(ListRequest.flat("")), Code.UNAVAILABLE);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThatThrownBy(() -> store.head("k"))
                    .satisfies(e ->
                            assertThat(((ObjectStoreException) e).retryable()).isTrue());
        }
    }

    /**
     * Over plain HTTP the SDK also signs the payload, so S3Proxy catches a flipped byte by its SigV4 check
     * first: a chunk signature mismatch (DENIED) with aws-chunked bodies, a payload hash mismatch (INTEGRITY)
     * without. Over HTTPS the payload is unsigned and the CRC32 trailer or Content-MD5 catches it.
     */
    @ParameterizedTest
    @EnumSource(UploadChecksum.class)
    void bytesCorruptedOnTheWayToTheStoreAreRejectedAndNothingIsStored(UploadChecksum checksum) throws Exception {
        FaultInjectingHttpClient[] wire = new FaultInjectingHttpClient[1];
        try (S3ObjectStore store = new S3ObjectStore(
                config(server.secretKey()).uploadChecksum(checksum).build(),
                http -> wire[0] = new FaultInjectingHttpClient(http))) {
            byte[] data = new byte[64 * 1024];
            new Random(7).nextBytes(data);
            String key = "corrupt-" + checksum;
            wire[0].corruptBodyOf = request -> request.method().name().equals("PUT");

            assertThatThrownBy(() -> store.put(key, ObjectBody.of(data), PutOptions.defaults()))
                    .isInstanceOf(ObjectStoreException.class)
                    .satisfies(
                            e -> assertThat(((ObjectStoreException) e).code()).isIn(Code.INTEGRITY, Code.DENIED));
            assertCode(() -> store.head(key), Code.NOT_FOUND);

            java.util.concurrent.atomic.AtomicReference<java.util.Map<String, java.util.List<String>>> sent =
                    new java.util.concurrent.atomic.AtomicReference<>();
            wire[0].beforeSend = request -> sent.set(request.headers());
            wire[0].corruptBodyOf = request -> false;
            store.put(key, ObjectBody.of(data), PutOptions.defaults());
            java.util.Map<String, java.util.List<String>> headers =
                    new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(sent.get());
            if (checksum == UploadChecksum.CONTENT_MD5) {
                assertThat(headers.get("Content-MD5"))
                        .containsExactly(java.util.Base64.getEncoder()
                                .encodeToString(java.security.MessageDigest.getInstance("MD5")
                                        .digest(data)));
                assertThat(headers).doesNotContainKey("x-amz-trailer");
            } else {
                assertThat(headers.get("x-amz-trailer")).containsExactly("x-amz-checksum-crc32");
            }
            try (var content = store.get(key, null)) {
                assertThat(content.readAllBytes()).isEqualTo(data);
            }
        }
    }

    @Test
    void aStoreReportedCrc64ThatDiffersFromTheBodyIsAnIntegrityFailure() throws Exception {
        FaultInjectingHttpClient[] wire = new FaultInjectingHttpClient[1];
        try (S3ObjectStore store = new S3ObjectStore(
                config(server.secretKey()).build(), http -> wire[0] = new FaultInjectingHttpClient(http))) {
            byte[] data = "what the store says it got".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            wire[0].addHeadersTo = request -> request.method().name().equals("PUT");
            wire[0].responseHeaders = java.util.Map.of("x-oss-hash-crc64ecma", "12345");
            assertCode(() -> store.put("oss-says", ObjectBody.of(data), PutOptions.defaults()), Code.INTEGRITY);

            wire[0].responseHeaders =
                    java.util.Map.of("x-oss-hash-crc64ecma", Long.toUnsignedString(dev.sgw.core.store.Crc64.of(data)));
            assertThat(store.put("oss-says", ObjectBody.of(data), PutOptions.defaults())
                            .crc64Verified())
                    .isTrue();
        }
    }

    @Test
    void errorTableMapsS3CodesAndStatuses() {
        assertThat(S3ErrorMapping.code(404, "NoSuchKey")).isEqualTo(Code.NOT_FOUND);
        assertThat(S3ErrorMapping.code(404, "NoSuchUpload")).isEqualTo(Code.NOT_FOUND);
        assertThat(S3ErrorMapping.code(404, null)).isEqualTo(Code.NOT_FOUND);
        assertThat(S3ErrorMapping.code(404, "NoSuchBucket")).isEqualTo(Code.OTHER);
        assertThat(S3ErrorMapping.code(412, "PreconditionFailed")).isEqualTo(Code.PRECONDITION_FAILED);
        assertThat(S3ErrorMapping.code(409, "ConditionalRequestConflict")).isEqualTo(Code.PRECONDITION_FAILED);
        assertThat(S3ErrorMapping.code(409, "BucketNotEmpty")).isEqualTo(Code.OTHER);
        assertThat(S3ErrorMapping.code(403, "SignatureDoesNotMatch")).isEqualTo(Code.DENIED);
        assertThat(S3ErrorMapping.code(403, "InvalidAccessKeyId")).isEqualTo(Code.DENIED);
        assertThat(S3ErrorMapping.code(401, null)).isEqualTo(Code.DENIED);
        assertThat(S3ErrorMapping.code(503, "SlowDown")).isEqualTo(Code.THROTTLED);
        assertThat(S3ErrorMapping.code(429, null)).isEqualTo(Code.THROTTLED);
        assertThat(S3ErrorMapping.code(500, "InternalError")).isEqualTo(Code.UNAVAILABLE);
        assertThat(S3ErrorMapping.code(502, null)).isEqualTo(Code.UNAVAILABLE);
        assertThat(S3ErrorMapping.code(400, "RequestTimeout")).isEqualTo(Code.UNAVAILABLE);
        assertThat(S3ErrorMapping.code(416, "InvalidRange")).isEqualTo(Code.INVALID);
        assertThat(S3ErrorMapping.code(400, "InvalidArgument")).isEqualTo(Code.INVALID);
        assertThat(S3ErrorMapping.code(400, "EntityTooSmall")).isEqualTo(Code.INVALID);
        assertThat(S3ErrorMapping.code(400, "InvalidPart")).isEqualTo(Code.INVALID);
        assertThat(S3ErrorMapping.code(400, "BadDigest")).isEqualTo(Code.INTEGRITY);
        assertThat(S3ErrorMapping.code(501, "NotImplemented")).isEqualTo(Code.NOT_SUPPORTED);
        assertThat(S3ErrorMapping.code(400, "SomethingNew")).isEqualTo(Code.OTHER);
    }

    @Test
    void configurationTextMasksSecrets() {
        S3StoreConfig config = S3StoreConfig.builder("b", "AKIDEXAMPLE", "s3cr3t-v4lue")
                .sessionToken("t0k3n")
                .build();
        assertThat(config.toString()).contains("AKIDEXAMPLE", "bucket=b").doesNotContain("s3cr3t-v4lue", "t0k3n");
        assertThat(config.secretAccessKey()).isEqualTo("s3cr3t-v4lue");
    }

    interface Call {
        void run() throws Exception;
    }

    static void assertCode(Call call, Code expected) {
        assertThatThrownBy(call::run)
                .isInstanceOf(ObjectStoreException.class)
                .satisfies(e -> assertThat(((ObjectStoreException) e).code())
                        .as(e.getMessage())
                        .isEqualTo(expected));
    }
}
