package dev.sgw.core.sync;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * The order and the validity of the names reverse sync meets in object keys.
 *
 * <p>Order: S3 and OSS list keys in UTF-8 byte order, which is Unicode code point order. Java's
 * {@link String#compareTo} compares UTF-16 units and disagrees with it only when a surrogate pair (a code
 * point above U+FFFF) meets a unit in U+E000..U+FFFF; {@link #UTF8_ORDER} corrects that case without
 * encoding anything.
 *
 * <p>Validity: a key segment becomes a file name only if it is not empty, not {@code "."} or
 * {@code ".."}, at most {@value #MAX_NAME_BYTES} UTF-8 bytes long and free of NUL.
 */
final class KeyNames {

    /** The longest file name, in UTF-8 bytes (NAME_MAX of Linux, NFS and SMB clients). */
    static final int MAX_NAME_BYTES = 255;

    /** UTF-8 bytewise (code point) order of strings. */
    static final Comparator<String> UTF8_ORDER = KeyNames::compareUtf8;

    private KeyNames() {}

    /** Compares as the UTF-8 encodings of {@code a} and {@code b} would compare bytewise (unsigned). */
    static int compareUtf8(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return codePointRank(x) - codePointRank(y);
            }
        }
        return a.length() - b.length();
    }

    /** Moves surrogates above U+E000..U+FFFF, so that UTF-16 units compare in code point order. */
    private static int codePointRank(char c) {
        if (c >= 0xE000) {
            return c - 0x800;
        }
        if (c >= 0xD800) {
            return c + 0x2000;
        }
        return c;
    }

    /** Whether {@code name} (one key segment) can be a file name. */
    static boolean isValidName(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('\0') >= 0) {
            return false;
        }
        // a char encodes to at most 3 UTF-8 bytes: count bytes only when the name could be too long
        return name.length() * 3 <= MAX_NAME_BYTES || name.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES;
    }
}
