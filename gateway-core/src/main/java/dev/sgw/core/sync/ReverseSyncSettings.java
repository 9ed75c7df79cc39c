package dev.sgw.core.sync;

import java.time.Duration;
import java.util.Objects;

import dev.sgw.core.store.ListRequest;

/**
 * How a share's reverse sync runs.
 *
 * @param interval              time between the end of one scan and the start of the next;
 *                              {@link Duration#ZERO} turns periodic scans off (scans run on demand only)
 * @param pageSize              keys asked per listing request, 1..{@value ListRequest#MAX_KEYS}
 * @param checkpointObjects     a checkpoint is written after a listing page once this many keys were
 *                              listed since the last one ...
 * @param checkpointInterval    ... or once this much time passed since the last one
 * @param logInterval           time between progress lines in the log during a scan
 */
public record ReverseSyncSettings(
        Duration interval, int pageSize, long checkpointObjects, Duration checkpointInterval, Duration logInterval) {

    public ReverseSyncSettings {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        Objects.requireNonNull(logInterval, "logInterval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("negative scan interval " + interval);
        }
        if (pageSize < 1 || pageSize > ListRequest.MAX_KEYS) {
            throw new IllegalArgumentException("page size must be 1.." + ListRequest.MAX_KEYS + ": " + pageSize);
        }
        if (checkpointObjects < 1) {
            throw new IllegalArgumentException("checkpointObjects must be positive: " + checkpointObjects);
        }
    }

    /** Periodic scans off, full pages, a checkpoint every 10,000 keys or 5 s, a log line every 5 s. */
    public static ReverseSyncSettings defaults() {
        return new ReverseSyncSettings(
                Duration.ZERO, ListRequest.MAX_KEYS, 10_000, Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    public ReverseSyncSettings withInterval(Duration value) {
        return new ReverseSyncSettings(value, pageSize, checkpointObjects, checkpointInterval, logInterval);
    }

    public ReverseSyncSettings withPageSize(int value) {
        return new ReverseSyncSettings(interval, value, checkpointObjects, checkpointInterval, logInterval);
    }

    public ReverseSyncSettings withCheckpointEvery(long objects, Duration time) {
        return new ReverseSyncSettings(interval, pageSize, objects, time, logInterval);
    }

    public ReverseSyncSettings withLogInterval(Duration value) {
        return new ReverseSyncSettings(interval, pageSize, checkpointObjects, checkpointInterval, value);
    }
}
