package dev.sgw.nfs.v4;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

import dev.sgw.core.spi.VolumeDirectory;
import dev.sgw.nfs.ExportAccess;
import dev.sgw.nfs.Nfs4Status;
import dev.sgw.nfs.NfsStatusMapper;
import dev.sgw.nfs.rpc.CallContext;
import dev.sgw.nfs.rpc.ProgramVersions;
import dev.sgw.nfs.rpc.RpcCall;
import dev.sgw.nfs.rpc.RpcProgram;
import dev.sgw.nfs.rpc.RpcReply;
import dev.sgw.nfs.xdr.XdrDecoder;
import dev.sgw.nfs.xdr.XdrEncoder;
import dev.sgw.nfs.xdr.XdrException;
import dev.sgw.nfs.xdr.XdrWritable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NFS version 4, minor version 1 (RFC 8881; XDR of RFC 5662): program 100003 version 4, procedures NULL
 * and COMPOUND, over the exports of a {@link VolumeDirectory} with a pseudo file system above them.
 *
 * <p>A COMPOUND of another minor version is answered NFS4ERR_MINOR_VERS_MISMATCH (so 4.2 and 4.0 clients
 * fall back). Operations run in order until the first failure. Every compound but one made of a lone
 * EXCHANGE_ID, CREATE_SESSION, DESTROY_SESSION, DESTROY_CLIENTID or BIND_CONN_TO_SESSION starts with
 * SEQUENCE, which admits it on a session slot; the slot keeps the reply, so a retransmission is answered
 * from there and never runs twice (the RPC duplicate request cache is therefore not used: every call is
 * "idempotent" to the dispatcher).
 */
public final class Nfs4Program implements RpcProgram {
    private static final Logger LOG = LoggerFactory.getLogger(Nfs4Program.class);
    public static final int PROGRAM = 100_003;
    public static final int VERSION = 4;
    private static final ProgramVersions VERSIONS = ProgramVersions.of(PROGRAM, VERSION);
    static final int NULL = 0, COMPOUND = 1;
    static final int MAX_TAG = 1024;

    private final ServerState server;
    private final SessionOps sessionOps;
    private final FhOps fhOps;
    private final NamespaceOps namespaceOps;
    private final OpenOps openOps;
    private final LockOps lockOps;

    /** Without client records: after every start the grace period runs its full length. */
    public Nfs4Program(ExportAccess access, Nfs4Settings settings) {
        this(access, settings, ClientRecords.none(), System::nanoTime);
    }

    /** With client records kept across restarts, so that the grace period ends when no client needs more of it. */
    public Nfs4Program(ExportAccess access, Nfs4Settings settings, ClientRecords records) {
        this(access, settings, records, System::nanoTime);
    }

    /** With a clock of nanoseconds for leases and the grace period (tests). */
    public Nfs4Program(ExportAccess access, Nfs4Settings settings, ClientRecords records, LongSupplier clock) {
        StateTable[] states = new StateTable[1];
        Sessions sessions = new Sessions(settings, records, clock, id -> states[0].dropClient(id));
        states[0] = new StateTable(sessions.epoch());
        this.server = new ServerState(
                access, new PseudoFs(access.directory()), sessions, states[0], settings, Nfs4Program::wallClockNanos);
        this.sessionOps = new SessionOps(server);
        this.fhOps = new FhOps(server);
        this.namespaceOps = new NamespaceOps(server);
        this.openOps = new OpenOps(server);
        this.lockOps = new LockOps(server);
    }

    private static long wallClockNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public ProgramVersions versions() {
        return VERSIONS;
    }

    /** Sessions replay retransmissions themselves (section 2.10.6), so the RPC duplicate cache stays out. */
    @Override
    public boolean idempotent(int version, int procedure) {
        return true;
    }

    @Override
    public CompletionStage<RpcReply> handle(RpcCall call, CallContext context) {
        return CompletableFuture.completedFuture(
                switch (call.procedure()) {
                    case NULL -> {
                        new XdrDecoder(call.args()).requireEnd();
                        yield RpcReply.success(out -> {});
                    }
                    case COMPOUND -> {
                        ByteBuf reply = compound(call, context);
                        yield RpcReply.success(
                                out -> out.buffer().writeBytes(reply, reply.readerIndex(), reply.readableBytes()));
                    }
                    default -> new RpcReply.ProcUnavail();
                });
    }

    /** Runs one COMPOUND and returns its encoded COMPOUND4res (the buffer is not shared with the slot cache). */
    private ByteBuf compound(RpcCall call, CallContext context) {
        XdrDecoder in = new XdrDecoder(call.args());
        byte[] tag = in.readOpaque(MAX_TAG); // utf8str_cs tag
        int minor = in.readInt(); // minorversion
        int count = in.readInt(); // argarray<>
        ByteBuf buf = Unpooled.buffer(512);
        XdrEncoder out = new XdrEncoder(buf);
        out.writeInt(0).writeOpaque(tag, MAX_TAG); // status, patched below; tag
        int countAt = buf.writerIndex();
        out.writeInt(0); // resarray length, patched below
        if (minor != 1) {
            buf.setInt(0, Nfs4Status.NFS4ERR_MINOR_VERS_MISMATCH.code());
            return buf;
        }
        if (count < 0 || count > 10_000) {
            throw new XdrException("compound of " + count + " operations");
        }
        Compound c = new Compound(server, context, call.credential());
        try {
            return run(c, call, in, count, buf, countAt);
        } catch (RuntimeException | Error e) {
            if (c.run != null) {
                server.sessions().complete(c.run, null, false); // the slot is free again, with nothing to replay
            }
            throw e;
        }
    }

    /** Runs the operations of a compound whose header is written to {@code buf}; returns the whole reply. */
    // XdrWritable.VOID is a sentinel instance
    @SuppressWarnings("ReferenceEquality")
    private ByteBuf run(Compound c, RpcCall call, XdrDecoder in, int count, ByteBuf buf, int countAt) {
        XdrEncoder out = new XdrEncoder(buf);
        Nfs4Status status = Nfs4Status.NFS4_OK;
        StringBuilder trace = LOG.isDebugEnabled() ? new StringBuilder() : null;
        int done = 0;
        boolean cacheThis = false;
        for (int i = 0; i < count; i++) {
            boolean truncated = in.remaining() < 4;
            int op = truncated ? Op.ILLEGAL : in.readInt();
            OpResult result;
            int resop = op;
            try {
                if (truncated) {
                    throw new XdrException("the compound ends before operation " + i);
                }
                OpArgs args = OpDecoder.decode(op, in);
                resop = args.op();
                if (i == 0 && args instanceof OpArgs.Sequence seq) {
                    Sessions.Admission admission = server.sessions().sequence(seq, count);
                    if (admission instanceof Sessions.Replay replay) {
                        return Unpooled.wrappedBuffer(replay.reply());
                    }
                    c.run = (Sessions.Run) admission;
                    c.session = c.run.session();
                    cacheThis = seq.cacheThis();
                    result = sessionOps.sequenceResult(seq, c.run);
                } else {
                    result = firstOpRule(i, count, args);
                    if (result == null) {
                        result = execute(args, c);
                    }
                }
            } catch (XdrException e) {
                result = OpResult.error(Nfs4Status.NFS4ERR_BADXDR);
                resop = op >= 0 && op <= Op.LAST ? op : Op.ILLEGAL;
            } catch (Exception e) {
                result = OpResult.error(NfsStatusMapper.nfs4(e));
                if (result.status() == Nfs4Status.NFS4ERR_SERVERFAULT) {
                    LOG.warn("NFSv4 operation {} failed", op, e);
                } else {
                    LOG.debug("NFSv4 operation {}: {}", op, e.getMessage());
                }
            }
            if (resop == Op.SETATTR && result.status() != Nfs4Status.NFS4_OK && result.body() == XdrWritable.VOID) {
                result = new OpResult(result.status(), o -> o.writeInt(0)); // SETATTR4res always has attrsset
            }
            if (trace != null) {
                trace.append(' ')
                        .append(resop)
                        .append(result.status() == Nfs4Status.NFS4_OK ? "" : "=" + result.status());
            }
            out.writeInt(resop).writeInt(result.status().code());
            result.body().writeTo(out);
            done++;
            status = result.status();
            if (status != Nfs4Status.NFS4_OK) {
                break;
            }
        }
        buf.setInt(0, status.code());
        buf.setInt(countAt, done);
        if (trace != null) {
            LOG.debug("COMPOUND xid {}:{}", Integer.toUnsignedString(call.xid(), 16), trace);
        }
        if (c.run != null) {
            server.sessions().complete(c.run, buf, cacheThis);
        }
        return buf;
    }

    /** The answer of an operation misplaced in the compound (section 2.10.6.4 and 18.46.3), or null if it may run. */
    private static OpResult firstOpRule(int index, int count, OpArgs args) {
        int op = args.op();
        if (op == Op.SEQUENCE) {
            return OpResult.error(Nfs4Status.NFS4ERR_SEQUENCE_POS);
        }
        if (index == 0 && Op.sessionless(op)) {
            return count > 1 ? OpResult.error(Nfs4Status.NFS4ERR_NOT_ONLY_OP) : null;
        }
        if (index == 0 && !(args instanceof OpArgs.Illegal)) {
            return OpResult.error(Nfs4Status.NFS4ERR_OP_NOT_IN_SESSION);
        }
        return null;
    }

    private OpResult execute(OpArgs args, Compound c) throws Exception {
        return switch (args) {
            case OpArgs.Illegal i -> OpResult.error(Nfs4Status.NFS4ERR_OP_ILLEGAL);
            case OpArgs.Unsupported u -> OpResult.error(u.status());
            case OpArgs.ExchangeId a -> sessionOps.exchangeId(a);
            case OpArgs.CreateSession a -> sessionOps.createSession(a);
            case OpArgs.DestroySession a -> sessionOps.destroySession(a, c);
            case OpArgs.DestroyClientId a -> sessionOps.destroyClientId(a);
            case OpArgs.BindConn a -> sessionOps.bindConn(a);
            case OpArgs.ReclaimComplete a -> sessionOps.reclaimComplete(a, c);
            case OpArgs.TestStateid a -> sessionOps.testStateid(a, c);
            case OpArgs.FreeStateid a -> sessionOps.freeStateid(a, c);
            case OpArgs.Sequence a -> OpResult.error(Nfs4Status.NFS4ERR_SEQUENCE_POS);
            case OpArgs.PutFh a -> fhOps.putFh(a, c);
            case OpArgs.PutRootFh a -> fhOps.putRootFh(c);
            case OpArgs.PutPubFh a -> fhOps.putRootFh(c);
            case OpArgs.GetFh a -> fhOps.getFh(c);
            case OpArgs.SaveFh a -> {
                c.save();
                yield OpResult.OK;
            }
            case OpArgs.RestoreFh a -> {
                c.restore();
                yield OpResult.OK;
            }
            case OpArgs.Lookup a -> fhOps.lookup(a, c);
            case OpArgs.LookupParent a -> fhOps.lookupParent(c);
            case OpArgs.GetAttr a -> fhOps.getAttr(a, c);
            case OpArgs.Verify a -> fhOps.verify(a, c);
            case OpArgs.Access a -> fhOps.access(a, c);
            case OpArgs.SecInfo a -> fhOps.secInfo(a, c);
            case OpArgs.ReadDir a -> fhOps.readDir(a, c);
            case OpArgs.SetAttr a -> namespaceOps.setAttr(a, c);
            case OpArgs.ReadLink a -> namespaceOps.readLink(c);
            case OpArgs.Create a -> namespaceOps.create(a, c);
            case OpArgs.Remove a -> namespaceOps.remove(a, c);
            case OpArgs.Rename a -> namespaceOps.rename(a, c);
            case OpArgs.Link a -> namespaceOps.link(a, c);
            case OpArgs.Open a -> openOps.open(a, c);
            case OpArgs.OpenDowngrade a -> openOps.downgrade(a, c);
            case OpArgs.Close a -> openOps.close(a, c);
            case OpArgs.Read a -> openOps.read(a, c);
            case OpArgs.Write a -> openOps.write(a, c);
            case OpArgs.Commit a -> openOps.commit(a, c);
            case OpArgs.DelegReturn a -> OpResult.error(Nfs4Status.NFS4ERR_BAD_STATEID);
            case OpArgs.Lock a -> lockOps.lock(a, c);
            case OpArgs.LockTest a -> lockOps.lockTest(a, c);
            case OpArgs.Unlock a -> lockOps.unlock(a, c);
        };
    }

    /** Open and lock state, for status pages and tests. */
    int stateCount() {
        return server.states().stateCount();
    }

    int clientCount() {
        return server.sessions().clientCount();
    }
}
