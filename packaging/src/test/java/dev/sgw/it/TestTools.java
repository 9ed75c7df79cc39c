package dev.sgw.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

/**
 * The third-party clients the integration tests run ({@code scripts/test-tools/install.sh} installs
 * them). A missing tool skips the test on a developer's machine and fails it where
 * {@code SGW_REQUIRE_TEST_TOOLS=1} (CI), so a test never passes by not running.
 */
public final class TestTools {

    private TestTools() {
    }

    /** The path of {@code tool}, or the test is skipped (or failed in CI) with the command that installs it. */
    public static Path require(String tool) {
        Optional<Path> found = find(tool);
        if (found.isPresent()) {
            return found.get();
        }
        String message = tool + " is not installed: run scripts/test-tools/install.sh as root";
        if ("1".equals(System.getenv("SGW_REQUIRE_TEST_TOOLS"))) {
            throw new AssertionError(message);
        }
        Assumptions.abort(message);
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
}
