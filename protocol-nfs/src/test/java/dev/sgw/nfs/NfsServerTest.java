package dev.sgw.nfs;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.manage.ManagementService;
import dev.sgw.core.spi.Endpoint;
import dev.sgw.core.spi.ProtocolContext;
import dev.sgw.nfs.mount.MountProgram;
import dev.sgw.nfs.portmap.PortmapProgram;
import dev.sgw.nfs.portmap.Registration;
import dev.sgw.nfs.portmap.RpcbindClient;
import dev.sgw.nfs.rpc.RpcTestClient;
import dev.sgw.nfs.xdr.XdrEncoder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NfsServerTest {
    @TempDir
    Path dir;

    private NfsServer server;
    private ManagementService management;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private List<Endpoint> start(String portmap) throws Exception {
        management = ManagementService.open(dir);
        server = new NfsServer((access, state) -> List.of(), portmap);
        server.start(new ProtocolContext(
                new InetSocketAddress("127.0.0.1", 0),
                new ListDirectory(),
                new SimpleMeterRegistry(),
                management,
                dir));
        return server.endpoints();
    }

    private static int port(List<Endpoint> endpoints, String protocol) {
        return endpoints.stream()
                .filter(e -> e.protocol().equals(protocol))
                .findFirst()
                .orElseThrow()
                .port();
    }

    private static long getport(int portmapPort, int program, int version) throws Exception {
        try (RpcTestClient client = new RpcTestClient(new InetSocketAddress("127.0.0.1", portmapPort))) {
            byte[] args = ByteBufUtil.getBytes(new XdrEncoder()
                    .writeInt(program)
                    .writeInt(version)
                    .writeInt(6)
                    .writeInt(0)
                    .buffer());
            return client.call(PortmapProgram.PROGRAM, 2, 3, args)
                    .get(5, TimeUnit.SECONDS)
                    .decoder()
                    .readUnsignedInt();
        }
    }

    @Test
    void mountAndPortmapShareTheNfsPortAndAPortmapListenerPointsThere() throws Exception {
        List<Endpoint> endpoints = start("0");
        int nfs = port(endpoints, "nfs");
        assertThat(port(endpoints, "mount")).isEqualTo(nfs);
        int portmap = port(endpoints, "portmap");
        assertThat(portmap).isNotEqualTo(nfs);
        assertThat(getport(portmap, MountProgram.PROGRAM, 3)).isEqualTo(nfs);
        assertThat(getport(portmap, MountProgram.PROGRAM, 1)).isEqualTo(nfs);
        assertThat(getport(nfs, MountProgram.PROGRAM, 3))
                .as("portmap answers on the NFS port too")
                .isEqualTo(nfs);
        assertThat(getport(portmap, PortmapProgram.PROGRAM, 2)).isEqualTo(portmap);
        assertThat(getport(portmap, NfsProgram.PROGRAM, 3))
                .as("no NFS version in this server")
                .isZero();
    }

    @Test
    void withPortmapOffEverythingIsOnTheNfsPort() throws Exception {
        List<Endpoint> endpoints = start("off");
        assertThat(port(endpoints, "portmap")).isEqualTo(port(endpoints, "nfs"));
        server.close();
        assertThat(server.endpoints()).isEmpty();
    }

    @Test
    void rpcbindClientRegistersAndUnregistersOverTcp() throws Exception {
        int portmap = port(start("0"), "portmap");
        RpcbindClient client = RpcbindClient.at(new InetSocketAddress("127.0.0.1", portmap));
        Registration r = new Registration(
                400_100, 1, "tcp", Registration.uaddr(java.net.InetAddress.getLoopbackAddress(), 4321), "superuser");
        assertThat(client.register(List.of(r))).isEmpty();
        assertThat(getport(portmap, 400_100, 1)).isEqualTo(4321);
        Registration other = new Registration(
                400_100, 1, "tcp", Registration.uaddr(java.net.InetAddress.getLoopbackAddress(), 4322), "superuser");
        assertThat(client.register(List.of(other))).as("already registered").containsExactly(other);
        client.unregister(List.of(r));
        assertThat(getport(portmap, 400_100, 1)).isZero();
    }

    @Test
    void anUnreachableRpcbindIsAnIoErrorAndABadSettingIsRefused() {
        assertThatThrownBy(() -> RpcbindClient.at(new InetSocketAddress("127.0.0.1", 1))
                        .register(List.of(new Registration(1, 1, "tcp", "127.0.0.1.0.1", "superuser"))))
                .hasMessageContaining("cannot reach rpcbind");
        assertThatThrownBy(() -> new NfsServer((access, state) -> List.of(), "sometimes"))
                .hasMessageContaining("auto, off or a port");
    }
}
