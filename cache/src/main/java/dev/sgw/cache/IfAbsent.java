package dev.sgw.cache;

/**
 * What a write or truncate does when the chunk is not cached.
 *
 * <p>In {@link CacheMode#EVICTING} mode a chunk can be evicted between the caller's fill and its write;
 * a partial write must then not create a chunk of zeros over data the bucket still has. So a caller that
 * changes part of a chunk which may exist in the bucket uses {@link #REFUSE}, and on {@code false} fetches
 * and {@code fill}s the chunk and tries again; a caller that knows the chunk is new (past the end of the
 * object, freshly created, unmapped) uses {@link #CREATE}.
 */
public enum IfAbsent {
    /** Create the chunk; bytes not written read as zeros. */
    CREATE,
    /** Change nothing and return {@code false}. */
    REFUSE
}
