package dev.sgw.nfs.v3;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.sgw.core.volume.VolumeException;
import dev.sgw.nfs.BadHandleException;
import dev.sgw.nfs.ExportAccess;
import dev.sgw.nfs.Nfs3Exception;
import dev.sgw.nfs.Nfs3Status;
import dev.sgw.nfs.NfsStatusMapper;
import dev.sgw.nfs.rpc.CallContext;
import dev.sgw.nfs.rpc.ProgramVersions;
import dev.sgw.nfs.rpc.RpcCall;
import dev.sgw.nfs.rpc.RpcProgram;
import dev.sgw.nfs.rpc.RpcReply;
import dev.sgw.nfs.xdr.XdrDecoder;
import dev.sgw.nfs.xdr.XdrWritable;
import io.netty.buffer.ByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NFS version 3 (RFC 1813), program 100003 version 3: decodes each call's arguments ({@link Nfs3Args}),
 * hands them to the procedure's handler and answers its result ({@link Nfs3Results}). Handlers:
 * {@link Nfs3Namespace} (names and attributes), {@link Nfs3Data} (READ, WRITE, COMMIT),
 * {@link Nfs3Directory} (READDIR, READDIRPLUS), {@link Nfs3FileSystem} (FSSTAT, FSINFO, PATHCONF).
 *
 * <p>Every handle goes through {@link ExportAccess} (allow-list, squashing, read-only clients), every
 * failure becomes an {@code nfsstat3} through {@link NfsStatusMapper} only. Arguments that do not decode
 * are GARBAGE_ARGS; an unknown procedure is PROC_UNAVAIL. The procedures that must not run twice go
 * through the RPC server's duplicate request cache ({@link #idempotent}).
 */
public final class Nfs3Program implements RpcProgram {
    private static final Logger LOG = LoggerFactory.getLogger(Nfs3Program.class);

    public static final int PROGRAM = 100_003;
    public static final int VERSION = 3;
    private static final ProgramVersions VERSIONS = ProgramVersions.of(PROGRAM, VERSION);
    static final int NULL = 0,
            GETATTR = 1,
            SETATTR = 2,
            LOOKUP = 3,
            ACCESS = 4,
            READLINK = 5,
            READ = 6,
            WRITE = 7,
            CREATE = 8,
            MKDIR = 9,
            SYMLINK = 10,
            MKNOD = 11,
            REMOVE = 12,
            RMDIR = 13,
            RENAME = 14,
            LINK = 15,
            READDIR = 16,
            READDIRPLUS = 17,
            FSSTAT = 18,
            FSINFO = 19,
            PATHCONF = 20,
            COMMIT = 21;

    private final Nfs3Namespace namespace;
    private final Nfs3Data data;
    private final Nfs3Directory directory;
    private final Nfs3FileSystem fileSystem;

    /** Serves the exports of {@code access}; READ buffers come from the default pooled allocator. */
    public Nfs3Program(ExportAccess access) {
        this(access, ByteBufAllocator.DEFAULT);
    }

    public Nfs3Program(ExportAccess access, ByteBufAllocator allocator) {
        this.namespace = new Nfs3Namespace(access);
        this.data = new Nfs3Data(access, allocator);
        this.directory = new Nfs3Directory(access);
        this.fileSystem = new Nfs3FileSystem(access);
    }

    @Override
    public ProgramVersions versions() {
        return VERSIONS;
    }

    /** SETATTR and the namespace changes are not idempotent (WRITE is: writing the same bytes again is harmless). */
    @Override
    public boolean idempotent(int version, int procedure) {
        return switch (procedure) {
            case SETATTR, CREATE, MKDIR, SYMLINK, MKNOD, REMOVE, RMDIR, RENAME, LINK -> false;
            default -> true;
        };
    }

    @Override
    public CompletionStage<RpcReply> handle(RpcCall call, CallContext context) {
        return CompletableFuture.completedFuture(reply(call, new Nfs3Request(context, call.credential())));
    }

    private RpcReply reply(RpcCall call, Nfs3Request r) {
        XdrDecoder in = new XdrDecoder(call.args());
        XdrWritable result = switch (call.procedure()) {
            case NULL -> {
                in.requireEnd();
                yield XdrWritable.VOID;
            }
            case GETATTR -> namespace.getattr(Nfs3Args.handle(in), r);
            case SETATTR -> namespace.setattr(Nfs3Args.setattr(in), r);
            case LOOKUP -> namespace.lookup(Nfs3Args.dirOp(in), r);
            case ACCESS -> namespace.access(Nfs3Args.access(in), r);
            case READLINK -> namespace.readlink(Nfs3Args.handle(in), r);
            case READ -> data.read(Nfs3Args.read(in), r);
            case WRITE -> data.write(Nfs3Args.write(in), r);
            case CREATE -> namespace.create(Nfs3Args.create(in), r);
            case MKDIR -> namespace.mkdir(Nfs3Args.mkdir(in), r);
            case SYMLINK -> namespace.symlink(Nfs3Args.symlink(in), r);
            case MKNOD -> namespace.mknod(Nfs3Args.mknod(in), r);
            case REMOVE -> namespace.remove(Nfs3Args.dirOp(in), r);
            case RMDIR -> namespace.rmdir(Nfs3Args.dirOp(in), r);
            case RENAME -> namespace.rename(Nfs3Args.rename(in), r);
            case LINK -> namespace.link(Nfs3Args.link(in), r);
            case READDIR -> directory.readdir(Nfs3Args.readdir(in), r);
            case READDIRPLUS -> directory.readdir(Nfs3Args.readdirplus(in), r);
            case FSSTAT -> fileSystem.fsstat(Nfs3Args.handle(in), r);
            case FSINFO -> fileSystem.fsinfo(Nfs3Args.handle(in), r);
            case PATHCONF -> fileSystem.pathconf(Nfs3Args.handle(in), r);
            case COMMIT -> data.commit(Nfs3Args.commit(in), r);
            default -> null;
        };
        return result == null ? new RpcReply.ProcUnavail() : RpcReply.success(result);
    }

    /** The {@code nfsstat3} answering a handler's failure; failures that are not the volume's or ours are logged. */
    static Nfs3Status status(Exception failure) {
        if (!(failure instanceof VolumeException
                || failure instanceof Nfs3Exception
                || failure instanceof BadHandleException)) {
            LOG.warn("NFSv3 procedure failed", failure);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("NFSv3 procedure failed: {}", failure.getMessage());
        }
        return NfsStatusMapper.nfs3(failure);
    }
}
