package dev.sgw.nfs;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

import dev.sgw.core.manage.ClientRule;
import dev.sgw.core.manage.NfsShare;
import dev.sgw.core.spi.VolumeDirectory;
import dev.sgw.core.spi.VolumeDirectory.NfsExport;
import dev.sgw.core.volume.Caller;
import dev.sgw.nfs.FileHandles.FileHandle;
import dev.sgw.nfs.rpc.CallContext;
import dev.sgw.nfs.rpc.Credential;

/**
 * Enforces a share's export rules on every NFS call, not only at mount time: the client's address must
 * match the share's allow-list (the first matching {@link ClientRule} decides read-write or read-only),
 * and the caller's ids are mapped by the share's {@link dev.sgw.core.manage.UserMapping}. The result is a
 * {@link Grant}, which the procedures ask before they touch the volume. Rules are read from the
 * {@link VolumeDirectory} on every call, so a changed allow-list applies to clients already mounted.
 */
public final class ExportAccess {
    private final VolumeDirectory directory;

    public ExportAccess(VolumeDirectory directory) {
        this.directory = directory;
    }

    /** The exports this access checks against. */
    public VolumeDirectory directory() {
        return directory;
    }

    /**
     * The grant for a call on a decoded handle: NFS3ERR_STALE if its export is gone, NFS3ERR_ACCES if the
     * client is not in the export's allow-list.
     */
    public Grant grant(FileHandle handle, CallContext context, Credential credential) throws Nfs3Exception {
        return grant(FileHandles.export(handle, directory), context, credential);
    }

    /** The grant for a call on an export found by path (MOUNT, the NFSv4 pseudo file system). */
    public Grant grant(NfsExport export, CallContext context, Credential credential) throws Nfs3Exception {
        NfsShare share = export.share();
        InetAddress client = context.client().getAddress();
        Optional<ClientRule> rule = rule(share, client);
        if (rule.isEmpty()) {
            throw new Nfs3Exception(
                    Nfs3Status.NFS3ERR_ACCES,
                    "client " + client.getHostAddress() + " is not in the allow-list of " + share.path());
        }
        return new Grant(export, caller(share, credential), rule.get().readWrite());
    }

    /** The first rule of {@code share} that covers {@code client}, if any. */
    public static Optional<ClientRule> rule(NfsShare share, InetAddress client) {
        return share.clients().stream().filter(r -> r.matches(client)).findFirst();
    }

    /** The caller after the share's user mapping; AUTH_NONE is the anonymous user. */
    static Caller caller(NfsShare share, Credential credential) {
        Caller anonymous = new Caller(share.anonUid(), share.anonGid(), new int[0]);
        if (!(credential instanceof Credential.Sys sys)) {
            return anonymous;
        }
        return switch (share.userMapping()) {
            case NONE -> sys.caller();
            case ROOT_SQUASH ->
                new Caller(
                        sys.uid() == 0 ? share.anonUid() : sys.uid(),
                        sys.gid() == 0 ? share.anonGid() : sys.gid(),
                        Arrays.stream(sys.gids())
                                .map(g -> g == 0 ? share.anonGid() : g)
                                .toArray());
            case ALL_SQUASH, ALL_ANONYMOUS -> anonymous;
        };
    }
}
