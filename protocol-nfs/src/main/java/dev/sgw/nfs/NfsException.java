package dev.sgw.nfs;

import java.util.Objects;

/**
 * A failure of the NFS layer itself (not the volume's) with the status to answer, e.g. a malformed file
 * handle ({@link NfsStatus#NFS3ERR_BADHANDLE}) or one of a removed export ({@link NfsStatus#NFS3ERR_STALE}).
 */
public final class NfsException extends Exception {
    private static final long serialVersionUID = 1L;

    private final NfsStatus status;

    public NfsException(NfsStatus status, String message) {
        super(status + ": " + message);
        this.status = Objects.requireNonNull(status, "status");
    }

    public NfsStatus status() {
        return status;
    }
}
