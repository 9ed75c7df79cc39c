package dev.sgw.nfs.v4;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.sgw.nfs.Nfs4Status;
import dev.sgw.nfs.rpc.OpaqueAuth;
import dev.sgw.nfs.rpc.RpcTestClient;
import dev.sgw.nfs.xdr.XdrDecoder;
import dev.sgw.nfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBufUtil;

import static org.assertj.core.api.Assertions.assertThat;

/** A hand-rolled NFSv4.1 client for tests: builds COMPOUNDs, keeps a session and its slot sequence ids. */
final class Nfs4TestClient implements AutoCloseable {
    final RpcTestClient rpc;
    int uid = 0;
    int gid = 0;
    byte[] sessionId;
    long clientId;
    /** eir_server_scope of the last EXCHANGE_ID. */
    byte[] serverScope;

    final int[] slotSeq = new int[64];

    Nfs4TestClient(InetSocketAddress server) throws Exception {
        rpc = new RpcTestClient(server);
    }

    /** The arguments of one COMPOUND under construction. */
    static final class Ops {
        final XdrEncoder body = new XdrEncoder();
        int count;

        Ops op(int op, Consumer<XdrEncoder> args) {
            body.writeInt(op);
            args.accept(body);
            count++;
            return this;
        }

        Ops op(int op) {
            return op(op, e -> {});
        }

        Ops putRoot() {
            return op(Op.PUTROOTFH);
        }

        Ops putFh(byte[] fh) {
            return op(Op.PUTFH, e -> e.writeOpaque(fh, 128));
        }

        Ops lookup(String name) {
            return op(Op.LOOKUP, e -> e.writeString(name, 1024));
        }

        Ops getFh() {
            return op(Op.GETFH);
        }

        Ops getAttr(int... attrs) {
            return op(Op.GETATTR, e -> e.writeIntArray(Attributes.bitmap(attrs), 8));
        }
    }

    /** A COMPOUND reply being read: status, tag, then one result after another. */
    static final class Result {
        final int status;
        final int count;
        final XdrDecoder in;
        final byte[] bytes;
        int read;

        Result(byte[] bytes) {
            this.bytes = bytes;
            in = new XdrDecoder(io.netty.buffer.Unpooled.wrappedBuffer(bytes));
            status = in.readInt();
            in.readOpaque(1024);
            count = in.readInt();
        }

        /** Reads the next result header, checks its op, returns its status; the body follows in {@link #in}. */
        int next(int op) {
            read++;
            assertThat(in.readInt()).as("result op").isEqualTo(op);
            return in.readInt();
        }

        /** Reads the next result and requires NFS4_OK. */
        XdrDecoder ok(int op) {
            int s = next(op);
            assertThat(s).as("status of op " + op).isEqualTo(0);
            return in;
        }

        Nfs4Status status() {
            for (Nfs4Status s : Nfs4Status.values()) {
                if (s.code() == status) {
                    return s;
                }
            }
            throw new AssertionError("unknown status " + status);
        }
    }

    byte[] cred() {
        return RpcTestClient.authSys(1, "test", uid, gid);
    }

    /** Sends raw COMPOUND args (tag, minor version, ops) and returns the reply bytes. */
    byte[] send(int minor, Ops ops) throws Exception {
        XdrEncoder e = new XdrEncoder().writeString("t", 1024).writeInt(minor).writeInt(ops.count);
        e.buffer().writeBytes(ops.body.buffer().duplicate());
        RpcTestClient.Reply r = rpc.call(
                        rpc.nextXid(),
                        Nfs4Program.PROGRAM,
                        4,
                        1,
                        OpaqueAuth.AUTH_SYS,
                        cred(),
                        ByteBufUtil.getBytes(e.buffer()))
                .get(10, TimeUnit.SECONDS);
        assertThat(r.success()).as("RPC accepted").isTrue();
        return r.results();
    }

    Result compound(Ops ops) throws Exception {
        return new Result(send(1, ops));
    }

    /** EXCHANGE_ID then CREATE_SESSION with {@code slots} slots. */
    void createSession(String owner, int slots) throws Exception {
        Result x = compound(new Ops()
                .op(
                        Op.EXCHANGE_ID,
                        e -> e.writeHyper(42)
                                .writeString(owner, 1024)
                                .writeInt(0)
                                .writeInt(0)
                                .writeInt(0)));
        XdrDecoder in = x.ok(Op.EXCHANGE_ID);
        clientId = in.readHyper();
        int sequence = in.readInt();
        in.readInt(); // eir_flags
        assertThat(in.readInt()).as("SP4_NONE").isZero();
        in.readHyper(); // so_minor_id
        in.readOpaque(1024); // so_major_id
        serverScope = in.readOpaque(1024);
        Result s = compound(new Ops().op(Op.CREATE_SESSION, e -> {
            e.writeHyper(clientId).writeInt(sequence).writeInt(0);
            channel(e, slots);
            channel(e, 1);
            e.writeInt(0x40000000).writeInt(1).writeInt(0); // cb program, one AUTH_NONE sec parm
        }));
        sessionId = s.ok(Op.CREATE_SESSION).readFixedOpaque(16);
        java.util.Arrays.fill(slotSeq, 0);
    }

    private static void channel(XdrEncoder e, int slots) {
        e.writeInt(0)
                .writeInt(1 << 20)
                .writeInt(1 << 20)
                .writeInt(8192)
                .writeInt(16)
                .writeInt(slots)
                .writeInt(0);
    }

    /** Ops starting with SEQUENCE on {@code slot} with the slot's next sequence id. */
    Ops seq(int slot) {
        int seqid = ++slotSeq[slot];
        return seqWith(slot, seqid);
    }

    Ops seqWith(int slot, int seqid) {
        return new Ops()
                .op(
                        Op.SEQUENCE,
                        e -> e.writeFixedOpaque(sessionId)
                                .writeInt(seqid)
                                .writeInt(slot)
                                .writeInt(0)
                                .writeBool(true));
    }

    /** Skips a SEQUENCE result, checking it is OK. */
    static void sequenceOk(Result r) {
        XdrDecoder in = r.ok(Op.SEQUENCE);
        in.readFixedOpaque(16);
        in.readInt();
        in.readInt();
        in.readInt();
        in.readInt();
        in.readInt();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        rpc.close();
    }
}
