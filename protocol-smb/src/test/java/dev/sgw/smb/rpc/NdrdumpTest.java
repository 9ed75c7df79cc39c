package dev.sgw.smb.rpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Samba's {@code ndrdump} (its pidl-generated parsers) parses the request stubs the tests send and the
 * response stubs the server returns, and with {@code --validate} pushes what it parsed back and compares it
 * byte for byte with the input.
 */
class NdrdumpTest {
    private static final Path NDRDUMP = Path.of("/usr/bin/ndrdump");

    @TempDir
    Path dir;

    @BeforeAll
    static void ndrdumpInstalled() {
        assumeTrue(Files.isExecutable(NDRDUMP), "ndrdump is not installed");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 501, 502})
    void shareEnumAllResponseParses(int level) throws Exception {
        byte[] request = TestNdr.shareEnumRequest("\\\\" + RpcFixtures.SERVER, level, -1, 0);
        String in = ndrdump("srvsvc", "srvsvc_NetShareEnumAll", "in", request, null);
        assertThat(in).contains("level                    : 0x%08x (%d)".formatted(level, level));

        byte[] response = call(Srvsvc.OP_SHARE_ENUM, request, "srvsvc");
        String out = ndrdump("srvsvc", "srvsvc_NetShareEnumAll", "out", response, null);
        assertThat(out).contains("name                     : *", "'demo'", "'Photos Ünïcode'", "'IPC$'");
        assertThat(out).contains("totalentries             : *").contains("result                   : WERR_OK");
        assertThat(out).contains("count                    : 0x00000003 (3)");
        if (level == 1 || level == 2 || level == 501 || level == 502) {
            assertThat(out).contains("'demo share'", "'IPC Service'", "STYPE_IPC_HIDDEN");
        }
        if (level == 2 || level == 502) {
            assertThat(out).contains("'C:\\demo'");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 501, 502, 1005})
    void shareGetInfoResponseParses(int level) throws Exception {
        byte[] request = TestNdr.shareGetInfoRequest("\\\\" + RpcFixtures.SERVER, "DEMO", level);
        assertThat(ndrdump("srvsvc", "srvsvc_NetShareGetInfo", "in", request, null))
                .contains("share_name               : 'DEMO'", "level                    : 0x%08x".formatted(level));
        byte[] response = call(Srvsvc.OP_SHARE_GET_INFO, request, "srvsvc");
        String out = ndrdump("srvsvc", "srvsvc_NetShareGetInfo", "out", response, request);
        assertThat(out).contains("result                   : WERR_OK");
        if (level != 1005) {
            assertThat(out).contains("'demo'");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 101, 102})
    void serverAndWorkstationInfoParse(int level) throws Exception {
        byte[] request = TestNdr.getInfoRequest("\\\\" + RpcFixtures.SERVER, level);
        assertThat(ndrdump("srvsvc", "srvsvc_NetSrvGetInfo", "in", request, null))
                .contains("server_unc               : '\\\\SGWTEST'");
        String srv = ndrdump(
                "srvsvc", "srvsvc_NetSrvGetInfo", "out", call(Srvsvc.OP_SERVER_GET_INFO, request, "srvsvc"), request);
        assertThat(srv).contains("'SGWTEST'", "PLATFORM_ID_NT").contains("result                   : WERR_OK");
        String wks = ndrdump(
                "wkssvc", "wkssvc_NetWkstaGetInfo", "out", call(Wkssvc.OP_WKSTA_GET_INFO, request, "wkssvc"), request);
        assertThat(wks).contains("'SGWTEST'", "'WORKGROUP'").contains("result                   : WERR_OK");
    }

    @Test
    void unknownShareParses() throws Exception {
        byte[] request = TestNdr.shareGetInfoRequest(null, "nosuch", 1);
        String out = ndrdump(
                "srvsvc", "srvsvc_NetShareGetInfo", "out", call(Srvsvc.OP_SHARE_GET_INFO, request, "srvsvc"), request);
        assertThat(out).contains("WERR_NERR_NETNAMENOTFOUND", "info1                    : NULL");
    }

    @Test
    void everyPduTheServerSendsParsesAsAnNcacnPacket() throws Exception {
        NamedPipe pipe =
                RpcFixtures.pipes(RpcFixtures.manyShares(60)).open("srvsvc").orElseThrow();
        TestRpcClient client = new TestRpcClient(pipe);

        assertThat(packet(client.bind(TestRpcClient.windowsContexts(TestRpcClient.SRVSVC, 3), 1432)))
                .contains("DCERPC_PKT_BIND_ACK", "max_xmit_frag            : 0x0598 (1432)")
                .contains("secondary_address        : '\\PIPE\\srvsvc'", "num_results              : 0x03 (3)")
                .contains("DCERPC_BIND_ACK_RESULT_ACCEPTANCE", "uuid                     : " + TestRpcClient.NDR)
                .contains("DCERPC_BIND_ACK_REASON_TRANSFER_SYNTAXES_NOT_SUPPORTED");

        pipe.write(TestRpcClient.bindPdu(
                14,
                9,
                4280,
                4280,
                List.of(new TestRpcClient.Context(4, TestRpcClient.WKSSVC, 1, 0, TestRpcClient.NDR, 2))));
        assertThat(packet(client.readPdu()))
                .contains("DCERPC_PKT_ALTER_RESP", "call_id                  : 0x00000009 (9)")
                .contains("secondary_address        : ''", "DCERPC_BIND_ACK_REASON_ABSTRACT_SYNTAX_NOT_SUPPORTED")
                .doesNotContain("assoc_group_id           : 0x00000000");

        List<TestRpcClient.Pdu> fragments = client.call(Srvsvc.OP_SHARE_ENUM, TestNdr.shareEnumRequest(null, 2, -1, 0));
        assertThat(fragments).hasSizeGreaterThan(2);
        for (TestRpcClient.Pdu f : fragments) {
            assertThat(packet(f)).contains("DCERPC_PKT_RESPONSE", "stub_and_verifier        : DATA_BLOB length=");
        }

        assertThat(packet(client.call(99, new byte[0]).getFirst()))
                .contains("DCERPC_PKT_FAULT", "1: DCERPC_PFC_FLAG_DID_NOT_EXECUTE", "DCERPC_NCA_S_OP_RNG_ERROR");
        assertThat(packet(client.bind(TestRpcClient.windowsContexts(TestRpcClient.SRVSVC, 3), 1432)))
                .contains(
                        "DCERPC_PKT_BIND_NAK",
                        "DCERPC_BIND_NAK_REASON_NOT_SPECIFIED",
                        "rpc_vers                 : 0x05");
    }

    @Test
    void theTestClientsBindAndRequestParseAsNcacnPackets() throws Exception {
        assertThat(ndrdump(
                        "dcerpc",
                        "ncacn_packet",
                        "struct",
                        TestRpcClient.bindPdu(
                                11, 1, 4280, 4280, TestRpcClient.windowsContexts(TestRpcClient.SRVSVC, 3)),
                        null))
                .contains("DCERPC_PKT_BIND", "uuid                     : " + TestRpcClient.SRVSVC)
                .contains("uuid                     : " + TestRpcClient.BTFN);
        byte[] request = TestRpcClient.requestPdus(2, 0, 15, TestNdr.shareEnumRequest(null, 1, -1, 0), 1 << 16)
                .getFirst();
        assertThat(ndrdump("dcerpc", "ncacn_packet", "struct", request, null))
                .contains("DCERPC_PKT_REQUEST", "opnum                    : 0x000f (15)");
    }

    private String packet(TestRpcClient.Pdu pdu) throws IOException, InterruptedException {
        return ndrdump("dcerpc", "ncacn_packet", "struct", pdu.bytes(), null);
    }

    private static byte[] call(int opnum, byte[] request, String pipe) {
        TestRpcClient client = RpcFixtures.bound(RpcFixtures.pipes(RpcFixtures.SHARES), pipe);
        return TestRpcClient.stub(client.call(opnum, request));
    }

    /** Runs ndrdump --validate on {@code stub} (with {@code context}, the request, when given) and returns its output. */
    private String ndrdump(String pipe, String function, String direction, byte[] stub, byte[] context)
            throws IOException, InterruptedException {
        Path file = Files.write(dir.resolve(function + "-" + direction + ".bin"), stub);
        List<String> cmd = new ArrayList<>(List.of(NDRDUMP.toString(), "--validate"));
        if (context != null) {
            cmd.add("--context-file=" + Files.write(dir.resolve(function + "-ctx.bin"), context));
        }
        cmd.addAll(List.of(pipe, function, direction, file.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).as(output).contains("dump OK").doesNotContain("WARNING");
        return output;
    }
}
