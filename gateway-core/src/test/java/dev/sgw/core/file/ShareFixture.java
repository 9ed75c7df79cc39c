package dev.sgw.core.file;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import dev.sgw.cache.CacheConfig;
import dev.sgw.cache.CacheMode;
import dev.sgw.core.cachedisk.CacheDisk;
import dev.sgw.core.meta.MetadataStore;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.memory.MemoryObjectStore;
import dev.sgw.core.volume.VolumeMode;

/** A share on a fresh metadata store, cache disk (64 KiB chunks) and in-memory bucket; reopenable. */
final class ShareFixture implements AutoCloseable {
    static final int CHUNK = 64 << 10;

    final Path dir;
    final VolumeMode mode;
    FileShareConfig config;
    final ObjectStore bucket;
    final long cacheBytes;
    MetadataStore store;
    CacheDisk disk;
    ShareVolume volume;

    ShareFixture(Path dir, VolumeMode mode) throws IOException {
        this(dir, mode, new MemoryObjectStore(), 64L << 20);
    }

    ShareFixture(Path dir, VolumeMode mode, ObjectStore bucket, long cacheBytes) throws IOException {
        this(dir, config(mode), bucket, cacheBytes);
    }

    ShareFixture(Path dir, FileShareConfig config, ObjectStore bucket, long cacheBytes) throws IOException {
        this.dir = dir;
        this.mode = config.mode();
        this.config = config;
        this.bucket = bucket;
        this.cacheBytes = cacheBytes;
        open();
    }

    static FileShareConfig config(VolumeMode mode) {
        return FileShareConfig.of("test", 7, "share7", mode);
    }

    void open() throws IOException {
        store = MetadataStore.open(dir.resolve("meta"));
        disk = CacheDisk.open(
                "disk",
                new CacheConfig(
                        dir.resolve("cache"),
                        cacheBytes,
                        mode == VolumeMode.SYNC ? CacheMode.RETAINING : CacheMode.EVICTING,
                        CHUNK,
                        Duration.ofMillis(200)));
        volume = ShareVolume.open(config, store, disk, bucket);
    }

    ShareVolume reopen() throws IOException {
        closeAll();
        open();
        return volume;
    }

    private void closeAll() throws IOException {
        volume.close();
        disk.close();
        store.close();
    }

    @Override
    public void close() throws IOException {
        closeAll();
    }
}
