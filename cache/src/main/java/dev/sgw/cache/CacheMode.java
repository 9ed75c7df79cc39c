package dev.sgw.cache;

/** Whether a {@link ChunkCache} may evict clean chunks to make room. */
public enum CacheMode {
    /** Cache mode: clean chunks are evicted (size-weighted, least valuable first) when space is needed. */
    EVICTING,
    /** Sync mode: the cache holds a full local copy and never evicts anything. */
    RETAINING
}
