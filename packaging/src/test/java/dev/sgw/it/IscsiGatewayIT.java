package dev.sgw.it;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.sgw.EmbeddedBucket;
import dev.sgw.TestGateway;
import dev.sgw.core.manage.BackendKind;
import dev.sgw.core.manage.CacheDiskConfig;
import dev.sgw.core.manage.ChapCredentials;
import dev.sgw.core.manage.CloudResource;
import dev.sgw.core.manage.IscsiVolume;
import dev.sgw.core.manage.ManagementService;
import dev.sgw.core.manage.Secret;
import dev.sgw.core.volume.VolumeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * sgw's iSCSI target through libiscsi's tools and fio's libiscsi engine, as a user meets it: the demo volume
 * is listed and described, random data written through a real initiator reads back after the gateway is
 * killed with SIGKILL and restarted, its chunks reach the bucket, a second gateway with fresh local state
 * recovers the same bytes from the bucket, and CHAP refuses a wrong secret.
 */
class IscsiGatewayIT {

    private static final Duration FIO_TIMEOUT = Duration.ofMinutes(4);
    private static final String[] RANDOM_WRITE = {
        "--rw=randwrite", "--bs=4k", "--iodepth=16", "--size=32m", "--verify=crc32c", "--verify_fatal=1"
    };

    @Test
    void theDemoVolumeKeepsWhatAnInitiatorWroteThroughKillNineAndItsChunksReachTheBucket(@TempDir Path dir)
            throws Exception {
        TestTools.require("iscsi-ls");
        TestTools.requireFio();
        Path data = dir.resolve("demo");
        String url;
        try (DemoGateway demo = DemoGateway.start(data)) {
            String portal = "iscsi://127.0.0.1:" + demo.port("ISCSI_PORT");
            url = portal + "/" + demo.env("ISCSI_TARGET") + "/0";
            assertThat(Command.run("iscsi-ls", "-s", portal)).as("iscsi-ls -s").contains(demo.env("ISCSI_TARGET"));
            assertThat(Command.run("iscsi-inq", url)).as("iscsi-inq").contains("SGW", "sgw volume");
            assertThat(Command.run("iscsi-readcapacity16", url))
                    .as("iscsi-readcapacity16")
                    .contains("1073741824");

            Fio.Report written = Fio.onIscsi(url, FIO_TIMEOUT, with(RANDOM_WRITE, "--do_verify=1"));
            assertThat(written.exitStatus()).as(written.output()).isZero();
            assertThat(written.job("job").write().ioBytes()).isEqualTo(32L << 20);
            demo.kill();
        }
        try (DemoGateway demo = DemoGateway.start(data)) {
            Fio.Report verified = Fio.onIscsi(
                    url.replaceFirst(":\\d+/", ":" + demo.port("ISCSI_PORT") + "/"),
                    FIO_TIMEOUT,
                    with(RANDOM_WRITE, "--verify_only"));
            assertThat(verified.exitStatus())
                    .as("verify after kill -9 and restart:\n%s", verified.output())
                    .isZero();
            assertThat(verified.job("job").read().ioBytes()).isEqualTo(32L << 20);

            try (S3Client s3 = demo.s3()) {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                int chunks = 0;
                while (chunks < 32 && System.nanoTime() < deadline) {
                    chunks = s3
                            .listObjectsV2Paginator(
                                    b -> b.bucket(demo.env("S3_BUCKET")).prefix("volumes/demo/data/"))
                            .contents()
                            .stream()
                            .mapToInt(o -> 1)
                            .sum();
                    Thread.sleep(500);
                }
                assertThat(chunks)
                        .as("1 MiB chunk objects of the 32 MiB written")
                        .isGreaterThanOrEqualTo(32);
            }
        }
    }

    @Test
    void aGatewayWithFreshLocalStateRecoversTheVolumeFromTheBucket(@TempDir Path dir) throws Exception {
        TestTools.requireFio();
        try (EmbeddedBucket bucket = EmbeddedBucket.start(dir.resolve("bucket"), "127.0.0.1", 0, "recovery")) {
            try (TestGateway first = TestGateway.start(
                    dir.resolve("first"), m -> configure(m, bucket, dir.resolve("first-cache"), false))) {
                Fio.Report written =
                        Fio.onIscsi(url(first.port("iscsi"), "vol"), FIO_TIMEOUT, with(RANDOM_WRITE, "--do_verify=1"));
                assertThat(written.exitStatus()).as(written.output()).isZero();
                assertThat(first.drain(Duration.ofMinutes(2)))
                        .as("everything uploaded")
                        .isTrue();
            }
            try (TestGateway second = TestGateway.start(
                    dir.resolve("second"), m -> configure(m, bucket, dir.resolve("second-cache"), true))) {
                Fio.Report verified =
                        Fio.onIscsi(url(second.port("iscsi"), "vol"), FIO_TIMEOUT, with(RANDOM_WRITE, "--verify_only"));
                assertThat(verified.exitStatus())
                        .as("verify on the recovered volume:\n%s", verified.output())
                        .isZero();
                assertThat(verified.job("job").read().ioBytes()).isEqualTo(32L << 20);
            }
        }
    }

    @Test
    void chapLetsTheRightSecretInAndRefusesAWrongOne(@TempDir Path dir) throws Exception {
        TestTools.require("iscsi-inq");
        try (TestGateway gateway = TestGateway.start(dir, m -> {
            m.createResource(new CloudResource(
                    "mem", BackendKind.MEMORY, (URI) null, null, "chap", "", null, (Secret) null, false));
            m.createCacheDisk(CacheDiskConfig.of("cache", Files.createDirectories(dir.resolve("cache")), 1L << 30));
            m.createIscsiVolume(IscsiVolume.builder("locked")
                    .capacityBytes(64L << 20)
                    .resource("mem")
                    .mode(VolumeMode.CACHE)
                    .cacheDisk("cache")
                    .chap(ChapCredentials.of("backup-host", "right-secret-1"))
                    .build());
        })) {
            String target = "127.0.0.1:" + gateway.port("iscsi") + "/iqn.2026-11.dev.sgw:locked/0";
            assertThat(Command.run("iscsi-inq", "iscsi://backup-host%right-secret-1@" + target))
                    .contains("SGW");
            Command.Result wrong = Command.exec("iscsi-inq", "iscsi://backup-host%wrong-secret-1@" + target);
            assertThat(wrong.exit()).as(wrong.output()).isNotZero();
            assertThat(wrong.output()).containsIgnoringCase("auth");
            Command.Result none = Command.exec("iscsi-inq", "iscsi://" + target);
            assertThat(none.exit()).as("no CHAP at all: %s", none.output()).isNotZero();
        }
    }

    @Test
    void aGrownVolumeShowsItsNewSizeLiveAndAfterARestartWithItsData(@TempDir Path dir) throws Exception {
        TestTools.require("iscsi-readcapacity16");
        TestTools.requireFio();
        Path state = dir.resolve("gateway");
        try (EmbeddedBucket bucket = EmbeddedBucket.start(dir.resolve("bucket"), "127.0.0.1", 0, "recovery")) {
            try (TestGateway gateway =
                    TestGateway.start(state, m -> configure(m, bucket, dir.resolve("cache"), false))) {
                String url = url(gateway.port("iscsi"), "vol");
                Fio.Report written = Fio.onIscsi(url, FIO_TIMEOUT, with(RANDOM_WRITE, "--do_verify=1"));
                assertThat(written.exitStatus()).as(written.output()).isZero();
                assertThat(Command.run("iscsi-readcapacity16", url)).contains(Long.toString(256L << 20));

                gateway.management().updateIscsiVolume(grown(gateway.management(), 384L << 20));
                assertThat(Command.run("iscsi-readcapacity16", url))
                        .as("grown while running")
                        .contains(Long.toString(384L << 20));
            }
            try (TestGateway gateway = TestGateway.start(
                    state, m -> m.updateIscsiVolume(grown(m, 512L << 20)))) { // grown while the gateway was down
                String url = url(gateway.port("iscsi"), "vol");
                assertThat(Command.run("iscsi-readcapacity16", url))
                        .as("grown across a restart")
                        .contains(Long.toString(512L << 20));
                Fio.Report verified = Fio.onIscsi(url, FIO_TIMEOUT, with(RANDOM_WRITE, "--verify_only"));
                assertThat(verified.exitStatus())
                        .as("the data written before both grows:\n%s", verified.output())
                        .isZero();
            }
        }
    }

    /** Volume "vol" as {@link #configure} made it, with {@code capacity} bytes. */
    private static IscsiVolume grown(ManagementService m, long capacity) {
        IscsiVolume v = m.iscsiVolume("vol");
        return IscsiVolume.builder(v.name())
                .capacityBytes(capacity)
                .resource(v.resource())
                .mode(v.mode())
                .cacheDisk(v.cacheDisk())
                .build();
    }

    private static void configure(ManagementService m, EmbeddedBucket bucket, Path cache, boolean recover)
            throws IOException {
        m.createResource(new CloudResource(
                "bucket",
                BackendKind.S3,
                bucket.endpoint(),
                "us-east-1",
                "recovery",
                "",
                bucket.accessKey(),
                Secret.of(bucket.secretKey()),
                true));
        m.createCacheDisk(CacheDiskConfig.of("cache", Files.createDirectories(cache), 1L << 30));
        m.createIscsiVolume(IscsiVolume.builder("vol")
                .capacityBytes(256L << 20)
                .resource("bucket")
                .mode(VolumeMode.CACHE)
                .cacheDisk("cache")
                .recover(recover)
                .build());
    }

    private static String url(int port, String volume) {
        return "iscsi://127.0.0.1:" + port + "/iqn.2026-11.dev.sgw:" + volume + "/0";
    }

    private static String[] with(String[] options, String more) {
        List<String> all = new ArrayList<>(List.of(options));
        all.add(more);
        return all.toArray(String[]::new);
    }
}
