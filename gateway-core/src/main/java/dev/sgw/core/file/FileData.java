package dev.sgw.core.file;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sgw.cache.ChunkCache;
import dev.sgw.cache.ChunkId;
import dev.sgw.cache.ChunkState;
import dev.sgw.cache.IfAbsent;
import dev.sgw.core.meta.Durability;
import dev.sgw.core.store.ByteRange;
import dev.sgw.core.store.ObjectContent;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.volume.FileType;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.ReadResult;
import dev.sgw.core.volume.Stability;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;

/**
 * The content of a share's regular files: chunk {@code i} of file {@code n} is cache chunk
 * {@code (space, n, i)}, {@code chunkSize} bytes at {@code i * chunkSize}. A chunk that is not cached reads
 * from the file's object in the bucket when the inode says its content is there (below
 * {@code bucketExtent}), else as zeros; bytes past a chunk's cached length read as zeros too.
 *
 * <h2>Crash consistency</h2>
 * <ul>
 *   <li>The first write after an upload marks the inode pending (and journals it) before any byte reaches
 *       the cache, so a changed chunk is never left unknown to the uploader.</li>
 *   <li>A write puts its bytes in the cache first and then the new size and mtime in one batch: a crash in
 *       between loses the unacknowledged size change, never another file's data. FILE_SYNC and DATA_SYNC
 *       fsync the chunks touched before a DURABLE batch, so an acknowledged durable write reads back after
 *       {@code kill -9} or a power loss. UNSTABLE writes use a BUFFERED batch; {@link #commit} fsyncs the
 *       chunks they touched and the metadata log.</li>
 *   <li>A shrinking truncate first stores the new size with {@code staleChunkEnd} (DURABLE), then drops
 *       the chunks past the end; if a crash comes between, the drop is redone the next time the file's
 *       data is touched, so old bytes never reappear when the file grows again.</li>
 *   <li>A deallocate is a durable write of zeros: pending first, then the chunks cut or zeroed and
 *       fsynced, then a DURABLE batch (see {@link #deallocate}).</li>
 * </ul>
 *
 * <p>Fetching (cache mode): a ranged GET of the chunk's bytes; a response whose ETag is not the inode's
 * fails with {@link VolumeError#IO} (the object was replaced; reverse sync will point the file at the new
 * version). Fetched bytes are cached only if the inode did not change while they were fetched. Sequential
 * reads fetch the next {@value #READ_AHEAD_CHUNKS} chunks ahead on a bounded executor.
 *
 * <p>Writers and truncates hold the inode's stripe; readers hold nothing but the stripe while they cache
 * a fetched chunk.
 */
// try (var held = ...lock(...)): the resource is a held inode lock, scoped by the block, never referenced
@SuppressWarnings("try")
final class FileData {
    static final long MAX_FILE_BYTES = 1L << 50;
    private static final int READ_AHEAD_CHUNKS = 4;
    private static final int SEQUENTIAL_TRACKED = 1024;

    private final InodeTable table;
    private final ChunkCache cache;
    private final ObjectStore bucket;
    private final String space;
    private final int chunkSize;
    private final ExecutorService readAhead;
    private final Set<ChunkId> fetching = ConcurrentHashMap.newKeySet();
    /** Chunks written UNSTABLE since the last commit, per inode. */
    private final ConcurrentHashMap<Long, Set<Long>> unsynced = new ConcurrentHashMap<>();
    /** How many chunk files a commit flushes at once. */
    private static final int PARALLEL_FSYNCS = 8;
    /** Per inode with an upload in flight: the smallest size the file had since the upload started. */
    final ConcurrentHashMap<Long, Long> uploadFloor = new ConcurrentHashMap<>();
    /** Where the last read of a file ended, for read-ahead (a small LRU). */
    private final Map<Long, Long> lastReadEnd = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > SEQUENTIAL_TRACKED;
        }
    };

    FileData(InodeTable table, ChunkCache cache, ObjectStore bucket, ExecutorService readAhead) {
        this.table = table;
        this.cache = cache;
        this.bucket = bucket;
        this.space = table.config.chunkSpace();
        this.chunkSize = cache.chunkSize();
        this.readAhead = readAhead;
    }

    int chunkSize() {
        return chunkSize;
    }

    ChunkId chunk(long inode, long index) {
        return new ChunkId(space, inode, index);
    }

    long chunkCount(long size) {
        return (size + chunkSize - 1) / chunkSize;
    }

    // ---- read ------------------------------------------------------------------------------------

    ReadResult read(NodeId node, long offset, ByteBuffer dst) throws IOException {
        if (offset < 0) {
            throw new VolumeException(VolumeError.INVAL, "negative offset " + offset);
        }
        InodeRecord r = table.require(node);
        checkRegular(r);
        if (r.staleChunkEnd != 0) {
            try (var held = table.locks.lock(r.inode)) {
                r = table.require(node);
                finishTruncate(r);
            }
        }
        if (offset >= r.size) {
            return new ReadResult(0, true);
        }
        int n = (int) Math.min(dst.remaining(), r.size - offset);
        int done = 0;
        while (done < n) {
            long pos = offset + done;
            long index = pos / chunkSize;
            int within = (int) (pos % chunkSize);
            int len = Math.min(n - done, chunkSize - within);
            ByteBuffer slice = dst.slice(dst.position() + done, len);
            readChunk(r, index, within, slice);
            done += len;
        }
        dst.position(dst.position() + n);
        maybeReadAhead(r, offset, offset + n);
        return new ReadResult(n, offset + n >= r.size);
    }

    /** Fills {@code dst} (all of it) from chunk {@code index} at {@code within}. */
    private void readChunk(InodeRecord r, long index, int within, ByteBuffer dst) throws IOException {
        ChunkId id = chunk(r.inode, index);
        int got = cache.read(id, within, dst.duplicate());
        if (got == ChunkCache.NOT_CACHED) {
            if (inBucket(r, index)) {
                ByteBuffer fetched = fetchAndCache(r, index);
                got = Math.max(0, Math.min(dst.remaining(), fetched.remaining() - within));
                if (got > 0) {
                    dst.duplicate().put(fetched.slice(within, got));
                }
            } else {
                got = 0;
            }
        }
        for (int i = got; i < dst.remaining(); i++) {
            dst.put(dst.position() + i, (byte) 0);
        }
    }

    /** Whether chunk {@code index}, when not cached, is read from the bucket. */
    boolean inBucket(InodeRecord r, long index) {
        return r.contentInBucket && r.etag != null && index * chunkSize < r.bucketExtent;
    }

    /** Fetches a chunk and caches it if the inode did not change meanwhile. */
    private ByteBuffer fetchAndCache(InodeRecord r, long index) throws IOException {
        ByteBuffer fetched = fetch(r, index);
        try (var held = table.locks.lock(r.inode)) {
            InodeRecord now = table.load(r.inode).orElse(null);
            if (now != null
                    && r.etag.equals(now.etag)
                    && now.contentVersion == r.contentVersion
                    && now.bucketExtent == r.bucketExtent) {
                cache.fill(chunk(r.inode, index), fetched.duplicate());
            }
        }
        return fetched;
    }

    /** The bytes of chunk {@code index} in the object the inode points at (a ranged GET). */
    ByteBuffer fetch(InodeRecord r, long index) throws IOException {
        return fetch(r, index, table.paths(r).getFirst());
    }

    /** As {@link #fetch(InodeRecord, long)}, from the object at {@code path} (a name the file just lost). */
    private ByteBuffer fetch(InodeRecord r, long index, String path) throws IOException {
        long start = index * chunkSize;
        long end = Math.min(start + chunkSize, r.bucketExtent);
        try (ObjectContent content = bucket.get(path, ByteRange.of(start, end - start))) {
            String etag = content.info().etag();
            if (!r.etag.equals(etag)) {
                throw new VolumeException(
                        VolumeError.IO,
                        "object '" + path + "' changed in the bucket (ETag " + etag + ", the file has " + r.etag
                                + "); reverse sync will point the file at the new version");
            }
            byte[] bytes = content.readAllBytes();
            if (bytes.length != end - start) {
                throw new VolumeException(
                        VolumeError.IO,
                        "object '" + path + "' returned " + bytes.length + " bytes for a range of " + (end - start));
            }
            return ByteBuffer.wrap(bytes);
        } catch (ObjectStoreException e) {
            throw new VolumeException(
                    VolumeError.IO, "cannot read '" + path + "' from the bucket: " + e.getMessage(), e);
        }
    }

    private void maybeReadAhead(InodeRecord r, long offset, long end) {
        if (!r.contentInBucket) {
            return;
        }
        Long previous;
        synchronized (lastReadEnd) {
            previous = lastReadEnd.put(r.inode, end);
        }
        if (previous == null || previous != offset) {
            return;
        }
        long first = (end - 1) / chunkSize + 1;
        for (long i = first; i < first + READ_AHEAD_CHUNKS && inBucket(r, i); i++) {
            ChunkId id = chunk(r.inode, i);
            if (cache.state(id) != ChunkState.ABSENT || !fetching.add(id)) {
                continue;
            }
            long index = i;
            try {
                readAhead.execute(() -> {
                    try {
                        fetchAndCache(r, index);
                    } catch (IOException | RuntimeException ignored) {
                        // read-ahead is a hint: the read that needs the chunk fetches it and reports errors
                    } finally {
                        fetching.remove(id);
                    }
                });
            } catch (RejectedExecutionException busy) {
                fetching.remove(id);
            }
        }
    }

    // ---- write -----------------------------------------------------------------------------------

    /** Writes {@code src} at {@code offset}; returns the inode after the write. */
    InodeRecord write(NodeId node, long offset, ByteBuffer src, Stability stability) throws IOException {
        int n = src.remaining();
        if (offset < 0) {
            throw new VolumeException(VolumeError.INVAL, "negative offset " + offset);
        }
        if (offset + n > MAX_FILE_BYTES) {
            throw new VolumeException(VolumeError.FBIG, "a file may hold at most " + MAX_FILE_BYTES + " bytes");
        }
        try (var held = table.locks.lock(node.inode())) {
            InodeRecord r = table.require(node);
            checkRegular(r);
            finishTruncate(r);
            if (!r.pendingUpload) {
                table.store.update(
                        b -> {
                            table.markPending(b, r);
                            table.put(b, r);
                        },
                        Durability.BUFFERED);
            }
            if (offset > r.size) {
                cutStaleTail(r);
            }
            List<Long> touched = new ArrayList<>(2);
            int done = 0;
            while (done < n) {
                long pos = offset + done;
                long index = pos / chunkSize;
                int within = (int) (pos % chunkSize);
                int len = Math.min(n - done, chunkSize - within);
                writeChunk(r, index, within, src.slice(src.position() + done, len));
                touched.add(index);
                done += len;
            }
            src.position(src.position() + n);
            boolean durable = stability != Stability.UNSTABLE;
            if (durable) {
                for (long index : touched) {
                    cache.fsync(chunk(r.inode, index));
                }
            } else {
                unsynced.computeIfAbsent(r.inode, k -> ConcurrentHashMap.newKeySet())
                        .addAll(touched);
            }
            long oldSize = r.size;
            r.size = Math.max(r.size, offset + n);
            r.contentVersion++;
            r.touchContent(InodeTable.now());
            table.store.update(b -> table.put(b, r), durable ? Durability.DURABLE : Durability.BUFFERED);
            table.bytes.addAndGet(r.size - oldSize);
            return r;
        }
    }

    private void writeChunk(InodeRecord r, long index, int within, ByteBuffer src) throws IOException {
        ChunkId id = chunk(r.inode, index);
        IfAbsent ifAbsent = inBucket(r, index) ? IfAbsent.REFUSE : IfAbsent.CREATE;
        for (int attempt = 0; ; attempt++) {
            if (cache.write(id, within, src.duplicate(), ifAbsent)) {
                return;
            }
            if (attempt >= 3) {
                throw new VolumeException(VolumeError.IO, "chunk " + id + " keeps being evicted while written");
            }
            ByteBuffer fetched = fetch(r, index);
            if (!cache.fill(id, fetched.duplicate())) {
                cache.write(id, 0, fetched, IfAbsent.CREATE); // no room to cache it clean: keep it dirty
            }
        }
    }

    // ---- deallocate ------------------------------------------------------------------------------

    /**
     * Zeros {@code [offset, offset + length)} of a regular file, clipped to its size (which stays), as a
     * durable write: the inode is marked pending first, the chunks are changed and fsynced, then the record
     * is written DURABLE. Per chunk, the deallocated range takes no cache space where the layout allows:
     *
     * <pre>
     * chunk                                    | what the range does to it
     * -----------------------------------------+----------------------------------------------------------
     * zeroed whole (or from its start to the   | beyond the bucket's copy: dropped (it reads as zeros when
     * end of the file), or left all zeros      | not cached); backed by the bucket: cut to length 0, so it
     *                                          | reads as zeros, not as the old object, until the next upload
     * range reaching its cached end            | cut there
     * range inside, other bytes not all zero   | written as zeros (the cache cannot punch a hole in a chunk
     *                                          | file); a chunk only in the bucket is fetched first
     * neither cached nor in the bucket         | left alone: it reads as zeros already
     * </pre>
     */
    InodeRecord deallocate(NodeId node, long offset, long length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new VolumeException(VolumeError.INVAL, "deallocate of " + length + " bytes at " + offset);
        }
        try (var held = table.locks.lock(node.inode())) {
            InodeRecord r = table.require(node);
            checkRegular(r);
            finishTruncate(r);
            long end = Math.min(r.size, offset + Math.min(length, MAX_FILE_BYTES));
            if (offset >= end) {
                return r;
            }
            if (!r.pendingUpload) {
                table.store.update(
                        b -> {
                            table.markPending(b, r);
                            table.put(b, r);
                        },
                        Durability.BUFFERED);
            }
            for (long index = offset / chunkSize; index * chunkSize < end; index++) {
                long chunkStart = index * chunkSize;
                int from = (int) (Math.max(offset, chunkStart) - chunkStart);
                int to = (int) (Math.min(end, chunkStart + chunkSize) - chunkStart);
                boolean toChunkEnd = to == chunkSize || chunkStart + to == r.size;
                if (zeroInChunk(r, index, from, to, toChunkEnd)) {
                    cache.fsync(chunk(r.inode, index));
                }
            }
            r.contentVersion++;
            r.touchContent(InodeTable.now());
            table.store.update(b -> table.put(b, r), Durability.DURABLE);
            return r;
        }
    }

    /**
     * Zeros bytes {@code [from, to)} of chunk {@code index}; {@code toEnd}: nothing of the file follows
     * them in this chunk. Returns whether the cached chunk changed.
     */
    private boolean zeroInChunk(InodeRecord r, long index, int from, int to, boolean toEnd) throws IOException {
        ChunkId id = chunk(r.inode, index);
        boolean inBucket = inBucket(r, index);
        if (from == 0 && toEnd) {
            return dropChunk(id, inBucket);
        }
        for (int attempt = 0; ; attempt++) {
            int cached = cache.length(id);
            if (cached == ChunkCache.NOT_CACHED && !inBucket) {
                return false; // reads as zeros already
            }
            if (cached != ChunkCache.NOT_CACHED) {
                if (cached <= from) {
                    return false; // past the cached bytes: zeros already
                }
                if (zerosBeside(id, cached, from, to)) {
                    return dropChunk(id, inBucket); // nothing but zeros would be left
                }
                boolean done = (toEnd || to >= cached)
                        ? cache.truncate(id, from, IfAbsent.REFUSE)
                        : cache.write(id, from, ByteBuffer.allocate(to - from), IfAbsent.REFUSE);
                if (done) {
                    return true;
                }
            }
            if (attempt >= 3) {
                throw new VolumeException(VolumeError.IO, "chunk " + id + " keeps being evicted while zeroed");
            }
            ByteBuffer fetched = fetch(r, index);
            if (!cache.fill(id, fetched.duplicate())) {
                cache.write(id, 0, fetched, IfAbsent.CREATE); // no room to cache it clean: keep it dirty
            }
        }
    }

    /**
     * Makes chunk {@code id} read as zeros taking no cache space: dropped when the bucket has no bytes of it,
     * else cut to length 0 (the bucket's old bytes must not show through). Returns whether the cache changed.
     */
    private boolean dropChunk(ChunkId id, boolean inBucket) throws IOException {
        if (!inBucket) {
            return cache.remove(id);
        }
        return cache.truncate(id, 0, IfAbsent.CREATE);
    }

    /** Whether the {@code cached} bytes of chunk {@code id} outside {@code [from, to)} are all zeros. */
    private boolean zerosBeside(ChunkId id, int cached, int from, int to) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(cached);
        int n = cache.read(id, 0, bytes);
        if (n != cached) {
            return false; // changed meanwhile: zero the range the usual way
        }
        for (int i = 0; i < cached; i++) {
            if ((i < from || i >= to) && bytes.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    // ---- size ------------------------------------------------------------------------------------

    /** Sets a regular file's size (holding its lock); the record is written by this call. */
    void truncate(InodeRecord r, long newSize) throws IOException {
        if (newSize < 0) {
            throw new VolumeException(VolumeError.INVAL, "negative size " + newSize);
        }
        if (newSize > MAX_FILE_BYTES) {
            throw new VolumeException(VolumeError.FBIG, "a file may hold at most " + MAX_FILE_BYTES + " bytes");
        }
        finishTruncate(r);
        long oldSize = r.size;
        if (newSize > oldSize) {
            cutStaleTail(r);
        }
        if (newSize < oldSize) {
            r.staleChunkEnd = Math.max(r.staleChunkEnd, chunkCount(oldSize));
            r.bucketExtent = Math.min(r.bucketExtent, newSize);
        }
        r.size = newSize;
        uploadFloor.computeIfPresent(r.inode, (k, floor) -> Math.min(floor, newSize));
        if (newSize != oldSize) {
            r.contentVersion++;
        }
        r.touchContent(InodeTable.now());
        table.store.update(
                b -> {
                    table.markPending(b, r);
                    table.put(b, r);
                },
                Durability.DURABLE);
        table.bytes.addAndGet(newSize - oldSize);
        finishTruncate(r);
    }

    /** Drops chunks a shrinking truncate left past the end (after a crash too), holding the inode's lock. */
    void finishTruncate(InodeRecord r) throws IOException {
        if (r.staleChunkEnd == 0) {
            return;
        }
        long keep = chunkCount(r.size);
        for (long i = keep; i < r.staleChunkEnd; i++) {
            cache.remove(chunk(r.inode, i));
        }
        cutStaleTail(r);
        r.staleChunkEnd = 0;
        table.store.update(b -> table.put(b, r), Durability.BUFFERED);
    }

    /** Cuts the chunk holding the end of the file to the end, so growing the file shows zeros. */
    private void cutStaleTail(InodeRecord r) throws IOException {
        int tail = (int) (r.size % chunkSize);
        if (tail == 0) {
            return;
        }
        ChunkId id = chunk(r.inode, r.size / chunkSize);
        if (cache.length(id) > tail) {
            cache.truncate(id, tail, IfAbsent.REFUSE);
        }
    }

    // ---- durability and removal ------------------------------------------------------------------

    /**
     * Makes the file's UNSTABLE writes durable (the metadata log is synced by the caller). The chunks are
     * flushed {@value #PARALLEL_FSYNCS} at a time, so the disk sees them queued together rather than one
     * after the other; a chunk whose flush failed stays owed to the next commit.
     */
    void commit(long inode) throws IOException {
        Set<Long> chunks = unsynced.remove(inode);
        if (chunks == null || chunks.isEmpty()) {
            return;
        }
        Set<Long> owed = ConcurrentHashMap.newKeySet();
        owed.addAll(chunks);
        try {
            if (owed.size() == 1) {
                long index = owed.iterator().next();
                cache.fsync(chunk(inode, index));
                owed.remove(index);
                return;
            }
            List<Long> order = new ArrayList<>(owed);
            AtomicInteger next = new AtomicInteger();
            List<Thread> flushers = new ArrayList<>();
            IOException[] failure = new IOException[1];
            for (int t = 0; t < Math.min(PARALLEL_FSYNCS, order.size()); t++) {
                flushers.add(Thread.ofVirtual().name("fsync-" + inode).start(() -> {
                    for (int i; (i = next.getAndIncrement()) < order.size(); ) {
                        long index = order.get(i);
                        try {
                            cache.fsync(chunk(inode, index));
                            owed.remove(index);
                        } catch (IOException e) {
                            synchronized (failure) {
                                if (failure[0] == null) {
                                    failure[0] = e;
                                } else {
                                    failure[0].addSuppressed(e);
                                }
                            }
                            return;
                        }
                    }
                }));
            }
            for (Thread flusher : flushers) {
                try {
                    flusher.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while flushing inode " + inode);
                }
            }
            if (failure[0] != null) {
                throw failure[0];
            }
        } finally {
            if (!owed.isEmpty()) {
                unsynced.computeIfAbsent(inode, k -> ConcurrentHashMap.newKeySet())
                        .addAll(owed);
            }
        }
    }

    /**
     * Makes every byte of {@code r} that lives in the bucket local and pinned (dirty chunks are never evicted),
     * for a file whose last name goes while clients hold it open: its object leaves the bucket with the name,
     * but its opens still read it until the last close. Holds the inode's lock (the caller's).
     */
    void localize(InodeRecord r, String path) throws IOException {
        long chunks = chunkCount(r.size);
        ByteBuffer buffer = ByteBuffer.allocate(chunkSize);
        for (long i = 0; i < chunks; i++) {
            if (!inBucket(r, i)) {
                continue; // written here (dirty already) or a hole
            }
            ChunkId id = chunk(r.inode, i);
            buffer.clear();
            int got = cache.read(id, 0, buffer.duplicate());
            ByteBuffer bytes = got == ChunkCache.NOT_CACHED
                    ? fetch(r, i, path)
                    : buffer.duplicate().limit(got);
            cache.write(id, 0, bytes, IfAbsent.CREATE);
        }
    }

    /** Drops every cached chunk of a file whose last name is gone. */
    void dropAll(InodeRecord r) throws IOException {
        unsynced.remove(r.inode);
        long end = Math.max(chunkCount(r.size), r.staleChunkEnd);
        for (long i = 0; i < end; i++) {
            cache.remove(chunk(r.inode, i));
        }
    }

    private static void checkRegular(InodeRecord r) throws VolumeException {
        if (r.type == FileType.DIRECTORY) {
            throw new VolumeException(VolumeError.ISDIR, "inode " + r.inode + " is a directory");
        }
        if (r.type != FileType.REGULAR) {
            throw new VolumeException(VolumeError.INVAL, "inode " + r.inode + " is not a regular file");
        }
    }
}
