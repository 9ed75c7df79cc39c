package dev.sgw;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** {@code sgw demo} in a child JVM, as a user starts it: it gets ready, its bucket answers an S3 client, SIGTERM stops it. */
class DemoCommandTest {

    @Test
    void demoStartsTheEmbeddedBucketWritesDemoEnvAndStopsOnSigterm(@TempDir Path dir) throws Exception {
        Process demo = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                SgwCommand.class.getName(), "demo", "--data-dir", dir.toString(), "--s3-port", "0")
                .redirectErrorStream(true)
                .start();
        List<String> output = new ArrayList<>();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null && !line.equals("sgw ready")) {
                output.add(line);
            }
            assertThat(line).as("output: %s", output).isEqualTo("sgw ready");

            Properties env = new Properties();
            try (var in = Files.newBufferedReader(dir.resolve("demo.env"))) {
                env.load(in);
            }
            assertThat(env.stringPropertyNames()).contains("S3_ENDPOINT", "S3_BUCKET", "S3_ACCESS_KEY", "S3_SECRET_KEY",
                    "SMB_USER", "SMB_PASSWORD", "ISCSI_TARGET", "S3_PORT", "NFS_PORT", "SMB_PORT", "ISCSI_PORT");
            assertThat(env.getProperty("SMB_PASSWORD")).hasSize(16);
            assertThat(String.join("\n", output)).contains(env.getProperty("SMB_PASSWORD"), env.getProperty("ISCSI_TARGET"));
            assertThat(String.join("\n", output)).contains(env.getProperty("S3_ENDPOINT"), env.getProperty("S3_SECRET_KEY"));

            try (S3Client s3 = client(env, env.getProperty("S3_SECRET_KEY"));
                 S3Client wrong = client(env, "not-the-secret")) {
                String bucket = env.getProperty("S3_BUCKET");
                s3.putObject(b -> b.bucket(bucket).key("hello.txt"), RequestBody.fromString("hello"));
                assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("hello.txt")).asUtf8String()).isEqualTo("hello");
                assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("volumes/demo/volume.json")).asUtf8String())
                        .as("the demo volume is created in the bucket").contains("\"capacity\":1073741824");
                assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(S3Exception.class,
                        () -> wrong.listObjectsV2(b -> b.bucket(bucket))).statusCode()).isEqualTo(403);
            }
        } finally {
            demo.destroy(); // SIGTERM
            assertThat(demo.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(demo.exitValue()).isIn(0, 143);
    }

    @Test
    void demoStopsCleanlyAndStartsAgainOnTheSameDataDirectory(@TempDir Path dir) throws Exception {
        String firstPassword = null;
        for (int round = 1; round <= 2; round++) {
            Process demo = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    SgwCommand.class.getName(), "demo", "--data-dir", dir.toString(), "--s3-port", "0",
                    "--nfs-port", "0", "--portmap", "off", "--smb-port", "0", "--iscsi-port", "0")
                    .redirectErrorStream(true)
                    .start();
            List<String> output = new ArrayList<>();
            BufferedReader lines = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null && !line.equals("sgw ready")) {
                output.add(line);
            }
            assertThat(line).as("round %d output: %s", round, output).isEqualTo("sgw ready");
            Properties env = new Properties();
            try (var in = Files.newBufferedReader(dir.resolve("demo.env"))) {
                env.load(in);
            }
            if (firstPassword == null) {
                firstPassword = env.getProperty("SMB_PASSWORD");
            }
            assertThat(env.getProperty("SMB_PASSWORD")).as("the demo user keeps its password").isEqualTo(firstPassword);
            // SIGTERM without closing our end of its output (Process.destroy would)
            assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(demo.pid())).start().waitFor()).isZero();
            List<String> after = new ArrayList<>();
            while ((line = lines.readLine()) != null) {
                after.add(line);
            }
            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(after).as("round %d", round).contains("sgw: everything is in the bucket", "sgw: stopped");
        }
    }

    private static S3Client client(Properties env, String secret) {
        return S3Client.builder()
                .endpointOverride(URI.create(env.getProperty("S3_ENDPOINT")))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(env.getProperty("S3_ACCESS_KEY"), secret)))
                .build();
    }
}
