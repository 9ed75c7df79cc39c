package dev.sgw.core.block;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.sgw.cache.ChunkCache;
import dev.sgw.cache.ChunkId;
import dev.sgw.cache.DirtyChunkListener;
import dev.sgw.cache.UploadSnapshot;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.volume.BucketSync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads a block volume's dirty chunks from the cache disk to the bucket, with {@code concurrency}
 * worker threads, after the upload delay, retrying failures with backoff for as long as it takes.
 *
 * <h2>Chunk upload states (as the uploader sees them)</h2>
 * <pre>
 * state     | where                       | event                                    -&gt; next state
 * ----------+-----------------------------+-----------------------------------------------------------------
 * IDLE      | not tracked                 | announced dirty (listener), found dirty   -&gt; WAITING, due after the
 *           |                             |   at open                                      upload delay
 * WAITING   | tracked, a Due in the queue | announced dirty again                     -&gt; WAITING (due unchanged:
 *           |                             |                                                a hot chunk still goes)
 *           |                             | uploadNow / awaitUploaded                 -&gt; WAITING, due now
 *           |                             | due, a worker takes it: beginUpload       -&gt; UPLOADING (snapshot)
 * UPLOADING | tracked, one worker owns it | announced dirty                           -&gt; UPLOADING, redirtied
 *           |                             | beginUpload found it not dirty            -&gt; IDLE, or WAITING if redirtied
 *           |                             | PUT (DELETE for zeros) ok, completeUpload -&gt; IDLE (clean), or WAITING
 *           |                             |                                                if redirtied
 *           |                             | PUT failed, failUpload                    -&gt; WAITING, due after a
 *           |                             |                                                backoff (100 ms doubling
 *           |                             |                                                to 10 s, jittered)
 * </pre>
 *
 * <h2>Invariants</h2>
 * <ol>
 *   <li>Every chunk of the volume that the cache holds dirty is tracked: the cache announces each chunk
 *       that becomes dirty (before the write that dirtied it returns), and those left dirty by an earlier
 *       process are handed to {@link #start}.</li>
 *   <li>At most one upload of a chunk is in flight (the cache hands out one snapshot at a time, and only
 *       this uploader asks), so the bucket sees a chunk's versions in order: an unmap (an empty dirty
 *       chunk, uploaded as a DELETE) can never be overtaken by an older snapshot's PUT.</li>
 *   <li>Each PUT or DELETE is bracketed by {@link FillGuard#changing}/{@link FillGuard#changed}, so no
 *       fetch that overlapped it keeps its bytes.</li>
 *   <li>The snapshot is immutable: writes during an upload go to the cache and mark it redirtied.</li>
 * </ol>
 *
 * <p>Logging: one warning when a streak of failures starts (and again if the kind of failure changes),
 * the rest at debug, and one line when uploads succeed again; progress at most every 10 s.
 */
final class WritebackUploader implements BucketSync, DirtyChunkListener {
    private static final Logger LOG = LoggerFactory.getLogger(WritebackUploader.class);
    private static final long BASE_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long PROGRESS_LOG_NANOS = TimeUnit.SECONDS.toNanos(10);

    private enum UploadState {
        WAITING,
        UPLOADING
    }

    /** One tracked chunk. Guarded by {@link #lock}. */
    private static final class Track {
        UploadState state = UploadState.WAITING;
        long gen;
        int failures;
        boolean redirtied;
        /** The begin sequence of the last upload that reached the bucket, 0 if none. */
        long lastUploadedSeq;
    }

    /** A tracked chunk's due time; stale when its generation is no longer the track's. */
    private record Due(ChunkId id, long gen, long dueNanos) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(dueNanos, ((Due) other).dueNanos);
        }
    }

    private final String volume;
    private final ChunkCache cache;
    private final ChunkObjects objects;
    private final FillGuard guard;
    private final long delayNanos;
    private final int concurrency;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    private final Map<ChunkId, Track> tracked = new HashMap<>();
    private final DelayQueue<Due> queue = new DelayQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private long beginSeq;
    private long uploadedItems;
    private long uploadedBytes;
    private long failedAttempts;
    private long streakFailures;
    private ObjectStoreException.Code streakCode;
    private Class<?> streakKind;
    private long lastProgressLog = System.nanoTime();
    private long loggedUploads;
    private volatile boolean closed;

    WritebackUploader(
            String volume, ChunkCache cache, ChunkObjects objects, FillGuard guard, Duration delay, int concurrency) {
        this.volume = volume;
        this.cache = cache;
        this.objects = objects;
        this.guard = guard;
        this.delayNanos = delay.toNanos();
        this.concurrency = concurrency;
    }

    /** Tracks the chunks left dirty by an earlier process (due at once) and starts the workers. */
    void start(Collection<ChunkId> foundDirty) {
        lock.lock();
        try {
            for (ChunkId id : foundDirty) {
                Track t = new Track();
                tracked.put(id, t);
                queue.add(new Due(id, t.gen, System.nanoTime()));
            }
        } finally {
            lock.unlock();
        }
        if (!foundDirty.isEmpty()) {
            LOG.info(
                    "volume {}: {} chunks left dirty by the last run are queued for upload", volume, foundDirty.size());
        }
        for (int i = 0; i < concurrency; i++) {
            Thread worker = Thread.ofPlatform()
                    .daemon()
                    .name("sgw-upload-" + volume + "-" + i)
                    .unstarted(this::work);
            workers.add(worker);
            worker.start();
        }
    }

    @Override
    public void chunkDirty(ChunkId id) {
        lock.lock();
        try {
            Track t = tracked.get(id);
            if (t == null) {
                t = new Track();
                tracked.put(id, t);
                queue.add(new Due(id, t.gen, System.nanoTime() + delayNanos));
            } else if (t.state == UploadState.UPLOADING) {
                t.redirtied = true;
            }
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        while (!closed) {
            Due due;
            try {
                due = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (due.id() == null) {
                return; // close()
            }
            long seq;
            lock.lock();
            try {
                Track t = tracked.get(due.id());
                if (closed || t == null || t.gen != due.gen() || t.state != UploadState.WAITING) {
                    continue;
                }
                t.state = UploadState.UPLOADING;
                t.redirtied = false;
                seq = ++beginSeq;
            } finally {
                lock.unlock();
            }
            upload(due.id(), seq);
        }
    }

    private void upload(ChunkId id, long seq) {
        Optional<UploadSnapshot> snapshot;
        try {
            snapshot = cache.beginUpload(id);
        } catch (Exception e) {
            failed(id, null, e);
            return;
        }
        if (snapshot.isEmpty()) {
            finished(id, seq, false, 0);
            return;
        }
        UploadSnapshot s = snapshot.get();
        guard.changing(id.index());
        try {
            objects.store(id.index(), s.data());
        } catch (Exception e) {
            guard.changed(id.index());
            failed(id, s, e);
            return;
        }
        guard.changed(id.index());
        try {
            cache.completeUpload(s);
        } catch (Exception e) {
            // the bucket has the snapshot; the cache could not record it and keeps the chunk dirty
            LOG.warn(
                    "volume {}: chunk {} uploaded but the cache could not mark it clean; it will be uploaded again",
                    volume,
                    id.index(),
                    e);
            failed(id, s, e);
            return;
        }
        finished(id, seq, true, s.length());
    }

    /** An upload reached the bucket ({@code uploaded}), or there was nothing to upload. */
    private void finished(ChunkId id, long seq, boolean uploaded, int bytes) {
        lock.lock();
        try {
            Track t = tracked.get(id);
            if (uploaded) {
                t.lastUploadedSeq = seq;
                t.failures = 0;
                uploadedItems++;
                uploadedBytes += bytes;
                if (streakFailures > 0) {
                    LOG.info("volume {}: uploads succeed again after {} failed attempts", volume, streakFailures);
                    streakFailures = 0;
                    streakCode = null;
                    streakKind = null;
                }
            }
            if (t.redirtied) {
                requeue(id, t, delayNanos);
            } else {
                tracked.remove(id);
            }
            logProgress();
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void failed(ChunkId id, UploadSnapshot snapshot, Exception cause) {
        if (snapshot != null) {
            cache.failUpload(snapshot);
        }
        lock.lock();
        try {
            Track t = tracked.get(id);
            t.failures++;
            failedAttempts++;
            long backoff = Math.min(MAX_BACKOFF_NANOS, BASE_BACKOFF_NANOS << Math.min(20, t.failures - 1));
            backoff = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
            requeue(id, t, closed ? Long.MAX_VALUE / 4 : backoff);
            ObjectStoreException.Code code = cause instanceof ObjectStoreException ose ? ose.code() : null;
            boolean newKind = streakFailures == 0 || code != streakCode || cause.getClass() != streakKind;
            streakFailures++;
            streakCode = code;
            streakKind = cause.getClass();
            if (closed) {
                LOG.debug("volume {}: upload of chunk {} stopped by close: {}", volume, id.index(), cause.toString());
            } else if (newKind) {
                LOG.warn(
                        "volume {}: upload of chunk {} failed ({}); retrying with backoff up to {} s, "
                                + "further failures of this kind at debug until uploads succeed again",
                        volume,
                        id.index(),
                        cause.toString(),
                        TimeUnit.NANOSECONDS.toSeconds(MAX_BACKOFF_NANOS));
            } else {
                LOG.debug(
                        "volume {}: upload of chunk {} failed again (attempt {}): {}",
                        volume,
                        id.index(),
                        t.failures,
                        cause.toString());
            }
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void requeue(ChunkId id, Track t, long afterNanos) {
        t.state = UploadState.WAITING;
        t.redirtied = false;
        t.gen++;
        queue.add(new Due(id, t.gen, System.nanoTime() + afterNanos));
    }

    private void logProgress() {
        long now = System.nanoTime();
        if (now - lastProgressLog >= PROGRESS_LOG_NANOS && uploadedItems != loggedUploads) {
            LOG.info(
                    "volume {}: {} chunks ({} bytes) uploaded since open; {} chunks waiting",
                    volume,
                    uploadedItems,
                    uploadedBytes,
                    tracked.size());
            lastProgressLog = now;
            loggedUploads = uploadedItems;
        }
    }

    @Override
    public Backlog backlog() {
        lock.lock();
        try {
            long bytes = 0;
            for (ChunkId id : tracked.keySet()) {
                bytes += Math.max(0, cache.length(id));
            }
            return new Backlog(tracked.size(), bytes, uploadedItems, uploadedBytes, failedAttempts, 0);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void uploadNow() {
        lock.lock();
        try {
            long now = System.nanoTime();
            for (Map.Entry<ChunkId, Track> e : tracked.entrySet()) {
                Track t = e.getValue();
                if (t.state == UploadState.WAITING) {
                    t.gen++;
                    queue.add(new Due(e.getKey(), t.gen, now));
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every chunk dirty at the call has been uploaded by an upload that began after the call
     * (so it holds every write made before), or is no longer dirty.
     */
    @Override
    public boolean awaitUploaded(Duration timeout) throws InterruptedException {
        uploadNow();
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            long callSeq = beginSeq;
            Set<ChunkId> waiting = new HashSet<>(tracked.keySet());
            while (true) {
                waiting.removeIf(id -> {
                    Track t = tracked.get(id);
                    return t == null || t.lastUploadedSeq > callSeq;
                });
                if (waiting.isEmpty()) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    return false;
                }
                progress.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the workers: uploads in flight finish (or fail), nothing new starts; after 10 s a worker
     * still busy is interrupted. Dirty chunks stay dirty in the cache, for the next open.
     */
    void close() {
        closed = true;
        lock.lock();
        try {
            progress.signalAll();
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < workers.size(); i++) {
            queue.add(new Due(null, 0, Long.MIN_VALUE / 2)); // first in the queue: each worker takes one and stops
        }
        try {
            for (Thread w : workers) {
                w.join(TimeUnit.SECONDS.toMillis(10));
                if (w.isAlive()) {
                    LOG.warn("volume {}: upload worker {} still busy after 10 s; interrupting it", volume, w.getName());
                    w.interrupt();
                    w.join(TimeUnit.SECONDS.toMillis(5));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
