package dev.sgw.nfs.rpc;

import dev.sgw.nfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Writes a reply message (RFC 5531 section 9, {@code rpc_msg} with {@code REPLY}): the record without its
 * record mark. Stateless.
 */
public final class RpcReplyEncoder {
    public static final RpcReplyEncoder INSTANCE = new RpcReplyEncoder();

    static final int REPLY = 1;
    static final int MSG_ACCEPTED = 0, MSG_DENIED = 1;
    static final int SUCCESS = 0,
            PROG_UNAVAIL = 1,
            PROG_MISMATCH = 2,
            PROC_UNAVAIL = 3,
            GARBAGE_ARGS = 4,
            SYSTEM_ERR = 5;
    static final int RPC_MISMATCH = 0, AUTH_ERROR = 1;

    private RpcReplyEncoder() {}

    /** A new buffer from {@code alloc} holding the reply to {@code xid}; the caller owns it. */
    public ByteBuf encode(ByteBufAllocator alloc, int xid, RpcReply reply) {
        ByteBuf buf = alloc.buffer(64);
        try {
            XdrEncoder out = new XdrEncoder(buf);
            out.writeInt(xid).writeEnum(REPLY); // xid, msg_type (4 + 4 bytes)
            if (reply instanceof RpcReply.RpcMismatch || reply instanceof RpcReply.AuthError) {
                out.writeEnum(MSG_DENIED); // reply_stat (4)
                switch (reply) {
                    case RpcReply.RpcMismatch m ->
                        out.writeEnum(RPC_MISMATCH).writeInt(m.low()).writeInt(m.high());
                    case RpcReply.AuthError a -> out.writeEnum(AUTH_ERROR).writeEnum(a.stat());
                    default -> throw new AssertionError(reply);
                }
                return buf;
            }
            out.writeEnum(MSG_ACCEPTED); // reply_stat (4)
            out.writeEnum(OpaqueAuth.AUTH_NONE).writeOpaque(new byte[0], OpaqueAuth.MAX_BODY); // verf (8)
            switch (reply) {
                case RpcReply.Success s -> out.writeEnum(SUCCESS).write(s.results());
                case RpcReply.ProgUnavail p -> out.writeEnum(PROG_UNAVAIL);
                case RpcReply.ProgMismatch m ->
                    out.writeEnum(PROG_MISMATCH).writeInt(m.low()).writeInt(m.high());
                case RpcReply.ProcUnavail p -> out.writeEnum(PROC_UNAVAIL);
                case RpcReply.GarbageArgs g -> out.writeEnum(GARBAGE_ARGS);
                case RpcReply.SystemErr e -> out.writeEnum(SYSTEM_ERR);
                case RpcReply.RpcMismatch m -> throw new AssertionError(m);
                case RpcReply.AuthError a -> throw new AssertionError(a);
            }
            return buf;
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }
}
