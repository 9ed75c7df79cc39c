package dev.sgw.nfs;

import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;

/**
 * The one mapping from the volume layer's {@link VolumeError} to NFS status codes: {@code nfsstat3} for
 * NFSv3 and MOUNT, {@code nfsstat4} for NFSv4.1. A failure that is not a {@link VolumeException} (a bug, an
 * unexpected runtime error) is SERVERFAULT; an {@link NfsException} answers its own status in its own version
 * ({@link Nfs3Exception} for NFSv3, {@link Nfs4Exception} for NFSv4.1); a {@link BadHandleException} is either
 * version's BADHANDLE.
 */
public final class NfsStatusMapper {
    private NfsStatusMapper() {}

    /** The {@code nfsstat3} of a volume error. */
    public static Nfs3Status nfs3(VolumeError error) {
        if (error == null) {
            return Nfs3Status.NFS3ERR_SERVERFAULT;
        }
        return switch (error) {
            case NOENT -> Nfs3Status.NFS3ERR_NOENT;
            case EXIST -> Nfs3Status.NFS3ERR_EXIST;
            case NOTDIR -> Nfs3Status.NFS3ERR_NOTDIR;
            case ISDIR -> Nfs3Status.NFS3ERR_ISDIR;
            case NOTEMPTY -> Nfs3Status.NFS3ERR_NOTEMPTY;
            case ACCES -> Nfs3Status.NFS3ERR_ACCES;
            case PERM -> Nfs3Status.NFS3ERR_PERM;
            case NOSPC -> Nfs3Status.NFS3ERR_NOSPC;
            case ROFS -> Nfs3Status.NFS3ERR_ROFS;
            case NAMETOOLONG -> Nfs3Status.NFS3ERR_NAMETOOLONG;
            case STALE -> Nfs3Status.NFS3ERR_STALE;
            case IO -> Nfs3Status.NFS3ERR_IO;
            case INVAL -> Nfs3Status.NFS3ERR_INVAL;
            case BADCOOKIE -> Nfs3Status.NFS3ERR_BAD_COOKIE;
            case FBIG -> Nfs3Status.NFS3ERR_FBIG;
            case MLINK -> Nfs3Status.NFS3ERR_MLINK;
            case NOTSUPP -> Nfs3Status.NFS3ERR_NOTSUPP;
            // the volume is opening or closing: the client waits and retries
            case UNAVAILABLE -> Nfs3Status.NFS3ERR_JUKEBOX;
            // another protocol's open or lock is in the way: what a local file system says, EACCES
            case SHARING_VIOLATION, LOCKED, DELETE_PENDING -> Nfs3Status.NFS3ERR_ACCES;
        };
    }

    /** The {@code nfsstat4} of a volume error. */
    public static Nfs4Status nfs4(VolumeError error) {
        if (error == null) {
            return Nfs4Status.NFS4ERR_SERVERFAULT;
        }
        return switch (error) {
            case NOENT -> Nfs4Status.NFS4ERR_NOENT;
            case EXIST -> Nfs4Status.NFS4ERR_EXIST;
            case NOTDIR -> Nfs4Status.NFS4ERR_NOTDIR;
            case ISDIR -> Nfs4Status.NFS4ERR_ISDIR;
            case NOTEMPTY -> Nfs4Status.NFS4ERR_NOTEMPTY;
            case ACCES -> Nfs4Status.NFS4ERR_ACCESS;
            case PERM -> Nfs4Status.NFS4ERR_PERM;
            case NOSPC -> Nfs4Status.NFS4ERR_NOSPC;
            case ROFS -> Nfs4Status.NFS4ERR_ROFS;
            case NAMETOOLONG -> Nfs4Status.NFS4ERR_NAMETOOLONG;
            case STALE -> Nfs4Status.NFS4ERR_STALE;
            case IO -> Nfs4Status.NFS4ERR_IO;
            case INVAL -> Nfs4Status.NFS4ERR_INVAL;
            case BADCOOKIE -> Nfs4Status.NFS4ERR_BAD_COOKIE;
            case FBIG -> Nfs4Status.NFS4ERR_FBIG;
            case MLINK -> Nfs4Status.NFS4ERR_MLINK;
            case NOTSUPP -> Nfs4Status.NFS4ERR_NOTSUPP;
            case UNAVAILABLE -> Nfs4Status.NFS4ERR_DELAY;
            case SHARING_VIOLATION -> Nfs4Status.NFS4ERR_SHARE_DENIED;
            case LOCKED -> Nfs4Status.NFS4ERR_LOCKED;
            case DELETE_PENDING -> Nfs4Status.NFS4ERR_ACCESS;
        };
    }

    /**
     * The {@code nfsstat3} answering a failure: mapped if it is a {@link VolumeException} or a
     * {@link BadHandleException}, its own for an {@link Nfs3Exception}, else SERVERFAULT.
     */
    public static Nfs3Status nfs3(Throwable failure) {
        if (failure instanceof VolumeException v) {
            return nfs3(v.error());
        }
        if (failure instanceof BadHandleException) {
            return Nfs3Status.NFS3ERR_BADHANDLE;
        }
        if (failure instanceof Nfs3Exception n) {
            return n.status();
        }
        return Nfs3Status.NFS3ERR_SERVERFAULT;
    }

    /**
     * The {@code nfsstat4} answering a failure: mapped if it is a {@link VolumeException} or a
     * {@link BadHandleException}, its own for an {@link Nfs4Exception}, else SERVERFAULT.
     */
    public static Nfs4Status nfs4(Throwable failure) {
        if (failure instanceof VolumeException v) {
            return nfs4(v.error());
        }
        if (failure instanceof BadHandleException) {
            return Nfs4Status.NFS4ERR_BADHANDLE;
        }
        if (failure instanceof Nfs4Exception n) {
            return n.status();
        }
        return Nfs4Status.NFS4ERR_SERVERFAULT;
    }
}
