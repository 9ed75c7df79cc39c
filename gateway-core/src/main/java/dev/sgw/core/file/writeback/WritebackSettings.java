package dev.sgw.core.file.writeback;

import java.time.Duration;
import java.util.Objects;

import dev.sgw.core.file.upload.UploadTuning;

/**
 * How a {@link ShareUploader} works. The upload delay is the share's ({@code FileShareConfig.uploadDelay()}).
 *
 * @param workers          journal entries applied at once (independent files upload in parallel)
 * @param tuning           single put or multipart, part size, parts in flight per upload
 * @param maxBackoff       the longest wait between retries of a failing bucket (waits double from 200 ms)
 * @param closeWait        how long {@link ShareUploader#close()} waits for uploads in flight
 * @param progressInterval how often progress is logged while a backlog exists
 * @param staleUploadAge   multipart uploads under the share older than this are aborted at start
 * @param window           the most journal entries held in memory for scheduling
 */
public record WritebackSettings(
        int workers,
        UploadTuning tuning,
        Duration maxBackoff,
        Duration closeWait,
        Duration progressInterval,
        Duration staleUploadAge,
        int window) {

    private static final WritebackSettings DEFAULTS = new WritebackSettings(
            4,
            UploadTuning.defaults(),
            Duration.ofSeconds(30),
            Duration.ofSeconds(30),
            Duration.ofSeconds(5),
            Duration.ofDays(1),
            65_536);

    public WritebackSettings {
        Objects.requireNonNull(tuning, "tuning");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(closeWait, "closeWait");
        Objects.requireNonNull(progressInterval, "progressInterval");
        Objects.requireNonNull(staleUploadAge, "staleUploadAge");
        if (workers < 1 || workers > 256) {
            throw new IllegalArgumentException("workers must be 1..256: " + workers);
        }
        if (maxBackoff.compareTo(ShareUploader.FIRST_BACKOFF) < 0
                || closeWait.isNegative()
                || !progressInterval.isPositive()
                || !staleUploadAge.isPositive()) {
            throw new IllegalArgumentException("need maxBackoff >= " + ShareUploader.FIRST_BACKOFF
                    + ", closeWait >= 0, positive progress interval and stale upload age");
        }
        if (window < 16) {
            throw new IllegalArgumentException("window must be at least 16 entries: " + window);
        }
    }

    /** 4 workers, the writer's default tuning, backoff up to 30 s, 30 s to close, progress every 5 s. */
    public static WritebackSettings defaults() {
        return DEFAULTS;
    }

    public WritebackSettings withWorkers(int n) {
        return new WritebackSettings(n, tuning, maxBackoff, closeWait, progressInterval, staleUploadAge, window);
    }

    public WritebackSettings withTuning(UploadTuning t) {
        return new WritebackSettings(workers, t, maxBackoff, closeWait, progressInterval, staleUploadAge, window);
    }

    public WritebackSettings withMaxBackoff(Duration d) {
        return new WritebackSettings(workers, tuning, d, closeWait, progressInterval, staleUploadAge, window);
    }

    public WritebackSettings withCloseWait(Duration d) {
        return new WritebackSettings(workers, tuning, maxBackoff, d, progressInterval, staleUploadAge, window);
    }

    public WritebackSettings withProgressInterval(Duration d) {
        return new WritebackSettings(workers, tuning, maxBackoff, closeWait, d, staleUploadAge, window);
    }
}
