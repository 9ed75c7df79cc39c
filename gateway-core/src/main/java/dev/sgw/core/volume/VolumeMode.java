package dev.sgw.core.volume;

/** How a share or volume keeps its data (see the modes table in the architecture). */
public enum VolumeMode {
    /** A full local copy, never evicted; uploaded in the background. */
    SYNC,
    /** Hot data local, clean chunks evicted; the rest fetched from the bucket on demand. */
    CACHE,
    /** Every write reaches the bucket before it is acknowledged (block volumes). */
    WRITE_THROUGH
}
