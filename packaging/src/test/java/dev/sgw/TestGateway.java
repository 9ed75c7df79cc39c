package dev.sgw;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import dev.sgw.core.manage.ManagementService;
import dev.sgw.core.spi.Endpoint;

/**
 * The gateway in the test's own JVM, wired as {@code sgw serve} wires it (every protocol server found on the
 * class path, on 127.0.0.1 with system-chosen ports), for integration tests that configure it themselves.
 */
public final class TestGateway implements AutoCloseable {

    /** What a test configures before the gateway starts. */
    @FunctionalInterface
    public interface Setup {
        void apply(ManagementService management) throws IOException;
    }

    private final ManagementService management;
    private final GatewayProcess process;

    private TestGateway(ManagementService management, GatewayProcess process) {
        this.management = management;
        this.process = process;
    }

    /** Starts on {@code dir} (state, metadata and data under it) after {@code setup} has configured it. */
    public static TestGateway start(Path dir, Setup setup) throws IOException {
        System.setProperty("sgw.nfs.portmap", "off"); // tests must not take the host's port 111
        ManagementService management = ManagementService.open(dir.resolve("state"));
        setup.apply(management);
        GatewayProcess process = GatewayProcess.start(
                dir.resolve("data"), management, "127.0.0.1", Map.of("nfs", 0, "smb", 0, "iscsi", 0), null);
        return new TestGateway(management, process);
    }

    public ManagementService management() {
        return management;
    }

    /** The port {@code protocol} ("iscsi", "nfs", ...) listens on. */
    public int port(String protocol) {
        return process.endpoints().stream()
                .filter(e -> e.protocol().equals(protocol))
                .mapToInt(Endpoint::port)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + protocol + " server is running"));
    }

    /** Waits up to {@code timeout} for everything written to be in the bucket; false if time ran out. */
    public boolean drain(java.time.Duration timeout) throws InterruptedException {
        return process.runtime().drain(timeout);
    }

    @Override
    public void close() {
        process.close();
    }
}
