package dev.sgw.core.volume;

/**
 * Where a volume's data lives and when a write is acknowledged (the "Modes" table of the architecture).
 * File shares use {@link #SYNC} and {@link #CACHE}; block volumes use all three.
 */
public enum VolumeMode {
    /**
     * Writes go to the cache disk and are uploaded in the background; the cache disk keeps a full copy
     * that is never evicted, so reads are local.
     */
    SYNC,
    /**
     * Writes go to the cache disk and are uploaded in the background; clean data is evicted when room is
     * needed and fetched again from the bucket on a miss.
     */
    CACHE,
    /** Every write is in the bucket before it is acknowledged; reads come from the bucket. No cache disk. */
    WRITE_THROUGH
}
