package dev.sgw.core.meta;

import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.rocksdb.ReadOptions;
import org.rocksdb.Snapshot;

/**
 * A frozen, consistent view of the whole store as of {@link MetadataStore#snapshot()}: gets and scans
 * through it ignore every later update, across all families. Use it when several reads must agree
 * (a consistency check, a listing assembled from several scans).
 *
 * <table>
 *   <caption>States</caption>
 *   <tr><th>state</th><th>meaning</th></tr>
 *   <tr><td>OPEN</td><td>gets and scans read the frozen view</td></tr>
 *   <tr><td>CLOSED</td><td>by {@link #close()} or by closing the store: gets and scans throw; scans
 *       opened before keep reading the frozen view until they are closed themselves</td></tr>
 * </table>
 *
 * <p>Thread-safe. Close it: an open snapshot keeps RocksDB from dropping the old versions it sees.
 */
public final class MetaSnapshot implements MetaReader, AutoCloseable {
    private final MetadataStore store;
    private final Snapshot snapshot;
    private final ReadOptions readOptions;
    // taken inside the store's gate, never the other way round
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean released; // guarded by lock

    /** Takes ownership of {@code readOptions}, which reads at {@code snapshot}. */
    MetaSnapshot(MetadataStore store, Snapshot snapshot, ReadOptions readOptions) {
        this.store = store;
        this.snapshot = snapshot;
        this.readOptions = readOptions;
    }

    @Override
    public Optional<byte[]> get(MetaKey key) throws MetadataStoreException {
        return store.guarded("snapshot get of " + key, () -> {
            lock.readLock().lock();
            try {
                checkOpen();
                return store.readUnguarded(key, readOptions);
            } finally {
                lock.readLock().unlock();
            }
        });
    }

    @Override
    public MetaScan scan(KeyRange range) throws MetadataStoreException {
        return store.guarded("snapshot scan of " + range, () -> {
            lock.readLock().lock();
            try {
                checkOpen();
                return store.openScanUnguarded(range, snapshot);
            } finally {
                lock.readLock().unlock();
            }
        });
    }

    @Override
    public void close() {
        store.whileNotClosing(this::release);
    }

    /** Frees the snapshot once; the caller holds the store's gate (either side). */
    void release() {
        lock.writeLock().lock();
        try {
            if (!released) {
                released = true;
                store.releaseSnapshot(this, snapshot);
                readOptions.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void checkOpen() throws MetadataStoreException {
        if (released) {
            throw new MetadataStoreException("metadata snapshot is closed");
        }
    }
}
