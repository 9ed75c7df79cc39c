package dev.sgw.nfs;

import java.net.InetAddress;
import java.util.Optional;

import dev.sgw.core.access.CallerMapping;
import dev.sgw.core.access.CheckedFileVolume;
import dev.sgw.core.manage.ClientRule;
import dev.sgw.core.manage.NfsShare;
import dev.sgw.core.spi.VolumeDirectory;
import dev.sgw.core.spi.VolumeDirectory.NfsExport;
import dev.sgw.core.volume.Caller;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.nfs.FileHandles.FileHandle;
import dev.sgw.nfs.rpc.CallContext;
import dev.sgw.nfs.rpc.Credential;

/**
 * Applies a share's export rules on every NFS call, not only at mount time: the client's address must
 * match the share's allow-list (the first matching {@link ClientRule} decides read-write or read-only),
 * and the caller's AUTH_SYS ids are mapped by the share's {@link CallerMapping}. The result is the
 * export's volume as that caller may use it, a {@link CheckedFileVolume}, through which the procedures
 * reach the volume; it checks the permissions. Rules are read from the {@link VolumeDirectory} on every
 * call, so a changed allow-list applies to clients already mounted.
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
     * The volume of a decoded handle's export for the caller of one call: STALE if its export is gone,
     * ACCES if the client is not in the export's allow-list.
     */
    public CheckedFileVolume volume(FileHandle handle, CallContext context, Credential credential)
            throws VolumeException {
        return volume(FileHandles.export(handle, directory), context, credential);
    }

    /** The volume of an export found by path (MOUNT, the NFSv4 pseudo file system) for the caller of one call. */
    public CheckedFileVolume volume(NfsExport export, CallContext context, Credential credential)
            throws VolumeException {
        NfsShare share = export.share();
        InetAddress client = context.client().getAddress();
        Optional<ClientRule> rule = rule(share, client);
        if (rule.isEmpty()) {
            throw new VolumeException(
                    VolumeError.ACCES,
                    "client " + client.getHostAddress() + " is not in the allow-list of " + share.path());
        }
        CallerMapping mapping = CallerMapping.of(share);
        return mapping.checked(
                export.volume(), caller(mapping, credential), rule.get().readWrite());
    }

    /** The first rule of {@code share} that covers {@code client}, if any. */
    public static Optional<ClientRule> rule(NfsShare share, InetAddress client) {
        return share.clients().stream().filter(r -> r.matches(client)).findFirst();
    }

    /** The caller after the share's user mapping; AUTH_NONE is the anonymous user. */
    static Caller caller(CallerMapping mapping, Credential credential) {
        if (credential instanceof Credential.Sys sys) {
            return mapping.map(sys.uid(), sys.gid(), sys.gids());
        }
        return mapping.anonymous();
    }
}
