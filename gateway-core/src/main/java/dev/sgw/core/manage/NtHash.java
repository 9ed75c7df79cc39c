package dev.sgw.core.manage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The NT hash of an SMB user's password: MD4 of the password in UTF-16LE (MS-NLMP 3.3.1, NTOWFv1). It is
 * what NTLMv2 needs, so the gateway keeps it instead of the password; it is still a secret (it logs a
 * user in on its own), so {@link #toString()} masks it and the state file stores it encrypted.
 */
public final class NtHash {
    private final byte[] hash;

    private NtHash(byte[] hash) {
        if (hash.length != 16) {
            throw new IllegalArgumentException("an NT hash has 16 bytes, not " + hash.length);
        }
        this.hash = hash.clone();
    }

    /** The NT hash of {@code password}. */
    public static NtHash ofPassword(String password) {
        Objects.requireNonNull(password, "password");
        return new NtHash(Md4.digest(password.getBytes(StandardCharsets.UTF_16LE)));
    }

    /** An NT hash from its 16 bytes. */
    public static NtHash of(byte[] hash) {
        return new NtHash(hash);
    }

    /** A copy of the 16 bytes, for NTLM and for sealing into the state file. */
    public byte[] bytes() {
        return hash.clone();
    }

    /** The upper-case hex form, as tools print it; a secret too. */
    public String toHex() {
        return HexFormat.of().withUpperCase().formatHex(hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NtHash other && MessageDigest.isEqual(hash, other.hash);
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return "NtHash[****]";
    }
}
