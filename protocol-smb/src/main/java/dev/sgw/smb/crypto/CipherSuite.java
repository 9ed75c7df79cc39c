package dev.sgw.smb.crypto;

/** Encryption ciphers, with their SMB2_ENCRYPTION_CAPABILITIES ids (MS-SMB2 2.2.3.1.2). */
public enum CipherSuite {
    AES_128_CCM(1, 16, 11),
    AES_128_GCM(2, 16, 12),
    AES_256_CCM(3, 32, 11),
    AES_256_GCM(4, 32, 12);

    private final int id;
    private final int keyBytes;
    private final int nonceBytes;

    CipherSuite(int id, int keyBytes, int nonceBytes) {
        this.id = id;
        this.keyBytes = keyBytes;
        this.nonceBytes = nonceBytes;
    }

    public int id() {
        return id;
    }

    public int keyBytes() {
        return keyBytes;
    }

    public int nonceBytes() {
        return nonceBytes;
    }

    /** The cipher with {@code id}, or null. */
    public static CipherSuite of(int id) {
        for (CipherSuite c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        return null;
    }
}
