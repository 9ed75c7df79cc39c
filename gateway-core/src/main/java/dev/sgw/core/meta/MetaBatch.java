package dev.sgw.core.meta;

import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The writes of one atomic update, handed to a {@link MetaUpdate} by
 * {@link MetadataStore#update(MetaUpdate, Durability)}: after a crash either all of them are in the
 * store or none is. Writes apply in the order given (a put after a range delete of the same key
 * survives). Reads inside an update see the store as it was before it, not the batch.
 *
 * <p>Valid only inside the {@code fill} call it is given to; not thread-safe.
 */
public final class MetaBatch {
    private final MetadataStore store;
    private final WriteBatch writes;
    private boolean sealed;
    private int count;

    MetaBatch(MetadataStore store, WriteBatch writes) {
        this.store = store;
        this.writes = writes;
    }

    /** Stores {@code value} under {@code key}, replacing any value. The value is copied. */
    public MetaBatch put(MetaKey key, byte[] value) throws MetadataStoreException {
        checkOpen();
        try {
            writes.put(store.handle(key.family()), key.bytes(), value);
        } catch (RocksDBException e) {
            throw store.failure("batch put of " + key, e);
        }
        count++;
        return this;
    }

    /** Removes {@code key} (nothing happens if it is absent). */
    public MetaBatch delete(MetaKey key) throws MetadataStoreException {
        checkOpen();
        try {
            writes.delete(store.handle(key.family()), key.bytes());
        } catch (RocksDBException e) {
            throw store.failure("batch delete of " + key, e);
        }
        count++;
        return this;
    }

    /** Removes every key in {@code range} with one range tombstone (cheap however many keys). */
    public MetaBatch deleteRange(KeyRange range) throws MetadataStoreException {
        checkOpen();
        if (range.isEmpty()) {
            return this;
        }
        try {
            writes.deleteRange(store.handle(range.family()), range.start(), range.end());
        } catch (RocksDBException e) {
            throw store.failure("batch range delete of " + range, e);
        }
        count++;
        return this;
    }

    /** How many writes the batch holds. */
    public int size() {
        return count;
    }

    void seal() {
        sealed = true;
    }

    private void checkOpen() {
        if (sealed) {
            throw new IllegalStateException("a metadata batch is usable only inside its update");
        }
    }
}
