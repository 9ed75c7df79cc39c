package dev.sgw.core.meta;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Value encodings for tests only: the volume layer defines the real ones. */
final class TestValues {
    private TestValues() {}

    static byte[] u64(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    static long u64(byte[] value) {
        if (value.length < Long.BYTES) {
            throw new IllegalArgumentException("value of " + value.length + " bytes is not a u64");
        }
        return ByteBuffer.wrap(value).getLong();
    }

    /** Two u64 fields, read back with {@link #first} and {@link #second}. */
    static byte[] pair(long first, long second) {
        return ByteBuffer.allocate(2 * Long.BYTES)
                .putLong(first)
                .putLong(second)
                .array();
    }

    static long first(byte[] pair) {
        return ByteBuffer.wrap(pair).getLong(0);
    }

    static long second(byte[] pair) {
        return ByteBuffer.wrap(pair).getLong(Long.BYTES);
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
