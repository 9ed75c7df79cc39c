package dev.sgw.nfs.rpc;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.sgw.nfs.rpc.RpcTestClient.Reply;
import dev.sgw.nfs.xdr.XdrDecoder;
import dev.sgw.nfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RpcServerTest {
    private static final int P = TestProgram.PROGRAM;

    private final TestProgram program = new TestProgram();
    private RpcServer server;
    private RpcTestClient client;

    @BeforeEach
    void start() throws Exception {
        server = new RpcServer(List.of(program), new RpcServer.Settings(64 * 1024, 128, 16));
        InetSocketAddress bound = server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = new RpcTestClient(bound);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    private static byte[] ints(int... v) {
        XdrEncoder e = new XdrEncoder();
        for (int x : v) {
            e.writeInt(x);
        }
        return ByteBufUtil.getBytes(e.buffer());
    }

    private static Reply get(CompletableFuture<Reply> f) throws Exception {
        return f.get(5, TimeUnit.SECONDS);
    }

    @Test
    void nullAndEchoSucceed() throws Exception {
        Reply nul = get(client.call(P, 1, TestProgram.NULL, new byte[0]));
        assertThat(nul.success()).isTrue();
        assertThat(nul.results()).isEmpty();
        byte[] echo =
                ByteBufUtil.getBytes(new XdrEncoder().writeString("hello", 1024).buffer());
        Reply r = get(client.call(P, 2, TestProgram.ECHO, echo));
        assertThat(r.success()).isTrue();
        assertThat(r.decoder().readString(1024)).isEqualTo("hello");
        assertThat(program.eventLoopCalls.get())
                .as("calls run off the event loop")
                .isZero();
    }

    @Test
    void manyConcurrentCallsAreAnsweredInCompletionOrder() throws Exception {
        // 100 calls sent at once, the first ones sleeping longest: all in flight together, replies reversed
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        List<Integer> xids = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            int xid = client.nextXid();
            xids.add(xid);
            replies.add(client.call(xid, P, 1, TestProgram.SLEEP, 0, new byte[0], ints(300 - 2 * i)));
        }
        for (int i = 0; i < 100; i++) {
            Reply r = get(replies.get(i));
            assertThat(r.xid()).isEqualTo(xids.get(i));
            assertThat(r.decoder().readInt()).isEqualTo(300 - 2 * i);
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(ms).as("100 sleeps of up to 300 ms ran concurrently").isLessThan(2_000);
        assertThat(client.arrivalOrder.getFirst())
                .as("a short call overtook the long ones")
                .isNotEqualTo(xids.getFirst());
        assertThat(client.arrivalOrder.indexOf(xids.getLast()))
                .isLessThan(client.arrivalOrder.indexOf(xids.getFirst()));
    }

    @Test
    void aConnectionWithTheMaximumOfCallsInFlightIsNotReadUntilOneCompletes() throws Exception {
        TestProgram limited = new TestProgram();
        try (RpcServer small = new RpcServer(List.of(limited), new RpcServer.Settings(64 * 1024, 4, 16));
                RpcTestClient c =
                        new RpcTestClient(small.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))) {
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                replies.add(c.call(P, 1, TestProgram.SLEEP, ints(50)));
            }
            for (CompletableFuture<Reply> f : replies) {
                assertThat(get(f).success()).isTrue();
            }
            assertThat(limited.mostRunning.get()).isEqualTo(4);
        }
    }

    @Test
    void aReplyMayCompleteLaterOnAnotherThread() throws Exception {
        CompletableFuture<Reply> later = client.call(P, 1, TestProgram.LATER, ints(200));
        Reply quick = get(client.call(P, 1, TestProgram.NULL, new byte[0]));
        assertThat(quick.success()).isTrue();
        assertThat(later.isDone()).isFalse();
        assertThat(get(later).decoder().readInt()).isEqualTo(200);
    }

    @Test
    void unknownProgramVersionProcedureAndBadArgumentsGetTheirAcceptStat() throws Exception {
        Reply noProgram = get(client.call(P + 1, 1, 0, new byte[0]));
        assertThat(noProgram.replyStat()).isZero();
        assertThat(noProgram.stat()).isEqualTo(1); // PROG_UNAVAIL

        Reply mismatch = get(client.call(P, 3, 0, new byte[0]));
        assertThat(mismatch.stat()).isEqualTo(2); // PROG_MISMATCH
        assertThat(mismatch.low()).isEqualTo(1);
        assertThat(mismatch.high()).isEqualTo(2);

        assertThat(get(client.call(P, 1, 99, new byte[0])).stat()).isEqualTo(3); // PROC_UNAVAIL
        assertThat(get(client.call(P, 1, TestProgram.ECHO, ints(5))).stat())
                .isEqualTo(4); // GARBAGE_ARGS: 5 bytes promised, none sent
        assertThat(get(client.call(P, 1, TestProgram.NULL, ints(1))).stat())
                .isEqualTo(4); // GARBAGE_ARGS: NULL takes nothing
        assertThat(get(client.call(P, 1, TestProgram.FAIL, new byte[0])).stat()).isEqualTo(5); // SYSTEM_ERR
        // and the connection still serves
        assertThat(get(client.call(P, 1, TestProgram.NULL, new byte[0])).success())
                .isTrue();
    }

    @Test
    void deniedCallsGetRpcMismatchOrAuthError() throws Exception {
        byte[] wrongVersion = RpcTestClient.callMessage(77, P, 1, 0, 0, new byte[0], new byte[0]);
        wrongVersion[11] = 3; // rpcvers 3
        Reply v = get(client.send(77, wrongVersion));
        assertThat(v.replyStat()).isEqualTo(1);
        assertThat(v.stat()).isZero(); // RPC_MISMATCH
        assertThat(v.low()).isEqualTo(2);
        assertThat(v.high()).isEqualTo(2);

        Reply gss = get(client.call(78, P, 1, 0, 6, new byte[12], new byte[0]));
        assertThat(gss.replyStat()).isEqualTo(1);
        assertThat(gss.stat()).isEqualTo(1); // AUTH_ERROR
        assertThat(gss.low()).isEqualTo(RpcReply.AUTH_BADCRED);

        Reply tooManyGroups = get(client.call(
                79,
                P,
                1,
                TestProgram.WHOAMI,
                OpaqueAuth.AUTH_SYS,
                RpcTestClient.authSys(1, "h", 1, 1, new int[17]),
                new byte[0]));
        assertThat(tooManyGroups.replyStat()).isEqualTo(1);
        assertThat(tooManyGroups.low()).isEqualTo(RpcReply.AUTH_BADCRED);
    }

    @Test
    void authSysReachesTheProgram() throws Exception {
        Reply r = get(client.call(
                client.nextXid(),
                P,
                1,
                TestProgram.WHOAMI,
                OpaqueAuth.AUTH_SYS,
                RpcTestClient.authSys(12345, "client.test", 1000, 100, 4, 24, 27),
                new byte[0]));
        XdrDecoder in = r.decoder();
        assertThat(in.readInt()).isEqualTo(1000);
        assertThat(in.readInt()).isEqualTo(100);
        assertThat(in.readIntArray(16)).containsExactly(4, 24, 27);
        assertThat(in.readString(255)).isEqualTo("client.test");
        Reply none = get(client.call(P, 1, TestProgram.WHOAMI, new byte[0]));
        assertThat(none.decoder().readInt()).isEqualTo(-1);
    }

    @Test
    void aRetransmittedNonIdempotentCallRunsOnceAndGetsTheSameReply() throws Exception {
        // first transmission still running when the retransmission arrives: it waits for the first
        int xid = client.nextXid();
        byte[] call = RpcTestClient.callMessage(xid, P, 1, TestProgram.INCREMENT, 0, new byte[0], ints(200));
        CompletableFuture<Reply> first = client.send(xid, call);
        Thread.sleep(50);
        client.sendRaw(recordOf(call)); // retransmission, same xid and arguments
        get(first);
        List<Reply> both = client.repliesTo(xid, 2);
        assertThat(both).hasSize(2);
        assertThat(both.get(0).decoder().readInt()).isEqualTo(1);
        assertThat(both.get(1).decoder().readInt()).isEqualTo(1);
        // after completion: from the cache, even on a new connection
        try (RpcTestClient other = new RpcTestClient(server.localAddress())) {
            Reply r3 = get(other.send(xid, call));
            assertThat(r3.decoder().readInt()).isEqualTo(1);
        }
        assertThat(program.counter.get()).isEqualTo(1);
        assertThat(server.duplicateRequestCache().duplicates()).isEqualTo(2);
        // same xid, other arguments: a different call, which runs
        Reply different = get(client.call(xid, P, 1, TestProgram.INCREMENT, 0, new byte[0], ints(0)));
        assertThat(different.decoder().readInt()).isEqualTo(2);
        // an idempotent procedure is never cached
        get(client.call(xid, P, 1, TestProgram.NULL, 0, new byte[0], new byte[0]));
        get(client.call(xid, P, 1, TestProgram.NULL, 0, new byte[0], new byte[0]));
        assertThat(server.duplicateRequestCache().size()).isEqualTo(2);
    }

    @Test
    void anOversizedRecordClosesTheConnection() throws Exception {
        client.sendRaw(ints(0x8000_0000 | (64 * 1024 + 1)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!client.isClosedByServer() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(client.isClosedByServer()).isTrue();
        try (RpcTestClient other = new RpcTestClient(server.localAddress())) {
            assertThat(get(other.call(P, 1, TestProgram.NULL, new byte[0])).success())
                    .isTrue();
        }
    }

    @Test
    void aCallSplitIntoFragmentsAndBytesIsServed() throws Exception {
        int xid = client.nextXid();
        CompletableFuture<Reply> f = client.expect(xid);
        byte[] call = RpcTestClient.callMessage(
                xid,
                P,
                1,
                TestProgram.ECHO,
                0,
                new byte[0],
                ByteBufUtil.getBytes(
                        new XdrEncoder().writeString("fragmented", 1024).buffer()));
        XdrEncoder framed = new XdrEncoder().writeInt(7);
        framed.buffer().writeBytes(call, 0, 7);
        framed.writeInt(0x8000_0000 | (call.length - 7));
        framed.buffer().writeBytes(call, 7, call.length - 7);
        for (byte b : ByteBufUtil.getBytes(framed.buffer())) {
            client.sendRaw(new byte[] {b});
        }
        assertThat(get(f).decoder().readString(1024)).isEqualTo("fragmented");
    }

    private static byte[] recordOf(byte[] message) {
        XdrEncoder e = new XdrEncoder().writeInt(0x8000_0000 | message.length);
        e.buffer().writeBytes(message);
        return ByteBufUtil.getBytes(e.buffer());
    }
}
