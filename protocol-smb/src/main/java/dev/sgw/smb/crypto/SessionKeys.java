package dev.sgw.smb.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys of one session (MS-SMB2 3.3.5.5.3), derived from the authentication's session key.
 *
 * <p>How each key is made (KDF = SP800-108 counter mode, HMAC-SHA256, r = 32, MS-SMB2 3.1.4.2; labels and
 * contexts end in one NUL byte, which is part of them):
 *
 * <pre>
 * dialect      key            KDF key         label              context         L
 * 2.0.2, 2.1   signing        = the first 16 bytes of the session key, no KDF; no cipher keys
 *              application    = the same 16 bytes
 * 3.0, 3.0.2   signing        SessionKey      "SMB2AESCMAC\0"    "SmbSign\0"     128
 *              decryption     SessionKey      "SMB2AESCCM\0"     "ServerIn \0"   128  (note the space)
 *              encryption     SessionKey      "SMB2AESCCM\0"     "ServerOut\0"   128
 *              application    SessionKey      "SMB2APP\0"        "SmbRpc\0"      128
 * 3.1.1        signing        SessionKey      "SMBSigningKey\0"  preauth hash    128
 *              decryption     cipher key *    "SMBC2SCipherKey\0" preauth hash   128 or 256 *
 *              encryption     cipher key *    "SMBS2CCipherKey\0" preauth hash   128 or 256 *
 *              application    SessionKey      "SMBAppKey\0"      preauth hash    128
 * </pre>
 *
 * SessionKey is the first 16 bytes of the authentication's key (right-padded with zeros if shorter). (*) With
 * AES-256-CCM or AES-256-GCM the cipher keys are 32 bytes (L = 256) and derived from the whole "full" session
 * key (with Kerberos it can be 32 bytes; NTLM's is 16 bytes, used as is); otherwise L = 128 from SessionKey.
 * The signing and application keys stay 128-bit whatever the cipher, as Samba does ({@code SambaCaptureTest}).
 *
 * @param signingKey    signs and verifies messages (16 bytes)
 * @param encryptionKey the server encrypts with it (the client's decryption key; "ServerOut", "SMBS2CCipherKey");
 *     null for 2.x
 * @param decryptionKey the server decrypts with it ("ServerIn ", "SMBC2SCipherKey"); null for 2.x
 * @param applicationKey for the application (not used by the server itself)
 */
@SuppressWarnings("ArrayRecordComponent")
public record SessionKeys(byte[] signingKey, byte[] encryptionKey, byte[] decryptionKey, byte[] applicationKey) {
    private static final int SMB_2_0_2 = 0x0202;
    private static final int SMB_2_1 = 0x0210;
    private static final int SMB_3_0 = 0x0300;
    private static final int SMB_3_0_2 = 0x0302;
    private static final int SMB_3_1_1 = 0x0311;
    private static final int SESSION_KEY_BYTES = 16;
    private static final int PREAUTH_HASH_BYTES = 64;

    /**
     * Derives the keys for {@code dialect} (0x0202, 0x0210, 0x0300, 0x0302, 0x0311): 2.x signs with the
     * session key itself and has no encryption; 3.0/3.0.2 use SP800-108 KDF in counter mode with HMAC-SHA256
     * and the fixed labels; 3.1.1 uses the labels with the pre-authentication integrity hash as context.
     *
     * @param sessionKey  the session key from authentication: 16 bytes with NTLM; a longer (full) key is used
     *     whole for AES-256 cipher keys and cut to 16 bytes for everything else
     * @param preauthHash the session's 64-byte SHA-512 pre-authentication hash (3.1.1), else ignored
     * @param cipher      the connection's cipher (3.1.1; its key length decides 128 or 256-bit cipher keys), or
     *     null for AES-128 (3.0 and 3.0.2 always use AES-128-CCM and ignore it)
     * @throws IllegalArgumentException for an unknown dialect, an empty session key or (3.1.1) a missing hash
     */
    public static SessionKeys derive(int dialect, byte[] sessionKey, byte[] preauthHash, CipherSuite cipher) {
        if (sessionKey == null || sessionKey.length == 0) {
            throw new IllegalArgumentException("no session key");
        }
        byte[] key16 = Arrays.copyOf(sessionKey, SESSION_KEY_BYTES);
        return switch (dialect) {
            case SMB_2_0_2, SMB_2_1 -> new SessionKeys(key16, null, null, key16.clone());
            case SMB_3_0, SMB_3_0_2 -> derive30(key16);
            case SMB_3_1_1 -> derive311(sessionKey, key16, preauthHash, cipher);
            default -> throw new IllegalArgumentException(String.format("unknown dialect 0x%04x", dialect));
        };
    }

    private static SessionKeys derive30(byte[] key16) {
        return new SessionKeys(
                kdf(key16, label("SMB2AESCMAC"), label("SmbSign"), 128),
                kdf(key16, label("SMB2AESCCM"), label("ServerOut"), 128),
                kdf(key16, label("SMB2AESCCM"), label("ServerIn "), 128),
                kdf(key16, label("SMB2APP"), label("SmbRpc"), 128));
    }

    private static SessionKeys derive311(byte[] fullKey, byte[] key16, byte[] preauthHash, CipherSuite cipher) {
        if (preauthHash == null || preauthHash.length != PREAUTH_HASH_BYTES) {
            throw new IllegalArgumentException("SMB 3.1.1 keys need the 64-byte pre-authentication hash");
        }
        int cipherBits = cipher == null ? 128 : cipher.keyBytes() * 8;
        byte[] cipherKdfKey = cipherBits == 256 ? fullKey : key16;
        return new SessionKeys(
                kdf(key16, label("SMBSigningKey"), preauthHash, 128),
                kdf(cipherKdfKey, label("SMBS2CCipherKey"), preauthHash, cipherBits),
                kdf(cipherKdfKey, label("SMBC2SCipherKey"), preauthHash, cipherBits),
                kdf(key16, label("SMBAppKey"), preauthHash, 128));
    }

    /** The label or context {@code text} with its terminating NUL. */
    private static byte[] label(String text) {
        return (text + '\0').getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * SP800-108 KDF in counter mode (section 5.1) with HMAC-SHA256 and a 32-bit counter: the first {@code bits}
     * bits of K(1) || K(2) || ..., where K(i) = HMAC(key, [i]32 || label || 0x00 || context || [bits]32).
     */
    static byte[] kdf(byte[] key, byte[] label, byte[] context, int bits) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] out = new byte[bits / 8];
            for (int i = 1, done = 0; done < out.length; i++) {
                hmac.update(bigEndian(i));
                hmac.update(label);
                hmac.update((byte) 0);
                hmac.update(context);
                hmac.update(bigEndian(bits));
                byte[] block = hmac.doFinal();
                int n = Math.min(block.length, out.length - done);
                System.arraycopy(block, 0, out, done, n);
                done += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    private static byte[] bigEndian(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }
}
