package dev.sgw.smb.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The SMB 3.1.1 pre-authentication integrity hash (MS-SMB2 3.3.5.4, 3.3.5.5): SHA-512 chained over the
 * NEGOTIATE request and response (the connection's hash), then over each SESSION_SETUP request and
 * response that is not the final success (the session's hash, starting from the connection's).
 * Immutable: {@link #update} returns the next value.
 *
 * <p>The server therefore hashes, in order: NEGOTIATE request, NEGOTIATE response (connection's value), then
 * per session every SESSION_SETUP request, and every SESSION_SETUP response answered with
 * STATUS_MORE_PROCESSING_REQUIRED; the final request (the one that succeeds) is hashed, its success response is
 * not. The value after that final request is the context of {@link SessionKeys#derive}. Each message is hashed
 * whole (64-byte header included) exactly as sent or received, without the 4-byte transport length (a new
 * session's hashed responses are unsigned, no key exists yet; a binding's are signed with the session's key,
 * signature included). A binding (multichannel) hashes its own SESSION_SETUPs the same way, from the
 * connection's value of the connection it binds, for the channel's signing key.
 */
@SuppressWarnings("ArrayRecordComponent")
public record PreauthIntegrity(byte[] value) {
    /** The 64 zero bytes every connection starts from. */
    public static PreauthIntegrity initial() {
        return new PreauthIntegrity(new byte[64]);
    }

    /** SHA-512(value || message), where message is the whole SMB2 message (header included). */
    public PreauthIntegrity update(byte[] message) {
        try {
            MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
            sha512.update(value);
            sha512.update(message);
            return new PreauthIntegrity(sha512.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 unavailable", e);
        }
    }
}
