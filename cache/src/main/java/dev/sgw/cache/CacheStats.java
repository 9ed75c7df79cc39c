package dev.sgw.cache;

/**
 * A point-in-time view of a {@link ChunkCache}'s counters. The byte and chunk figures are each exact but
 * read one after the other, so they may disagree slightly while the cache is busy.
 *
 * @param capacityBytes    configured capacity
 * @param usedBytes        bytes taken: chunk lengths plus space reserved by writes in progress
 * @param dirtyBytes       bytes of pinned chunks (dirty or uploading)
 * @param cleanBytes       bytes of clean chunks
 * @param dirtyChunks      pinned chunks (dirty or uploading)
 * @param uploadingChunks  chunks with an upload in flight (a subset of {@code dirtyChunks})
 * @param cleanChunks      clean chunks
 * @param hits             reads that found the chunk cached
 * @param misses           reads that found it absent
 * @param evictions        clean chunks evicted to make room
 * @param evictedBytes     bytes those evictions freed
 * @param spaceWaits       writes that had to wait for space (not counting {@code awaitSpace} calls)
 * @param spaceTimeouts    writes whose wait timed out with {@link CacheFullException}
 */
public record CacheStats(
        long capacityBytes,
        long usedBytes,
        long dirtyBytes,
        long cleanBytes,
        long dirtyChunks,
        long uploadingChunks,
        long cleanChunks,
        long hits,
        long misses,
        long evictions,
        long evictedBytes,
        long spaceWaits,
        long spaceTimeouts) {}
