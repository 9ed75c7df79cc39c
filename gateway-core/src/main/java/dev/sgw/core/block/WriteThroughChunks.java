package dev.sgw.core.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.volume.BucketSync;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;

/**
 * The data path of write-through mode: no cache disk; every write is in the bucket when it returns.
 *
 * <p>A write is a read-modify-write of its chunk object (GET, apply, PUT). Writes to one chunk are
 * coalesced: a writer queues its change; if no PUT of that chunk is in flight it becomes the chunk's
 * flusher and takes every change queued so far into one batch (GET once, apply them in arrival order,
 * PUT once); writers arriving meanwhile queue for the next batch, whose first waiter to wake flushes it.
 * Each writer returns when the PUT carrying its change succeeded, or fails with {@link VolumeError#IO}
 * when it failed (the object may then hold the batch or not, as after any failed write). A chunk that
 * ends up all zeros is deleted instead (discards are changes too, so they are ordered with writes).
 *
 * <p>Reads come from the bucket, whole chunks (CRC-checked), through a small in-memory cache of recent
 * chunks (at most 16 MiB): a flush puts the content it stored there, and a fetched chunk is kept only if
 * the {@link FillGuard} says no flush of it overlapped the GET. The cache also serves as the base of the
 * next batch, saving its GET (only this volume writes its chunks).
 */
final class WriteThroughChunks implements ChunkAccess {
    private static final int STRIPES = 256;
    private static final long READ_CACHE_BYTES = 16L << 20;

    /** A queued change: bytes at an offset, or (bytes == null) the whole chunk discarded. */
    private static final class Change {
        final int offset;
        final byte[] bytes;
        boolean done;
        VolumeException error;

        Change(int offset, byte[] bytes) {
            this.offset = offset;
            this.bytes = bytes;
        }
    }

    /** Queues and flushers of the chunks whose index falls on this stripe. Guarded by {@code lock}. */
    private static final class Stripe {
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        final Map<Long, List<Change>> queued = new HashMap<>();
        final Set<Long> flushing = new HashSet<>();
    }

    private volatile BlockVolumeConfig config;
    private final ChunkObjects objects;
    private final FillGuard guard = new FillGuard();
    private final Stripe[] stripes = new Stripe[STRIPES];
    private final Map<Long, byte[]> readCache;

    WriteThroughChunks(BlockVolumeConfig config, ChunkObjects objects) {
        this.config = config;
        this.objects = objects;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
        int maxChunks = (int) Math.max(2, READ_CACHE_BYTES / config.chunkSize());
        this.readCache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                return size() > maxChunks;
            }
        };
    }

    /** The last chunk may have been cut short by the old capacity: cached copies are dropped. */
    @Override
    public void resize(BlockVolumeConfig grown) {
        config = grown;
        synchronized (readCache) {
            readCache.clear();
        }
    }

    private int chunkLength(long index) {
        return (int) Math.min(config.chunkSize(), config.capacity() - index * config.chunkSize());
    }

    private byte[] cached(long index) {
        synchronized (readCache) {
            return readCache.get(index);
        }
    }

    private void cache(long index, byte[] content) {
        synchronized (readCache) {
            if (content == null) {
                readCache.remove(index);
            } else {
                readCache.put(index, content);
            }
        }
    }

    @Override
    public void read(long index, int offset, ByteBuffer dst) throws IOException {
        byte[] bytes = cached(index);
        if (bytes == null) {
            long stamp = guard.stamp(index);
            byte[] fetched = objects.fetch(index);
            guard.keepIfCurrent(index, stamp, () -> cache(index, fetched));
            bytes = fetched;
        }
        int want = dst.remaining();
        int have = Math.max(0, Math.min(want, bytes.length - offset));
        if (have > 0) {
            dst.put(bytes, offset, have);
        }
        for (int i = have; i < want; i++) {
            dst.put((byte) 0);
        }
    }

    @Override
    public void write(long index, int offset, ByteBuffer src, boolean fullChunk, boolean fua) throws IOException {
        byte[] bytes = new byte[src.remaining()];
        src.get(bytes);
        submit(index, new Change(offset, bytes));
    }

    @Override
    public void discard(long index) throws IOException {
        submit(index, new Change(0, null));
    }

    /** Queues {@code change} and returns once a PUT carrying it succeeded (or throws if it failed). */
    private void submit(long index, Change change) throws VolumeException {
        Stripe s = stripes[(int) Math.floorMod(index, (long) STRIPES)];
        s.lock.lock();
        try {
            s.queued.computeIfAbsent(index, k -> new ArrayList<>()).add(change);
            while (!change.done) {
                if (s.flushing.contains(index)) {
                    s.changed.awaitUninterruptibly();
                    continue;
                }
                List<Change> batch = s.queued.remove(index); // holds our change: nobody else took it
                s.flushing.add(index);
                VolumeException error = null;
                s.lock.unlock();
                try {
                    error = flush(index, batch);
                } catch (RuntimeException e) {
                    error = new VolumeException(
                            VolumeError.IO, "volume " + config.name() + ": writing chunk " + index, e);
                } finally {
                    s.lock.lock();
                    for (Change c : batch) {
                        c.error = error;
                        c.done = true;
                    }
                    s.flushing.remove(index);
                    s.changed.signalAll();
                }
            }
        } finally {
            s.lock.unlock();
        }
        if (change.error != null) {
            VolumeException e = change.error;
            throw new VolumeException(
                    e.error(),
                    "volume " + config.name() + ": write to chunk " + index + " did not reach the bucket",
                    e);
        }
    }

    /** GET (unless the batch overwrites it all), apply, PUT or DELETE; the error, or null when stored. */
    private VolumeException flush(long index, List<Change> batch) {
        int length = chunkLength(index);
        int from = 0;
        for (int i = batch.size() - 1; i >= 0; i--) {
            Change c = batch.get(i);
            if (c.bytes == null || (c.offset == 0 && c.bytes.length == length)) {
                from = i;
                break;
            }
        }
        byte[] content = new byte[length];
        Change first = batch.get(from);
        boolean covered = first.bytes == null || (first.offset == 0 && first.bytes.length == length);
        try {
            if (!covered) {
                byte[] base = cached(index);
                if (base == null) {
                    base = objects.fetch(index);
                }
                System.arraycopy(base, 0, content, 0, Math.min(base.length, length));
            }
        } catch (VolumeException e) {
            return e;
        }
        for (Change c : batch.subList(from, batch.size())) {
            if (c.bytes == null) {
                java.util.Arrays.fill(content, (byte) 0);
            } else {
                System.arraycopy(c.bytes, 0, content, c.offset, c.bytes.length);
            }
        }
        guard.changing(index);
        try {
            objects.store(index, ByteBuffer.wrap(content));
            cache(index, content);
            return null;
        } catch (ObjectStoreException e) {
            cache(index, null);
            return new VolumeException(
                    VolumeError.IO, "volume " + config.name() + ": storing chunk " + index + " failed", e);
        } finally {
            guard.changed(index);
        }
    }

    @Override
    public void flush() {
        // every write is in the bucket already
    }

    @Override
    public BucketSync bucketSync() {
        return NOTHING_PENDING;
    }

    @Override
    public void close() {
        synchronized (readCache) {
            readCache.clear();
        }
    }

    /** Write-through volumes have no backlog. */
    private static final BucketSync NOTHING_PENDING = new BucketSync() {
        @Override
        public Backlog backlog() {
            return new Backlog(0, 0, 0, 0, 0, 0);
        }

        @Override
        public void uploadNow() {}

        @Override
        public boolean awaitUploaded(Duration timeout) {
            return true;
        }
    };
}
