package dev.sgw.core.volume;

/** How a share or volume keeps its data (see the modes table in the architecture). */
public enum VolumeMode {
    /** Every byte on the cache disk, never evicted; uploaded in the background. */
    SYNC,
    /** Hot data on the cache disk, clean chunks evicted; uploaded in the background. */
    CACHE,
    /** Every write in the bucket before it is acknowledged (block volumes only). */
    WRITE_THROUGH
}
