package dev.sgw.core.file.upload;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.PendingUpload;
import dev.sgw.core.store.UploadPage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aborts multipart uploads that a crash (or a failed abort) left behind, so that their parts stop costing
 * storage. Run at startup, before new uploads begin, with an age well above the longest upload: an upload
 * younger than {@code olderThan} may belong to a writer still at work (another gateway on the bucket).
 */
public final class StaleUploadSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(StaleUploadSweeper.class);

    private final ObjectStore store;
    private final Clock clock;

    public StaleUploadSweeper(ObjectStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Aborts every multipart upload under {@code prefix} started more than {@code olderThan} ago; returns
     * how many it aborted. An abort that fails is logged and skipped (the next sweep tries again); a listing
     * that fails is thrown.
     */
    public int sweep(String prefix, Duration olderThan) throws ObjectStoreException {
        Instant cutoff = clock.instant().minus(olderThan);
        int aborted = 0;
        String token = null;
        do {
            UploadPage page = store.listMultipartUploads(prefix, token);
            for (PendingUpload upload : page.uploads()) {
                if (upload.initiated() == null || !upload.initiated().isBefore(cutoff)) {
                    continue;
                }
                try {
                    store.abortMultipart(upload.key(), upload.uploadId());
                    aborted++;
                    LOG.info(
                            "aborted the stale multipart upload {} of {} started {}",
                            upload.uploadId(),
                            upload.key(),
                            upload.initiated());
                } catch (ObjectStoreException e) {
                    LOG.warn(
                            "could not abort the stale multipart upload {} of {}: {}",
                            upload.uploadId(),
                            upload.key(),
                            e.getMessage());
                }
            }
            token = page.nextToken();
        } while (token != null);
        return aborted;
    }
}
