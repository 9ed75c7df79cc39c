package dev.sgw.core.manage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret string (a secret access key, a CHAP secret). Its {@link #toString()} is always {@code ****}, so
 * a record holding it can be printed or logged; only {@link #reveal()} gives the value, to the code that
 * must use it. Equality compares in constant time.
 */
public final class Secret {
    private static final String MASK = "****";
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "secret");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The clear value: for the code that signs a request or checks a response, never for logs. */
    public String reveal() {
        return value;
    }

    public int length() {
        return value.length();
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other
                && MessageDigest.isEqual(
                        value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return 0; // no hint of the value
    }

    @Override
    public String toString() {
        return MASK;
    }
}
