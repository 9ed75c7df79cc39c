package dev.sgw.smb.server;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;

import dev.sgw.core.spi.Endpoint;
import dev.sgw.core.spi.ProtocolContext;
import dev.sgw.core.spi.ProtocolServer;
import dev.sgw.smb.SmbService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server as the gateway wires it: found by ServiceLoader as "smb", bound on port 0, stopped cleanly. */
class SmbServerTest {
    @TempDir
    Path dir;

    @Test
    void theGatewayFindsItStartsItAndStopsIt() throws Exception {
        ProtocolServer server = ServiceLoader.load(ProtocolServer.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(s -> s.protocol().equals("smb"))
                .findFirst()
                .orElseThrow();
        assertThat(server).isInstanceOf(SmbService.class);
        TestGateway gateway = new TestGateway();
        server.start(new ProtocolContext(
                new InetSocketAddress("127.0.0.1", 0), gateway, new SimpleMeterRegistry(), gateway, dir));
        Endpoint e = server.endpoints().get(0);
        assertThat(e.protocol()).isEqualTo("smb");
        assertThat(e.host()).isEqualTo("127.0.0.1");
        assertThat(Files.readString(dir.resolve(SmbServer.GUID_FILE)).trim()).hasSize(32);
        assertThatThrownBy(() -> server.start(new ProtocolContext(
                        new InetSocketAddress("127.0.0.1", 0), gateway, new SimpleMeterRegistry(), gateway, dir)))
                .isInstanceOf(IllegalStateException.class);
        server.close();
        server.close();
        assertThat(server.endpoints()).isEmpty();
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress("127.0.0.1", e.port()));
            assertThat(again.isBound()).as("the port is free again").isTrue();
        }
    }

    @Test
    void aPortInUseFailsTheStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            ProtocolServer server = new SmbService();
            TestGateway gateway = new TestGateway();
            assertThatThrownBy(() -> server.start(new ProtocolContext(
                            new InetSocketAddress("127.0.0.1", taken.getLocalPort()),
                            gateway,
                            new SimpleMeterRegistry(),
                            gateway,
                            dir)))
                    .isInstanceOf(java.io.IOException.class);
            server.close();
        }
    }
}
