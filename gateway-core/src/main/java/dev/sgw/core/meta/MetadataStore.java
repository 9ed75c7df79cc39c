package dev.sgw.core.meta;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;

/**
 * All of a gateway's metadata, in one RocksDB database in one directory: the namespaces of file
 * shares, the write-back journal, sync checkpoints and counters of every volume. Keys come from {@link MetaKeys}; values are opaque bytes owned by the volume layer.
 *
 * <h2>Durability promise</h2>
 * <ul>
 *   <li>An {@link #update} is atomic: after any crash (process kill, power loss) either all of its
 *       writes are in the store or none is, across all column families.</li>
 *   <li>When an update with {@link Durability#DURABLE} returns, it survives a power loss: its
 *       write-ahead log record was fsynced. {@link Durability#BUFFERED} updates survive a process kill
 *       but may be lost on a power loss; {@link #sync()} makes all of them durable.</li>
 *   <li>Recovery is point-in-time: the store reopens with a prefix of the updates in the order they
 *       were applied (a torn log tail is dropped), never with a later update but not an earlier one.
 *       </li>
 *   <li>Ids from an {@link IdAllocator} are never handed out twice, crash or not.</li>
 *   <li>{@link #close()} syncs the log and frees every native resource; a clean close loses nothing.
 *       </li>
 * </ul>
 *
 * <h2>Concurrency</h2>
 * Thread-safe. Reads and updates run concurrently (RocksDB groups concurrent synced writes into one
 * fsync). Updates are atomic but not transactions: reads inside an update see the store, not the
 * batch, and nothing stops two updates that read-modify-write the same key from racing; callers
 * serialize those (for example per directory).
 *
 * <table>
 *   <caption>States</caption>
 *   <tr><th>state</th><th>meaning</th></tr>
 *   <tr><td>OPEN</td><td>after {@link #open}: every operation works</td></tr>
 *   <tr><td>CLOSED</td><td>after {@link #close()}, which waits for running operations, then closes
 *       open scans and snapshots, retires id allocators and frees RocksDB: every operation throws
 *       {@link MetadataStoreException} saying the store is closed</td></tr>
 * </table>
 */
public final class MetadataStore implements MetaReader, AutoCloseable {

    /**
     * Memory and allocation settings. RocksDB's own defaults size for a server with gigabytes to
     * spare; a gateway shares a small machine with its chunk cache.
     *
     * @param cacheBytes    the block cache shared by all families; memtables are charged to it
     * @param memtableBytes the budget of all memtables together (at most {@code cacheBytes})
     * @param idBlockSize   how many ids an {@link IdAllocator} reserves per durable write
     */
    public record Tuning(long cacheBytes, long memtableBytes, int idBlockSize) {
        public Tuning {
            if (cacheBytes < (1 << 20) || memtableBytes < (1 << 20) || memtableBytes > cacheBytes) {
                throw new IllegalArgumentException("need 1 MiB <= memtableBytes <= cacheBytes: " + this);
            }
            if (idBlockSize < 1) {
                throw new IllegalArgumentException("idBlockSize must be positive: " + idBlockSize);
            }
        }

        /** 32 MiB of cache including 16 MiB of memtables; ids reserved 1024 at a time. */
        public static Tuning defaults() {
            return new Tuning(32L << 20, 16L << 20, 1024);
        }

        public Tuning withIdBlockSize(int size) {
            return new Tuning(cacheBytes, memtableBytes, size);
        }
    }

    private enum State {
        OPEN,
        CLOSED
    }

    /** A RocksDB call made while the store is known to be open. */
    @FunctionalInterface
    interface RocksCall<T> {
        T call() throws RocksDBException, MetadataStoreException;
    }

    private final Path directory;
    private final Tuning tuning;
    private final RocksSettings settings;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles; // [default, then MetaFamily order]
    private final ReadOptions plainRead;
    // readers: every operation touching native objects; writer: close()
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private State state = State.OPEN; // guarded by gate
    private final Set<MetaScan> openScans = ConcurrentHashMap.newKeySet();
    private final Set<MetaSnapshot> openSnapshots = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<MetaKey, IdAllocator> allocators = new ConcurrentHashMap<>();

    private MetadataStore(
            Path directory, Tuning tuning, RocksSettings settings, RocksDB db, List<ColumnFamilyHandle> handles) {
        this.directory = directory;
        this.tuning = tuning;
        this.settings = settings;
        this.db = db;
        this.handles = List.copyOf(handles);
        this.plainRead = new ReadOptions();
    }

    /** Opens the store in {@code directory} with {@link Tuning#defaults()}, creating it if needed. */
    public static MetadataStore open(Path directory) throws MetadataStoreException {
        return open(directory, Tuning.defaults());
    }

    /**
     * Opens the store in {@code directory}, creating the directory, the database and its column
     * families if needed, and replaying the write-ahead log after a crash.
     *
     * @throws MetadataStoreException if the directory cannot be created, RocksDB cannot open it (held
     *                                by another process, corrupt), or it holds a store of another
     *                                format version
     */
    public static MetadataStore open(Path directory, Tuning tuning) throws MetadataStoreException {
        Path dir = directory.toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new MetadataStoreException("cannot create metadata store directory " + dir, e);
        }
        RocksDB.loadLibrary();
        RocksSettings settings = new RocksSettings(tuning);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, settings.family));
        for (MetaFamily family : MetaFamily.values()) {
            descriptors.add(new ColumnFamilyDescriptor(family.rocksNameBytes(), settings.family));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db;
        try {
            db = RocksDB.open(settings.db, dir.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            handles.forEach(ColumnFamilyHandle::close);
            settings.close();
            throw failure(dir, "open (is another process using it?)", e);
        }
        MetadataStore store = new MetadataStore(dir, tuning, settings, db, handles);
        try {
            store.checkFormat();
        } catch (MetadataStoreException | RuntimeException e) {
            store.closeQuietly();
            throw e;
        }
        return store;
    }

    /** The directory holding the database. */
    public Path directory() {
        return directory;
    }

    @Override
    public Optional<byte[]> get(MetaKey key) throws MetadataStoreException {
        return guarded("get of " + key, () -> readUnguarded(key, plainRead));
    }

    @Override
    public MetaScan scan(KeyRange range) throws MetadataStoreException {
        return guarded("scan of " + range, () -> openScanUnguarded(range, null));
    }

    /** A consistent view of the whole store as of now; close it when done. */
    public MetaSnapshot snapshot() throws MetadataStoreException {
        return guarded("snapshot", () -> {
            Snapshot snapshot = db.getSnapshot();
            MetaSnapshot view = new MetaSnapshot(this, snapshot, new ReadOptions().setSnapshot(snapshot));
            openSnapshots.add(view);
            return view;
        });
    }

    /**
     * Applies the writes that {@code fill} puts in a batch, atomically, and returns once they are as
     * durable as {@code durability} says. Nothing is written if {@code fill} throws or adds nothing.
     * {@code fill} runs on the calling thread and may read the store; keep it short, as
     * {@link #close()} waits for it.
     */
    public <X extends Exception> void update(MetaUpdate<X> fill, Durability durability)
            throws X, MetadataStoreException {
        Objects.requireNonNull(fill, "fill");
        Objects.requireNonNull(durability, "durability");
        gate.readLock().lock();
        try {
            checkOpen();
            try (WriteBatch writes = new WriteBatch()) {
                MetaBatch batch = new MetaBatch(this, writes);
                try {
                    fill.fill(batch);
                } finally {
                    batch.seal();
                }
                if (batch.size() > 0) {
                    db.write(settings.write(durability), writes);
                }
            } catch (RocksDBException e) {
                throw failure("update", e);
            }
        } finally {
            gate.readLock().unlock();
        }
    }

    /**
     * Deletes everything of {@code volume} (every key of {@link MetaKeys#volumeRanges} and its
     * {@link MetaKeys#volumeRecord}) in one atomic update, with range tombstones, so the cost does not
     * grow with the volume's size. The volume's id allocators are retired first.
     */
    public void deleteVolume(int volume, Durability durability) throws MetadataStoreException {
        List<KeyRange> ranges = MetaKeys.volumeRanges(volume); // validates the id
        for (IdAllocator allocator : allocators.values()) {
            if (MetaKeys.parse(allocator.counterKey()).volume() == volume) {
                allocator.retire("volume " + volume + " was deleted");
                allocators.remove(allocator.counterKey(), allocator);
            }
        }
        update(
                batch -> {
                    for (KeyRange range : ranges) {
                        batch.deleteRange(range);
                    }
                    batch.delete(MetaKeys.volumeRecord(volume));
                },
                durability);
    }

    /**
     * The allocator of 64-bit ids (inode numbers, journal sequence numbers, ...) that keeps its
     * high-water mark in {@code MetaKeys.counter(volume, counter)}. There is one allocator per counter
     * per store: every call with the same arguments returns the same object.
     */
    public IdAllocator idAllocator(int volume, String counter) throws MetadataStoreException {
        MetaKey key = MetaKeys.counter(volume, counter);
        IdAllocator existing = allocators.get(key);
        if (existing != null) {
            return existing;
        }
        long reserved = get(key).map(value -> IdAllocator.decode(key, value)).orElse(IdAllocator.FIRST_ID);
        IdAllocator created = new IdAllocator(this, key, tuning.idBlockSize(), reserved);
        existing = allocators.putIfAbsent(key, created);
        return existing != null ? existing : created;
    }

    /** Makes every update that returned before this call durable, as if it had been DURABLE. */
    public void sync() throws MetadataStoreException {
        guarded("sync", () -> {
            db.syncWal();
            return null;
        });
    }

    /**
     * Waits for running operations, closes open scans and snapshots, syncs the log and frees RocksDB
     * and its options. Later calls do nothing.
     *
     * @throws MetadataStoreException if RocksDB reports an error while closing (resources are freed
     *                                anyway)
     * @throws IllegalStateException  if called from inside an operation of this store (an update's fill)
     */
    @Override
    public void close() throws MetadataStoreException {
        if (gate.getReadHoldCount() > 0) {
            throw new IllegalStateException("metadata store closed from inside one of its own operations");
        }
        gate.writeLock().lock();
        try {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            List.copyOf(openScans).forEach(MetaScan::release);
            List.copyOf(openSnapshots).forEach(MetaSnapshot::release);
            allocators.values().forEach(allocator -> allocator.retire("the metadata store was closed"));
            allocators.clear();
            RocksDBException error = null;
            try {
                db.syncWal();
            } catch (RocksDBException e) {
                error = e;
            }
            plainRead.close();
            handles.forEach(ColumnFamilyHandle::close);
            try {
                db.closeE();
            } catch (RocksDBException e) {
                error = error == null ? e : error;
            }
            settings.close();
            if (error != null) {
                throw failure("close", error);
            }
        } finally {
            gate.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "MetadataStore[" + directory + "]";
    }

    // ---- for the other classes of this package -------------------------------------------------

    /** Runs {@code call} while the store is open, translating RocksDB's exception. */
    <T> T guarded(String what, RocksCall<T> call) throws MetadataStoreException {
        gate.readLock().lock();
        try {
            checkOpen();
            return call.call();
        } catch (RocksDBException e) {
            throw failure(what, e);
        } finally {
            gate.readLock().unlock();
        }
    }

    /** Runs {@code release} while {@link #close()} is not running (whether or not the store is open). */
    void whileNotClosing(Runnable release) {
        gate.readLock().lock();
        try {
            release.run();
        } finally {
            gate.readLock().unlock();
        }
    }

    // handles are opened in MetaFamily's declaration order, after the default column family
    @SuppressWarnings("EnumOrdinal")
    ColumnFamilyHandle handle(MetaFamily family) {
        return handles.get(family.ordinal() + 1);
    }

    Optional<byte[]> readUnguarded(MetaKey key, ReadOptions options) throws RocksDBException {
        return Optional.ofNullable(db.get(handle(key.family()), options, key.bytes()));
    }

    /** A scan of {@code range} reading at {@code snapshot}, or at the current state if null. */
    MetaScan openScanUnguarded(KeyRange range, Snapshot snapshot) {
        Slice upperBound = new Slice(range.end());
        ReadOptions options = new ReadOptions().setIterateUpperBound(upperBound);
        if (snapshot != null) {
            options.setSnapshot(snapshot);
        }
        RocksIterator iterator = db.newIterator(handle(range.family()), options);
        MetaScan scan = new MetaScan(this, range, upperBound, options, iterator);
        openScans.add(scan);
        return scan;
    }

    void forget(MetaScan scan) {
        openScans.remove(scan);
    }

    void releaseSnapshot(MetaSnapshot view, Snapshot snapshot) {
        openSnapshots.remove(view);
        db.releaseSnapshot(snapshot);
    }

    MetadataStoreException failure(String what, RocksDBException e) {
        return failure(directory, what, e);
    }

    // ---- private -------------------------------------------------------------------------------

    private static MetadataStoreException failure(Path directory, String what, RocksDBException e) {
        String code = e.getStatus() == null ? "" : " [" + e.getStatus().getCodeString() + "]";
        return new MetadataStoreException(
                "metadata store " + directory + ": " + what + " failed: " + e.getMessage() + code, e);
    }

    private void checkOpen() throws MetadataStoreException {
        if (state != State.OPEN) {
            throw new MetadataStoreException("metadata store " + directory + " is closed");
        }
    }

    /** Stamps a new store with {@link MetaKeys#FORMAT_VERSION}; refuses a store of another format. */
    private void checkFormat() throws MetadataStoreException {
        MetaKey key = MetaKeys.formatVersion();
        Optional<byte[]> stored = get(key);
        if (stored.isEmpty()) {
            byte[] version = ByteBuffer.allocate(Integer.BYTES)
                    .putInt(MetaKeys.FORMAT_VERSION)
                    .array();
            update(batch -> batch.put(key, version), Durability.DURABLE);
            return;
        }
        byte[] value = stored.get();
        int version = value.length == Integer.BYTES ? ByteBuffer.wrap(value).getInt() : -1;
        if (version != MetaKeys.FORMAT_VERSION) {
            throw new MetadataStoreException("metadata store " + directory + " has format version "
                    + (version < 0 ? "(unreadable)" : version) + "; this build reads version "
                    + MetaKeys.FORMAT_VERSION);
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (MetadataStoreException ignored) {
            // the open already failed; that error is the one to report
        }
    }
}
