package dev.sgw.smb.auth;

import java.io.Serial;

/** A security token that does not parse; {@link SecurityExchange} turns it into a MALFORMED failure. */
final class MalformedTokenException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    MalformedTokenException(String message) {
        super(message);
    }
}
