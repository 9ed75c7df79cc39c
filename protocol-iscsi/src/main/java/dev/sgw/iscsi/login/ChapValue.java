package dev.sgw.iscsi.login;

import java.util.Base64;
import java.util.HexFormat;

/**
 * Binary and numeric values of CHAP keys (RFC 7143 section 6.1 and 12.1.3): a binary value is hex with a
 * {@code 0x}/{@code 0X} prefix or base64 with {@code 0b}/{@code 0B}; a number (CHAP_I, CHAP_A) is decimal or
 * such a hex or base64 constant.
 */
public final class ChapValue {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private ChapValue() {}

    /** The bytes of a binary value. */
    public static byte[] decode(String value) {
        if (value.length() < 3 || value.charAt(0) != '0') {
            throw new IllegalArgumentException("a binary value starts with 0x or 0b");
        }
        char kind = Character.toLowerCase(value.charAt(1));
        String body = value.substring(2);
        if (kind == 'x') {
            if ((body.length() & 1) == 1) {
                body = "0" + body;
            }
            return HexFormat.of().parseHex(body);
        }
        if (kind == 'b') {
            return Base64.getDecoder().decode(body);
        }
        throw new IllegalArgumentException("a binary value starts with 0x or 0b");
    }

    /** A numeric value: decimal, or a binary constant read as a big-endian number. */
    public static long number(String value) {
        if (value.length() > 2 && value.charAt(0) == '0' && Character.isLetter(value.charAt(1))) {
            byte[] bytes = decode(value);
            if (bytes.length > 7) {
                throw new IllegalArgumentException("number too large");
            }
            long v = 0;
            for (byte b : bytes) {
                v = (v << 8) | (b & 0xff);
            }
            return v;
        }
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("not a number");
        }
        return Long.parseLong(value);
    }

    /** {@code bytes} as a hex value with the {@code 0x} prefix. */
    public static String hex(byte[] bytes) {
        return "0x" + HEX.formatHex(bytes);
    }

    /** {@code bytes} as a base64 value with the {@code 0b} prefix. */
    public static String base64(byte[] bytes) {
        return "0b" + Base64.getEncoder().encodeToString(bytes);
    }
}
