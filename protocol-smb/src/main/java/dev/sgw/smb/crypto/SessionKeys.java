package dev.sgw.smb.crypto;

/**
 * The keys of one session (MS-SMB2 3.3.5.5.3), derived from the authentication's session key.
 *
 * @param signingKey    signs and verifies messages
 * @param encryptionKey the server encrypts with it (the client's decryption key; "ServerOut")
 * @param decryptionKey the server decrypts with it ("ServerIn")
 * @param applicationKey for the application (not used by the server itself)
 */
@SuppressWarnings({"ArrayRecordComponent", "DoNotCallSuggester", "unused"}) // stub until built
public record SessionKeys(byte[] signingKey, byte[] encryptionKey, byte[] decryptionKey, byte[] applicationKey) {
    /**
     * Derives the keys for {@code dialect} (0x0202, 0x0210, 0x0300, 0x0302, 0x0311): 2.x signs with the
     * session key itself and has no encryption; 3.0/3.0.2 use SP800-108 KDF in counter mode with HMAC-SHA256
     * and the fixed labels; 3.1.1 uses the labels with the pre-authentication integrity hash as context.
     *
     * @param sessionKey  the 16-byte session key from authentication
     * @param preauthHash the session's 64-byte SHA-512 pre-authentication hash (3.1.1), else null
     * @param cipher      the connection's cipher (3.x; its key length decides 128 or 256-bit keys), or null
     */
    public static SessionKeys derive(int dialect, byte[] sessionKey, byte[] preauthHash, CipherSuite cipher) {
        throw new UnsupportedOperationException("SessionKeys: not built yet");
    }
}
