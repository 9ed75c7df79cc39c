package dev.sgw.core.sync;

/**
 * Where a share's reverse sync is; {@link ReverseSync} documents the transitions.
 */
public enum ScanState {
    /** No scan is running; the last one (if any) completed. */
    IDLE,
    /** A scan is running. */
    SCANNING,
    /** The last scan stopped on an error; its checkpoint is kept and the next scan resumes from it. */
    FAILED
}
