package dev.sgw.core.store;

import java.util.Objects;

/**
 * The condition a write is made on. A failed condition is {@link ObjectStoreException.Code#PRECONDITION_FAILED}
 * and leaves the object as it was.
 *
 * <ul>
 *   <li>{@link #none()}: write unconditionally.</li>
 *   <li>{@link #ifAbsent()}: create only; fail when any object exists at the key (S3 {@code If-None-Match: *},
 *       OSS {@code x-oss-forbid-overwrite: true}).</li>
 *   <li>{@link #ifMatch(String)}: overwrite only the version with this ETag (S3 {@code If-Match}).</li>
 * </ul>
 */
public record Precondition(Kind kind, String etag) {

    public enum Kind {
        NONE,
        IF_ABSENT,
        IF_MATCH
    }

    private static final Precondition NONE = new Precondition(Kind.NONE, null);
    private static final Precondition IF_ABSENT = new Precondition(Kind.IF_ABSENT, null);

    public Precondition {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.IF_MATCH) != (etag != null)) {
            throw new IllegalArgumentException("an ETag goes with IF_MATCH and only with it");
        }
    }

    public static Precondition none() {
        return NONE;
    }

    public static Precondition ifAbsent() {
        return IF_ABSENT;
    }

    public static Precondition ifMatch(String etag) {
        return new Precondition(Kind.IF_MATCH, Objects.requireNonNull(etag, "etag"));
    }
}
