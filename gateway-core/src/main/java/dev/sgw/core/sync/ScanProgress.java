package dev.sgw.core.sync;

import java.time.Duration;
import java.time.Instant;

/**
 * A snapshot of a share's reverse sync, for the CLI, the console and the logs. The counts are those of
 * the current scan (or of the last one when none runs); a scan resumed from a checkpoint starts from the
 * counts the checkpoint recorded, so they cover the whole scan, not only the part since the restart.
 *
 * @param share              the share's name
 * @param state              {@link ScanState}
 * @param scanned            keys listed (objects and directory markers, skipped ones too)
 * @param added              files and directories created locally
 * @param changed            files pointed at a new version (another ETag or size)
 * @param removed            local entries passed to {@link dev.sgw.core.file.RemoteChanges#objectGone}
 * @param skipped            keys not mirrored: invalid names, a name that is a file on one side and a
 *                           directory on the other, and everything under such a directory
 * @param keptLocal          local entries absent from the bucket but kept: not yet uploaded (pending or
 *                           never uploaded)
 * @param directoriesDone    directories whose listing completed in this scan
 * @param directoriesRemaining directories known to be left; -1 when unknown (a flat listing never knows)
 * @param objectsPerSecond   keys listed per second of this run of the scan (since the start or the resume)
 * @param elapsed            time since this run of the scan started (or the duration of the last one)
 * @param startedAt          when the current or last scan started; {@code null} before the first
 * @param finishedAt         when the last scan ended (completed or failed); {@code null} while scanning or
 *                           before the first
 * @param resumed            whether the current or last scan resumed from a checkpoint
 * @param completedScans     scans completed since this object was created
 * @param lastError          the error that failed the last scan, {@code null} otherwise
 */
public record ScanProgress(
        String share,
        ScanState state,
        long scanned,
        long added,
        long changed,
        long removed,
        long skipped,
        long keptLocal,
        long directoriesDone,
        long directoriesRemaining,
        double objectsPerSecond,
        Duration elapsed,
        Instant startedAt,
        Instant finishedAt,
        boolean resumed,
        long completedScans,
        String lastError) {

    /** One line for a log or a terminal. */
    public String summary() {
        return String.format(
                "%s %s: %,d scanned, %,d added, %,d changed, %,d removed, %,d skipped, %,d kept local,"
                        + " %,d directories done, %.0f objects/s, %.1f s%s%s",
                share,
                state,
                scanned,
                added,
                changed,
                removed,
                skipped,
                keptLocal,
                directoriesDone,
                objectsPerSecond,
                elapsed.toMillis() / 1000.0,
                resumed ? " (resumed)" : "",
                lastError == null ? "" : ", error: " + lastError);
    }
}
