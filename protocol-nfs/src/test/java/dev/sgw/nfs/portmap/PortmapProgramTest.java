package dev.sgw.nfs.portmap;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.sgw.nfs.rpc.RpcServer;
import dev.sgw.nfs.rpc.RpcTestClient;
import dev.sgw.nfs.rpc.RpcTestClient.Reply;
import dev.sgw.nfs.xdr.XdrDecoder;
import dev.sgw.nfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PortmapProgramTest {
    private static final int PMAP = PortmapProgram.PROGRAM;

    private final PortmapRegistry registry = new PortmapRegistry();
    private RpcServer server;
    private InetSocketAddress bound;
    private RpcTestClient client;

    @BeforeEach
    void start() throws Exception {
        server = new RpcServer(List.of(new PortmapProgram(registry)), RpcServer.Settings.defaults());
        bound = server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = new RpcTestClient(bound);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    private static Reply get(CompletableFuture<Reply> f) throws Exception {
        Reply r = f.get(5, TimeUnit.SECONDS);
        return r;
    }

    private static byte[] mapping(int prog, int vers, int prot, int port) {
        return ByteBufUtil.getBytes(new XdrEncoder()
                .writeInt(prog)
                .writeInt(vers)
                .writeInt(prot)
                .writeInt(port)
                .buffer());
    }

    private static byte[] rpcb(int prog, int vers, String netid, String addr, String owner) {
        return ByteBufUtil.getBytes(new XdrEncoder()
                .writeInt(prog)
                .writeInt(vers)
                .writeString(netid, 255)
                .writeString(addr, 255)
                .writeString(owner, 255)
                .buffer());
    }

    @Test
    void portmapV2SetGetportDumpUnset() throws Exception {
        assertThat(get(client.call(PMAP, 2, 0, new byte[0])).success()).isTrue();
        assertThat(get(client.call(PMAP, 2, 1, mapping(100003, 3, 6, 2049)))
                        .decoder()
                        .readBool())
                .isTrue();
        assertThat(get(client.call(PMAP, 2, 1, mapping(100003, 3, 6, 2050)))
                        .decoder()
                        .readBool())
                .as("a second SET of the same program, version and protocol")
                .isFalse();
        assertThat(get(client.call(PMAP, 2, 1, mapping(100005, 3, 6, 20048)))
                        .decoder()
                        .readBool())
                .isTrue();

        assertThat(get(client.call(PMAP, 2, 3, mapping(100003, 3, 6, 0)))
                        .decoder()
                        .readUnsignedInt())
                .isEqualTo(2049);
        assertThat(get(client.call(PMAP, 2, 3, mapping(100003, 3, 17, 0)))
                        .decoder()
                        .readUnsignedInt())
                .as("no UDP")
                .isZero();
        assertThat(get(client.call(PMAP, 2, 3, mapping(100003, 4, 6, 0)))
                        .decoder()
                        .readUnsignedInt())
                .isZero();

        XdrDecoder dump = get(client.call(PMAP, 2, 4, new byte[0])).decoder();
        List<List<Long>> entries = new ArrayList<>();
        while (dump.readBool()) {
            entries.add(List.of(
                    dump.readUnsignedInt(), dump.readUnsignedInt(), dump.readUnsignedInt(), dump.readUnsignedInt()));
        }
        dump.requireEnd();
        assertThat(entries).containsExactly(List.of(100003L, 3L, 6L, 2049L), List.of(100005L, 3L, 6L, 20048L));

        assertThat(get(client.call(PMAP, 2, 2, mapping(100003, 3, 0, 0)))
                        .decoder()
                        .readBool())
                .isTrue();
        assertThat(get(client.call(PMAP, 2, 3, mapping(100003, 3, 6, 0)))
                        .decoder()
                        .readUnsignedInt())
                .isZero();
        assertThat(get(client.call(PMAP, 2, 5, new byte[0])).stat())
                .as("CALLIT")
                .isEqualTo(3);
        assertThat(get(client.call(PMAP, 2, 3, new byte[8])).stat())
                .as("short mapping")
                .isEqualTo(4);
    }

    @Test
    void rpcbindGetaddrAnswersAWildcardWithTheAddressReached() throws Exception {
        assertThat(get(client.call(PMAP, 4, 1, rpcb(100003, 3, "tcp", "0.0.0.0.8.1", "sgw")))
                        .decoder()
                        .readBool())
                .isTrue();
        assertThat(get(client.call(PMAP, 3, 3, rpcb(100003, 3, "tcp", "", "")))
                        .decoder()
                        .readString(255))
                .isEqualTo("127.0.0.1.8.1");
        // v4 GETADDR falls back to another version (so the client learns of the mismatch); GETVERSADDR does not
        assertThat(get(client.call(PMAP, 4, 3, rpcb(100003, 4, "tcp", "", "")))
                        .decoder()
                        .readString(255))
                .isEqualTo("127.0.0.1.8.1");
        assertThat(get(client.call(PMAP, 4, 9, rpcb(100003, 4, "tcp", "", "")))
                        .decoder()
                        .readString(255))
                .isEmpty();
        assertThat(get(client.call(PMAP, 3, 9, rpcb(100003, 3, "tcp", "", ""))).stat())
                .as("GETVERSADDR is v4 only")
                .isEqualTo(3);
        assertThat(get(client.call(PMAP, 4, 3, rpcb(100021, 1, "tcp", "", "")))
                        .decoder()
                        .readString(255))
                .isEmpty();
        // the portmap view of the same registration
        assertThat(get(client.call(PMAP, 2, 3, mapping(100003, 3, 6, 0)))
                        .decoder()
                        .readUnsignedInt())
                .isEqualTo(2049);
    }

    @Test
    void rpcbindDumpListsRegistrationsAndUnsetRemovesThem() throws Exception {
        registry.registerTcp(new PortmapProgram(registry), bound, "superuser");
        XdrDecoder dump = get(client.call(PMAP, 4, 4, new byte[0])).decoder();
        List<String> entries = new ArrayList<>();
        while (dump.readBool()) {
            entries.add(dump.readInt() + " " + dump.readInt() + " " + dump.readString(255) + " " + dump.readString(255)
                    + " " + dump.readString(255));
        }
        String uaddr = "127.0.0.1." + (bound.getPort() >>> 8) + "." + (bound.getPort() & 0xFF);
        assertThat(entries)
                .containsExactly(
                        "100000 2 tcp " + uaddr + " superuser",
                        "100000 3 tcp " + uaddr + " superuser",
                        "100000 4 tcp " + uaddr + " superuser");
        assertThat(get(client.call(PMAP, 3, 2, rpcb(100000, 3, "", "", "")))
                        .decoder()
                        .readBool())
                .isTrue();
        assertThat(registry.all()).hasSize(2);
        assertThat(get(client.call(PMAP, 4, 6, new byte[0])).decoder().readUnsignedInt())
                .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
    }

    @Test
    void rpcbindV4AddressListAndStatistics() throws Exception {
        registry.set(new Registration(100003, 3, "tcp", "0.0.0.0.8.1", "sgw"));
        XdrDecoder list =
                get(client.call(PMAP, 4, 11, rpcb(100003, 3, "", "", ""))).decoder();
        assertThat(list.readBool()).isTrue();
        assertThat(list.readString(255)).isEqualTo("127.0.0.1.8.1");
        assertThat(list.readString(255)).isEqualTo("tcp");
        assertThat(list.readUnsignedInt()).isEqualTo(3);
        assertThat(list.readString(255)).isEqualTo("inet");
        assertThat(list.readString(255)).isEqualTo("tcp");
        assertThat(list.readBool()).isFalse();
        list.requireEnd();
        Reply stat = get(client.call(PMAP, 4, 12, new byte[0]));
        assertThat(stat.results()).hasSize(3 * (13 + 2 + 2) * 4);
        assertThat(get(client.call(PMAP, 3, 12, new byte[0])).stat()).isEqualTo(3);
    }

    @Test
    void universalAddressesConvertBothWays() {
        assertThat(Registration.uaddr(InetAddress.getLoopbackAddress(), 2049)).isEqualTo("127.0.0.1.8.1");
        assertThat(Registration.port("127.0.0.1.8.1")).isEqualTo(2049);
        assertThat(Registration.port("::1.0.111")).isEqualTo(111);
        assertThat(Registration.host("::1.0.111").isLoopbackAddress()).isTrue();
        assertThat(Registration.port("garbage")).isEqualTo(-1);
        assertThat(Registration.host("example.com.0.111")).isNull();
    }
}
