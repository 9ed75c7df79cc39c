package dev.sgw.core.block;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.sgw.cache.CacheConfig;
import dev.sgw.cache.CacheMode;
import dev.sgw.cache.ChunkId;
import dev.sgw.cache.ChunkState;
import dev.sgw.core.cachedisk.CacheDisk;
import dev.sgw.core.layout.BucketLayout;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.StoreOperation;
import dev.sgw.core.store.memory.MemoryObjectStore;
import dev.sgw.core.volume.BucketSync;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.core.volume.VolumeMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Cache mode against a misbehaving bucket: outages, a cache full of dirty data, an unmap racing an
 * upload, and a read racing an upload and an eviction.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WritebackFaultTest {
    private static final int CHUNK = 64 << 10;
    private static final int BLOCK = 4096;
    private static final long CAPACITY = 32L * CHUNK;

    @TempDir
    Path dir;

    private final ScriptedObjectStore store = new ScriptedObjectStore(new MemoryObjectStore());
    private CacheDisk disk;
    private int disks;

    @AfterEach
    void close() throws Exception {
        if (disk != null) {
            disk.close();
        }
    }

    private CacheDisk newDisk(int chunks, Duration spaceWait) throws Exception {
        String name = "disk" + (++disks);
        return CacheDisk.open(
                name, new CacheConfig(dir.resolve(name), (long) chunks * CHUNK, CacheMode.EVICTING, CHUNK, spaceWait));
    }

    private BlockVolumeConfig config(Duration spaceWait) {
        return new BlockVolumeConfig(
                "vol", "v7", CAPACITY, BLOCK, CHUNK, VolumeMode.CACHE, Duration.ZERO, 2, spaceWait);
    }

    private static byte[] pattern(int seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    private void assertBucketHolds(byte[] shadow) throws Exception {
        try (CacheDisk fresh = newDisk(64, Duration.ofSeconds(5));
                ChunkedBlockVolume v = ChunkedBlockVolume.recover(config(Duration.ofSeconds(5)), store, fresh)) {
            BlockVolumeContract.assertSameBytes(BlockVolumeContract.readAll(v), shadow, "the bucket alone");
        }
    }

    @Test
    void writesGoOnThroughAnOutageAndReachTheBucketAfterIt() throws Exception {
        disk = newDisk(24, Duration.ofSeconds(5));
        byte[] shadow = new byte[(int) CAPACITY];
        try (ChunkedBlockVolume v =
                ChunkedBlockVolume.create(config(Duration.ofSeconds(5)), store, disk, Clock.systemUTC())) {
            byte[] first = pattern(1, 4 * CHUNK);
            v.write(0, ByteBuffer.wrap(first), false);
            System.arraycopy(first, 0, shadow, 0, first.length);
            assertThat(v.bucketSync().awaitUploaded(Duration.ofSeconds(10))).isTrue();

            store.setDown(true);
            for (int c = 4; c < 10; c++) { // whole chunks: nothing to read first
                byte[] data = pattern(c, CHUNK);
                v.write((long) c * CHUNK, ByteBuffer.wrap(data), true);
                System.arraycopy(data, 0, shadow, c * CHUNK, CHUNK);
            }
            for (int c = 0; c < 4; c++) { // parts of cached chunks
                byte[] data = pattern(100 + c, BLOCK);
                long at = (long) c * CHUNK + 3 * BLOCK;
                v.write(at, ByteBuffer.wrap(data), false);
                System.arraycopy(data, 0, shadow, (int) at, BLOCK);
            }
            byte[] cached = new byte[10 * CHUNK];
            v.read(0, ByteBuffer.wrap(cached));
            BlockVolumeContract.assertSameBytes(
                    cached, Arrays.copyOf(shadow, 10 * CHUNK), "cached chunks read during the outage");
            assertThatThrownBy(() -> v.read(20L * CHUNK, ByteBuffer.allocate(BLOCK)))
                    .as("a chunk not cached needs the bucket")
                    .isInstanceOfSatisfying(VolumeException.class, e -> {
                        assertThat(e.error()).isEqualTo(VolumeError.IO);
                        assertThat(e.getCause()).isInstanceOf(ObjectStoreException.class);
                    });
            assertThat(v.bucketSync().awaitUploaded(Duration.ofMillis(1500)))
                    .as("nothing can be uploaded")
                    .isFalse();
            BucketSync.Backlog during = v.bucketSync().backlog();
            assertThat(during.pendingItems()).isEqualTo(10);
            assertThat(during.pendingBytes()).isEqualTo(10L * CHUNK);
            assertThat(during.failedAttempts()).isPositive();

            store.setDown(false);
            assertThat(v.bucketSync().awaitUploaded(Duration.ofSeconds(30)))
                    .as("uploaded after the outage")
                    .isTrue();
            BucketSync.Backlog after = v.bucketSync().backlog();
            assertThat(after.pendingItems()).isZero();
            assertThat(after.uploadedItems()).isGreaterThanOrEqualTo(14);
        }
        assertBucketHolds(shadow);
    }

    @Test
    void aCacheFullOfDirtyDataMakesWritersWaitThenFailWithNoSpaceAndLosesNothing() throws Exception {
        Duration wait = Duration.ofMillis(400);
        disk = newDisk(4, wait);
        byte[] shadow = new byte[(int) CAPACITY];
        try (ChunkedBlockVolume v = ChunkedBlockVolume.create(config(wait), store, disk, Clock.systemUTC())) {
            store.setDown(true);
            for (int c = 0; c < 4; c++) {
                byte[] data = pattern(c, CHUNK);
                v.write((long) c * CHUNK, ByteBuffer.wrap(data), true);
                System.arraycopy(data, 0, shadow, c * CHUNK, CHUNK);
            }
            byte[] fifth = pattern(4, CHUNK);
            long started = System.nanoTime();
            assertThatThrownBy(() -> v.write(4L * CHUNK, ByteBuffer.wrap(fifth), false))
                    .isInstanceOfSatisfying(
                            VolumeException.class, e -> assertThat(e.error()).isEqualTo(VolumeError.NOSPC));
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(waitedMillis).as("the writer waited for uploads first").isGreaterThanOrEqualTo(350);
            // a partial write to a chunk that is not cached needs the bucket: it fails, changing nothing
            assertThatThrownBy(() -> v.write(5L * CHUNK, ByteBuffer.wrap(new byte[BLOCK]), false))
                    .isInstanceOf(VolumeException.class);

            store.setDown(false);
            assertThat(v.bucketSync().awaitUploaded(Duration.ofSeconds(30))).isTrue();
            byte[] chunk4 = new byte[CHUNK];
            v.read(4L * CHUNK, ByteBuffer.wrap(chunk4));
            assertThat(chunk4).as("the refused write changed nothing").isEqualTo(new byte[CHUNK]);
            v.write(4L * CHUNK, ByteBuffer.wrap(fifth), false); // room again: the clean chunks are evictable
            System.arraycopy(fifth, 0, shadow, 4 * CHUNK, CHUNK);
            BlockVolumeContract.assertSameBytes(BlockVolumeContract.readAll(v), shadow, "after the bucket came back");
            assertThat(v.bucketSync().awaitUploaded(Duration.ofSeconds(30))).isTrue();
        }
        assertBucketHolds(shadow);
    }

    @Test
    void anUnmapDuringAnUploadOfTheChunkIsNotUndoneByThatUpload() throws Exception {
        disk = newDisk(16, Duration.ofSeconds(5));
        String key = BucketLayout.blockChunkKey("vol", 2);
        CountDownLatch putStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean holdNext = new AtomicBoolean(true);
        store.onWrite((op, k) -> {
            if (op == StoreOperation.PUT && k.equals(key) && holdNext.compareAndSet(true, false)) {
                putStarted.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new ObjectStoreException(ObjectStoreException.Code.UNAVAILABLE, "interrupted");
                }
            }
        });
        try (ChunkedBlockVolume v =
                ChunkedBlockVolume.create(config(Duration.ofSeconds(5)), store, disk, Clock.systemUTC())) {
            v.write(2L * CHUNK, ByteBuffer.wrap(pattern(9, CHUNK)), false);
            assertThat(putStarted.await(10, TimeUnit.SECONDS))
                    .as("the upload of chunk 2 started")
                    .isTrue();
            v.unmap(2L * CHUNK, CHUNK);
            release.countDown(); // the old snapshot's PUT lands now
            assertThat(v.bucketSync().awaitUploaded(Duration.ofSeconds(10))).isTrue();
            assertThatThrownBy(() -> store.head(key))
                    .as("chunk 2's object after the unmap")
                    .isInstanceOfSatisfying(
                            ObjectStoreException.class,
                            e -> assertThat(e.code()).isEqualTo(ObjectStoreException.Code.NOT_FOUND));
            byte[] back = new byte[CHUNK];
            v.read(2L * CHUNK, ByteBuffer.wrap(back));
            assertThat(back).isEqualTo(new byte[CHUNK]);
        }
        assertBucketHolds(new byte[(int) CAPACITY]);
    }

    @Test
    void aReadThatFetchedOldBytesDoesNotCacheThemOverANewerUpload() throws Exception {
        disk = newDisk(16, Duration.ofSeconds(5));
        String key = BucketLayout.blockChunkKey("vol", 5);
        CountDownLatch fetched = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean holdNext = new AtomicBoolean(true);
        store.afterGet(k -> {
            if (k.equals(key) && holdNext.compareAndSet(true, false)) {
                fetched.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        try (ChunkedBlockVolume v =
                ChunkedBlockVolume.create(config(Duration.ofSeconds(5)), store, disk, Clock.systemUTC())) {
            CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
                byte[] b = new byte[BLOCK];
                try {
                    v.read(5L * CHUNK, ByteBuffer.wrap(b));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return b;
            });
            assertThat(fetched.await(10, TimeUnit.SECONDS))
                    .as("the reader got chunk 5 (absent) from the bucket")
                    .isTrue();
            byte[] newer = pattern(5, CHUNK);
            v.write(5L * CHUNK, ByteBuffer.wrap(newer), false);
            assertThat(v.bucketSync().awaitUploaded(Duration.ofSeconds(10))).isTrue();
            ChunkId id = ChunkId.of("v7", 0, 5);
            assertThat(disk.cache().state(id)).isEqualTo(ChunkState.CLEAN);
            disk.cache().remove(id); // what an eviction of the clean chunk does
            release.countDown();
            reader.get(10, TimeUnit.SECONDS); // old or new: it overlapped the write
            byte[] back = new byte[CHUNK];
            v.read(5L * CHUNK, ByteBuffer.wrap(back));
            BlockVolumeContract.assertSameBytes(back, newer, "chunk 5 after the slow reader finished");
        }
    }

    @Test
    void uploadsWaitForTheUploadDelayUnlessAskedNow() throws Exception {
        disk = newDisk(16, Duration.ofSeconds(5));
        BlockVolumeConfig delayed = config(Duration.ofSeconds(5)).withUploads(Duration.ofSeconds(30), 1);
        try (ChunkedBlockVolume v = ChunkedBlockVolume.create(delayed, store, disk, Clock.systemUTC())) {
            v.write(0, ByteBuffer.wrap(pattern(1, CHUNK)), false);
            Thread.sleep(300);
            assertThat(store.calls(StoreOperation.PUT))
                    .as("only volume.json so far")
                    .isEqualTo(1);
            assertThat(v.bucketSync().backlog().pendingItems()).isEqualTo(1);
            v.bucketSync().uploadNow();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (v.bucketSync().backlog().pendingItems() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(v.bucketSync().backlog().pendingItems()).isZero();
            assertThat(store.calls(StoreOperation.PUT)).isEqualTo(2);
        }
        byte[] shadow = new byte[(int) CAPACITY];
        System.arraycopy(pattern(1, CHUNK), 0, shadow, 0, CHUNK);
        assertBucketHolds(shadow);
        assertThat(Arrays.equals(shadow, new byte[(int) CAPACITY])).isFalse();
    }

    @Test
    void aSyncVolumeRecoveredOntoAnEmptyCacheDiskBecomesLocalAgain() throws Exception {
        BlockVolumeConfig sync = config(Duration.ofSeconds(5)).withMode(VolumeMode.SYNC);
        byte[] data = pattern(3, 6 * CHUNK);
        try (CacheDisk first = newDisk(64, Duration.ofSeconds(5));
                ChunkedBlockVolume v = ChunkedBlockVolume.create(sync, store, first, Clock.systemUTC())) {
            v.write(0, ByteBuffer.wrap(data), false);
            assertThat(v.bucketSync().awaitUploaded(Duration.ofSeconds(10))).isTrue();
        }
        disk = newDisk(64, Duration.ofSeconds(5));
        try (ChunkedBlockVolume v = ChunkedBlockVolume.recover(sync, store, disk)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (int c = 0; c < 6; c++) {
                ChunkId id = ChunkId.of("v7", 0, c);
                while (disk.cache().state(id) != ChunkState.CLEAN && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(disk.cache().state(id))
                        .as("chunk %d made local without being read", c)
                        .isEqualTo(ChunkState.CLEAN);
            }
            store.setDown(true);
            byte[] back = new byte[6 * CHUNK];
            v.read(0, ByteBuffer.wrap(back));
            BlockVolumeContract.assertSameBytes(back, data, "sync volume read with the bucket down");
        }
    }
}
