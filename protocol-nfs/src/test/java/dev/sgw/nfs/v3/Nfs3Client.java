package dev.sgw.nfs.v3;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.sgw.nfs.rpc.OpaqueAuth;
import dev.sgw.nfs.rpc.RpcTestClient;
import dev.sgw.nfs.xdr.XdrDecoder;
import dev.sgw.nfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBufUtil;

/** A test NFSv3 client over {@link RpcTestClient}: encodes arguments and decodes the shared result types. */
final class Nfs3Client implements AutoCloseable {
    final RpcTestClient rpc;
    private byte[] credential;

    /** @param uid the AUTH_SYS uid of every call (gid the same) */
    Nfs3Client(InetSocketAddress server, int uid) throws IOException {
        rpc = new RpcTestClient(server);
        as(uid);
    }

    Nfs3Client as(int uid) {
        credential = RpcTestClient.authSys(1, "test", uid, uid);
        return this;
    }

    /** A call; the reply must be accepted with SUCCESS. */
    XdrDecoder call(int procedure, Consumer<XdrEncoder> args) throws Exception {
        return call(rpc.nextXid(), procedure, args);
    }

    XdrDecoder call(int xid, int procedure, Consumer<XdrEncoder> args) throws Exception {
        RpcTestClient.Reply reply = raw(xid, procedure, args);
        if (!reply.success()) {
            throw new AssertionError(
                    "procedure " + procedure + ": reply_stat " + reply.replyStat() + " stat " + reply.stat());
        }
        return reply.decoder();
    }

    RpcTestClient.Reply raw(int xid, int procedure, Consumer<XdrEncoder> args) throws Exception {
        return send(xid, procedure, args).get(10, TimeUnit.SECONDS);
    }

    /** Sends a call without waiting for its reply. */
    CompletableFuture<RpcTestClient.Reply> send(int xid, int procedure, Consumer<XdrEncoder> args) throws IOException {
        XdrEncoder e = new XdrEncoder();
        args.accept(e);
        return rpc.call(
                xid,
                Nfs3Program.PROGRAM,
                3,
                procedure,
                OpaqueAuth.AUTH_SYS,
                credential,
                ByteBufUtil.getBytes(e.buffer()));
    }

    @Override
    public void close() throws IOException {
        rpc.close();
    }

    // ---- argument pieces --------------------------------------------------------------------------

    static XdrEncoder fh(XdrEncoder out, byte[] handle) {
        return out.writeOpaque(handle, 64);
    }

    static void dirop(XdrEncoder out, byte[] dir, String name) {
        fh(out, dir);
        out.writeString(name, 4096);
    }

    /** A {@code sattr3} setting only the mode (or nothing for a negative mode). */
    static void sattrMode(XdrEncoder out, int mode) {
        sattr(out, mode, -1, null);
    }

    /** A {@code sattr3}: mode and uid when not negative, size when not null; times unchanged. */
    static void sattr(XdrEncoder out, int mode, int uid, Long size) {
        out.writeBool(mode >= 0);
        if (mode >= 0) {
            out.writeInt(mode);
        }
        out.writeBool(uid >= 0);
        if (uid >= 0) {
            out.writeInt(uid);
        }
        out.writeBool(false); // gid
        out.writeBool(size != null);
        if (size != null) {
            out.writeHyper(size);
        }
        out.writeEnum(0).writeEnum(0); // atime, mtime: DONT_CHANGE
    }

    // ---- result pieces ----------------------------------------------------------------------------

    /** A decoded {@code fattr3}; times as their 64-bit wire value (seconds in the high half). */
    record Fattr(
            int type,
            int mode,
            long nlink,
            int uid,
            int gid,
            long size,
            long used,
            long fsid,
            long fileid,
            long atime,
            long mtime,
            long ctime) {}

    /** The pre-op part of {@code wcc_data}. */
    record Pre(long size, long mtime, long ctime) {}

    record WccData(Pre before, Fattr after) {}

    static Fattr fattr(XdrDecoder in) {
        int type = in.readEnum();
        int mode = in.readInt();
        long nlink = in.readUnsignedInt();
        int uid = in.readInt();
        int gid = in.readInt();
        long size = in.readHyper();
        long used = in.readHyper();
        in.readInt();
        in.readInt();
        long fsid = in.readHyper();
        long fileid = in.readHyper();
        return new Fattr(
                type, mode, nlink, uid, gid, size, used, fsid, fileid, in.readHyper(), in.readHyper(), in.readHyper());
    }

    static Fattr postOp(XdrDecoder in) {
        return in.readBool() ? fattr(in) : null;
    }

    static WccData wcc(XdrDecoder in) {
        Pre before = in.readBool() ? new Pre(in.readHyper(), in.readHyper(), in.readHyper()) : null;
        return new WccData(before, postOp(in));
    }

    static byte[] postOpFh(XdrDecoder in) {
        return in.readBool() ? in.readOpaque(64) : null;
    }

    /** The pre-op attributes a {@code fattr3} would give. */
    static Pre pre(Fattr a) {
        return new Pre(a.size(), a.mtime(), a.ctime());
    }
}
