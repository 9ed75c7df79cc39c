package dev.sgw.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * The third-party clients the integration tests run ({@code scripts/test-tools/install.sh} installs
 * them). A missing tool skips the test on a developer's machine and fails it where
 * {@code SGW_REQUIRE_TEST_TOOLS=1} (CI), so a test never passes by not running.
 *
 * <p>Some tools are built rather than installed, into the work directory {@code SGW_TEST_TOOLS_DIR}
 * (default {@code ~/.cache/sgw-test-tools}): fio with the libiscsi and nfs engines ({@code build-fio.sh}) and the
 * test guest's kernel and initramfs ({@code vm/build.sh}).
 */
public final class TestTools {

    private TestTools() {}

    /** The path of {@code tool}, or the test is skipped (or failed in CI) with the command that installs it. */
    public static Path require(String tool) {
        Optional<Path> found = find(tool);
        if (found.isPresent()) {
            return found.get();
        }
        missing(tool + " is not installed: run scripts/test-tools/install.sh as root");
        throw new AssertionError("unreachable");
    }

    public static Optional<Path> find(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        for (String dir : new String[] {"/usr/sbin", "/sbin", "/usr/bin"}) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Where the test-tool scripts build and keep their state; the same rule as {@code scripts/test-tools/lib.sh}. */
    public static Path workDir() {
        String dir = System.getenv("SGW_TEST_TOOLS_DIR");
        if (dir != null && !dir.isEmpty()) {
            return Path.of(dir);
        }
        String home = System.getenv().getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".cache", "sgw-test-tools");
    }

    /** The fio that {@code build-fio.sh} built, checked to have the libiscsi and nfs engines. */
    public static Path requireFio() {
        Path fio = workDir().resolve("bin/fio");
        if (!Files.isExecutable(fio) || !hasEngines(fio, "libiscsi", "nfs")) {
            missing("fio with the libiscsi and nfs engines is not built: run scripts/test-tools/build-fio.sh");
        }
        return fio;
    }

    /** {@code vm/run.sh}, once qemu and socat are installed and {@code vm/build.sh} built the guest. */
    public static Path requireGuest() {
        require("qemu-system-x86_64");
        require("socat");
        Path vm = workDir().resolve("vm");
        if (!Files.isRegularFile(vm.resolve("kernel-version"))
                || !Files.isRegularFile(vm.resolve("initramfs.cpio.gz"))) {
            missing("the test guest is not built: run scripts/test-tools/vm/build.sh");
        }
        return script("vm/run.sh");
    }

    /** A file of {@code scripts/test-tools}, e.g. {@code vm/guest/iscsi.sh}. */
    public static Path script(String relative) {
        return repository().resolve("scripts/test-tools").resolve(relative);
    }

    /** The repository's root: the nearest directory above the working directory that has {@code scripts/test-tools}. */
    public static Path repository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("scripts/test-tools/lib.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "no scripts/test-tools/lib.sh above " + Path.of("").toAbsolutePath());
    }

    private static boolean hasEngines(Path fio, String... wanted) {
        try {
            Process help = new ProcessBuilder(fio.toString(), "--enghelp")
                    .redirectErrorStream(true)
                    .start();
            String engines = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!help.waitFor(30, TimeUnit.SECONDS)) {
                help.destroyForcibly();
                return false;
            }
            List<String> listed = engines.lines().map(String::strip).toList();
            return listed.containsAll(List.of(wanted));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void missing(String message) {
        if ("1".equals(System.getenv("SGW_REQUIRE_TEST_TOOLS"))) {
            throw new AssertionError(message);
        }
        Assumptions.abort(message);
    }
}
