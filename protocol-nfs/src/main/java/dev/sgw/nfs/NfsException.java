package dev.sgw.nfs;

import java.util.Objects;

/**
 * A failure of the NFS layer itself (not the volume's) that carries the status to answer: an
 * {@link Nfs3Exception} with an {@code nfsstat3} of NFSv3's own or an
 * {@link Nfs4Exception} with an {@code nfsstat4} of NFSv4.1's own. {@link NfsStatusMapper} answers its status in
 * its own version; code both versions share fails with a {@code VolumeException} or a
 * {@link BadHandleException} instead.
 */
public abstract sealed class NfsException extends Exception permits Nfs3Exception, Nfs4Exception {
    private static final long serialVersionUID = 1L;

    private final Enum<?> status;

    NfsException(Enum<?> status, String message) {
        super(Objects.requireNonNull(status, "status") + ": " + message);
        this.status = status;
    }

    /** The status to answer ({@link Nfs3Status} or {@link Nfs4Status}, as the subclass says). */
    public Enum<?> status() {
        return status;
    }
}
