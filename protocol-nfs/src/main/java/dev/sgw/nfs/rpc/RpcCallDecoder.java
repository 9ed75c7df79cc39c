package dev.sgw.nfs.rpc;

import java.util.List;

import dev.sgw.nfs.xdr.XdrDecoder;
import dev.sgw.nfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a record into an {@link RpcCall}, or an {@link RpcRejectedCall} when the call is refused before any
 * program sees it (RFC 5531 section 9): RPC version other than 2 (RPC_MISMATCH 2..2), a credential of a
 * flavor we do not accept or that does not parse (AUTH_ERROR / AUTH_BADCRED), a header cut short
 * (GARBAGE_ARGS). Records too short for an xid, and replies (we are a server only), are dropped. Stateless.
 */
@Sharable
public final class RpcCallDecoder extends MessageToMessageDecoder<ByteBuf> {
    private static final Logger LOG = LoggerFactory.getLogger(RpcCallDecoder.class);
    public static final RpcCallDecoder INSTANCE = new RpcCallDecoder();

    static final int CALL = 0;
    static final int RPC_VERSION = 2;

    private RpcCallDecoder() {
        super(ByteBuf.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf record, List<Object> out) {
        Object message = decode(record);
        if (message != null) {
            out.add(message);
        } else {
            LOG.debug(
                    "dropped a record of {} bytes from {} that is not a call",
                    record.readableBytes(),
                    ctx.channel().remoteAddress());
        }
    }

    /** The call or refusal in {@code record}, or null to drop it; an {@link RpcCall}'s args are retained. */
    static Object decode(ByteBuf record) {
        XdrDecoder in = new XdrDecoder(record);
        if (in.remaining() < 8) {
            return null;
        }
        int xid = in.readInt(); // xid (4)
        if (in.readEnum() != CALL) { // msg_type (4)
            return null;
        }
        try {
            int rpcvers = in.readInt(); // rpcvers (4)
            if (rpcvers != RPC_VERSION) {
                return new RpcRejectedCall(
                        xid, new RpcReply.RpcMismatch(RPC_VERSION, RPC_VERSION), "RPC version " + rpcvers);
            }
            int prog = in.readInt(); // prog, vers, proc (3 x 4)
            int vers = in.readInt();
            int proc = in.readInt();
            int credFlavor = in.readEnum(); // cred (4 + opaque<400>)
            byte[] credBody = in.readOpaque(OpaqueAuth.MAX_BODY);
            int verfFlavor = in.readEnum(); // verf (4 + opaque<400>)
            byte[] verfBody = in.readOpaque(OpaqueAuth.MAX_BODY);
            Credential credential;
            try {
                credential = credential(credFlavor, credBody);
            } catch (XdrException e) {
                return new RpcRejectedCall(
                        xid, new RpcReply.AuthError(RpcReply.AUTH_BADCRED), "credential: " + e.getMessage());
            }
            if (credential == null) {
                return new RpcRejectedCall(
                        xid, new RpcReply.AuthError(RpcReply.AUTH_BADCRED), "credential flavor " + credFlavor);
            }
            ByteBuf args = record.retainedSlice(record.readerIndex(), record.readableBytes());
            return new RpcCall(xid, prog, vers, proc, credential, new OpaqueAuth(verfFlavor, verfBody), args);
        } catch (XdrException e) {
            return new RpcRejectedCall(xid, new RpcReply.GarbageArgs(), "call header: " + e.getMessage());
        }
    }

    /** The parsed credential, or null for a flavor we do not accept. */
    static Credential credential(int flavor, byte[] body) {
        return switch (flavor) {
            case OpaqueAuth.AUTH_NONE -> Credential.None.INSTANCE;
            case OpaqueAuth.AUTH_SYS -> {
                XdrDecoder in = new XdrDecoder(Unpooled.wrappedBuffer(body));
                int stamp = in.readInt(); // stamp (4)
                String machine = in.readString(Credential.Sys.MAX_MACHINE_NAME); // machinename<255>
                int uid = in.readInt(); // uid (4)
                int gid = in.readInt(); // gid (4)
                int[] gids = in.readIntArray(Credential.Sys.MAX_GIDS); // gids<16>
                in.requireEnd();
                yield new Credential.Sys(stamp, machine, uid, gid, gids);
            }
            default -> null;
        };
    }
}
