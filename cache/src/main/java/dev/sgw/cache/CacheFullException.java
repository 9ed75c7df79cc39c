package dev.sgw.cache;

import java.io.IOException;
import java.time.Duration;

/**
 * No space could be found in the cache within the configured wait: every cached byte is dirty (or the
 * cache is {@link CacheMode#RETAINING}) and uploads did not free enough in time. Nothing already written
 * was dropped; the operation that throws this changed nothing. Callers report it as "no space".
 */
public final class CacheFullException extends IOException {

    private static final long serialVersionUID = 1L;

    private final long bytesWanted;

    public CacheFullException(long bytesWanted, long capacityBytes, Duration waited) {
        super("cache full: no room for " + bytesWanted + " more bytes (capacity " + capacityBytes
                + " bytes, all pinned) after waiting " + waited.toMillis() + " ms for uploads to free space");
        this.bytesWanted = bytesWanted;
    }

    /** How many bytes the failed operation needed. */
    public long bytesWanted() {
        return bytesWanted;
    }
}
