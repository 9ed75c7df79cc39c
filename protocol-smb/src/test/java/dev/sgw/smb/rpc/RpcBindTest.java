package dev.sgw.smb.rpc;

import java.util.List;
import java.util.UUID;

import dev.sgw.smb.rpc.TestRpcClient.BindAck;
import dev.sgw.smb.rpc.TestRpcClient.Context;
import dev.sgw.smb.rpc.TestRpcClient.Result;
import org.junit.jupiter.api.Test;

import static dev.sgw.smb.rpc.TestRpcClient.NDR;
import static dev.sgw.smb.rpc.TestRpcClient.NDR64;
import static dev.sgw.smb.rpc.TestRpcClient.SRVSVC;
import static dev.sgw.smb.rpc.TestRpcClient.WKSSVC;
import static org.assertj.core.api.Assertions.assertThat;

/** BIND, ALTER_CONTEXT and the PDUs that come out of place. */
class RpcBindTest {
    private static final UUID ZERO = new UUID(0, 0);

    private final RpcPipes pipes = RpcFixtures.pipes(RpcFixtures.SHARES);
    private final NamedPipe pipe = pipes.open("srvsvc").orElseThrow();
    private final TestRpcClient client = new TestRpcClient(pipe);

    @Test
    void windowsBindAcceptsNdrAndRefusesNdr64AndFeatureNegotiation() {
        BindAck ack = TestRpcClient.bindAck(client.bind(TestRpcClient.windowsContexts(SRVSVC, 3), 4280));

        assertThat(ack.maxXmit()).isEqualTo(4280);
        assertThat(ack.maxRecv()).isEqualTo(4280);
        assertThat(ack.assocGroup()).isNotZero();
        assertThat(ack.secondaryAddress()).isEqualTo("\\PIPE\\srvsvc");
        assertThat(ack.results())
                .containsExactly(new Result(0, 0, NDR), new Result(2, 2, ZERO), new Result(2, 2, ZERO));
    }

    @Test
    void anotherInterfaceOrVersionIsRefusedAsAbstractSyntaxNotSupported() {
        BindAck ack = TestRpcClient.bindAck(client.bind(
                List.of(
                        new Context(0, WKSSVC, 1, 0, NDR, 2),
                        new Context(1, SRVSVC, 2, 0, NDR, 2),
                        new Context(2, SRVSVC, 3, 1, NDR, 2),
                        new Context(3, SRVSVC, 3, 0, NDR, 2)),
                4280));

        assertThat(ack.results())
                .containsExactly(
                        new Result(2, 1, ZERO), new Result(2, 1, ZERO), new Result(2, 1, ZERO), new Result(0, 0, NDR));
        assertThat(TestRpcClient.faultStatus(
                        client.call(0, 21, TestNdr.getInfoRequest(null, 100)).getFirst()))
                .isEqualTo(RpcFault.UNKNOWN_INTERFACE);
        assertThat(TestRpcClient.stub(client.call(3, 21, TestNdr.getInfoRequest(null, 100))))
                .isNotEmpty();
    }

    @Test
    void alterContextAddsAContextAfterAnAllRefusedBind() {
        BindAck ack = TestRpcClient.bindAck(client.bind(List.of(new Context(0, SRVSVC, 3, 0, NDR64, 1)), 4280));
        assertThat(ack.results()).containsExactly(new Result(2, 2, ZERO));

        pipe.write(TestRpcClient.bindPdu(14, 7, 4280, 4280, List.of(new Context(1, SRVSVC, 3, 0, NDR, 2))));
        TestRpcClient.Pdu resp = client.readPdu();

        assertThat(resp.type()).isEqualTo(15);
        assertThat(resp.callId()).isEqualTo(7);
        BindAck alter = TestRpcClient.bindAck(resp);
        assertThat(alter.secondaryAddress()).isEmpty();
        assertThat(alter.maxXmit()).isEqualTo(4280);
        assertThat(alter.assocGroup()).isEqualTo(ack.assocGroup()).isNotZero();
        assertThat(alter.results()).containsExactly(new Result(0, 0, NDR));
        assertThat(TestRpcClient.stub(client.call(1, 21, TestNdr.getInfoRequest(null, 100))))
                .isNotEmpty();
    }

    @Test
    void wkssvcPipeNamesItselfInTheBindAck() {
        TestRpcClient wks = new TestRpcClient(pipes.open("\\WKSSVC").orElseThrow());
        BindAck ack = TestRpcClient.bindAck(wks.bind(TestRpcClient.windowsContexts(WKSSVC, 1), 4280));
        assertThat(ack.secondaryAddress()).isEqualTo("\\PIPE\\wkssvc");
        assertThat(ack.results().getFirst()).isEqualTo(new Result(0, 0, NDR));
    }

    @Test
    void aSecondBindIsRejected() {
        client.bind(TestRpcClient.windowsContexts(SRVSVC, 3), 4280);
        assertThat(TestRpcClient.nakReason(client.bind(TestRpcClient.windowsContexts(SRVSVC, 3), 4280)))
                .isEqualTo(0);
    }

    @Test
    void bindOfAnotherProtocolVersionIsRejected() {
        byte[] bind = TestRpcClient.bindPdu(11, 1, 4280, 4280, TestRpcClient.windowsContexts(SRVSVC, 3));
        bind[0] = 4;
        pipe.write(bind);
        assertThat(TestRpcClient.nakReason(client.readPdu())).isEqualTo(4);
    }

    @Test
    void bindWithAuthenticationIsRejected() {
        byte[] bind = TestRpcClient.bindPdu(11, 1, 4280, 4280, TestRpcClient.windowsContexts(SRVSVC, 3));
        bind[10] = 8;
        pipe.write(bind);
        assertThat(TestRpcClient.nakReason(client.readPdu())).isEqualTo(8);
    }

    @Test
    void bindWithoutContextsOrWithATruncatedListIsRejected() {
        assertThat(TestRpcClient.nakReason(client.bind(List.of(), 4280))).isEqualTo(0);
        byte[] bind = TestRpcClient.bindPdu(11, 2, 4280, 4280, TestRpcClient.windowsContexts(SRVSVC, 3));
        bind[24] = 9;
        pipe.write(bind);
        assertThat(TestRpcClient.nakReason(client.readPdu())).isEqualTo(0);
    }

    @Test
    void requestOrAlterContextBeforeBindIsAProtocolError() {
        List<TestRpcClient.Pdu> fault = client.call(21, TestNdr.getInfoRequest(null, 100));
        assertThat(TestRpcClient.faultStatus(fault.getFirst())).isEqualTo(RpcFault.PROTOCOL_ERROR);
        assertThat(fault.getFirst().flags() & 0x20).as("PFC_DID_NOT_EXECUTE").isEqualTo(0x20);

        pipe.write(TestRpcClient.bindPdu(14, 9, 4280, 4280, TestRpcClient.windowsContexts(SRVSVC, 3)));
        TestRpcClient.Pdu alter = client.readPdu();
        assertThat(TestRpcClient.faultStatus(alter)).isEqualTo(RpcFault.PROTOCOL_ERROR);
        assertThat(alter.callId()).isEqualTo(9);
    }

    @Test
    void aPduTypeOnlyServersSendIsAProtocolError() {
        client.bind(TestRpcClient.windowsContexts(SRVSVC, 3), 4280);
        byte[] response = TestRpcClient.requestPdus(5, 0, 0, new byte[8], 100).getFirst();
        response[2] = 2;
        pipe.write(response);
        assertThat(TestRpcClient.faultStatus(client.readPdu())).isEqualTo(RpcFault.PROTOCOL_ERROR);
    }

    @Test
    void pipeNames() {
        assertThat(pipes.open("srvsvc")).isPresent();
        assertThat(pipes.open("\\SrvSvc")).isPresent();
        assertThat(pipes.open("\\PIPE\\wkssvc")).isPresent();
        assertThat(pipes.open("lsarpc")).isEmpty();
        assertThat(pipes.open("")).isEmpty();
    }

    @Test
    void nothingPendingReadsEmpty() {
        NamedPipe.ReadResult r = pipe.read(1024);
        assertThat(r.data()).isEmpty();
        assertThat(r.moreData()).isFalse();
    }
}
