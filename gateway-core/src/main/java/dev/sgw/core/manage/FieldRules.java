package dev.sgw.core.manage;

import java.util.regex.Pattern;

import dev.sgw.core.volume.VolumeMode;

/**
 * The field checks the model records share. Each failure is a {@link ManagementException} with code
 * INVALID whose message reads "{entity}: {field} {rule}" and, for values that are not secret, the value.
 */
final class FieldRules {
    /** Names of resources and cache disks: a letter or digit, then letters, digits, dot, dash, underscore. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    static final String NAME_RULE =
            "must be 1-64 characters of letters, digits, '.', '_' and '-', starting with a letter or digit";
    static final long MIB = 1L << 20;
    static final int MIN_CHUNK = 64 << 10;
    static final int MAX_CHUNK = 64 << 20;
    static final int DEFAULT_CHUNK = 1 << 20;

    private FieldRules() {}

    static ManagementException invalid(String entity, String field, String rule) {
        return ManagementException.invalid(field, entity + ": " + field + " " + rule);
    }

    static <T> T required(String entity, String field, T value) {
        if (value == null || (value instanceof String s && s.isEmpty())) {
            throw invalid(entity, field, "is required");
        }
        return value;
    }

    static String matches(String entity, String field, String value, Pattern pattern, String rule) {
        required(entity, field, value);
        if (!pattern.matcher(value).matches()) {
            throw invalid(entity, field, rule + ", got '" + printable(value) + "'");
        }
        return value;
    }

    static long range(String entity, String field, long value, long min, long max, String rule) {
        if (value < min || value > max) {
            throw invalid(entity, field, rule + ", got " + value);
        }
        return value;
    }

    static int chunkSize(String entity, String field, int value) {
        if (Integer.bitCount(value) != 1 || value < MIN_CHUNK || value > MAX_CHUNK) {
            throw invalid(entity, field, "must be a power of two from 64 KiB to 64 MiB, got " + value);
        }
        return value;
    }

    /** A prefix inside a bucket or resource: empty, or like {@code a/} or {@code a/b/}. */
    static String prefix(String entity, String field, String value) {
        if (value.isEmpty()) {
            return value;
        }
        if (value.startsWith("/")
                || !value.endsWith("/")
                || value.contains("//")
                || value.length() > 512
                || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
            throw invalid(
                    entity,
                    field,
                    "must be empty or like 'dir/' or 'a/b/' (no leading '/', ending in '/'), got '" + printable(value)
                            + "'");
        }
        for (String part : value.substring(0, value.length() - 1).split("/", -1)) {
            if (part.equals(".") || part.equals("..")) {
                throw invalid(entity, field, "must not contain '.' or '..' parts, got '" + printable(value) + "'");
            }
        }
        return value;
    }

    /**
     * The checks every file share (NFS or SMB) makes, in this order: id not negative, mode SYNC or CACHE,
     * resource, prefix, cache disk. Returns the prefix to keep: {@code prefix}, or {@code defaultPrefix}
     * when it is null.
     */
    static String fileShare(
            String entity,
            int id,
            VolumeMode mode,
            String resource,
            String prefix,
            String defaultPrefix,
            String cacheDisk) {
        range(entity, "id", id, 0, Integer.MAX_VALUE, "must not be negative");
        required(entity, "mode", mode);
        if (mode == VolumeMode.WRITE_THROUGH) {
            throw invalid(entity, "mode", "must be SYNC or CACHE for a file share");
        }
        matches(entity, "resource", resource, NAME, NAME_RULE);
        String kept = prefix(entity, "prefix", prefix == null ? defaultPrefix : prefix);
        matches(entity, "cacheDisk", cacheDisk, NAME, NAME_RULE);
        return kept;
    }

    /** The size a file share reports to clients (statfs): at least 1 MiB. */
    static long shareCapacity(String entity, long bytes) {
        return range(entity, "capacityBytes", bytes, MIB, Long.MAX_VALUE, "must be at least 1 MiB");
    }

    /** A POSIX uid or gid: not negative. */
    static int posixId(String entity, String field, int id) {
        return (int) range(entity, field, id, 0, Integer.MAX_VALUE, "must not be negative");
    }

    /** Upload delay and reverse-sync interval are whole seconds. */
    static int uploadDelay(String entity, int seconds) {
        return (int) range(entity, "uploadDelaySeconds", seconds, 0, 120, "must be 0..120 seconds");
    }

    static long reverseSync(String entity, long seconds) {
        return range(
                entity,
                "reverseSyncIntervalSeconds",
                seconds,
                0,
                7L * 24 * 3600,
                "must be 0 (off) to 604800 seconds (a week)");
    }

    /** The value with control characters replaced, cut at 80 characters, for messages. */
    static String printable(String value) {
        StringBuilder b = new StringBuilder();
        value.codePoints().limit(80).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return value.length() > 80 ? b + "..." : b.toString();
    }
}
