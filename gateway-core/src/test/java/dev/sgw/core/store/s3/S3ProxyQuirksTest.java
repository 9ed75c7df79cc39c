package dev.sgw.core.store.s3;

import java.nio.file.Path;

import dev.sgw.core.store.S3ProxyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How S3Proxy 4.1 (the test server) differs from S3, with the plain SDK, so that the backend's choices
 * rest on facts: it honours conditional puts and completions (the backend relies on them), ignores the
 * conditional headers of CopyObject (so conditional copies go through a multipart copy), and accepts parts
 * for an aborted upload (so one contract check is skipped). When S3Proxy changes, a test here fails first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ProxyQuirksTest {

    private static final String BUCKET = "quirks";

    @TempDir
    static Path root;

    private S3ProxyFixture server;
    private S3Client s3;

    @BeforeAll
    void start() throws Exception {
        server = S3ProxyFixture.start(root);
        server.createBucket(BUCKET);
        s3 = server.clientBuilder().build();
    }

    @AfterAll
    void stop() throws Exception {
        s3.close();
        server.close();
    }

    @Test
    void conditionalPutsAndCompletionsAreHonoured() {
        s3.putObject(b -> b.bucket(BUCKET).key("put"), RequestBody.fromString("one"));
        assertThatThrownBy(() ->
                        s3.putObject(b -> b.bucket(BUCKET).key("put").ifNoneMatch("*"), RequestBody.fromString("two")))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThatThrownBy(() ->
                        s3.putObject(b -> b.bucket(BUCKET).key("put").ifMatch("\"00\""), RequestBody.fromString("two")))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));

        String id = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("put")).uploadId();
        String etag = s3.uploadPart(
                        b -> b.bucket(BUCKET).key("put").uploadId(id).partNumber(1), RequestBody.fromString("p"))
                .eTag();
        assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket(BUCKET)
                        .key("put")
                        .uploadId(id)
                        .ifNoneMatch("*")
                        .multipartUpload(m -> m.parts(
                                CompletedPart.builder().partNumber(1).eTag(etag).build()))))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("put")).asUtf8String())
                .isEqualTo("one");
    }

    @Test
    void copyObjectIgnoresItsConditionalHeaders() {
        s3.putObject(b -> b.bucket(BUCKET).key("copy-src"), RequestBody.fromString("source"));
        s3.putObject(b -> b.bucket(BUCKET).key("copy-dst"), RequestBody.fromString("target"));
        s3.copyObject(b -> b.sourceBucket(BUCKET)
                .sourceKey("copy-src")
                .destinationBucket(BUCKET)
                .destinationKey("copy-dst")
                .metadataDirective(MetadataDirective.REPLACE)
                .ifNoneMatch("*"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("copy-dst")).asUtf8String())
                .isEqualTo("source");

        assertThatThrownBy(() -> s3.copyObject(b -> b.sourceBucket(BUCKET)
                        .sourceKey("copy-src")
                        .destinationBucket(BUCKET)
                        .destinationKey("copy-dst2")
                        .copySourceIfMatch("\"00\"")))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
    }

    @Test
    void partsOfAnAbortedUploadAreAccepted() {
        String id =
                s3.createMultipartUpload(b -> b.bucket(BUCKET).key("aborted")).uploadId();
        s3.abortMultipartUpload(b -> b.bucket(BUCKET).key("aborted").uploadId(id));
        assertThat(s3.uploadPart(
                                b -> b.bucket(BUCKET)
                                        .key("aborted")
                                        .uploadId(id)
                                        .partNumber(1),
                                RequestBody.fromString("x"))
                        .eTag())
                .isNotBlank();
        assertThatThrownBy(() -> s3.abortMultipartUpload(
                        b -> b.bucket(BUCKET).key("never").uploadId("unknown")))
                .isInstanceOfSatisfying(
                        S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchUpload"));
    }
}
