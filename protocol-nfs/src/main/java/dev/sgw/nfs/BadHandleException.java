package dev.sgw.nfs;

/**
 * A file handle this server did not make (wrong length, magic or format): NFS3ERR_BADHANDLE for NFSv3,
 * NFS4ERR_BADHANDLE for NFSv4.1, as {@link NfsStatusMapper} says.
 */
public final class BadHandleException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadHandleException(String message) {
        super(message);
    }
}
