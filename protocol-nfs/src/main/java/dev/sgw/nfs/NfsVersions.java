package dev.sgw.nfs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import dev.sgw.nfs.rpc.RpcProgram;
import dev.sgw.nfs.v3.Nfs3Program;
import dev.sgw.nfs.v4.ClientRecords;
import dev.sgw.nfs.v4.Nfs4Program;
import dev.sgw.nfs.v4.Nfs4Settings;

/** The NFS versions this build serves, each an {@link RpcProgram} of one version over an {@link ExportAccess}. */
final class NfsVersions {
    private NfsVersions() {}

    /**
     * NFSv3 and NFSv4.1; the NFSv4 clients are recorded in {@code stateDirectory} so that after a restart
     * the grace period waits for them alone (and there is none when there were none).
     */
    static List<RpcProgram> all(ExportAccess access, Path stateDirectory) throws IOException {
        return List.of(
                new Nfs3Program(access),
                new Nfs4Program(
                        access, Nfs4Settings.defaults(), ClientRecords.file(stateDirectory.resolve("nfs4-clients"))));
    }
}
