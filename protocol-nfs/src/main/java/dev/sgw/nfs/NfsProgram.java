package dev.sgw.nfs;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.sgw.nfs.rpc.CallContext;
import dev.sgw.nfs.rpc.ProgramVersions;
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
    private final ProgramVersions versions;
    private final int low;

    public NfsProgram(List<? extends RpcProgram> versions) {
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("no NFS version to serve");
        }
        low = versions.stream().mapToInt(p -> p.versions().low()).min().orElseThrow();
        int high = versions.stream().mapToInt(p -> p.versions().high()).max().orElseThrow();
        this.versions = new ProgramVersions(PROGRAM, low, high);
        byVersion = new RpcProgram[high - low + 1];
        for (RpcProgram p : versions) {
            ProgramVersions v = p.versions();
            if (v.program() != PROGRAM || v.low() != v.high()) {
                throw new IllegalArgumentException("not one version of program " + PROGRAM + ": " + p);
            }
            if (byVersion[v.low() - low] != null) {
                throw new IllegalArgumentException("NFS version " + v.low() + " given twice");
            }
            byVersion[v.low() - low] = p;
        }
        for (int v = low; v <= high; v++) {
            if (byVersion[v - low] == null) {
                throw new IllegalArgumentException("NFS versions must be contiguous; " + v + " is missing");
            }
        }
    }

    @Override
    public ProgramVersions versions() {
        return versions;
    }

    @Override
    public boolean idempotent(int version, int procedure) {
        return !versions.contains(version) || version(version).idempotent(version, procedure);
    }

    @Override
    public CompletionStage<RpcReply> handle(RpcCall call, CallContext context) {
        if (!versions.contains(call.version())) {
            return CompletableFuture.completedFuture(new RpcReply.ProgMismatch(versions.low(), versions.high()));
        }
        return version(call.version()).handle(call, context);
    }

    private RpcProgram version(int version) {
        return byVersion[version - low];
    }
}
