package dev.sgw;

import java.nio.file.Path;
import java.util.Map;

import dev.sgw.core.manage.ManagementService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's wiring: off loopback without an admin password it stays off and the gateway runs without
 * it. No protocol server is started, so nothing listens off loopback in this test.
 */
class GatewayProcessConsoleTest {

    @Test
    void aConsoleOffLoopbackWithoutAPasswordStaysOff(@TempDir Path dir) throws Exception {
        ManagementService management = ManagementService.open(dir.resolve("state"));
        GatewayProcess process = GatewayProcess.start(
                dir.resolve("data"), management, "0.0.0.0", Map.of(), new GatewayProcess.Console(0, null));
        try {
            assertThat(process.consoleUrl()).isNull();
            assertThat(process.endpoints()).isEmpty();
        } finally {
            process.close();
        }
    }

    @Test
    void aConsoleOnLoopbackListensAndANegativePortTurnsItOff(@TempDir Path dir) throws Exception {
        ManagementService management = ManagementService.open(dir.resolve("state"));
        GatewayProcess on = GatewayProcess.start(
                dir.resolve("data"), management, "127.0.0.1", Map.of(), new GatewayProcess.Console(0, null));
        try {
            assertThat(on.consoleUrl()).startsWith("http://127.0.0.1:");
            assertThat(on.endpoints()).singleElement().satisfies(e -> {
                assertThat(e.protocol()).isEqualTo("console");
                assertThat(e.port()).isPositive();
            });
        } finally {
            on.close();
        }
        GatewayProcess off = GatewayProcess.start(
                dir.resolve("data"), management, "127.0.0.1", Map.of(), new GatewayProcess.Console(-1, null));
        try {
            assertThat(off.consoleUrl()).isNull();
        } finally {
            off.close();
        }
    }
}
