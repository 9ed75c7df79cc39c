package dev.sgw.iscsi.login;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The text format of Login and Text PDUs (RFC 7143 section 6.1): {@code key=value} pairs in UTF-8, each ended
 * by a NUL. Keys are 1-63 characters of letters, digits and {@code . - + @ _}; a key may appear once per
 * exchange. Values are at most 8192 bytes (long enough for hex CHAP challenges).
 */
public final class KeyValueText {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9.\\-+@_]{1,63}");
    private static final int MAX_VALUE = 8192;

    private KeyValueText() {}

    /** The pairs in {@code data}, in order, each key at most once. NUL padding between or after pairs is ignored. */
    public static List<KeyValue> parse(byte[] data) throws TextFormatException {
        return parse(data, false);
    }

    /** The pairs in {@code data}, where keys may repeat (a SendTargets answer lists many TargetNames). */
    public static List<KeyValue> parseRepeatable(byte[] data) throws TextFormatException {
        return parse(data, true);
    }

    private static List<KeyValue> parse(byte[] data, boolean repeats) throws TextFormatException {
        List<KeyValue> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int start = 0;
        for (int i = 0; i <= data.length; i++) {
            if (i < data.length && data[i] != 0) {
                continue;
            }
            if (i == data.length && start < data.length) {
                throw new TextFormatException("text does not end with a NUL");
            }
            if (i > start) {
                String pair = new String(data, start, i - start, StandardCharsets.UTF_8);
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    throw new TextFormatException("no '=' in '" + printable(pair) + "'");
                }
                String key = pair.substring(0, eq);
                String value = pair.substring(eq + 1);
                if (!KEY.matcher(key).matches()) {
                    throw new TextFormatException("invalid key '" + printable(key) + "'");
                }
                if (value.length() > MAX_VALUE) {
                    throw new TextFormatException("value of " + key + " is too long");
                }
                if (!seen.add(key) && !repeats) {
                    throw new TextFormatException("key " + key + " appears twice");
                }
                out.add(new KeyValue(key, value));
            }
            start = i + 1;
        }
        return out;
    }

    /** {@code pairs} as text: each {@code key=value} followed by a NUL. */
    public static byte[] encode(List<KeyValue> pairs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (KeyValue kv : pairs) {
            out.writeBytes((kv.key() + "=" + kv.value()).getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    /** The value of {@code key} in {@code pairs}, or {@code null}. */
    public static String find(List<KeyValue> pairs, String key) {
        for (KeyValue kv : pairs) {
            if (kv.key().equals(key)) {
                return kv.value();
            }
        }
        return null;
    }

    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
