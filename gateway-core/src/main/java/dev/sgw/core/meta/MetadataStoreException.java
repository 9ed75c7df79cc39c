package dev.sgw.core.meta;

import java.io.IOException;

/**
 * The one error the metadata store throws for anything that goes wrong below its API: a RocksDB
 * failure (I/O error, corruption, lock held by another process), a store of an unknown format, or use
 * after {@link MetadataStore#close()}. RocksDB's own exception is kept as the cause and never escapes
 * on its own. The volume layer maps this to its IO error code.
 */
public class MetadataStoreException extends IOException {
    private static final long serialVersionUID = 1L;

    public MetadataStoreException(String message) {
        super(message);
    }

    public MetadataStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
