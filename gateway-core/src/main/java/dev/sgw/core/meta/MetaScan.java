package dev.sgw.core.meta;

import java.util.concurrent.atomic.AtomicBoolean;

import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * A forward scan of one {@link KeyRange}, in key order, opened by {@link MetaReader#scan(KeyRange)}.
 *
 * <pre>{@code
 * try (MetaScan scan = store.scan(MetaKeys.dirEntries(vol, dir))) {
 *     while (scan.next()) {
 *         use(scan.key(), scan.value());
 *     }
 * }
 * }</pre>
 *
 * <table>
 *   <caption>States</caption>
 *   <tr><th>state</th><th>meaning</th><th>{@code key()/value()}</th></tr>
 *   <tr><td>UNSTARTED</td><td>opened, not yet positioned</td><td>IllegalStateException</td></tr>
 *   <tr><td>ON_ENTRY</td><td>the last {@link #next()} returned true</td><td>that entry</td></tr>
 *   <tr><td>EXHAUSTED</td><td>{@link #next()} returned false; it keeps doing so</td>
 *       <td>IllegalStateException</td></tr>
 *   <tr><td>CLOSED</td><td>{@link #close()} was called, by the owner or by closing the store: native resources are freed; {@link #next()} throws</td>
 *       <td>IllegalStateException</td></tr>
 * </table>
 *
 * <p>One thread at a time. Always close it: it holds native RocksDB resources and pins the files it
 * reads from.
 */
public final class MetaScan implements AutoCloseable {
    private enum State {
        UNSTARTED,
        ON_ENTRY,
        EXHAUSTED,
        CLOSED
    }

    private final MetadataStore store;
    private final KeyRange range;
    private final Slice upperBound;
    private final ReadOptions options;
    private final RocksIterator iterator;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile State state = State.UNSTARTED;
    private MetaKey key;
    private byte[] value;

    /** Takes ownership of the three native objects. */
    MetaScan(MetadataStore store, KeyRange range, Slice upperBound, ReadOptions options, RocksIterator iterator) {
        this.store = store;
        this.range = range;
        this.upperBound = upperBound;
        this.options = options;
        this.iterator = iterator;
    }

    /** Moves to the next entry of the range; false once there is none. */
    public boolean next() throws MetadataStoreException {
        return store.guarded("scan of " + range, () -> {
            switch (state) {
                case CLOSED -> throw new MetadataStoreException("scan of " + range + " is closed");
                case EXHAUSTED -> {
                    return false;
                }
                case UNSTARTED -> iterator.seek(range.start());
                case ON_ENTRY -> iterator.next();
            }
            if (iterator.isValid()) {
                key = new MetaKey(range.family(), iterator.key());
                value = iterator.value();
                state = State.ON_ENTRY;
                return true;
            }
            key = null;
            value = null;
            state = State.EXHAUSTED;
            iterator.status(); // an I/O error or corruption ends a scan as an error, not as its end
            return false;
        });
    }

    /** The key of the current entry. */
    public MetaKey key() {
        checkOnEntry();
        return key;
    }

    /** The value of the current entry (the scan's own array: the caller may keep it). */
    public byte[] value() {
        checkOnEntry();
        return value;
    }

    /** Frees the scan's native resources; later calls do nothing. */
    @Override
    public void close() {
        store.whileNotClosing(this::release);
    }

    /** Frees native resources once; the caller holds the store's gate (either side). */
    void release() {
        if (released.compareAndSet(false, true)) {
            state = State.CLOSED;
            key = null;
            value = null;
            iterator.close();
            options.close();
            upperBound.close();
            store.forget(this);
        }
    }

    private void checkOnEntry() {
        if (state != State.ON_ENTRY) {
            throw new IllegalStateException("scan is " + state + ", not on an entry");
        }
    }
}
