package dev.sgw.cache;

/**
 * The state of one chunk in a {@link ChunkCache}. The transitions are tabled in {@link DiskChunkCache}.
 */
public enum ChunkState {
    /** Not in the cache: the caller must fetch it from the bucket (and may {@code fill} it). */
    ABSENT,
    /** Cached, identical to the bucket's copy; evictable in {@link CacheMode#EVICTING} mode. */
    CLEAN,
    /** Cached with changes not yet in the bucket; pinned (never evicted). */
    DIRTY,
    /** An upload of a snapshot is in flight and nothing changed since the snapshot; pinned. */
    UPLOADING,
    /** An upload is in flight and the chunk changed after its snapshot; pinned, stays dirty afterwards. */
    UPLOADING_REDIRTIED;

    /** Whether the chunk holds data the bucket may not have (it is pinned). */
    public boolean isDirty() {
        return this == DIRTY || this == UPLOADING || this == UPLOADING_REDIRTIED;
    }
}
