package dev.sgw.core.meta;

import java.util.Optional;

/**
 * Reads of the metadata store: the live store ({@link MetadataStore}) or a frozen view of it
 * ({@link MetaSnapshot}).
 */
public interface MetaReader {
    /** The value stored under {@code key} (a fresh array), or empty if there is none. */
    Optional<byte[]> get(MetaKey key) throws MetadataStoreException;

    /**
     * A scan of {@code range} in key order. The caller must close it (try-with-resources); page through
     * a large range by closing the scan and opening {@code range.resumeAfter(lastKey)} later. A scan of
     * the live store sees a consistent view as of its creation (RocksDB iterators read an implicit
     * snapshot).
     */
    MetaScan scan(KeyRange range) throws MetadataStoreException;
}
