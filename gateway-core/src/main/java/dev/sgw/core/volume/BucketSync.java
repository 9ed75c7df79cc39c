package dev.sgw.core.volume;

import java.io.IOException;
import java.time.Duration;

/** A volume's write-back to its bucket, as its operators see it. */
public interface BucketSync {

    /** What is not yet in the bucket. */
    Backlog backlog();

    /** Uploads everything changed so far without waiting for the upload delay; does not wait. */
    void uploadNow();

    /**
     * Uploads everything changed so far and waits until it is in the bucket.
     *
     * @return whether the backlog reached zero (as of the call) before the timeout
     */
    boolean awaitUploaded(Duration timeout) throws IOException, InterruptedException;

    /**
     * The upload backlog.
     *
     * @param pendingItems   files (or chunks, for a block volume) waiting to be uploaded or in flight
     * @param pendingBytes   their bytes
     * @param uploadedItems  uploads completed since the volume opened
     * @param uploadedBytes  bytes uploaded since the volume opened
     * @param failedAttempts upload attempts that failed and will be retried, since the volume opened
     * @param conflicts      conflicts found (another writer changed an object), since the volume opened
     */
    record Backlog(
            long pendingItems,
            long pendingBytes,
            long uploadedItems,
            long uploadedBytes,
            long failedAttempts,
            long conflicts) {}
}
