package dev.sgw.nfs;

import java.util.List;

import dev.sgw.nfs.rpc.RpcProgram;
import dev.sgw.nfs.v3.Nfs3Program;
import dev.sgw.nfs.v4.Nfs4Program;
import dev.sgw.nfs.v4.Nfs4Settings;

/** The NFS versions this build serves, each an {@link RpcProgram} of one version over an {@link ExportAccess}. */
final class NfsVersions {
    private NfsVersions() {
    }

    static List<RpcProgram> all(ExportAccess access) {
        return List.of(new Nfs3Program(access), new Nfs4Program(access, Nfs4Settings.defaults()));
    }
}
