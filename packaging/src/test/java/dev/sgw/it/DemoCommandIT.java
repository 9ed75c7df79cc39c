package dev.sgw.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code sgw demo} in a child JVM, as a user starts it: it gets ready, its bucket answers an S3 client, SIGTERM stops it. */
class DemoCommandIT {

    @Test
    void demoStartsTheEmbeddedBucketWritesDemoEnvAndStopsOnSigterm(@TempDir Path dir) throws Exception {
        try (DemoGateway demo = DemoGateway.start(dir)) {
            String output = String.join("\n", demo.output());
            assertThat(demo.env("SMB_PASSWORD")).hasSize(16);
            for (String key : new String[] {
                "S3_BUCKET", "S3_ACCESS_KEY", "SMB_USER", "S3_PORT", "NFS_PORT", "SMB_PORT", "ISCSI_PORT"
            }) {
                assertThat(demo.env(key)).as(key).isNotEmpty();
            }
            assertThat(output)
                    .contains(
                            demo.env("SMB_PASSWORD"),
                            demo.env("ISCSI_TARGET"),
                            demo.env("S3_ENDPOINT"),
                            demo.env("S3_SECRET_KEY"),
                            "mount -t nfs -o vers=4.1,port=" + demo.env("NFS_PORT"),
                            demo.env("CONSOLE_URL"),
                            demo.env("CONSOLE_PASSWORD"));
            assertConsoleServesTheDemo(demo);

            try (S3Client s3 = client(demo, demo.env("S3_SECRET_KEY"));
                    S3Client wrong = client(demo, "not-the-secret")) {
                String bucket = demo.env("S3_BUCKET");
                s3.putObject(b -> b.bucket(bucket).key("hello.txt"), RequestBody.fromString("hello"));
                assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("hello.txt"))
                                .asUtf8String())
                        .isEqualTo("hello");
                assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("volumes/demo/volume.json"))
                                .asUtf8String())
                        .as("the demo volume is created in the bucket")
                        .contains("\"capacity\":1073741824");
                assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
                                        S3Exception.class, () -> wrong.listObjectsV2(b -> b.bucket(bucket)))
                                .statusCode())
                        .isEqualTo(403);
            }
        }
    }

    @Test
    void demoStopsCleanlyAndStartsAgainOnTheSameDataDirectory(@TempDir Path dir) throws Exception {
        String firstPassword = null;
        for (int round = 1; round <= 2; round++) {
            DemoGateway demo = DemoGateway.start(dir);
            if (firstPassword == null) {
                firstPassword = demo.env("SMB_PASSWORD");
            }
            assertThat(demo.env("SMB_PASSWORD"))
                    .as("the demo user keeps its password")
                    .isEqualTo(firstPassword);
            demo.close(); // SIGTERM, then wait
            assertThat(demo.exitValue()).as("round %d", round).isIn(0, 143);
            assertThat(demo.output())
                    .as("round %d", round)
                    .contains("sgw: everything is in the bucket", "sgw: stopped");
        }
    }

    @Test
    void aSecondGatewayOnTheSameDataDirectoryIsRefusedAndChangesNothing(@TempDir Path dir) throws Exception {
        try (DemoGateway demo = DemoGateway.start(dir)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("demo.env"))))
                    .as("demo.env holds secrets")
                    .isEqualTo("rw-------");
            Map<Path, String> before = digests(dir.resolve("state"));
            before.putAll(digests(dir.resolve("demo.env")));

            assertThatThrownBy(() -> DemoGateway.start(dir))
                    .hasMessageContaining("data directory " + dir.toRealPath() + " is in use")
                    .hasMessageContaining("PID " + demo.pid());

            Map<Path, String> after = digests(dir.resolve("state"));
            after.putAll(digests(dir.resolve("demo.env")));
            assertThat(after).isEqualTo(before);
            try (S3Client s3 = demo.s3()) {
                assertThat(s3.listObjectsV2(b -> b.bucket(demo.env("S3_BUCKET")))
                                .contents())
                        .as("the first gateway still serves")
                        .isNotEmpty();
            }
        }
    }

    @Test
    void aTakenPortIsNamedWithItsProtocolBeforeTheGatewayStarts(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> DemoGateway.start(dir, "--iscsi-port", Integer.toString(port)))
                    .hasMessageContaining("the ISCSI port " + port + " on 127.0.0.1 is in use")
                    .hasMessageContaining("--iscsi-port");
        }
    }

    private static Map<Path, String> digests(Path root) throws IOException {
        Map<Path, String> digests = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                digests.put(f, HexFormat.of().formatHex(sha256(Files.readAllBytes(f))));
            }
        }
        return digests;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static S3Client client(DemoGateway demo, String secret) {
        return S3Client.builder()
                .endpointOverride(URI.create(demo.env("S3_ENDPOINT")))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(demo.env("S3_ACCESS_KEY"), secret)))
                .build();
    }

    /** The console of the demo: its password logs in, and the status lists the demo's share and volume. */
    private static void assertConsoleServesTheDemo(DemoGateway demo) throws Exception {
        ConsoleSession console = ConsoleSession.login(demo);
        HttpResponse<String> status = console.get("api/v1/status");
        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
        assertThat(status.body()).contains("\"/demo\"", "\"state\":\"online\"", "\"iscsi\"");
        HttpResponse<String> metrics = console.get("metrics");
        assertThat(metrics.body()).contains("sgw_writeback_pending_items", "jvm_memory_used_bytes");
    }
}
