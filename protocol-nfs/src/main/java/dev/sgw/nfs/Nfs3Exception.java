package dev.sgw.nfs;

/**
 * A failure of the NFS layer with an {@code nfsstat3}, e.g. a malformed file handle
 * ({@link Nfs3Status#NFS3ERR_BADHANDLE}) or one of a removed export ({@link Nfs3Status#NFS3ERR_STALE}).
 */
public final class Nfs3Exception extends NfsException {
    private static final long serialVersionUID = 1L;

    public Nfs3Exception(Nfs3Status status, String message) {
        super(status, message);
    }

    @Override
    public Nfs3Status status() {
        return (Nfs3Status) super.status();
    }
}
