package dev.sgw.dist;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import dev.sgw.EmbeddedBucket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The .deb on this machine, as an administrator uses it: {@code dpkg -i} puts the files, the user and the unit
 * in place (the unit passes {@code systemd-analyze verify}, and nothing starts), the gateway runs as user sgw
 * the way the unit runs it, serving a file over NFS from a bucket; an upgrade to a newer package keeps the data
 * and the changed configuration; {@code dpkg -r} keeps the data, {@code dpkg -P} deletes it and the user. And
 * lintian finds no errors in the package.
 *
 * <p>It installs a package named sgw system-wide, so it runs only where asked to ({@code
 * SGW_TEST_INSTALL_PACKAGE=1}, which CI's {@code .ci/run} sets), as root, and never on a machine where a
 * package sgw or a user sgw already exists.
 */
class DebPackageIT {
    private static final Path DATA = Path.of("/var/lib/sgw");
    private static final Path CONFIG = Path.of("/etc/sgw/sgw.json");

    @Test
    void installRunUpgradeRemovePurge(@TempDir Path dir) throws Exception {
        requireAMachineToInstallOn();
        Path deb = Dist.built("_amd64.deb");
        try {
            Dist.ok("dpkg", "-i", deb.toString());
            installedAsPromised();

            try (EmbeddedBucket bucket = EmbeddedBucket.start(dir.resolve("bucket"), "127.0.0.1", 0, "sgw-test")) {
                Files.writeString(CONFIG, configuration(bucket));
                int port = freePort();
                Path in = Dist.randomFile(dir, "in.bin", 4 << 20, 11);
                try (var gateway = serveAsTheUnitDoes(port)) {
                    Dist.ok("nfs-cp", in.toString(), Dist.nfsUrl(port, "/data/in.bin"));
                    assertThat(gateway.process.isAlive()).isTrue();
                }
                String configured = Files.readString(CONFIG);

                Dist.ok("dpkg", "-i", newerVersionOf(deb, dir).toString());
                assertThat(Dist.ok("dpkg-query", "-W", "-f", "${Version}", "sgw"))
                        .endsWith("+upgrade");
                assertThat(Files.readString(CONFIG))
                        .as("the changed configuration")
                        .isEqualTo(configured);
                try (var gateway = serveAsTheUnitDoes(port)) {
                    Path back = dir.resolve("back.bin");
                    Dist.ok("nfs-cp", Dist.nfsUrl(port, "/data/in.bin"), back.toString());
                    assertThat(Dist.sha256(back))
                            .as("the file written before the upgrade")
                            .isEqualTo(Dist.sha256(in));
                    assertThat(gateway.process.isAlive()).isTrue();
                }
            }

            Dist.ok("dpkg", "-r", "sgw");
            assertThat(Path.of("/usr/lib/sgw")).doesNotExist();
            assertThat(Path.of("/usr/bin/sgw")).doesNotExist();
            assertThat(DATA.resolve("state")).as("data kept by remove").isDirectory();
            assertThat(CONFIG).as("configuration kept by remove").exists();

            Dist.ok("dpkg", "-P", "sgw");
            assertThat(DATA).as("data deleted by purge").doesNotExist();
            assertThat(CONFIG).doesNotExist();
            assertThat(Dist.run(List.of("getent", "passwd", "sgw")).status())
                    .as("user sgw after purge")
                    .isNotZero();
        } finally {
            Dist.run(List.of("dpkg", "-P", "sgw"));
        }
    }

    @Test
    void lintianFindsNoErrors() throws Exception {
        Dist.require("lintian");
        Path deb = Dist.built("_amd64.deb");
        Dist.Result r = Dist.run(List.of("lintian", "--fail-on", "error", deb.toString()));
        assertThat(r.output()).as("lintian's output").doesNotContainPattern("(?m)^E: ");
        assertThat(r.status())
                .as("lintian's exit status; output:\n%s", r.output())
                .isZero();
    }

    private static void requireAMachineToInstallOn() throws Exception {
        Assumptions.assumeTrue(
                "1".equals(System.getenv("SGW_TEST_INSTALL_PACKAGE")),
                "installs a package system-wide: runs only with SGW_TEST_INSTALL_PACKAGE=1 (CI sets it)");
        assertThat(Dist.ok("id", "-u").strip())
                .as("installing the package needs root")
                .isEqualTo("0");
        Dist.require("dpkg");
        Dist.require("nfs-cp");
        assertThat(Dist.run(List.of("dpkg-query", "-W", "sgw")).status())
                .as("a package sgw is installed here already; this test would remove it")
                .isNotZero();
        assertThat(Dist.run(List.of("getent", "passwd", "sgw")).status())
                .as("a user sgw exists here already; this test would delete it")
                .isNotZero();
    }

    private static void installedAsPromised() throws Exception {
        assertThat(Path.of("/usr/bin/sgw").toRealPath()).isEqualTo(Path.of("/usr/lib/sgw/bin/sgw"));
        assertThat(Path.of("/usr/lib/sgw/runtime/bin/java")).isExecutable();
        assertThat(Dist.ok("/usr/bin/sgw", "version")).contains("/usr/lib/sgw/runtime");
        assertThat(Dist.ok("getent", "passwd", "sgw")).contains(":/var/lib/sgw:/usr/sbin/nologin");

        PosixFileAttributes data = Files.readAttributes(DATA, PosixFileAttributes.class);
        assertThat(data.owner().getName()).isEqualTo("sgw");
        assertThat(PosixFilePermissions.toString(data.permissions())).isEqualTo("rwx------");
        PosixFileAttributes config = Files.readAttributes(CONFIG, PosixFileAttributes.class);
        assertThat(config.owner().getName()).isEqualTo("root");
        assertThat(config.group().getName()).isEqualTo("sgw");
        assertThat(PosixFilePermissions.toString(config.permissions())).isEqualTo("rw-r-----");
        assertThat(Dist.ok("/usr/bin/sgw", "config", "check", CONFIG.toString()))
                .contains("valid");

        Path unit = Path.of("/lib/systemd/system/sgw.service");
        assertThat(Files.readString(unit)).contains("User=sgw", "AmbientCapabilities=CAP_NET_BIND_SERVICE");
        if (Dist.run(List.of("sh", "-c", "command -v systemd-analyze")).status() == 0) {
            Dist.ok("systemd-analyze", "verify", unit.toString());
        }
        assertThat(Dist.run(List.of("pgrep", "-u", "sgw")).status())
                .as("a gateway started by the install")
                .isNotZero();
    }

    /** {@code sgw serve} as user sgw with the unit's configuration and data directory, on loopback. */
    private static Dist.Gateway serveAsTheUnitDoes(int nfsPort) throws IOException {
        return new Dist.Gateway(new ProcessBuilder(
                "runuser",
                "-u",
                "sgw",
                "--",
                "/usr/bin/sgw",
                "serve",
                "--config",
                CONFIG.toString(),
                "--data-dir",
                DATA.toString(),
                "--bind",
                "127.0.0.1",
                "--nfs-port",
                Integer.toString(nfsPort),
                "--smb-port",
                "0",
                "--console-port",
                "0",
                "--iscsi-port",
                "0",
                "--portmap",
                "off"));
    }

    private static String configuration(EmbeddedBucket bucket) {
        return """
                // written by DebPackageIT
                {
                  "resources": [{"name": "s3", "kind": "S3", "endpoint": "%s", "region": "us-east-1",
                                 "bucket": "sgw-test", "accessKeyId": "%s", "secretAccessKey": "%s",
                                 "pathStyle": true}],
                  "cacheDisks": [{"name": "cache", "directory": "/var/lib/sgw/cache", "capacityBytes": 1073741824}],
                  "nfsShares": [{"path": "/data", "mode": "CACHE", "resource": "s3", "cacheDisk": "cache",
                                 "clients": [{"match": "127.0.0.1/32", "access": "rw"}]}],
                  "smbShares": [], "smbUsers": [], "iscsiVolumes": []
                }
                """.formatted(bucket.endpoint(), bucket.accessKey(), bucket.secretKey());
    }

    /** {@code deb} again with its version raised: what an upgrade brings. */
    private static Path newerVersionOf(Path deb, Path dir) throws Exception {
        Path tree = dir.resolve("newer");
        Dist.ok("dpkg-deb", "-R", deb.toString(), tree.toString());
        Path control = tree.resolve("DEBIAN/control");
        Files.writeString(
                control, Files.readString(control).replaceFirst("(?m)^Version: (.*)$", "Version: $1+upgrade"));
        Path newer = dir.resolve("sgw-newer.deb");
        Dist.ok("dpkg-deb", "--root-owner-group", "-Zgzip", "--build", tree.toString(), newer.toString());
        return newer;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
