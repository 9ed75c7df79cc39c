package dev.sgw.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.assertThat;

/** What the distribution's tests share: the built files, running commands, a gateway process, libnfs copies. */
final class Dist {
    static final Path OUT = Path.of("target", "dist").toAbsolutePath();

    private Dist() {}

    /** The one file in target/dist whose name ends with {@code suffix}. */
    static Path built(String suffix) throws IOException {
        try (var files = Files.list(OUT)) {
            List<Path> found = files.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .toList();
            assertThat(found).as("the build's %s in %s", suffix, OUT).hasSize(1);
            return found.getFirst();
        }
    }

    /** Aborts the test (fails it in CI: SGW_REQUIRE_TEST_TOOLS=1) when {@code tool} is not on PATH. */
    static void require(String tool) throws IOException, InterruptedException {
        if (run(List.of("sh", "-c", "command -v " + tool)).status() != 0) {
            String message = tool + " is not installed (scripts/test-tools/install.sh installs it)";
            if ("1".equals(System.getenv("SGW_REQUIRE_TEST_TOOLS"))) {
                throw new AssertionError(message);
            }
            Assumptions.abort(message);
        }
    }

    record Result(int status, String output) {}

    /** Runs {@code command} to its end (at most 5 minutes, no input), its output and errors together. */
    static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("did not end: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Runs {@code command} and fails unless it exits 0; its output. */
    static String ok(String... command) throws IOException, InterruptedException {
        Result r = run(List.of(command));
        assertThat(r.status())
                .as("%s exit status; output:\n%s", String.join(" ", command), r.output())
                .isZero();
        return r.output();
    }

    /** A gateway process that printed {@code sgw ready}; closing sends SIGTERM and waits for it to stop. */
    static final class Gateway implements AutoCloseable {
        final Process process;
        final List<String> output = Collections.synchronizedList(new ArrayList<>());

        Gateway(ProcessBuilder builder) throws IOException {
            process = builder.redirectErrorStream(true).start();
            BufferedReader lines =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null && !line.equals("sgw ready")) {
                output.add(line);
            }
            if (line == null) {
                process.destroyForcibly();
                throw new IOException("the gateway did not get ready:\n" + String.join("\n", output));
            }
            Thread.ofVirtual().start(() -> lines.lines().forEach(output::add));
        }

        @Override
        public void close() throws IOException {
            process.toHandle().destroy();
            try {
                if (!process.waitFor(3, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IOException("the gateway did not stop:\n" + String.join("\n", output));
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** libnfs's URL of {@code path} on an NFSv3 server at 127.0.0.1:{@code port} (NFS and MOUNT on one port). */
    static String nfsUrl(int port, String path) {
        return "nfs://127.0.0.1" + path + "?version=3&nfsport=" + port + "&mountport=" + port;
    }

    /** Random bytes written to a new file in {@code dir}. */
    static Path randomFile(Path dir, String name, int size, long seed) throws IOException {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return Files.write(dir.resolve(name), data);
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
