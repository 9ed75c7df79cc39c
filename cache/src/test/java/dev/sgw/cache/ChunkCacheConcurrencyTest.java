package dev.sgw.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads read, write and truncate random ranges of a few chunks while an uploader moves dirty
 * chunks into an in-memory bucket, in a cache so small that clean chunks are evicted all the time. A
 * read that misses fills the chunk from the bucket. A shadow copy of every chunk, updated under a
 * per-chunk lock of the test, checks every byte every read returns.
 */
class ChunkCacheConcurrencyTest {

    static final int CHUNK = CacheConfig.MIN_CHUNK_SIZE;
    static final int CHUNKS = 24;
    static final int WORKERS = 8;
    static final long CAPACITY = 8L * CHUNK;
    static final long RUN_MILLIS = 6_000;

    @TempDir
    Path dir;

    final byte[][] shadow = new byte[CHUNKS][CHUNK];
    final int[] shadowLength = new int[CHUNKS];
    final ReentrantLock[] chunkLocks = new ReentrantLock[CHUNKS];
    final ChunkId[] ids = new ChunkId[CHUNKS];
    final Map<ChunkId, byte[]> bucket = new ConcurrentHashMap<>();
    final Queue<String> problems = new ConcurrentLinkedQueue<>();
    final AtomicLong reads = new AtomicLong();
    final AtomicLong readMisses = new AtomicLong();
    final AtomicLong writes = new AtomicLong();
    final AtomicLong uploads = new AtomicLong();
    final AtomicLong redirtiedUploads = new AtomicLong();
    final AtomicLong maxUsed = new AtomicLong();
    volatile long deadline;
    /** Workers still running: the uploader keeps freeing space until the last one is done, or a worker waiting for space would wait forever. */
    final AtomicLong runningWorkers = new AtomicLong();

    ChunkCache cache;

    /**
     * A directory in memory when the machine has one: fsync costs nothing there, so the run covers many
     * more interleavings (the cache's fsync paths are exercised on disk by the other tests).
     */
    static Path scratchDirectory(Path fallback) throws IOException {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm)
                ? Files.createTempDirectory(shm, "sgw-cache-test")
                : fallback;
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void everyByteReadMatchesTheShadowUnderUploadsAndEvictions() throws Exception {
        Path scratch = scratchDirectory(dir);
        try {
            run(scratch);
        } finally {
            if (!scratch.equals(dir)) {
                deleteTree(scratch);
            }
        }
    }

    void run(Path directory) throws Exception {
        long seed = System.nanoTime();
        cache = ChunkCache.open(
                new CacheConfig(directory, CAPACITY, CacheMode.EVICTING, CHUNK, Duration.ofSeconds(20)),
                DirtyChunkListener.NONE);
        for (int c = 0; c < CHUNKS; c++) {
            chunkLocks[c] = new ReentrantLock();
            ids[c] = ChunkId.of("stress", 1, c);
        }
        deadline = System.currentTimeMillis() + RUN_MILLIS;
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            Random random = new Random(seed + w);
            runningWorkers.incrementAndGet();
            threads.add(Thread.ofPlatform().name("worker-" + w).start(() -> {
                try {
                    guard(() -> work(random));
                } finally {
                    runningWorkers.decrementAndGet();
                }
            }));
        }
        Random uploaderRandom = new Random(seed - 1);
        threads.add(Thread.ofPlatform().name("uploader").start(() -> guard(() -> upload(uploaderRandom))));
        for (Thread t : threads) {
            t.join(RUN_MILLIS + 30_000);
            assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
        }

        CacheStats stats = cache.stats();
        System.out.printf(
                "seed %d: %d reads (%d missed), %d writes, %d uploads (%d redirtied), %s%n",
                seed, reads.get(), readMisses.get(), writes.get(), uploads.get(), redirtiedUploads.get(), stats);
        assertThat(problems).as("seed %d", seed).isEmpty();
        assertThat(stats.evictions()).as("evictions happened").isGreaterThan(100);
        assertThat(readMisses.get()).as("reads missed and filled").isGreaterThan(100);
        assertThat(redirtiedUploads.get()).as("writes raced uploads").isPositive();
        assertThat(maxUsed.get()).isLessThanOrEqualTo(CAPACITY);
        assertThat(stats.spaceTimeouts()).isZero();

        // drain: upload everything, then every chunk (cached or in the bucket) equals its shadow
        for (ChunkId id : cache.dirtyChunks()) {
            UploadSnapshot s = cache.beginUpload(id).orElseThrow();
            bucket.put(id, bytes(s));
            assertThat(cache.completeUpload(s)).isTrue();
        }
        assertThat(cache.stats().dirtyBytes()).isZero();
        for (int c = 0; c < CHUNKS; c++) {
            ByteBuffer dst = ByteBuffer.allocate(CHUNK);
            int n = cache.read(ids[c], 0, dst);
            byte[] actual = n == ChunkCache.NOT_CACHED
                    ? bucket.getOrDefault(ids[c], new byte[0])
                    : Arrays.copyOf(dst.array(), n);
            assertThat(actual).as("chunk %d", c).isEqualTo(Arrays.copyOf(shadow[c], shadowLength[c]));
        }
        cache.close();
    }

    interface Body {
        void run() throws Exception;
    }

    void guard(Body body) {
        try {
            body.run();
        } catch (Throwable t) {
            problems.add(Thread.currentThread().getName() + " failed: " + t);
            t.printStackTrace();
        }
    }

    void work(Random random) throws IOException, InterruptedException {
        while (System.currentTimeMillis() < deadline && problems.isEmpty()) {
            int c = random.nextInt(CHUNKS);
            chunkLocks[c].lock();
            try {
                int op = random.nextInt(100);
                if (op < 50) {
                    read(c, random);
                } else if (op < 94) {
                    write(c, random);
                } else {
                    truncate(c, random);
                }
            } finally {
                chunkLocks[c].unlock();
            }
            maxUsed.accumulateAndGet(cache.stats().usedBytes(), Math::max);
        }
    }

    void read(int c, Random random) throws IOException {
        reads.incrementAndGet();
        int offset = random.nextInt(CHUNK + 1);
        ByteBuffer dst = ByteBuffer.allocate(random.nextInt(CHUNK + 1));
        int n = cache.read(ids[c], offset, dst);
        byte[] got;
        if (n == ChunkCache.NOT_CACHED) {
            readMisses.incrementAndGet();
            byte[] stored = fetch(c);
            if (stored == null) {
                return;
            }
            got = Arrays.copyOfRange(
                    stored, Math.min(offset, stored.length), Math.min(stored.length, offset + dst.capacity()));
            if (cache.fill(ids[c], ByteBuffer.wrap(stored))) {
                dst.clear();
                n = cache.read(ids[c], offset, dst);
                if (n != ChunkCache.NOT_CACHED) { // else another thread already evicted it again
                    check(c, "read after fill", offset, Arrays.copyOf(dst.array(), n), dst.capacity());
                }
            }
        } else {
            got = Arrays.copyOf(dst.array(), n);
        }
        check(c, "read", offset, got, dst.capacity());
    }

    /** The bucket's copy of a chunk that is not cached; {@code null} if it was never created. */
    byte[] fetch(int c) {
        byte[] stored = bucket.get(ids[c]);
        if (stored == null && shadowLength[c] > 0) {
            problems.add("chunk " + c + " is neither cached nor in the bucket; " + shadowLength[c] + " bytes lost");
        }
        if (stored != null && !Arrays.equals(stored, Arrays.copyOf(shadow[c], shadowLength[c]))) {
            problems.add("chunk " + c + " was evicted while the bucket has a stale copy");
        }
        return stored;
    }

    void check(int c, String what, int offset, byte[] got, int wanted) {
        int expectedLength = Math.max(0, Math.min(wanted, shadowLength[c] - offset));
        byte[] expected =
                expectedLength == 0 ? new byte[0] : Arrays.copyOfRange(shadow[c], offset, offset + expectedLength);
        if (!Arrays.equals(got, expected)) {
            problems.add(what + " of chunk " + c + " at " + offset + ": got " + got.length + " bytes, expected "
                    + expectedLength + ", first difference at " + Arrays.mismatch(got, expected));
        }
    }

    /** Makes the chunk cached (if it exists) so a REFUSE write can succeed; false if it does not exist. */
    boolean bringIn(int c) throws IOException {
        byte[] stored = fetch(c);
        if (stored == null) {
            return false;
        }
        if (!cache.fill(ids[c], ByteBuffer.wrap(stored))) {
            cache.awaitSpace(stored.length, Duration.ofMillis(100));
        }
        return true;
    }

    void write(int c, Random random) throws IOException {
        writes.incrementAndGet();
        int offset = random.nextInt(CHUNK);
        int max = random.nextBoolean() ? Math.min(4096, CHUNK - offset) : CHUNK - offset;
        byte[] data = new byte[1 + random.nextInt(max)];
        random.nextBytes(data);
        while (!cache.write(ids[c], offset, ByteBuffer.wrap(data), IfAbsent.REFUSE)) {
            if (!bringIn(c)) {
                cache.write(ids[c], offset, ByteBuffer.wrap(data), IfAbsent.CREATE);
                break;
            }
        }
        System.arraycopy(data, 0, shadow[c], offset, data.length);
        shadowLength[c] = Math.max(shadowLength[c], offset + data.length);
    }

    void truncate(int c, Random random) throws IOException {
        int length = random.nextInt(CHUNK + 1);
        while (!cache.truncate(ids[c], length, IfAbsent.REFUSE)) {
            if (!bringIn(c)) {
                cache.truncate(ids[c], length, IfAbsent.CREATE);
                break;
            }
        }
        if (length < shadowLength[c]) {
            Arrays.fill(shadow[c], length, shadowLength[c], (byte) 0);
        }
        shadowLength[c] = length;
    }

    void upload(Random random) throws IOException, InterruptedException {
        while (runningWorkers.get() > 0) {
            List<ChunkId> dirty = cache.dirtyChunks();
            if (dirty.isEmpty()) {
                Thread.sleep(1);
            }
            for (ChunkId id : dirty) {
                Optional<UploadSnapshot> begun = cache.beginUpload(id);
                if (begun.isEmpty()) {
                    continue;
                }
                UploadSnapshot s = begun.get();
                if (random.nextInt(10) == 0) {
                    cache.failUpload(s);
                    continue;
                }
                if (random.nextBoolean()) {
                    Thread.sleep(0, 200_000);
                }
                bucket.put(id, bytes(s));
                uploads.incrementAndGet();
                if (!cache.completeUpload(s)) {
                    redirtiedUploads.incrementAndGet();
                }
            }
        }
    }

    static byte[] bytes(UploadSnapshot s) {
        ByteBuffer b = s.data();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
