package dev.sgw.iscsi.login;

import java.util.Objects;

/** One {@code key=value} pair of iSCSI text (RFC 7143 section 6.1). */
public record KeyValue(String key, String value) {
    public KeyValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return key.startsWith("CHAP_") && !key.equals("CHAP_A") && !key.equals("CHAP_N")
                ? key + "=****"
                : key + "=" + value;
    }
}
