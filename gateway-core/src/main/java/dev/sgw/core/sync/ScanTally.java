package dev.sgw.core.sync;

/**
 * The running counts of one scan. Written by the scan's thread alone, read by any thread (the fields are
 * volatile, so a reader sees each count as of a recent moment, not the counts of one instant together).
 */
final class ScanTally {
    volatile long scanned;
    volatile long added;
    volatile long changed;
    volatile long removed;
    volatile long skipped;
    volatile long keptLocal;
    volatile long directoriesDone;

    /** The counts a checkpoint recorded, for a resumed scan. */
    static ScanTally of(ScanCheckpoint checkpoint) {
        ScanTally tally = new ScanTally();
        tally.scanned = checkpoint.scanned();
        tally.added = checkpoint.added();
        tally.changed = checkpoint.changed();
        tally.removed = checkpoint.removed();
        tally.skipped = checkpoint.skipped();
        tally.keptLocal = checkpoint.keptLocal();
        tally.directoriesDone = checkpoint.directoriesDone();
        return tally;
    }
}
