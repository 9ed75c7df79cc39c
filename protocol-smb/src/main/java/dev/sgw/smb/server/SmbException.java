package dev.sgw.smb.server;

import dev.sgw.smb.wire.NtStatus;

/** A request fails with {@link #status()}; the dispatcher answers with an SMB2 ERROR response. */
public final class SmbException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;

    public SmbException(int status, String message) {
        super(NtStatus.name(status) + ": " + message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
