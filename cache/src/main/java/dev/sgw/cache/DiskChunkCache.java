package dev.sgw.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ChunkCache} on a local disk: one file per chunk, its state in its file name (see
 * {@link ChunkFiles}), an in-memory index rebuilt by a directory scan at open, and a Caffeine
 * size-weighted policy that picks which clean chunk to evict.
 *
 * <h2>Chunk states</h2>
 * <pre>
 * state               | file        | evictable | event                          -&gt; next state
 * --------------------+-------------+-----------+-------------------------------------------------------
 * ABSENT              | none        |           | write/truncate(CREATE)         -&gt; DIRTY
 *                     |             |           | fill                           -&gt; CLEAN
 * CLEAN               | name.c      | EVICTING  | read, fill (no-op)             -&gt; CLEAN
 *                     |             | mode only | write/truncate                 -&gt; DIRTY (rename to .d, made durable
 *                     |             |           |                                   before the first dirty byte)
 *                     |             |           | evict, remove                  -&gt; ABSENT
 * DIRTY               | name.d      | never     | write/truncate, fill (no-op)   -&gt; DIRTY
 *                     |             |           | beginUpload (snapshot copied)  -&gt; UPLOADING
 *                     |             |           | remove                         -&gt; ABSENT
 * UPLOADING           | name.d      | never     | write/truncate                 -&gt; UPLOADING_REDIRTIED
 *                     |             |           | completeUpload (current)       -&gt; CLEAN (data forced, rename to .c)
 *                     |             |           | failUpload (current)           -&gt; DIRTY
 *                     |             |           | remove                         -&gt; ABSENT (the upload is now stale)
 * UPLOADING_REDIRTIED | name.d      | never     | write/truncate                 -&gt; UPLOADING_REDIRTIED
 *                     |             |           | completeUpload, failUpload     -&gt; DIRTY (to be uploaded again)
 *                     |             |           | remove                         -&gt; ABSENT
 * after a crash       | name.c      |           | open                           -&gt; CLEAN
 *                     | name.d      |           | open                           -&gt; DIRTY (whatever it was)
 *                     | .c and .d   |           | open                           -&gt; DIRTY (the .c file is deleted)
 *                     | name.tmp    |           | open                           -&gt; deleted (an unfinished fill)
 * </pre>
 *
 * <h2>Invariants</h2>
 * <ol>
 *   <li>A chunk is in the index iff its file exists under the name of its state ({@code .c} for CLEAN,
 *       {@code .d} for the three pinned states).</li>
 *   <li>A {@code .c} file's bytes were made durable before it got that name, and equal the bucket's copy
 *       (a fill, or a snapshot whose upload completed with no change since). So a crash never leaves
 *       a CLEAN chunk with untrusted bytes.</li>
 *   <li>No byte is written to a {@code .c} file: CLEAN -&gt; DIRTY renames and syncs the directory first.</li>
 *   <li>Only CLEAN chunks are ever evicted, by a thread that holds the chunk's lock and re-checks the
 *       state. In EVICTING mode the Caffeine policy holds exactly the CLEAN chunks (a chunk Caffeine
 *       drops by itself is queued and evicted by the same checked path); in RETAINING mode it holds none
 *       and nothing is evicted.</li>
 *   <li>{@code version} rises with every write and truncate; an UPLOADING chunk still has the version of
 *       its snapshot. An upload's snapshot is only honoured while its {@code uploadSeq} is the chunk's.</li>
 *   <li>Space used = sum of chunk lengths + reservations &lt;= capacity (above it only right after opening
 *       a directory with more data than a reduced capacity).</li>
 * </ol>
 *
 * <h2>Locking</h2>
 * A chunk's index entry and file are guarded by one of {@value #STRIPE_COUNT} striped read-write locks:
 * reads and fsync take the read lock, everything else the write lock, so operations on one chunk are
 * atomic and there is no global lock across disk I/O. Nobody waits for space while holding a stripe
 * (a waiting writer lets go of its chunk so uploads can proceed), and eviction only {@code tryLock}s
 * other stripes, so no two stripes are ever waited for together. The space account's lock and
 * Caffeine's internal locks are leaves: nothing is acquired while holding them, and Caffeine's eviction
 * listener only enqueues.
 */
public final class DiskChunkCache implements ChunkCache {

    private static final int STRIPE_BITS = 10;
    static final int STRIPE_COUNT = 1 << STRIPE_BITS;
    /** Most clean chunks considered in one eviction pass. */
    private static final int MAX_VICTIMS = 64;

    private static final Logger LOG = LoggerFactory.getLogger(DiskChunkCache.class);

    /** One cached chunk. Fields change only under the chunk's stripe write lock. */
    private static final class Entry {
        final ChunkId id;
        volatile ChunkState state = ChunkState.ABSENT;
        volatile int length;
        /** Changes not yet forced to disk. */
        volatile boolean unsynced;

        long version;
        long uploadSeq;

        Entry(ChunkId id) {
            this.id = id;
        }
    }

    /** The file side of a write or truncate: on a new chunk file, or on the existing dirty one. */
    @FunctionalInterface
    private interface Change {
        void apply(ChunkId id, boolean create) throws IOException;
    }

    private final CacheConfig config;
    private final ChunkFiles files;
    private final SpaceAccount space;
    private final DirtyChunkListener listener;
    private final ConcurrentHashMap<ChunkId, Entry> index = new ConcurrentHashMap<>();
    private final ReentrantReadWriteLock[] stripes = new ReentrantReadWriteLock[STRIPE_COUNT];
    /** Clean chunks in eviction order (EVICTING mode), or {@code null} (RETAINING mode). */
    private final Cache<ChunkId, Entry> cleanPolicy;

    private final Queue<Entry> droppedByPolicy = new ConcurrentLinkedQueue<>();
    /** Namespaces whose clean chunks are never evicted (see {@link #retain}). */
    private final Set<String> retainedSpaces = ConcurrentHashMap.newKeySet();

    private final AtomicLong uploadSeq = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder evictedBytes = new LongAdder();
    private final LongAdder dirtyBytes = new LongAdder();
    private final LongAdder dirtyChunks = new LongAdder();
    private final LongAdder uploadingChunks = new LongAdder();
    private final LongAdder cleanBytes = new LongAdder();
    private final LongAdder cleanChunks = new LongAdder();

    private DiskChunkCache(CacheConfig config, ChunkFiles files, DirtyChunkListener listener) {
        this.config = config;
        this.files = files;
        this.listener = listener;
        this.space = new SpaceAccount(config.capacityBytes());
        for (int i = 0; i < STRIPE_COUNT; i++) {
            stripes[i] = new ReentrantReadWriteLock();
        }
        if (config.mode() == CacheMode.EVICTING) {
            cleanPolicy = Caffeine.newBuilder()
                    .maximumWeight(config.capacityBytes())
                    .weigher((ChunkId id, Entry e) -> e.length)
                    .executor(Runnable::run)
                    .evictionListener((ChunkId id, Entry e, RemovalCause cause) -> {
                        if (e != null) {
                            droppedByPolicy.add(e);
                        }
                    })
                    .build();
            space.setEvictor(this::evict);
        } else {
            cleanPolicy = null;
        }
    }

    /** Opens the cache in {@code config.directory()}, finding every chunk a previous process left. */
    public static DiskChunkCache open(CacheConfig config, DirtyChunkListener listener) throws IOException {
        Objects.requireNonNull(listener, "listener");
        ChunkFiles files = ChunkFiles.open(config.directory(), config.chunkSize());
        try {
            DiskChunkCache cache = new DiskChunkCache(config, files, listener);
            cache.load(files.scan());
            return cache;
        } catch (IOException | RuntimeException e) {
            files.close();
            throw e;
        }
    }

    private void load(List<ChunkFiles.FoundChunk> found) throws IOException {
        long dirty = 0;
        for (ChunkFiles.FoundChunk f : found) {
            boolean isDirty = f.dirty();
            if (f.length() > config.chunkSize()) {
                LOG.warn(
                        "chunk {} is {} bytes, more than the chunk size {}; keeping it as dirty",
                        f.id(),
                        f.length(),
                        config.chunkSize());
                if (!isDirty) {
                    files.rename(f.id(), true);
                    isDirty = true;
                }
            }
            Entry e = new Entry(f.id());
            e.version = 1;
            transition(e, isDirty ? ChunkState.DIRTY : ChunkState.CLEAN, (int) Math.min(f.length(), Integer.MAX_VALUE));
            index.put(e.id, e);
            space.addExisting(e.length);
            if (!isDirty) {
                offerToPolicy(e);
            }
            dirty += isDirty ? 1 : 0;
        }
        files.syncAllNames();
        LOG.info(
                "chunk cache {} opened: {} chunks ({} dirty), {} of {} bytes used",
                config.directory(),
                found.size(),
                dirty,
                space.used(),
                config.capacityBytes());
    }

    @Override
    public int chunkSize() {
        return config.chunkSize();
    }

    // the lookup is the point: it records the access for the clean chunks' eviction policy
    @SuppressWarnings("CheckReturnValue")
    @Override
    public int read(ChunkId id, int offset, ByteBuffer dst) throws IOException {
        checkOpen();
        if (offset < 0 || offset > config.chunkSize()) {
            throw new IllegalArgumentException("offset " + offset + " outside chunk of " + config.chunkSize());
        }
        Lock lock = stripe(id).readLock();
        lock.lock();
        try {
            Entry e = index.get(id);
            if (e == null) {
                misses.increment();
                return NOT_CACHED;
            }
            hits.increment();
            if (cleanPolicy != null && e.state == ChunkState.CLEAN) {
                cleanPolicy.getIfPresent(id);
            }
            int n = Math.min(dst.remaining(), Math.max(0, e.length - offset));
            if (n > 0) {
                files.read(id, e.state.isDirty(), offset, dst.slice(dst.position(), n));
                dst.position(dst.position() + n);
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int length(ChunkId id) {
        Lock lock = stripe(id).readLock();
        lock.lock();
        try {
            Entry e = index.get(id);
            return e == null ? NOT_CACHED : e.length;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ChunkState state(ChunkId id) {
        Entry e = index.get(id);
        return e == null ? ChunkState.ABSENT : e.state;
    }

    @Override
    public boolean write(ChunkId id, int offset, ByteBuffer src, IfAbsent ifAbsent) throws IOException {
        checkOpen();
        int n = src.remaining();
        checkRange(offset, n);
        int end = offset + n;
        return change(id, ifAbsent, old -> Math.max(old, end), (chunk, create) -> {
            if (create) {
                files.create(chunk, offset, src);
            } else {
                files.write(chunk, true, offset, src);
            }
        });
    }

    @Override
    public boolean truncate(ChunkId id, int length, IfAbsent ifAbsent) throws IOException {
        checkOpen();
        checkRange(length, 0);
        return change(id, ifAbsent, old -> length, (chunk, create) -> {
            if (create) {
                files.create(chunk, length, ByteBuffer.allocate(0));
            } else {
                files.setLength(chunk, true, length);
            }
        });
    }

    /**
     * A write or truncate: reserves the growth (waiting without the chunk's lock if it must), then makes
     * the chunk dirty and applies the change under the lock.
     */
    private boolean change(ChunkId id, IfAbsent ifAbsent, IntUnaryOperator newLength, Change change)
            throws IOException {
        long reserved = 0;
        boolean announce = false;
        try {
            while (true) {
                long shortfall;
                Lock lock = stripe(id).writeLock();
                lock.lock();
                try {
                    Entry e = index.get(id);
                    if (e == null && ifAbsent == IfAbsent.REFUSE) {
                        return false;
                    }
                    int oldLength = e == null ? 0 : e.length;
                    int length = newLength.applyAsInt(oldLength);
                    long growth = Math.max(0, length - oldLength);
                    shortfall = growth - reserved;
                    if (shortfall <= 0 || space.tryReserve(shortfall, false)) {
                        reserved = Math.max(reserved, growth);
                        announce = changeLocked(id, e, length, change);
                        reserved -= growth;
                        space.release(oldLength - length);
                        return true;
                    }
                } finally {
                    lock.unlock();
                }
                space.reserve(shortfall, config.spaceWaitTimeout());
                reserved += shortfall;
            }
        } finally {
            space.release(reserved);
            if (announce) {
                listener.chunkDirty(id);
            }
        }
    }

    /** Under the stripe write lock: the state transition of a write or truncate. Returns whether to announce. */
    private boolean changeLocked(ChunkId id, Entry e, int length, Change change) throws IOException {
        if (e == null) {
            change.apply(id, true);
            Entry created = new Entry(id);
            created.version = 1;
            created.unsynced = true;
            transition(created, ChunkState.DIRTY, length);
            index.put(id, created);
            return true;
        }
        boolean announce = false;
        switch (e.state) {
            case CLEAN -> {
                markDirty(e);
                announce = true;
            }
            case UPLOADING -> transition(e, ChunkState.UPLOADING_REDIRTIED, e.length);
            case DIRTY, UPLOADING_REDIRTIED -> {}
            case ABSENT -> throw new IllegalStateException("absent chunk in the index: " + id);
        }
        e.version++;
        e.unsynced = true;
        change.apply(id, false);
        transition(e, e.state, length);
        return announce;
    }

    /** CLEAN -&gt; DIRTY: out of the policy, renamed to its dirty name, and that made durable. */
    private void markDirty(Entry e) throws IOException {
        if (cleanPolicy != null) {
            cleanPolicy.asMap().remove(e.id, e);
        }
        try {
            files.rename(e.id, true);
        } catch (IOException failed) {
            offerToPolicy(e);
            throw failed;
        }
        transition(e, ChunkState.DIRTY, e.length);
        files.syncName(e.id);
    }

    @Override
    public boolean fill(ChunkId id, ByteBuffer data) throws IOException {
        checkOpen();
        int n = data.remaining();
        checkRange(0, n);
        Lock lock = stripe(id).writeLock();
        lock.lock();
        try {
            if (index.containsKey(id) || !space.tryReserve(n, true)) {
                return false;
            }
            boolean stored = false;
            try {
                files.createClean(id, data);
                Entry e = new Entry(id);
                transition(e, ChunkState.CLEAN, n);
                index.put(id, e);
                offerToPolicy(e);
                stored = true;
            } finally {
                if (!stored) {
                    space.release(n);
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean remove(ChunkId id) throws IOException {
        checkOpen();
        int freed;
        Lock lock = stripe(id).writeLock();
        lock.lock();
        try {
            Entry e = index.get(id);
            if (e == null) {
                return false;
            }
            files.delete(id, e.state.isDirty());
            freed = detach(e);
        } finally {
            lock.unlock();
        }
        space.release(freed);
        return true;
    }

    /** Under the stripe write lock, once the chunk's file is gone: forgets the chunk. Returns its length. */
    private int detach(Entry e) {
        if (cleanPolicy != null) {
            cleanPolicy.asMap().remove(e.id, e);
        }
        index.remove(e.id, e);
        int length = e.length;
        transition(e, ChunkState.ABSENT, 0);
        return length;
    }

    /** The space account's evictor: evicts clean chunks, coldest first, skipping busy ones. */
    private long evict(long wanted) {
        long freed = 0;
        for (int n = droppedByPolicy.size(); n > 0 && freed < wanted; n--) {
            Entry e = droppedByPolicy.poll();
            if (e == null) {
                break;
            }
            long f = tryEvict(e, true);
            if (f < 0) {
                droppedByPolicy.add(e);
            } else {
                freed += f;
            }
        }
        if (freed >= wanted) {
            return freed;
        }
        long stillWanted = wanted - freed;
        List<Entry> victims = cleanPolicy
                .policy()
                .eviction()
                .orElseThrow()
                .coldest(coldestFirst -> pickVictims(coldestFirst, stillWanted));
        for (Entry e : victims) {
            if (freed >= wanted) {
                break;
            }
            freed += Math.max(0, tryEvict(e, false));
        }
        return freed;
    }

    /** Candidates worth twice the bytes wanted (some may be busy), at most {@link #MAX_VICTIMS}. */
    private static List<Entry> pickVictims(Stream<Policy.CacheEntry<ChunkId, Entry>> coldestFirst, long wanted) {
        List<Entry> victims = new ArrayList<>();
        long weight = 0;
        Iterator<Policy.CacheEntry<ChunkId, Entry>> it = coldestFirst.iterator();
        while (it.hasNext() && victims.size() < MAX_VICTIMS && weight < 2 * wanted) {
            Policy.CacheEntry<ChunkId, Entry> c = it.next();
            victims.add(c.getValue());
            weight += c.weight();
        }
        return victims;
    }

    /**
     * Evicts one chunk if it is still CLEAN and nobody holds its stripe.
     *
     * @return bytes freed, or -1 if its stripe is busy
     */
    private long tryEvict(Entry e, boolean droppedByCaffeine) {
        ReentrantReadWriteLock stripe = stripe(e.id);
        if (stripe.isWriteLockedByCurrentThread()
                || stripe.getReadHoldCount() > 0
                || !stripe.writeLock().tryLock()) {
            return -1;
        }
        int freed;
        try {
            if (index.get(e.id) != e
                    || e.state != ChunkState.CLEAN
                    || (droppedByCaffeine && cleanPolicy.asMap().containsKey(e.id))) {
                return 0;
            }
            files.delete(e.id, false);
            freed = detach(e);
        } catch (IOException failed) {
            LOG.warn("could not evict chunk {}", e.id, failed);
            return 0;
        } finally {
            stripe.writeLock().unlock();
        }
        evictions.increment();
        evictedBytes.add(freed);
        space.release(freed);
        return freed;
    }

    @Override
    public void fsync(ChunkId id) throws IOException {
        checkOpen();
        forceData(id);
        files.syncName(id);
    }

    @Override
    public void sync() throws IOException {
        checkOpen();
        syncAll();
    }

    private void syncAll() throws IOException {
        for (Entry e : index.values()) {
            if (e.unsynced) {
                forceData(e.id);
            }
        }
        files.syncAllNames();
    }

    private void forceData(ChunkId id) throws IOException {
        Lock lock = stripe(id).readLock();
        lock.lock();
        try {
            Entry e = index.get(id);
            if (e != null && e.unsynced) {
                files.force(id, e.state.isDirty());
                e.unsynced = false;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<UploadSnapshot> beginUpload(ChunkId id) throws IOException {
        checkOpen();
        Lock lock = stripe(id).writeLock();
        lock.lock();
        try {
            Entry e = index.get(id);
            if (e == null || e.state != ChunkState.DIRTY) {
                return Optional.empty();
            }
            byte[] bytes = new byte[e.length];
            files.read(id, true, 0, ByteBuffer.wrap(bytes));
            e.uploadSeq = uploadSeq.incrementAndGet();
            transition(e, ChunkState.UPLOADING, e.length);
            return Optional.of(new UploadSnapshot(id, e.version, e.uploadSeq, bytes));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean completeUpload(UploadSnapshot snapshot) throws IOException {
        checkOpen();
        ChunkId id = snapshot.id();
        boolean clean = false;
        boolean announce = false;
        Lock lock = stripe(id).writeLock();
        lock.lock();
        try {
            Entry e = currentUpload(snapshot);
            if (e == null) {
                return false;
            }
            if (e.state == ChunkState.UPLOADING && e.version == snapshot.version()) {
                markClean(e);
                clean = true;
            } else {
                transition(e, ChunkState.DIRTY, e.length);
                announce = true;
            }
            return clean;
        } catch (IOException failed) {
            announce = true;
            throw failed;
        } finally {
            lock.unlock();
            if (clean) {
                space.evictableAdded();
            }
            if (announce) {
                listener.chunkDirty(id);
            }
        }
    }

    /** UPLOADING -&gt; CLEAN: bytes forced, then renamed to the clean name (invariant 2). DIRTY on failure. */
    private void markClean(Entry e) throws IOException {
        try {
            if (e.unsynced) {
                files.force(e.id, true);
                e.unsynced = false;
            }
            files.rename(e.id, false);
        } catch (IOException failed) {
            transition(e, ChunkState.DIRTY, e.length);
            throw failed;
        }
        transition(e, ChunkState.CLEAN, e.length);
        offerToPolicy(e);
    }

    /** A chunk that just became CLEAN joins the eviction order, unless nothing may be evicted from its namespace. */
    private void offerToPolicy(Entry e) {
        if (cleanPolicy != null && !retainedSpaces.contains(e.id.space())) {
            cleanPolicy.put(e.id, e);
        }
    }

    @Override
    public void retain(String space) {
        checkOpen();
        if (retainedSpaces.add(space) && cleanPolicy != null) {
            cleanPolicy.asMap().values().removeIf(e -> e.id.space().equals(space));
        }
    }

    @Override
    public void failUpload(UploadSnapshot snapshot) {
        checkOpen();
        Lock lock = stripe(snapshot.id()).writeLock();
        lock.lock();
        try {
            Entry e = currentUpload(snapshot);
            if (e == null) {
                return;
            }
            transition(e, ChunkState.DIRTY, e.length);
        } finally {
            lock.unlock();
        }
        listener.chunkDirty(snapshot.id());
    }

    /** The chunk's entry if {@code snapshot} is its upload in flight, else {@code null}. */
    private Entry currentUpload(UploadSnapshot snapshot) {
        Entry e = index.get(snapshot.id());
        if (e == null || e.uploadSeq != snapshot.uploadSeq()) {
            return null;
        }
        return e.state == ChunkState.UPLOADING || e.state == ChunkState.UPLOADING_REDIRTIED ? e : null;
    }

    @Override
    public List<ChunkId> dirtyChunks() {
        List<ChunkId> dirty = new ArrayList<>();
        for (Entry e : index.values()) {
            if (e.state.isDirty()) {
                dirty.add(e.id);
            }
        }
        return dirty;
    }

    @Override
    public boolean awaitSpace(long bytes, Duration timeout) throws IOException {
        checkOpen();
        return space.awaitFit(bytes, timeout);
    }

    @Override
    public CacheStats stats() {
        return new CacheStats(
                space.capacity(),
                space.used(),
                dirtyBytes.sum(),
                cleanBytes.sum(),
                dirtyChunks.sum(),
                uploadingChunks.sum(),
                cleanChunks.sum(),
                hits.sum(),
                misses.sum(),
                evictions.sum(),
                evictedBytes.sum(),
                space.waits(),
                space.timeouts());
    }

    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            syncAll();
        } finally {
            files.close();
        }
    }

    /** Moves an entry to a state and length, keeping the byte and chunk counters in step. */
    private void transition(Entry e, ChunkState to, int length) {
        count(e.state, e.length, -1);
        e.state = to;
        e.length = length;
        count(to, length, 1);
    }

    private void count(ChunkState state, int length, int sign) {
        switch (state) {
            case ABSENT -> {}
            case CLEAN -> {
                cleanChunks.add(sign);
                cleanBytes.add((long) sign * length);
            }
            case DIRTY, UPLOADING, UPLOADING_REDIRTIED -> {
                dirtyChunks.add(sign);
                dirtyBytes.add((long) sign * length);
                if (state != ChunkState.DIRTY) {
                    uploadingChunks.add(sign);
                }
            }
        }
    }

    private ReentrantReadWriteLock stripe(ChunkId id) {
        return stripes[(id.hashCode() * 0x9E3779B9) >>> (32 - STRIPE_BITS)];
    }

    private void checkRange(int offset, int length) {
        if (offset < 0 || length < 0 || (long) offset + length > config.chunkSize()) {
            throw new IllegalArgumentException(
                    "range [" + offset + ", +" + length + ") outside chunk of " + config.chunkSize() + " bytes");
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("chunk cache " + config.directory() + " is closed");
        }
    }

    @Override
    public String toString() {
        return "DiskChunkCache[" + config.directory() + ", " + config.mode() + "]";
    }
}
