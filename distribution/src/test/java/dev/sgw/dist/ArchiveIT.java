package dev.sgw.dist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The self-contained archive on a machine without Java: unpacked into an empty directory, its {@code bin/sgw
 * demo} runs with no JDK on PATH and no JAVA_HOME, gets ready, and serves a file copied in and out over NFS
 * with libnfs.
 */
class ArchiveIT {

    @Test
    void theUnpackedArchiveRunsTheDemoWithoutAJdkAndServesNfs(@TempDir Path dir) throws Exception {
        Dist.require("nfs-cp");
        Path archive = Dist.built("-linux-x86_64.tar.gz");
        Path unpacked = Files.createDirectory(dir.resolve("unpacked"));
        Dist.ok("tar", "-xzf", archive.toString(), "-C", unpacked.toString());
        Path home;
        try (var top = Files.list(unpacked)) {
            home = top.findFirst().orElseThrow();
        }
        assertThat(home.resolve("runtime/bin/java")).isExecutable();
        String version = Dist.ok(home.resolve("bin/sgw").toString(), "version");
        assertThat(version)
                .startsWith("sgw ")
                .as("the runtime it runs on")
                .contains(home.resolve("runtime").toString());

        ProcessBuilder demo = new ProcessBuilder(
                home.resolve("bin/sgw").toString(),
                "demo",
                "--data-dir",
                dir.resolve("data").toString(),
                "--bind",
                "127.0.0.1",
                "--nfs-port",
                "0",
                "--smb-port",
                "0",
                "--console-port",
                "0",
                "--iscsi-port",
                "0",
                "--s3-port",
                "0",
                "--portmap",
                "off");
        Map<String, String> env = demo.environment();
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", dir.toString());
        try (var gateway = new Dist.Gateway(demo)) {
            Properties values = new Properties();
            try (var in = Files.newBufferedReader(dir.resolve("data/demo.env"))) {
                values.load(in);
            }
            int port = Integer.parseInt(values.getProperty("NFS_PORT"));
            Path in = Dist.randomFile(dir, "in.bin", 8 << 20, 7);
            Dist.ok("nfs-cp", in.toString(), Dist.nfsUrl(port, "/demo/in.bin"));
            Path back = dir.resolve("back.bin");
            Dist.ok("nfs-cp", Dist.nfsUrl(port, "/demo/in.bin"), back.toString());
            assertThat(Dist.sha256(back)).isEqualTo(Dist.sha256(in));
            assertThat(gateway.output).noneMatch(line -> line.contains("No SLF4J providers"));
        }
    }
}
