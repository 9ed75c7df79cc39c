package dev.sgw.core.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sgw.cache.CacheFullException;
import dev.sgw.cache.ChunkCache;
import dev.sgw.cache.ChunkId;
import dev.sgw.cache.IfAbsent;
import dev.sgw.core.cachedisk.CacheDisk;
import dev.sgw.core.layout.BucketLayout;
import dev.sgw.core.store.ListPage;
import dev.sgw.core.store.ListRequest;
import dev.sgw.core.store.ObjectInfo;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.volume.BucketSync;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.core.volume.VolumeMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data path of sync and cache mode: chunks live in the cache disk's {@link ChunkCache} under the
 * volume's namespace and reach the bucket through the {@link WritebackUploader}.
 *
 * <ul>
 *   <li>Read: from the cache; a miss fetches the whole chunk object (one GET, CRC-checked), serves it
 *       and keeps it as a clean chunk if the {@link FillGuard} says it is still current. Concurrent
 *       misses of one chunk (and read-ahead) share one GET.</li>
 *   <li>Write: a whole chunk is written as it is; part of a chunk is written with
 *       {@link IfAbsent#REFUSE}, and if the chunk is not cached it is fetched and filled first and the
 *       write tried again (an eviction in between only costs another round).</li>
 *   <li>Discard (unmap of a whole chunk): the chunk becomes an empty dirty chunk, whose upload deletes
 *       the object. It goes through the uploader like any write, so it is ordered after any upload of
 *       older data of the chunk (see the uploader's invariants).</li>
 *   <li>Read-ahead: after a run of sequential reads, the next 1 to {@value #MAX_READ_AHEAD} chunks not
 *       cached are fetched in the background, at most {@value #MAX_READ_AHEAD} at a time.</li>
 *   <li>Local copy (sync mode): after opening, one background task lists the volume's chunk objects and
 *       fetches each one not cached, so that a volume recovered onto an empty cache disk becomes local
 *       again while it serves reads (those of chunks not yet local go to the bucket meanwhile).</li>
 * </ul>
 */
final class CachedChunks implements ChunkAccess {
    private static final Logger LOG = LoggerFactory.getLogger(CachedChunks.class);
    static final int MAX_READ_AHEAD = 4;

    /** A chunk fetched from the bucket, and whether it was still current when the fetch ended. */
    // the array component is carried as is; this record is never compared or used as a key
    @SuppressWarnings("ArrayRecordComponent")
    private record Fetched(byte[] bytes, boolean current) {}

    private volatile BlockVolumeConfig config;
    private final CacheDisk disk;
    private final ChunkCache cache;
    private final ChunkObjects objects;
    private final FillGuard guard;
    private final WritebackUploader uploader;
    private final ConcurrentHashMap<Long, CompletableFuture<Fetched>> fetches = new ConcurrentHashMap<>();
    private final Semaphore readAheadSlots = new Semaphore(MAX_READ_AHEAD);
    private final ExecutorService readAhead;
    private final AtomicInteger streak = new AtomicInteger();
    private volatile long nextSequential = -1;
    private volatile boolean closed;

    private CachedChunks(BlockVolumeConfig config, CacheDisk disk, ChunkObjects objects) {
        this.config = config;
        this.disk = disk;
        this.cache = disk.cache();
        this.objects = objects;
        this.guard = new FillGuard();
        this.uploader = new WritebackUploader(
                config.name(), cache, objects, guard, config.uploadDelay(), config.uploadConcurrency());
        this.readAhead = Executors.newThreadPerTaskExecutor(Thread.ofVirtual()
                .name("sgw-readahead-" + config.name() + "-", 0)
                .factory());
    }

    /** Attaches the volume's namespace to the cache disk and starts uploading what an earlier run left dirty. */
    static CachedChunks open(BlockVolumeConfig config, CacheDisk disk, ChunkObjects objects) throws VolumeException {
        if (disk.cache().chunkSize() < config.chunkSize()) {
            throw new VolumeException(
                    VolumeError.INVAL,
                    "volume " + config.name() + ": chunk size " + config.chunkSize() + " is larger than the chunks of "
                            + disk + " (" + disk.cache().chunkSize() + ")");
        }
        CachedChunks chunks = new CachedChunks(config, disk, objects);
        List<ChunkId> leftDirty = disk.attach(config.cacheSpace(), config.mode() == VolumeMode.SYNC, chunks.uploader);
        chunks.uploader.start(leftDirty);
        if (config.mode() == VolumeMode.SYNC) {
            chunks.readAhead.execute(chunks::makeLocalCopy);
        }
        return chunks;
    }

    /** Whether the volume's namespace holds dirty chunks on {@code disk} (a new volume must not find any). */
    static boolean hasDirtyChunks(CacheDisk disk, String space) {
        return disk.cache().dirtyChunks().stream().anyMatch(id -> id.space().equals(space));
    }

    /**
     * A cached chunk cut short by the old capacity stays as it is: the cache reads zeros past a chunk's
     * length, which is what the grown part holds.
     */
    @Override
    public void resize(BlockVolumeConfig grown) {
        config = grown;
    }

    private ChunkId id(long index) {
        return ChunkId.of(config.cacheSpace(), 0, index);
    }

    @Override
    public void read(long index, int offset, ByteBuffer dst) throws IOException {
        ChunkId id = id(index);
        int want = dst.remaining();
        int n;
        try {
            n = cache.read(id, offset, dst);
        } catch (IOException e) {
            throw ioError("reading chunk " + index + " from the cache disk", e);
        }
        if (n == ChunkCache.NOT_CACHED) {
            byte[] bytes = fetch(index).bytes();
            int have = Math.max(0, Math.min(want, bytes.length - offset));
            if (have > 0) {
                dst.put(bytes, offset, have);
            }
            n = have;
        }
        zero(dst, want - n);
    }

    private static void zero(ByteBuffer dst, int count) {
        for (int i = 0; i < count; i++) {
            dst.put((byte) 0);
        }
    }

    /**
     * Fetches chunk {@code index}, or joins a fetch of it in flight if that one ends current. The result
     * may always be served by the caller (see the class comment of {@link FillGuard} for why a joined
     * fetch that is not current may not).
     */
    private Fetched fetch(long index) throws VolumeException {
        while (true) {
            CompletableFuture<Fetched> mine = new CompletableFuture<>();
            CompletableFuture<Fetched> other = fetches.putIfAbsent(index, mine);
            if (other == null) {
                return fetchAsOwner(index, mine);
            }
            Fetched joined;
            try {
                joined = other.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof VolumeException ve) {
                    throw ve;
                }
                throw new VolumeException(VolumeError.IO, "volume " + config.name() + ": fetching chunk " + index, e);
            }
            if (joined != null && joined.current()) {
                return joined;
            }
            Thread.onSpinWait();
        }
    }

    private Fetched fetchAsOwner(long index, CompletableFuture<Fetched> mine) throws VolumeException {
        try {
            long stamp = guard.stamp(index);
            byte[] bytes = objects.fetch(index);
            ChunkId id = id(index);
            boolean current = guard.keepIfCurrent(index, stamp, () -> {
                try {
                    cache.fill(id, ByteBuffer.wrap(bytes));
                } catch (IOException | IllegalStateException e) {
                    LOG.debug(
                            "volume {}: chunk {} fetched but not kept in the cache: {}",
                            config.name(),
                            index,
                            e.toString());
                }
            });
            Fetched f = new Fetched(bytes, current);
            mine.complete(f);
            return f;
        } catch (VolumeException e) {
            mine.completeExceptionally(e);
            throw e;
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw new VolumeException(VolumeError.IO, "volume " + config.name() + ": fetching chunk " + index, e);
        } finally {
            fetches.remove(index, mine);
        }
    }

    @Override
    public void write(long index, int offset, ByteBuffer src, boolean fullChunk, boolean fua) throws IOException {
        ChunkId id = id(index);
        try {
            if (fullChunk) {
                cache.write(id, 0, src, IfAbsent.CREATE);
            } else {
                writePart(index, id, offset, src);
            }
            if (fua) {
                cache.fsync(id);
            }
        } catch (CacheFullException e) {
            throw new VolumeException(VolumeError.NOSPC, "volume " + config.name() + ": " + e.getMessage(), e);
        } catch (VolumeException e) {
            throw e;
        } catch (IOException e) {
            throw ioError("writing chunk " + index + " to the cache disk", e);
        }
    }

    /** Read-modify-write of part of a chunk through the cache. */
    private void writePart(long index, ChunkId id, int offset, ByteBuffer src) throws IOException {
        long deadline = System.nanoTime() + config.spaceWait().toNanos();
        while (!cache.write(id, offset, src.duplicate(), IfAbsent.REFUSE)) {
            Fetched f = fetch(index);
            if (cache.length(id) != ChunkCache.NOT_CACHED) {
                continue;
            }
            if (!f.current()) {
                // a change of a chunk on the same guard stripe was in flight; its upload ends soon
                sleepMillis(1);
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !cache.awaitSpace(f.bytes().length, java.time.Duration.ofNanos(left))) {
                throw new VolumeException(
                        VolumeError.NOSPC,
                        "volume " + config.name() + ": no room in " + disk
                                + " to bring chunk " + index + " in for a partial write after "
                                + config.spaceWait().toMillis()
                                + " ms (the cache is full of data not yet uploaded)");
            }
        }
        src.position(src.limit());
    }

    private static void sleepMillis(long millis) throws VolumeException {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VolumeException(VolumeError.IO, "interrupted", e);
        }
    }

    @Override
    public void discard(long index) throws IOException {
        try {
            cache.truncate(id(index), 0, IfAbsent.CREATE);
        } catch (CacheFullException e) {
            throw new VolumeException(VolumeError.NOSPC, "volume " + config.name() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw ioError("discarding chunk " + index, e);
        }
    }

    @Override
    public void readCompleted(long offset, long length) {
        long expected = nextSequential;
        nextSequential = offset + length;
        if (offset != expected) {
            streak.set(0);
            return;
        }
        int window = Math.min(MAX_READ_AHEAD, streak.incrementAndGet());
        long last = (offset + length - 1) / config.chunkSize();
        long end = Math.min(config.chunkCount(), last + 1 + window);
        for (long i = last + 1; i < end; i++) {
            if (cache.length(id(i)) != ChunkCache.NOT_CACHED || fetches.containsKey(i)) {
                continue;
            }
            if (!readAheadSlots.tryAcquire()) {
                return;
            }
            long index = i;
            try {
                readAhead.execute(() -> {
                    try {
                        prefetch(index);
                    } finally {
                        readAheadSlots.release();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                readAheadSlots.release();
                return;
            }
        }
    }

    private void prefetch(long index) {
        CompletableFuture<Fetched> mine = new CompletableFuture<>();
        if (fetches.putIfAbsent(index, mine) != null) {
            return;
        }
        if (cache.length(id(index)) != ChunkCache.NOT_CACHED) {
            fetches.remove(index, mine);
            mine.complete(null);
            return;
        }
        try {
            fetchAsOwner(index, mine);
        } catch (VolumeException e) {
            LOG.debug("volume {}: read-ahead of chunk {} failed: {}", config.name(), index, e.toString());
        }
    }

    /** Fetches every chunk object of the volume that is not cached (sync mode), until done or closed. */
    private void makeLocalCopy() {
        String volume = config.name();
        ListRequest request = ListRequest.flat(BucketLayout.volumeDataPrefix(volume));
        long fetched = 0;
        try {
            while (!closed) {
                ListPage page = objects.store().list(request);
                for (ObjectInfo o : page.objects()) {
                    long index = BucketLayout.blockChunkIndex(volume, o.key());
                    if (closed) {
                        return;
                    }
                    if (index >= 0 && index < config.chunkCount() && cache.length(id(index)) == ChunkCache.NOT_CACHED) {
                        prefetch(index);
                        fetched++;
                    }
                }
                if (page.isLast()) {
                    LOG.info("volume {}: local copy complete ({} chunks fetched from the bucket)", volume, fetched);
                    return;
                }
                request = request.next(page.nextToken());
            }
        } catch (ObjectStoreException | RuntimeException e) {
            LOG.warn(
                    "volume {}: making the local copy stopped after {} chunks ({}); chunks not yet local are "
                            + "fetched when read, and the copy resumes at the next open",
                    volume,
                    fetched,
                    e.toString());
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            cache.sync();
        } catch (IOException e) {
            throw ioError("syncing the cache disk", e);
        }
    }

    @Override
    public BucketSync bucketSync() {
        return uploader;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        readAhead.shutdown();
        uploader.close();
        try {
            readAhead.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            cache.sync();
        } finally {
            disk.detach(config.cacheSpace());
        }
    }

    private VolumeException ioError(String what, IOException cause) {
        if (cause instanceof VolumeException ve) {
            return ve;
        }
        return new VolumeException(VolumeError.IO, "volume " + config.name() + ": " + what + " failed", cause);
    }
}
