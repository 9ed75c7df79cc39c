package dev.sgw.nfs;

/**
 * A failure of the NFSv4.1 layer with an {@code nfsstat4} of its own, one that has no NFSv3 meaning
 * (sessions, stateids, locks: e.g. {@link Nfs4Status#NFS4ERR_BADSESSION}). {@link NfsStatusMapper#nfs4(Throwable)}
 * answers its status as it is.
 */
public final class Nfs4Exception extends NfsException {
    private static final long serialVersionUID = 1L;

    public Nfs4Exception(Nfs4Status status, String message) {
        super(status, message);
    }

    @Override
    public Nfs4Status status() {
        return (Nfs4Status) super.status();
    }
}
