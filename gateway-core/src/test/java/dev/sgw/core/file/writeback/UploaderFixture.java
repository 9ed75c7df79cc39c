package dev.sgw.core.file.writeback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import dev.sgw.cache.CacheConfig;
import dev.sgw.cache.CacheMode;
import dev.sgw.core.cachedisk.CacheDisk;
import dev.sgw.core.file.FileShareConfig;
import dev.sgw.core.file.ShareVolume;
import dev.sgw.core.file.upload.UploadTuning;
import dev.sgw.core.meta.MetadataStore;
import dev.sgw.core.store.ListPage;
import dev.sgw.core.store.ListRequest;
import dev.sgw.core.store.ObjectContent;
import dev.sgw.core.store.ObjectInfo;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.Stability;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.core.volume.VolumeMode;

/**
 * A share (metadata store, cache disk with 64 KiB chunks, the given bucket) with its {@link ShareUploader},
 * reopenable; and the helpers the tests share: paths, whole-file writes and reads, the bucket's content.
 */
final class UploaderFixture implements AutoCloseable {
    static final int CHUNK = 64 << 10;
    static final int MIB = 1 << 20;
    /** Multipart above 1 MiB, 5 MiB parts: a 12 MiB file is three parts. */
    static final UploadTuning TUNING =
            UploadTuning.defaults().withMultipartThreshold(MIB).withPartSize(5L * MIB);

    final Path dir;
    final ObjectStore bucket;
    FileShareConfig config;
    long cacheBytes = 256L * MIB;
    Duration spaceWait = Duration.ofMillis(500);
    WritebackSettings settings = WritebackSettings.defaults()
            .withTuning(TUNING)
            .withMaxBackoff(Duration.ofSeconds(2))
            .withCloseWait(Duration.ofSeconds(10));
    MetadataStore store;
    CacheDisk disk;
    ShareVolume volume;
    ShareUploader uploader;

    UploaderFixture(Path dir, ObjectStore bucket, VolumeMode mode, Duration uploadDelay) {
        this.dir = dir;
        this.bucket = bucket;
        this.config = FileShareConfig.of("test", 3, "share3", mode).withUploadDelay(uploadDelay);
    }

    UploaderFixture open() throws IOException {
        openShare();
        uploader = ShareUploader.start(volume, bucket, settings, null);
        return this;
    }

    /** Opens the share alone, without an uploader. */
    void openShare() throws IOException {
        store = MetadataStore.open(dir.resolve("meta"));
        disk = CacheDisk.open(
                "disk",
                new CacheConfig(
                        dir.resolve("cache"),
                        cacheBytes,
                        config.mode() == VolumeMode.SYNC ? CacheMode.RETAINING : CacheMode.EVICTING,
                        CHUNK,
                        spaceWait));
        volume = ShareVolume.open(config, store, disk, bucket);
    }

    UploaderFixture reopen() throws IOException {
        close();
        return open();
    }

    @Override
    public void close() throws IOException {
        if (uploader != null) {
            uploader.close();
            uploader = null;
        }
        volume.close();
        disk.close();
        store.close();
    }

    boolean awaitUploaded() throws IOException, InterruptedException {
        return uploader.awaitUploaded(Duration.ofSeconds(30));
    }

    // ---- the share -------------------------------------------------------------------------------

    /** The node at {@code path} ("a/b"), following directories from the root. */
    NodeId node(String path) throws IOException {
        NodeId at = volume.root();
        for (String name : path.split("/")) {
            at = volume.lookup(at, name).id();
        }
        return at;
    }

    NodeId parent(String path) throws IOException {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? volume.root() : node(path.substring(0, slash));
    }

    static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    NodeId mkdirs(String path) throws IOException {
        NodeId at = volume.root();
        for (String name : path.split("/")) {
            try {
                at = volume.mkdir(at, name, SetAttributes.NONE).id();
            } catch (VolumeException e) {
                if (e.error() != VolumeError.EXIST) {
                    throw e;
                }
                at = volume.lookup(at, name).id();
            }
        }
        return at;
    }

    /** Creates (or opens) the file at {@code path} and writes {@code data} at 0 in one FILE_SYNC write. */
    NodeId write(String path, byte[] data) throws IOException {
        return write(path, 0, data);
    }

    NodeId write(String path, long offset, byte[] data) throws IOException {
        NodeId f = volume.create(parent(path), name(path), CreateMode.UNCHECKED, SetAttributes.NONE)
                .id();
        volume.write(f, offset, ByteBuffer.wrap(data), Stability.FILE_SYNC);
        return f;
    }

    byte[] read(String path) throws IOException {
        NodeId f = node(path);
        long size = volume.getattr(f).size();
        ByteBuffer dst = ByteBuffer.allocate((int) size);
        volume.read(f, 0, dst);
        return dst.array();
    }

    // ---- the bucket ------------------------------------------------------------------------------

    /** Every key in the bucket with its object's size. */
    Map<String, ObjectInfo> objects() throws ObjectStoreException {
        Map<String, ObjectInfo> all = new TreeMap<>();
        ListRequest request = ListRequest.flat("");
        while (true) {
            ListPage page = bucket.list(request);
            page.objects().forEach(o -> all.put(o.key(), o));
            if (page.nextToken() == null) {
                return all;
            }
            request = request.next(page.nextToken());
        }
    }

    byte[] object(String key) throws IOException {
        try (ObjectContent content = bucket.get(key, null)) {
            return content.readAllBytes();
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    static byte[] changed(byte[] data, int at, int length, byte value) {
        byte[] copy = Arrays.copyOf(data, data.length);
        Arrays.fill(copy, at, at + length, value);
        return copy;
    }
}
