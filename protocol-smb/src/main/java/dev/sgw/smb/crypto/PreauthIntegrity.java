package dev.sgw.smb.crypto;

/**
 * The SMB 3.1.1 pre-authentication integrity hash (MS-SMB2 3.3.5.4, 3.3.5.5): SHA-512 chained over the
 * NEGOTIATE request and response (the connection's hash), then over each SESSION_SETUP request and
 * response that is not the final success (the session's hash, starting from the connection's).
 * Immutable: {@link #update} returns the next value.
 */
@SuppressWarnings({"ArrayRecordComponent", "DoNotCallSuggester", "unused"}) // stub until built
public record PreauthIntegrity(byte[] value) {
    /** The 64 zero bytes every connection starts from. */
    public static PreauthIntegrity initial() {
        return new PreauthIntegrity(new byte[64]);
    }

    /** SHA-512(value || message), where message is the whole SMB2 message (header included). */
    public PreauthIntegrity update(byte[] message) {
        throw new UnsupportedOperationException("PreauthIntegrity: not built yet");
    }
}
