package dev.sgw.smb.crypto;

/** Message signing algorithms, with their SMB2_SIGNING_CAPABILITIES ids (MS-SMB2 2.2.3.1.7). */
public enum SigningAlgorithm {
    /** SMB 2.0.2 and 2.1. */
    HMAC_SHA256(0),
    /** SMB 3.0, 3.0.2, and 3.1.1 without a negotiated signing context. */
    AES_CMAC(1),
    AES_GMAC(2);

    private final int id;

    SigningAlgorithm(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }
}
