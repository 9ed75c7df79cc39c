package dev.sgw.core.store;

import java.util.Objects;

/**
 * A listing request: keys starting with {@code prefix}, rolled up at {@code delimiter} when it is not
 * {@code null}, resuming after the page that returned {@code token} (or from the start when {@code null}),
 * at most {@code maxKeys} entries (objects plus common prefixes) a page.
 */
public record ListRequest(String prefix, String delimiter, String token, int maxKeys) {

    /** The most entries a page may hold; both OSS and S3 cap a page at 1,000. */
    public static final int MAX_KEYS = 1000;

    public ListRequest {
        Objects.requireNonNull(prefix, "prefix");
        if (maxKeys < 1 || maxKeys > MAX_KEYS) {
            throw new IllegalArgumentException("maxKeys must be 1.." + MAX_KEYS + ": " + maxKeys);
        }
    }

    /** Everything under a prefix, flat, in full pages. */
    public static ListRequest flat(String prefix) {
        return new ListRequest(prefix, null, null, MAX_KEYS);
    }

    /** One directory level under a prefix, with "/" as the delimiter. */
    public static ListRequest directory(String prefix) {
        return new ListRequest(prefix, "/", null, MAX_KEYS);
    }

    /** The same request for the page after the one that returned {@code nextToken}. */
    public ListRequest next(String nextToken) {
        return new ListRequest(prefix, delimiter, Objects.requireNonNull(nextToken), maxKeys);
    }
}
