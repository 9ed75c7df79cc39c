package dev.sgw.core.cachedisk;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import dev.sgw.cache.CacheConfig;
import dev.sgw.cache.CacheMode;
import dev.sgw.cache.ChunkCache;
import dev.sgw.cache.ChunkId;
import dev.sgw.cache.DirtyChunkListener;

/**
 * One cache disk shared by several volumes: one {@link ChunkCache} whose chunk namespaces are the
 * volumes' spaces, and a router that tells each volume of its own dirty chunks. The cache evicts clean
 * chunks; a volume in sync mode asks for its space to be retained ({@link #attach}).
 */
public final class CacheDisk implements AutoCloseable {
    private final String name;
    private final ChunkCache cache;
    private final ConcurrentHashMap<String, DirtyChunkListener> volumes = new ConcurrentHashMap<>();

    private CacheDisk(String name, CacheConfig config) throws IOException {
        this.name = name;
        this.cache = ChunkCache.open(config, this::route);
    }

    /** Opens the cache disk; {@code config.mode()} should be {@link CacheMode#EVICTING} unless every volume retains. */
    public static CacheDisk open(String name, CacheConfig config) throws IOException {
        return new CacheDisk(name, config);
    }

    public String name() {
        return name;
    }

    public ChunkCache cache() {
        return cache;
    }

    /**
     * Registers the volume using chunk namespace {@code space}. Its dirty chunks are announced to
     * {@code listener}; if {@code retain}, its clean chunks are never evicted (sync mode).
     *
     * @return the chunks of {@code space} left dirty by an earlier process, to be uploaded
     */
    public List<ChunkId> attach(String space, boolean retain, DirtyChunkListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (volumes.putIfAbsent(space, listener) != null) {
            throw new IllegalStateException("chunk namespace " + space + " is already attached to cache disk " + name);
        }
        if (retain) {
            cache.retain(space);
        }
        return cache.dirtyChunks().stream()
                .filter(id -> id.space().equals(space))
                .toList();
    }

    /** Stops routing {@code space}'s announcements (its chunks stay on the disk). */
    public void detach(String space) {
        volumes.remove(space);
    }

    private void route(ChunkId id) {
        DirtyChunkListener l = volumes.get(id.space());
        if (l != null) {
            l.chunkDirty(id);
        }
    }

    @Override
    public void close() throws IOException {
        cache.close();
    }

    @Override
    public String toString() {
        return "cache disk " + name;
    }
}
