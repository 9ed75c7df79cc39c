package dev.sgw.nfs;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.sgw.nfs.rpc.CallContext;
import dev.sgw.nfs.rpc.RpcCall;
import dev.sgw.nfs.rpc.RpcProgram;
import dev.sgw.nfs.rpc.RpcReply;

/**
 * Program 100003, NFS: one {@link RpcProgram} per version (3 and 4), each serving exactly its own version,
 * under one program number so that one {@link dev.sgw.nfs.rpc.RpcServer} serves them all. Versions must
 * be contiguous; a call for a version outside them never gets here (the dispatcher answers
 * PROG_MISMATCH with this program's range).
 */
public final class NfsProgram implements RpcProgram {
    public static final int PROGRAM = 100_003;

    private final RpcProgram[] byVersion;
    private final int low;
    private final int high;

    public NfsProgram(List<? extends RpcProgram> versions) {
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("no NFS version to serve");
        }
        low = versions.stream().mapToInt(RpcProgram::lowVersion).min().orElseThrow();
        high = versions.stream().mapToInt(RpcProgram::highVersion).max().orElseThrow();
        byVersion = new RpcProgram[high - low + 1];
        for (RpcProgram p : versions) {
            if (p.program() != PROGRAM || p.lowVersion() != p.highVersion()) {
                throw new IllegalArgumentException("not one version of program " + PROGRAM + ": " + p);
            }
            if (byVersion[p.lowVersion() - low] != null) {
                throw new IllegalArgumentException("NFS version " + p.lowVersion() + " given twice");
            }
            byVersion[p.lowVersion() - low] = p;
        }
        for (int v = low; v <= high; v++) {
            if (byVersion[v - low] == null) {
                throw new IllegalArgumentException("NFS versions must be contiguous; " + v + " is missing");
            }
        }
    }

    @Override
    public int program() {
        return PROGRAM;
    }

    @Override
    public int lowVersion() {
        return low;
    }

    @Override
    public int highVersion() {
        return high;
    }

    @Override
    public boolean idempotent(int version, int procedure) {
        return version < low || version > high || version(version).idempotent(version, procedure);
    }

    @Override
    public CompletionStage<RpcReply> handle(RpcCall call, CallContext context) {
        if (call.version() < low || call.version() > high) {
            return CompletableFuture.completedFuture(new RpcReply.ProgMismatch(low, high));
        }
        return version(call.version()).handle(call, context);
    }

    private RpcProgram version(int version) {
        return byVersion[version - low];
    }
}
