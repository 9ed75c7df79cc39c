package dev.sgw.nfs.rpc;

import dev.sgw.nfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RpcCallDecoderTest {

    static XdrEncoder header(int xid, int rpcvers, int credFlavor, byte[] cred) {
        return new XdrEncoder()
                .writeInt(xid)
                .writeEnum(0)
                .writeInt(rpcvers)
                .writeInt(100003)
                .writeInt(3)
                .writeInt(1)
                .writeEnum(credFlavor)
                .writeOpaque(cred, 400)
                .writeEnum(0)
                .writeOpaque(new byte[0], 400);
    }

    static byte[] authSys(int stamp, String machine, int uid, int gid, int[] gids) {
        XdrEncoder e = new XdrEncoder()
                .writeInt(stamp)
                .writeOpaque(machine.getBytes(java.nio.charset.StandardCharsets.UTF_8), 1000)
                .writeInt(uid)
                .writeInt(gid)
                .writeIntArray(gids, 100);
        return ByteBufUtil.getBytes(e.buffer());
    }

    @Test
    void authSysCallIsParsedWithItsArgumentsAsASlice() {
        ByteBuf record = header(0x1234, 2, 1, authSys(7, "client.example", 1000, 100, new int[] {4, 24, 27}))
                .writeInt(42)
                .buffer();
        RpcCall call = (RpcCall) RpcCallDecoder.decode(record);
        assertThat(call.xid()).isEqualTo(0x1234);
        assertThat(call.program()).isEqualTo(100003);
        assertThat(call.version()).isEqualTo(3);
        assertThat(call.procedure()).isEqualTo(1);
        Credential.Sys sys = (Credential.Sys) call.credential();
        assertThat(sys.machineName()).isEqualTo("client.example");
        assertThat(sys.caller().uid()).isEqualTo(1000);
        assertThat(sys.caller().gid()).isEqualTo(100);
        assertThat(sys.caller().gids()).containsExactly(4, 24, 27);
        assertThat(call.args().readInt()).isEqualTo(42);
        call.args().release();
        record.release();
        assertThat(record.refCnt()).isZero();
    }

    @Test
    void authSysOverItsLimitsIsRefusedWithBadCred() {
        int[] seventeen = new int[17];
        for (byte[] cred : new byte[][] {
            authSys(1, "m", 0, 0, seventeen),
            authSys(1, "x".repeat(256), 0, 0, new int[0]),
            java.util.Arrays.copyOf(authSys(1, "m", 0, 0, new int[0]), 12)
        }) {
            Object m = RpcCallDecoder.decode(header(9, 2, 1, cred).buffer());
            assertThat(m).isInstanceOfSatisfying(RpcRejectedCall.class, r -> {
                assertThat(r.xid()).isEqualTo(9);
                assertThat(r.reply()).isEqualTo(new RpcReply.AuthError(RpcReply.AUTH_BADCRED));
            });
        }
        // 16 gids and a 255-byte name are the limits, and fine
        Object ok = RpcCallDecoder.decode(
                header(9, 2, 1, authSys(1, "x".repeat(255), 0, 0, new int[16])).buffer());
        assertThat(ok).isInstanceOf(RpcCall.class);
    }

    @Test
    void unknownFlavorWrongRpcVersionAndCutHeadersAreRefused() {
        assertThat(((RpcRejectedCall) RpcCallDecoder.decode(
                                header(1, 2, 6, new byte[8]).buffer()))
                        .reply())
                .isEqualTo(new RpcReply.AuthError(RpcReply.AUTH_BADCRED));
        assertThat(((RpcRejectedCall) RpcCallDecoder.decode(
                                header(1, 3, 0, new byte[0]).buffer()))
                        .reply())
                .isEqualTo(new RpcReply.RpcMismatch(2, 2));
        ByteBuf cut = header(5, 2, 0, new byte[0]).buffer();
        cut.writerIndex(cut.writerIndex() - 2);
        assertThat(((RpcRejectedCall) RpcCallDecoder.decode(cut)).reply()).isEqualTo(new RpcReply.GarbageArgs());
        // replies and records without an xid and type are dropped
        assertThat(RpcCallDecoder.decode(
                        new XdrEncoder().writeInt(1).writeEnum(1).writeInt(0).buffer()))
                .isNull();
        assertThat(RpcCallDecoder.decode(new XdrEncoder().writeInt(1).buffer())).isNull();
    }

    private static String hex(ByteBuf b) {
        try {
            return ByteBufUtil.hexDump(b);
        } finally {
            b.release();
        }
    }

    @Test
    void repliesAreEncodedAsRfc5531Says() {
        var enc = RpcReplyEncoder.INSTANCE;
        var alloc = io.netty.buffer.UnpooledByteBufAllocator.DEFAULT;
        assertThat(hex(enc.encode(alloc, 1, RpcReply.success(o -> o.writeInt(7)))))
                .isEqualTo("00000001" + "00000001" + "00000000" + "0000000000000000" + "00000000" + "00000007");
        assertThat(hex(enc.encode(alloc, 2, new RpcReply.ProgMismatch(3, 4))))
                .isEqualTo("00000002" + "00000001" + "00000000" + "0000000000000000" + "00000002" + "00000003"
                        + "00000004");
        assertThat(hex(enc.encode(alloc, 3, new RpcReply.RpcMismatch(2, 2))))
                .isEqualTo("00000003" + "00000001" + "00000001" + "00000000" + "00000002" + "00000002");
        assertThat(hex(enc.encode(alloc, 4, new RpcReply.AuthError(5))))
                .isEqualTo("00000004" + "00000001" + "00000001" + "00000001" + "00000005");
    }
}
