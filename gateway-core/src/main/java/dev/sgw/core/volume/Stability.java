package dev.sgw.core.volume;

/**
 * How durable a write is when it returns (NFSv3 stable_how). The volume may make a write more stable
 * than asked, never less.
 */
public enum Stability {
    /**
     * In the gateway's memory or the page cache of its cache disk: it survives the death of the gateway
     * process, not a power loss, until {@link FileVolume#commit} returns.
     */
    UNSTABLE,
    /** The data (not necessarily the attributes) is on the cache disk and survives a power loss. */
    DATA_SYNC,
    /** Data and attributes are on the cache disk and survive a power loss. */
    FILE_SYNC
}
