package dev.sgw.core.block;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.sgw.cache.CacheConfig;
import dev.sgw.cache.CacheMode;
import dev.sgw.core.cachedisk.CacheDisk;
import dev.sgw.core.layout.BucketLayout;
import dev.sgw.core.store.ListPage;
import dev.sgw.core.store.ListRequest;
import dev.sgw.core.store.ObjectInfo;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.core.volume.VolumeMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link ChunkedBlockVolume} promises, whatever its mode and store: it reads back what was
 * written (against an in-memory shadow), zeros where nothing was, unmaps, refuses bad ranges, survives
 * close and recovery, and after {@code awaitUploaded} its bucket alone holds the volume (a volume
 * recovered onto an empty cache disk reads the same bytes, and the chunk objects are exactly the
 * chunks that are not all zeros).
 */
abstract class BlockVolumeContract {
    static final int CHUNK = 64 << 10;
    static final int BLOCK = 512;
    /** 33 chunks and a quarter: the last chunk is short. */
    static final long CAPACITY = 33L * CHUNK + 16 * 1024;

    static final String NAME = "vol1";

    /** The mode under test. */
    protected abstract VolumeMode mode();

    /** A fresh, empty store for one test (the resource's prefix applied). */
    protected abstract ObjectStore newStore() throws Exception;

    /** Random operations in {@link #randomIoMatchesShadowAndSurvivesRecovery}. */
    protected int operations() {
        return 300;
    }

    @TempDir
    Path dir;

    protected ObjectStore store;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private int disks;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        store.close();
    }

    BlockVolumeConfig config() {
        return new BlockVolumeConfig(
                NAME, "v1", CAPACITY, BLOCK, CHUNK, mode(), Duration.ZERO, 2, Duration.ofSeconds(10));
    }

    /** A new, empty cache disk (none in write-through mode); small in cache mode, so chunks get evicted. */
    CacheDisk newCacheDisk() throws Exception {
        if (mode() == VolumeMode.WRITE_THROUGH) {
            return null;
        }
        long capacity = mode() == VolumeMode.SYNC ? 8L << 20 : 16L * CHUNK;
        String name = "disk" + (++disks);
        CacheDisk disk = CacheDisk.open(
                name, new CacheConfig(dir.resolve(name), capacity, CacheMode.EVICTING, CHUNK, Duration.ofSeconds(10)));
        toClose.add(disk);
        return disk;
    }

    ChunkedBlockVolume create(CacheDisk disk) throws Exception {
        return track(ChunkedBlockVolume.create(config(), store, disk, Clock.systemUTC()));
    }

    ChunkedBlockVolume recover(CacheDisk disk) throws Exception {
        return track(ChunkedBlockVolume.recover(config(), store, disk));
    }

    private ChunkedBlockVolume track(ChunkedBlockVolume v) {
        toClose.add(v);
        return v;
    }

    static byte[] readAll(ChunkedBlockVolume v) throws Exception {
        byte[] all = new byte[(int) v.capacity()];
        for (int off = 0; off < all.length; off += 256 * 1024) {
            int n = Math.min(256 * 1024, all.length - off);
            v.read(off, ByteBuffer.wrap(all, off, n));
        }
        return all;
    }

    static void assertSameBytes(byte[] actual, byte[] expected, String what) {
        if (!Arrays.equals(actual, expected)) {
            int first = Arrays.mismatch(actual, expected);
            throw new AssertionError(what + ": first difference at byte " + first + " (block " + first / BLOCK
                    + ", chunk " + first / CHUNK + "): " + actual[first] + " instead of " + expected[first]);
        }
    }

    /** The chunk indexes that have an object in the bucket. */
    TreeSet<Long> chunkObjects() throws Exception {
        TreeSet<Long> found = new TreeSet<>();
        ListRequest request = ListRequest.flat(BucketLayout.volumeDataPrefix(NAME));
        while (true) {
            ListPage page = store.list(request);
            for (ObjectInfo o : page.objects()) {
                long index = BucketLayout.blockChunkIndex(NAME, o.key());
                assertThat(index).as("key %s is a chunk key", o.key()).isNotNegative();
                found.add(index);
            }
            if (page.isLast()) {
                return found;
            }
            request = request.next(page.nextToken());
        }
    }

    static TreeSet<Long> nonZeroChunks(byte[] shadow) {
        TreeSet<Long> chunks = new TreeSet<>();
        for (int c = 0; c * CHUNK < shadow.length; c++) {
            int from = c * CHUNK;
            int to = Math.min(shadow.length, from + CHUNK);
            for (int i = from; i < to; i++) {
                if (shadow[i] != 0) {
                    chunks.add((long) c);
                    break;
                }
            }
        }
        return chunks;
    }

    /** Closes {@code v} after its backlog is in the bucket, then checks the bucket alone gives {@code shadow}. */
    void assertBucketAloneHolds(ChunkedBlockVolume v, byte[] shadow) throws Exception {
        assertThat(v.bucketSync().awaitUploaded(Duration.ofSeconds(30)))
                .as("uploaded in time")
                .isTrue();
        assertThat(v.bucketSync().backlog().pendingItems()).isZero();
        v.close();
        assertThat(chunkObjects())
                .as("chunk objects in the bucket = the chunks that are not all zeros")
                .isEqualTo(nonZeroChunks(shadow));
        try (ChunkedBlockVolume fresh = ChunkedBlockVolume.recover(config(), store, newCacheDisk())) {
            assertSameBytes(readAll(fresh), shadow, "volume recovered from the bucket onto an empty cache disk");
        }
    }

    @Test
    void unwrittenBlocksReadAsZeros() throws Exception {
        ChunkedBlockVolume v = create(newCacheDisk());
        assertThat(v.capacity()).isEqualTo(CAPACITY);
        assertThat(v.blockSize()).isEqualTo(BLOCK);
        assertSameBytes(readAll(v), new byte[(int) CAPACITY], "a new volume");
        assertThat(chunkObjects()).isEmpty();
    }

    @Test
    void randomIoMatchesShadowAndSurvivesRecovery() throws Exception {
        long seed = Long.getLong("sgw.block.seed", System.nanoTime());
        Random random = new Random(seed);
        String where = getClass().getSimpleName() + " seed " + seed;
        byte[] shadow = new byte[(int) CAPACITY];
        CacheDisk disk = newCacheDisk();
        ChunkedBlockVolume v = create(disk);
        int blocks = (int) (CAPACITY / BLOCK);
        for (int op = 0; op < operations(); op++) {
            int kind = random.nextInt(100);
            int maxBlocks = random.nextInt(4) == 0 ? 3 * CHUNK / BLOCK : 16;
            int start = random.nextInt(blocks);
            int count = 1 + random.nextInt(Math.min(maxBlocks, blocks - start));
            long offset = (long) start * BLOCK;
            int length = count * BLOCK;
            if (kind < 45) {
                byte[] data = new byte[length];
                random.nextBytes(data);
                v.write(offset, ByteBuffer.wrap(data), random.nextBoolean());
                System.arraycopy(data, 0, shadow, (int) offset, length);
            } else if (kind < 50) {
                int chunk = random.nextInt((int) (CAPACITY / CHUNK));
                byte[] data = new byte[CHUNK];
                random.nextBytes(data);
                v.write((long) chunk * CHUNK, ByteBuffer.wrap(data), false);
                System.arraycopy(data, 0, shadow, chunk * CHUNK, CHUNK);
            } else if (kind < 85) {
                byte[] got = new byte[length];
                v.read(offset, ByteBuffer.wrap(got));
                assertSameBytes(
                        got,
                        Arrays.copyOfRange(shadow, (int) offset, (int) offset + length),
                        where + ", op " + op + ": read of " + length + " at " + offset);
            } else if (kind < 95) {
                if (random.nextBoolean()) { // whole chunks, sometimes with partial ends
                    offset = (long) random.nextInt((int) (CAPACITY / CHUNK)) * CHUNK
                            - (random.nextBoolean() ? 4 * BLOCK : 0);
                    offset = Math.max(0, offset);
                    length = (int) Math.min(CAPACITY - offset, (1 + random.nextInt(2)) * CHUNK + 8L * BLOCK);
                }
                v.unmap(offset, length);
                Arrays.fill(shadow, (int) offset, (int) offset + length, (byte) 0);
            } else {
                v.flush();
            }
        }
        assertSameBytes(readAll(v), shadow, where + ": after the random operations");

        v.close();
        ChunkedBlockVolume reopened = recover(disk);
        assertSameBytes(readAll(reopened), shadow, where + ": reopened on the same cache disk");
        assertBucketAloneHolds(reopened, shadow);
    }

    @Test
    void concurrentWritersOfDisjointBlocksInSharedChunks() throws Exception {
        ChunkedBlockVolume v = create(newCacheDisk());
        int threads = 4;
        int region = 4 * CHUNK / BLOCK; // blocks 0..511: four chunks every thread writes into
        byte[] shadow = new byte[(int) CAPACITY];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int me = t;
                done.add(pool.submit(() -> {
                    Random random = new Random(me);
                    for (int i = 0; i < 60; i++) {
                        int block = random.nextInt(region / threads) * threads + me;
                        byte[] data = new byte[BLOCK];
                        random.nextBytes(data);
                        v.write((long) block * BLOCK, ByteBuffer.wrap(data), i % 7 == 0);
                        synchronized (shadow) {
                            System.arraycopy(data, 0, shadow, block * BLOCK, BLOCK);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertSameBytes(readAll(v), shadow, "after concurrent writers");
        assertBucketAloneHolds(v, shadow);
    }

    @Test
    void unmapDeletesWholeChunksAndZeroesPartialOnes() throws Exception {
        ChunkedBlockVolume v = create(newCacheDisk());
        byte[] shadow = new byte[(int) CAPACITY];
        new Random(7).nextBytes(shadow);
        Arrays.fill(shadow, 4 * CHUNK, shadow.length, (byte) 0);
        v.write(0, ByteBuffer.wrap(shadow, 0, 4 * CHUNK), false);
        assertThat(v.bucketSync().awaitUploaded(Duration.ofSeconds(30))).isTrue();
        assertThat(chunkObjects()).containsExactly(0L, 1L, 2L, 3L);

        v.unmap(CHUNK, CHUNK); // chunk 1 whole
        v.unmap(2L * CHUNK + 8 * BLOCK, 16 * BLOCK); // inside chunk 2
        v.unmap(3L * CHUNK, CHUNK); // chunk 3 whole ...
        v.write(
                3L * CHUNK + 2 * BLOCK,
                ByteBuffer.wrap(shadow, 3 * CHUNK + 2 * BLOCK, BLOCK),
                false); // ... then written again
        Arrays.fill(shadow, CHUNK, 2 * CHUNK, (byte) 0);
        Arrays.fill(shadow, 2 * CHUNK + 8 * BLOCK, 2 * CHUNK + 24 * BLOCK, (byte) 0);
        Arrays.fill(shadow, 3 * CHUNK, 3 * CHUNK + 2 * BLOCK, (byte) 0);
        Arrays.fill(shadow, 3 * CHUNK + 3 * BLOCK, 4 * CHUNK, (byte) 0);
        assertSameBytes(readAll(v), shadow, "after unmap");
        assertBucketAloneHolds(v, shadow);
        assertThat(chunkObjects()).containsExactly(0L, 2L, 3L);
    }

    @Test
    void misalignedOrOutOfRangeIoIsInvalid() throws Exception {
        ChunkedBlockVolume v = create(newCacheDisk());
        assertInval(() -> v.read(100, ByteBuffer.allocate(BLOCK)));
        assertInval(() -> v.read(0, ByteBuffer.allocate(100)));
        assertInval(() -> v.write(BLOCK + 1, ByteBuffer.allocate(BLOCK), false));
        assertInval(() -> v.write(CAPACITY - BLOCK, ByteBuffer.allocate(2 * BLOCK), false));
        assertInval(() -> v.read(CAPACITY, ByteBuffer.allocate(BLOCK)));
        assertInval(() -> v.read(-BLOCK, ByteBuffer.allocate(BLOCK)));
        assertInval(() -> v.unmap(0, 10));
        assertInval(() -> v.unmap(CAPACITY - BLOCK, 2 * BLOCK));
        byte[] last = new byte[BLOCK];
        Arrays.fill(last, (byte) 9);
        v.write(CAPACITY - BLOCK, ByteBuffer.wrap(last), true);
        byte[] back = new byte[BLOCK];
        v.read(CAPACITY - BLOCK, ByteBuffer.wrap(back));
        assertThat(back).isEqualTo(last);
        v.close();
        assertThatThrownBy(() -> v.read(0, ByteBuffer.allocate(BLOCK)))
                .isInstanceOfSatisfying(
                        VolumeException.class, e -> assertThat(e.error()).isEqualTo(VolumeError.UNAVAILABLE));
    }

    @Test
    void createRefusesAnExistingVolumeAndRecoverChecksTheConfiguration() throws Exception {
        CacheDisk disk = newCacheDisk();
        ChunkedBlockVolume v = create(disk);
        v.close();
        assertThatThrownBy(() -> ChunkedBlockVolume.create(config(), store, disk, Clock.systemUTC()))
                .isInstanceOfSatisfying(
                        VolumeException.class, e -> assertThat(e.error()).isEqualTo(VolumeError.EXIST))
                .hasMessageContaining("exists in bucket; use recover");
        assertThatThrownBy(() -> ChunkedBlockVolume.recover(config().withCapacity(CAPACITY + BLOCK), store, disk))
                .isInstanceOfSatisfying(
                        VolumeException.class, e -> assertThat(e.error()).isEqualTo(VolumeError.INVAL))
                .hasMessageContaining("capacity " + (CAPACITY + BLOCK))
                .hasMessageContaining("volume.json says " + CAPACITY);
        assertThatThrownBy(() -> ChunkedBlockVolume.recover(config().withChunkSize(2 * CHUNK), store, disk))
                .isInstanceOfSatisfying(
                        VolumeException.class, e -> assertThat(e.error()).isEqualTo(VolumeError.INVAL))
                .hasMessageContaining("chunk size");
        BlockVolumeConfig other = new BlockVolumeConfig(
                "vol2", "v2", CAPACITY, BLOCK, CHUNK, mode(), Duration.ZERO, 1, Duration.ofSeconds(1));
        assertThatThrownBy(() -> ChunkedBlockVolume.recover(other, store, disk))
                .isInstanceOfSatisfying(
                        VolumeException.class, e -> assertThat(e.error()).isEqualTo(VolumeError.NOENT));
        ChunkedBlockVolume again = recover(disk);
        assertThat(again.descriptor().capacity()).isEqualTo(CAPACITY);
        assertThat(again.descriptor().formatVersion()).isEqualTo(BlockVolumeDescriptor.FORMAT_VERSION);
    }

    private static void assertInval(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        VolumeException.class, e -> assertThat(e.error()).isEqualTo(VolumeError.INVAL));
    }
}
