package dev.sgw.core.file.upload;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import dev.sgw.core.store.ByteRange;
import dev.sgw.core.store.MultipartPart;
import dev.sgw.core.store.ObjectBody;
import dev.sgw.core.store.ObjectInfo;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.ObjectStoreException.Code;
import dev.sgw.core.store.Precondition;
import dev.sgw.core.store.PutOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One multipart upload of one {@link FileObject}, used once. Its states:
 *
 * <pre>
 * state       what holds                                                 next
 * ----------  ---------------------------------------------------------  -----------------------------------
 * CHECKING    the key is headed: with a known ETag it must hold that      STARTED; REFUSED (other ETag, or an
 *             ETag, without one it must be absent                          object where none was expected)
 * STARTED     an upload id exists at the store; no part sent yet           SENDING; ABORTED
 * SENDING     parts go out on the executor, at most partConcurrency in     COMPLETING; ABORTED (a part failed,
 *             flight and in memory; a part whose chunks are unchanged       the content changed, interrupt)
 *             and inside the old object is copied from it server-side
 * COMPLETING  every part acknowledged, no part in flight, the content      COMPLETED; REFUSED (precondition
 *             checked still current; completeMultipart on ifMatch(known)   failed); ABORTED (other failure)
 *             or ifAbsent
 * COMPLETED   the key holds this version, whole (terminal)
 * REFUSED     nothing written at the key; the upload, if any, aborted (terminal)
 * ABORTED     nothing written at the key; the upload aborted (terminal)
 * </pre>
 *
 * <p>Invariants: the object appears only through completeMultipart, so a reader of the key sees the old
 * version or this one, never a mix. An upload id that leaves this class without a completion is aborted,
 * best effort, and only once no part is in flight (a store may otherwise revive the upload with a late
 * part); an abort that fails leaves the upload to {@link StaleUploadSweeper}. A copied part is taken from
 * the key itself, so if another writer replaced the object after the head, the copied bytes are theirs, and
 * the completion's precondition refuses the whole.
 */
final class MultipartFileUpload {

    enum State {
        CHECKING,
        STARTED,
        SENDING,
        COMPLETING,
        COMPLETED,
        REFUSED,
        ABORTED
    }

    private static final Logger LOG = LoggerFactory.getLogger(MultipartFileUpload.class);

    private final ObjectStore store;
    private final Executor executor;
    private final int concurrency;
    private final FileObject version;
    private final PartLayout layout;
    private volatile State state = State.CHECKING;
    private String uploadId;

    MultipartFileUpload(ObjectStore store, Executor executor, UploadTuning tuning, FileObject version)
            throws IOException {
        this.store = store;
        this.executor = executor;
        this.concurrency = tuning.partConcurrency();
        this.version = version;
        this.layout = PartLayout.of(version.size(), version.chunkSize(), tuning.partSize());
    }

    WriteAttempt run() throws IOException {
        String key = version.key();
        ObjectInfo current = headOrNull(store, key);
        String known = version.knownEtag();
        if (known == null ? current != null : current == null || !known.equals(current.etag())) {
            state = State.REFUSED;
            return new WriteAttempt.Refused(current == null ? null : current.etag());
        }
        long oldSize = current == null ? 0 : current.size();
        uploadId = store.startMultipart(key, new PutOptions(version.metadata(), Precondition.none()));
        state = State.STARTED;
        try {
            MultipartPart[] parts = sendParts(oldSize);
            if (parts == null) {
                abort(null);
                return new WriteAttempt.Dropped();
            }
            state = State.COMPLETING;
            if (!version.stillCurrent().unchanged()) {
                abort(null);
                return new WriteAttempt.Dropped();
            }
            Precondition condition = known == null ? Precondition.ifAbsent() : Precondition.ifMatch(known);
            try {
                var written = store.completeMultipart(key, uploadId, List.of(parts), condition);
                state = State.COMPLETED;
                return new WriteAttempt.Stored(written);
            } catch (ObjectStoreException e) {
                WriteAttempt.Refused refused = refusal(store, key, condition, e);
                abort(null);
                state = State.REFUSED;
                return refused;
            }
        } catch (IOException | RuntimeException | Error e) {
            abort(e);
            throw e;
        }
    }

    /**
     * Sends every part, at most {@code concurrency} at once; returns them in order, or {@code null} when the
     * content changed on the way. Returns only when no part is in flight.
     */
    private MultipartPart[] sendParts(long oldSize) throws IOException {
        state = State.SENDING;
        MultipartPart[] parts = new MultipartPart[layout.partCount()];
        Semaphore slots = new Semaphore(concurrency);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        boolean superseded = false;
        try {
            for (int i = 0; i < parts.length && failure.get() == null; i++) {
                if (!version.stillCurrent().unchanged()) {
                    superseded = true;
                    break;
                }
                slots.acquire();
                int index = i;
                boolean copy = version.knownEtag() != null
                        && layout.offset(i) + layout.length(i) <= oldSize
                        && version.unchanged(layout.firstChunk(i), layout.lastChunk(i));
                try {
                    executor.execute(() -> {
                        try {
                            if (failure.get() == null) {
                                parts[index] = copy ? copyPart(index) : uploadPart(index);
                            }
                        } catch (Throwable t) {
                            failure.compareAndSet(null, t);
                        } finally {
                            slots.release();
                        }
                    });
                } catch (RejectedExecutionException e) {
                    slots.release();
                    failure.compareAndSet(
                            null,
                            new IOException("the part executor refused part " + (i + 1) + " of " + version.key(), e));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, new InterruptedIOException("interrupted uploading " + version.key()));
        } finally {
            slots.acquireUninterruptibly(concurrency); // no part in flight from here on
        }
        Throwable failed = failure.get();
        if (failed instanceof IOException io) {
            throw io;
        }
        if (failed instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failed instanceof Error error) {
            throw error;
        }
        if (failed != null) {
            throw new IOException("part upload of " + version.key() + " failed", failed);
        }
        return superseded ? null : parts;
    }

    private MultipartPart uploadPart(int index) throws IOException {
        byte[] content = version.readBytes(layout.offset(index), layout.length(index));
        return store.uploadPart(version.key(), uploadId, index + 1, ObjectBody.of(content));
    }

    private MultipartPart copyPart(int index) throws ObjectStoreException {
        return store.uploadPartCopy(
                version.key(),
                uploadId,
                index + 1,
                version.key(),
                ByteRange.of(layout.offset(index), layout.length(index)));
    }

    /** Aborts the upload, best effort: a failure is logged and attached to {@code cause} if there is one. */
    private void abort(Throwable cause) {
        if (state == State.ABORTED || state == State.REFUSED || state == State.COMPLETED) {
            return;
        }
        state = State.ABORTED;
        try {
            store.abortMultipart(version.key(), uploadId);
        } catch (ObjectStoreException e) {
            LOG.warn(
                    "could not abort the multipart upload {} of {}; the stale upload sweep removes it: {}",
                    uploadId,
                    version.key(),
                    e.getMessage());
            if (cause != null) {
                cause.addSuppressed(e);
            }
        }
    }

    /**
     * The refusal a failed conditional write at {@code key} stands for, with the ETag now there; rethrows
     * {@code failure} when it is not one. A failed precondition is one, and so is {@code NOT_FOUND} on
     * {@code ifMatch} when the key is absent (S3 answers an If-Match write to an absent key with NoSuchKey).
     */
    static WriteAttempt.Refused refusal(
            ObjectStore store, String key, Precondition condition, ObjectStoreException failure)
            throws ObjectStoreException {
        boolean refused = failure.code() == Code.PRECONDITION_FAILED
                || (failure.code() == Code.NOT_FOUND && condition.kind() == Precondition.Kind.IF_MATCH);
        if (!refused) {
            throw failure;
        }
        ObjectInfo theirs = headOrNull(store, key);
        if (theirs == null && failure.code() == Code.NOT_FOUND) {
            return new WriteAttempt.Refused(null);
        }
        if (failure.code() == Code.NOT_FOUND) {
            throw failure; // the key is there: the upload itself was not found
        }
        return new WriteAttempt.Refused(theirs == null ? null : theirs.etag());
    }

    /** The object at {@code key}, or {@code null} if there is none. */
    static ObjectInfo headOrNull(ObjectStore store, String key) throws ObjectStoreException {
        try {
            return store.head(key);
        } catch (ObjectStoreException e) {
            if (e.code() == Code.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return "MultipartFileUpload[" + version.key() + ", " + state + ", " + layout.partCount() + " parts of "
                + layout.partSize() + (uploadId == null ? "" : ", upload " + uploadId) + "]";
    }
}
