package dev.sgw.cache;

/**
 * Told when a chunk needs an upload: it became {@link ChunkState#DIRTY} from clean or absent, an upload
 * failed, or an upload completed while the chunk had changed again. Called on the thread that caused the
 * change, after the cache released its locks; it must be quick (typically: put the id in a queue) and must
 * not throw. Chunks found dirty when the cache opens are not announced: list them with
 * {@link ChunkCache#dirtyChunks()}.
 */
@FunctionalInterface
public interface DirtyChunkListener {

    /** A listener that ignores everything. */
    DirtyChunkListener NONE = id -> {};

    void chunkDirty(ChunkId id);
}
