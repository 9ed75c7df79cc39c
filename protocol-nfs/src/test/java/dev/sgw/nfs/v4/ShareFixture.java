package dev.sgw.nfs.v4;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.sgw.cache.CacheConfig;
import dev.sgw.cache.CacheMode;
import dev.sgw.core.cachedisk.CacheDisk;
import dev.sgw.core.file.FileShareConfig;
import dev.sgw.core.file.ShareVolume;
import dev.sgw.core.manage.ClientRule;
import dev.sgw.core.manage.NfsShare;
import dev.sgw.core.manage.UserMapping;
import dev.sgw.core.meta.MetadataStore;
import dev.sgw.core.spi.VolumeDirectory;
import dev.sgw.core.store.memory.MemoryObjectStore;
import dev.sgw.core.volume.VolumeMode;

/** A real share volume (RocksDB metadata, cache disk, in-memory bucket) in a directory, for NFSv4 tests and {@link Nfs4Main}. */
final class ShareFixture implements AutoCloseable {
    final MetadataStore store;
    final CacheDisk disk;
    final ShareVolume volume;

    ShareFixture(Path dir) throws Exception {
        this(dir, FileShareConfig.of("demo", 7, "share7", VolumeMode.CACHE));
    }

    ShareFixture(Path dir, FileShareConfig config) throws Exception {
        store = MetadataStore.open(dir.resolve("meta"));
        disk = CacheDisk.open(
                "disk",
                new CacheConfig(
                        dir.resolve("cache"), 256L << 20, CacheMode.EVICTING, 64 << 10, Duration.ofMillis(200)));
        volume = ShareVolume.open(config, store, disk, new MemoryObjectStore());
    }

    /** A share whose root and new files belong to the anonymous user and are open to all, as the gateway makes them. */
    static FileShareConfig anonymousOwned(String name, int id) {
        return new FileShareConfig(
                name,
                id,
                "s" + id,
                VolumeMode.CACHE,
                FileShareConfig.DEFAULT_CAPACITY,
                NfsShare.NOBODY,
                NfsShare.NOBODY,
                0666,
                0777,
                Duration.ofSeconds(5));
    }

    /** An export of this volume at {@code path} with id {@code id}. */
    VolumeDirectory.NfsExport export(int id, String path, UserMapping mapping, ClientRule... rules) {
        NfsShare share = new NfsShare(
                id,
                path,
                VolumeMode.CACHE,
                "res",
                null,
                "disk",
                mapping,
                NfsShare.NOBODY,
                NfsShare.NOBODY,
                List.of(rules),
                0,
                NfsShare.DEFAULT_UPLOAD_DELAY_SECONDS,
                NfsShare.DEFAULT_CAPACITY);
        return new VolumeDirectory.NfsExport(share, volume);
    }

    @Override
    public void close() throws IOException {
        volume.close();
        disk.close();
        store.close();
    }
}
