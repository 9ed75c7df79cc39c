package dev.sgw.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.sgw.SgwCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sgw serve --config FILE} in a child JVM: a valid file starts a gateway, an invalid one is refused with every problem. */
class ServeCommandIT {

    static Process serve(Path dir, Path config, String... extraArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SgwCommand.class.getName(),
                "serve",
                "--config",
                config.toString(),
                "--data-dir",
                dir.resolve("data").toString(),
                "--nfs-port",
                "0",
                "--smb-port",
                "0",
                "--iscsi-port",
                "0",
                "--console-port",
                "0"));
        command.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("SGW_CONSOLE_PASSWORD");
        return builder.start();
    }

    @Test
    void servesAValidConfiguration(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("sgw.json");
        Files.writeString(config, """
                {
                  "resources": [{"name": "mem", "kind": "MEMORY", "bucket": "trial"}],
                  "cacheDisks": [{"name": "disk", "directory": "%s", "capacityBytes": 268435456}],
                  "nfsShares": [{"path": "/files", "mode": "CACHE", "resource": "mem", "cacheDisk": "disk",
                                 "clients": [{"match": "127.0.0.1", "access": "rw"}]}],
                  "iscsiVolumes": [{"name": "disk1", "capacityBytes": 67108864, "resource": "mem", "cacheDisk": "disk"}]
                }
                """.formatted(dir.resolve("cache")));
        Process p = serve(dir, config);
        List<String> output = new ArrayList<>();
        try {
            BufferedReader lines =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null && !line.equals("sgw ready")) {
                output.add(line);
            }
            assertThat(line).as("output: %s", output).isEqualTo("sgw ready");
            assertThat(String.join("\n", output))
                    .contains("share /files open", "iSCSI volume disk1 open", "console at http://127.0.0.1:");
        } finally {
            p.destroy();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(dir.resolve("data/state/gateway-state.json")))
                .contains("/files", "disk1");
    }

    @Test
    void refusesAnInvalidConfigurationNamingEveryProblem(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("bad.json");
        Files.writeString(config, """
                {
                  "resources": [{"name": "mem", "kind": "MEMORY", "bucket": "X"}],
                  "nfsShares": [{"path": "/files", "mode": "CACHE", "resource": "nope", "cacheDisk": "disk",
                                 "clients": [{"match": "*", "access": "rw"}]}]
                }
                """);
        Process p = serve(dir, config);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(output)
                .contains("bad.json", "bucket", "nope")
                .doesNotContain("sgw ready")
                .doesNotContain("Exception");
    }
}
