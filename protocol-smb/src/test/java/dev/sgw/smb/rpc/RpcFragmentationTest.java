package dev.sgw.smb.rpc;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import dev.sgw.smb.rpc.TestRpcClient.Pdu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fragmentation both ways: responses split to the client's max_recv_frag, requests reassembled from
 * fragments, PDUs split across writes at every offset, and replies read in small pieces.
 */
class RpcFragmentationTest {
    private static final List<ShareInfo> MANY = RpcFixtures.manyShares(200);

    @ParameterizedTest
    @ValueSource(ints = {1432, 2000, 4280})
    void responsesAreFragmentedToTheClientsMaxRecvFrag(int maxRecv) {
        RpcPipes pipes = RpcFixtures.pipes(MANY);
        TestRpcClient client = new TestRpcClient(pipes.open("srvsvc").orElseThrow());
        TestRpcClient.BindAck ack =
                TestRpcClient.bindAck(client.bind(TestRpcClient.windowsContexts(TestRpcClient.SRVSVC, 3), maxRecv));
        assertThat(ack.maxXmit()).isEqualTo(maxRecv);

        List<Pdu> fragments = client.call(Srvsvc.OP_SHARE_ENUM, TestNdr.shareEnumRequest(null, 502, -1, 0));

        assertThat(fragments.size()).isGreaterThan(5);
        byte[] stub = TestRpcClient.stub(fragments);
        int remaining = stub.length;
        for (int i = 0; i < fragments.size(); i++) {
            Pdu f = fragments.get(i);
            ByteBuffer body = f.body();
            int stubBytes = f.fragLength() - 24;
            assertThat(f.fragLength()).isLessThanOrEqualTo(maxRecv);
            assertThat(f.callId()).isEqualTo(fragments.getFirst().callId());
            assertThat(f.flags() & 0x03).isEqualTo((i == 0 ? 1 : 0) | (i == fragments.size() - 1 ? 2 : 0));
            assertThat(body.getInt()).as("alloc_hint").isEqualTo(remaining);
            if (i < fragments.size() - 1) {
                assertThat(stubBytes % 8).isZero();
                assertThat(f.fragLength()).isGreaterThan(maxRecv - 8);
            }
            remaining -= stubBytes;
        }
        SrvsvcTest.EnumResult r = SrvsvcTest.decodeEnum(stub);
        assertThat(r.entries())
                .extracting(SrvsvcTest.Entry::name)
                .containsExactlyElementsOf(MANY.stream().map(ShareInfo::name).toList());
    }

    @Test
    void aMaxRecvFragBelowTheMinimumIsRaisedToIt() {
        TestRpcClient client =
                new TestRpcClient(RpcFixtures.pipes(MANY).open("srvsvc").orElseThrow());
        TestRpcClient.BindAck ack =
                TestRpcClient.bindAck(client.bind(TestRpcClient.windowsContexts(TestRpcClient.SRVSVC, 3), 16));
        assertThat(ack.maxXmit()).isEqualTo(RpcPipe.MIN_FRAGMENT);
        List<Pdu> fragments = client.call(Srvsvc.OP_SHARE_ENUM, TestNdr.shareEnumRequest(null, 1, -1, 0));
        assertThat(fragments).allSatisfy(f -> assertThat(f.fragLength()).isLessThanOrEqualTo(RpcPipe.MIN_FRAGMENT));
        assertThat(SrvsvcTest.decodeEnum(TestRpcClient.stub(fragments)).entries())
                .hasSize(200);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 16, 40})
    void requestsAreReassembledFromFragments(int chunk) {
        byte[] request = TestNdr.shareGetInfoRequest("\\\\" + RpcFixtures.SERVER, "Photos Ünïcode", 502);
        byte[] whole = answer(TestRpcClient.requestPdus(3, 0, Srvsvc.OP_SHARE_GET_INFO, request, 1 << 16));
        byte[] pieces = answer(TestRpcClient.requestPdus(3, 0, Srvsvc.OP_SHARE_GET_INFO, request, chunk));
        assertThat(pieces).isEqualTo(whole);
        assertThat(whole[2]).as("RESPONSE").isEqualTo((byte) 2);
    }

    @Test
    void aBindAndRequestSplitAcrossTwoWritesAtEveryOffsetGiveTheSameAnswer() {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.writeBytes(TestRpcClient.bindPdu(11, 1, 4280, 4280, TestRpcClient.windowsContexts(TestRpcClient.SRVSVC, 3)));
        for (byte[] f :
                TestRpcClient.requestPdus(2, 0, Srvsvc.OP_SHARE_ENUM, TestNdr.shareEnumRequest(null, 1, -1, 0), 16)) {
            in.writeBytes(f);
        }
        byte[] all = in.toByteArray();
        byte[] expected = drain(write(RpcFixtures.pipes(RpcFixtures.SHARES), all));
        assertThat(expected).isNotEmpty();
        for (int split = 0; split <= all.length; split++) {
            NamedPipe pipe =
                    RpcFixtures.pipes(RpcFixtures.SHARES).open("srvsvc").orElseThrow();
            pipe.write(Arrays.copyOfRange(all, 0, split));
            pipe.write(Arrays.copyOfRange(all, split, all.length));
            assertThat(drain(pipe)).as("split at %d", split).isEqualTo(expected);
        }
    }

    @Test
    void aReadSmallerThanTheFragmentSaysMoreDataAndReadsStopAtTheFragmentEnd() {
        RpcPipes pipes = RpcFixtures.pipes(MANY);
        NamedPipe pipe = pipes.open("srvsvc").orElseThrow();
        pipe.write(TestRpcClient.bindPdu(11, 1, 4280, 1432, TestRpcClient.windowsContexts(TestRpcClient.SRVSVC, 3)));
        pipe.read(4096);
        for (byte[] f : TestRpcClient.requestPdus(
                2, 0, Srvsvc.OP_SHARE_ENUM, TestNdr.shareEnumRequest(null, 1, -1, 0), 1 << 16)) {
            pipe.write(f);
        }
        NamedPipe.ReadResult head = pipe.read(10);
        assertThat(head.data()).hasSize(10);
        assertThat(head.moreData()).isTrue();
        int fragLength =
                ByteBuffer.wrap(head.data()).order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xFFFF;
        NamedPipe.ReadResult rest = pipe.read(65536);
        assertThat(rest.data()).hasSize(fragLength - 10);
        assertThat(rest.moreData()).isFalse();
        NamedPipe.ReadResult second = pipe.transceive(new byte[0], 65536);
        assertThat(second.data()[2]).as("the next RESPONSE fragment").isEqualTo((byte) 2);
        assertThat(second.data()[3] & 0x01).as("not the first").isZero();
    }

    @Test
    void aFragmentOfAnotherCallOrAnOrphanContinuationIsAProtocolError() {
        TestRpcClient client = RpcFixtures.bound(RpcFixtures.pipes(RpcFixtures.SHARES), "srvsvc");
        NamedPipe pipe = pipeOf(client);
        byte[] request = TestNdr.shareGetInfoRequest(null, "demo", 1);
        List<byte[]> call5 = TestRpcClient.requestPdus(5, 0, Srvsvc.OP_SHARE_GET_INFO, request, 8);
        List<byte[]> call6 = TestRpcClient.requestPdus(6, 0, Srvsvc.OP_SHARE_GET_INFO, request, 8);
        pipe.write(call5.get(0));
        pipe.write(call6.get(1));
        Pdu fault = client.readPdu();
        assertThat(TestRpcClient.faultStatus(fault)).isEqualTo(RpcFault.PROTOCOL_ERROR);
        assertThat(fault.callId()).isEqualTo(6);

        pipe.write(call5.get(2));
        assertThat(TestRpcClient.faultStatus(client.readPdu())).isEqualTo(RpcFault.PROTOCOL_ERROR);

        call5.forEach(pipe::write);
        assertThat(TestRpcClient.stub(client.readCall())).isNotEmpty();
    }

    @Test
    void anOrphanedPduDropsThePartialCall() {
        TestRpcClient client = RpcFixtures.bound(RpcFixtures.pipes(RpcFixtures.SHARES), "srvsvc");
        NamedPipe pipe = pipeOf(client);
        List<byte[]> call = TestRpcClient.requestPdus(
                5, 0, Srvsvc.OP_SHARE_GET_INFO, TestNdr.shareGetInfoRequest(null, "demo", 1), 8);
        pipe.write(call.get(0));
        pipe.write(TestRpcClient.withLength(TestRpcClient.header(19, 0x03, 5).bytes()));
        pipe.write(call.get(1));
        assertThat(TestRpcClient.faultStatus(client.readPdu())).isEqualTo(RpcFault.PROTOCOL_ERROR);
        assertThat(pipe.read(100).data()).isEmpty();
    }

    @Test
    void aRequestLargerThanTheReassemblyLimitFaults() {
        TestRpcClient client = RpcFixtures.bound(RpcFixtures.pipes(RpcFixtures.SHARES), "srvsvc");
        NamedPipe pipe = pipeOf(client);
        byte[] huge = new byte[RpcPipe.MAX_REQUEST_STUB + 8];
        List<byte[]> fragments = TestRpcClient.requestPdus(8, 0, Srvsvc.OP_SHARE_ENUM, huge, 4096);
        fragments.forEach(pipe::write);
        assertThat(TestRpcClient.faultStatus(client.readPdu())).isEqualTo(RpcFault.NO_MEMORY);
        assertThat(pipe.read(100).data())
                .as("the rest of the call is dropped silently")
                .isEmpty();
        assertThat(TestRpcClient.stub(client.call(Srvsvc.OP_SERVER_GET_INFO, TestNdr.getInfoRequest(null, 100))))
                .isNotEmpty();
    }

    private static NamedPipe pipeOf(TestRpcClient client) {
        return client.pipe();
    }

    private static NamedPipe write(RpcPipes pipes, byte[] bytes) {
        NamedPipe pipe = pipes.open("srvsvc").orElseThrow();
        pipe.write(bytes);
        return pipe;
    }

    /** Binds a fresh pipe, writes {@code fragments} one by one and returns every byte of the answer. */
    private static byte[] answer(List<byte[]> fragments) {
        NamedPipe pipe = RpcFixtures.pipes(RpcFixtures.SHARES).open("srvsvc").orElseThrow();
        pipe.write(TestRpcClient.bindPdu(11, 1, 4280, 4280, TestRpcClient.windowsContexts(TestRpcClient.SRVSVC, 3)));
        pipe.read(4096);
        fragments.forEach(pipe::write);
        return drain(pipe);
    }

    static byte[] drain(NamedPipe pipe) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NamedPipe.ReadResult r;
        while ((r = pipe.read(4096)).data().length > 0) {
            out.writeBytes(r.data());
        }
        return out.toByteArray();
    }
}
