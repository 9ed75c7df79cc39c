package dev.sgw.core.file.writeback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import dev.sgw.core.file.FileUpload;
import dev.sgw.core.file.VersionToUpload;
import dev.sgw.core.file.WritebackEntry;
import dev.sgw.core.file.WritebackSource;
import dev.sgw.core.file.WritebackSource.PendingFile;
import dev.sgw.core.file.upload.BucketMoves;
import dev.sgw.core.file.upload.FileObject;
import dev.sgw.core.file.upload.FileObjectWriter;
import dev.sgw.core.file.upload.MoveResult;
import dev.sgw.core.file.upload.UploadOutcome;
import dev.sgw.core.file.writeback.PathClaims.PathClaim;
import dev.sgw.core.layout.BucketLayout;
import dev.sgw.core.store.ObjectBody;
import dev.sgw.core.store.ObjectInfo;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.ObjectWritten;
import dev.sgw.core.store.PutOptions;
import dev.sgw.core.volume.FileType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one journal entry to the bucket, on a worker thread of the {@link ShareUploader}: what each kind
 * means is {@link WritebackEntry}'s table, how it is done here:
 *
 * <ul>
 *   <li>CONTENT of a regular file: once quiet, {@link FileObjectWriter#upload} to its first path (part
 *       copies for unchanged chunks, a conflict copy when another writer changed the object); other hard
 *       links get a server-side copy of that object (unconditional: the share keeps one ETag per file).
 *       Its object carries {@value #WRITER_SHARE} and {@value #WRITER_INODE}: an entry resumed after a
 *       restart, or retried after a failure, first heads the key, and an object of this share and inode
 *       that the share never recorded (the put succeeded, the process died before {@code complete}) is
 *       replaced rather than taken for another writer's. A directory's marker and a symbolic link are zero-byte objects put unconditionally with their
 *       attributes. A conflict is handed to {@link FileUpload#conflict}, and the copy the writer already
 *       wrote is recorded as the renamed file's object ({@link WritebackSource#objectMoved}).</li>
 *   <li>RENAME: {@link BucketMoves#move} on the file's current ETag, or {@link BucketMoves#moveDirectory};
 *       each copy's ETag is recorded.</li>
 *   <li>REMOVE: a file's object is deleted if it still has the entry's ETag; a directory's marker always.</li>
 * </ul>
 *
 * The share is rooted at its prefix, so a share path is an object key. Thread-safe; one call per job.
 */
final class EntryApplier {

    /** What became of a job, when it did not fail. */
    enum Step {
        /** The entry is done and deleted from the journal. */
        DONE,
        /** Done, and the file was left pending with a new CONTENT entry that carries this job's wait. */
        DONE_CARRIED,
        /** Not yet: the job's {@code dueNanos} says when to look again. */
        LATER
    }

    private static final Logger LOG = LoggerFactory.getLogger(EntryApplier.class);
    /** User metadata naming the share that wrote a file's object... */
    static final String WRITER_SHARE = "sgw-share";
    /** ... and the inode it holds: how an upload lost in a crash is told from another writer's object. */
    static final String WRITER_INODE = "sgw-inode";
    /** How soon a job whose paths moved, or whose rename is not yet applied, is looked at again. */
    static final long RECHECK_NANOS = 100_000_000L;

    private final WritebackSource source;
    private final ObjectStore store;
    private final FileObjectWriter writer;
    private final BucketMoves moves;
    private final Clock clock;
    /** The share's upload delay; changed live ({@link ShareUploader#setUploadDelay}). */
    private volatile long delayNanos;

    private final BooleanSupplier closing;
    final AtomicLong uploadedItems = new AtomicLong();
    final AtomicLong uploadedBytes = new AtomicLong();
    final AtomicLong conflicts = new AtomicLong();

    EntryApplier(
            WritebackSource source,
            ObjectStore store,
            FileObjectWriter writer,
            Clock clock,
            long delayNanos,
            BooleanSupplier closing) {
        this.source = source;
        this.store = store;
        this.writer = writer;
        this.moves = new BucketMoves(store);
        this.clock = clock;
        this.delayNanos = delayNanos;
        this.closing = closing;
    }

    /**
     * Applies {@code job}; a {@code forced} CONTENT entry need not wait for its file to be quiet. Throws
     * when the bucket (or the share) failed: the entry stays and is tried again.
     */
    Step apply(UploadJob job, boolean forced) throws IOException {
        WritebackEntry e = job.entry;
        switch (e.kind()) {
            case CONTENT -> {
                return content(job, forced);
            }
            case RENAME -> rename(e);
            case REMOVE -> remove(e);
        }
        source.entryDone(e.sequence());
        return Step.DONE;
    }

    void setDelayNanos(long nanos) {
        delayNanos = nanos;
    }

    /**
     * When the file of {@code job}, last changed at {@code changedAt} (its ctime), is quiet, as a delay from
     * now (0: it is). The entry's first sighting counts as a change too: a write journals its entry before
     * it updates the ctime.
     */
    long quietIn(UploadJob job, long changedAt, boolean forced) {
        long delay = delayNanos;
        if (delay == 0 || forced) {
            return 0;
        }
        long since = epochNanos(clock.instant()) - Math.max(changedAt, job.seenAtNanos);
        return since >= delay ? 0 : Math.min(delay, delay - since);
    }

    static long epochNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    // ---- CONTENT ---------------------------------------------------------------------------------

    private Step content(UploadJob job, boolean forced) throws IOException {
        long inode = job.entry.inode();
        Optional<PendingFile> pending = source.pendingFile(inode);
        if (pending.isEmpty()) {
            source.entryDone(job.sequence());
            return Step.DONE;
        }
        job.bytes = pending.get().size();
        long wait = quietIn(job, pending.get().changedAtNanos(), forced);
        if (wait > 0) {
            return later(job, wait, true);
        }
        if (!covered(pending.get().paths(), job.claims)) {
            job.claims = UploadJob.contentClaims(pending.get().paths());
            return later(job, 0, false); // the scheduler checks the new paths against other entries first
        }
        Optional<FileUpload> opened = source.openUpload(inode);
        if (opened.isEmpty()) {
            source.entryDone(job.sequence());
            return Step.DONE;
        }
        try (FileUpload upload = opened.get()) {
            VersionToUpload version = upload.version();
            if (version.renamePending() || !covered(version.paths(), job.claims)) {
                // a rename of it (or of a parent) is journaled after this entry: that moves the object first
                job.claims = UploadJob.contentClaims(version.paths());
                return later(job, RECHECK_NANOS, false);
            }
            Step step = switch (version.type()) {
                case REGULAR -> regular(job, upload, version);
                case DIRECTORY, SYMLINK -> emptyObject(upload, version);
            };
            if (step == Step.LATER) {
                return later(job, quietIn(job, pending.get().changedAtNanos(), forced), true);
            }
            source.entryDone(job.sequence());
            return step;
        }
    }

    private static Step later(UploadJob job, long nanos, boolean quiet) {
        job.dueNanos = System.nanoTime() + nanos;
        job.waitingQuiet = quiet;
        return Step.LATER;
    }

    private static boolean covered(List<String> paths, List<PathClaim> claims) {
        HashSet<String> claimed = new HashSet<>();
        claims.forEach(c -> claimed.add(c.path()));
        return claimed.containsAll(paths);
    }

    /** A directory marker or a symbolic link: zero bytes and attributes, put unconditionally. */
    private Step emptyObject(FileUpload upload, VersionToUpload version) throws IOException {
        String path = version.paths().getFirst();
        if (path.isEmpty()) {
            return record(upload, version, "", 0); // the root is the share's prefix: no marker
        }
        String etag = "";
        for (String p : version.paths()) {
            String key = version.type() == FileType.DIRECTORY
                    ? BucketLayout.directoryKey("", p)
                    : BucketLayout.fileKey("", p);
            ObjectWritten w = store.put(key, ObjectBody.of(new byte[0]), PutOptions.withMetadata(version.metadata()));
            if (p.equals(path) && w.etag() != null) {
                etag = w.etag();
            }
        }
        return record(upload, version, etag, 0);
    }

    private Step regular(UploadJob job, FileUpload upload, VersionToUpload version) throws IOException {
        String key = BucketLayout.fileKey("", version.paths().getFirst());
        long inode = version.inode();
        Map<String, String> metadata = new HashMap<>(version.metadata());
        metadata.put(WRITER_SHARE, source.shareName());
        metadata.put(WRITER_INODE, Long.toString(inode));
        String known = version.knownEtag();
        BitSet changed = version.changedChunks();
        if (job.resumed || job.failures > 0) {
            // an earlier attempt may have written the object and died before the share recorded it
            ObjectInfo now = headOrNull(key);
            if (now != null
                    && !now.etag().equals(known)
                    && source.shareName().equals(now.userMetadata().get(WRITER_SHARE))
                    && Long.toString(inode).equals(now.userMetadata().get(WRITER_INODE))) {
                LOG.info(
                        "share {}: '{}' holds an upload of this file the share did not record (ETag {}); replacing it",
                        source.shareName(),
                        key,
                        now.etag());
                known = now.etag();
                changed = null; // its content is not known: nothing is copied from it
            }
        }
        FileObject toWrite = new FileObject(
                key,
                version.size(),
                metadata,
                known,
                version.chunkSize(),
                index -> readChunk(upload, index),
                changed,
                () -> stillCurrent(inode, version.contentVersion()));
        UploadOutcome outcome = writer.upload(toWrite);
        return switch (outcome) {
            case UploadOutcome.Written written -> {
                ObjectWritten object = written.object();
                for (String other : version.paths().subList(1, version.paths().size())) {
                    copyToLink(key, BucketLayout.fileKey("", other), metadata, version.size());
                }
                yield record(upload, version, object.etag(), object.size());
            }
            case UploadOutcome.Conflict conflict -> {
                conflicts.incrementAndGet();
                ObjectInfo theirs = conflict.theirs() == null ? null : headOrNull(key);
                LOG.warn(
                        "share {}: conflict on '{}': another writer changed it (their ETag {}); the share's version "
                                + "is kept as '{}' and the file there is renamed to it",
                        source.shareName(),
                        key,
                        conflict.theirs() == null ? "none, deleted" : conflict.theirs(),
                        conflict.conflictKey());
                upload.conflict(conflict.conflictKey(), theirs);
                // the writer already wrote our version there: the renamed file is based on that object
                source.objectMoved(
                        conflict.conflictKey(), null, conflict.object().etag());
                uploadedItems.incrementAndGet();
                uploadedBytes.addAndGet(conflict.object().size());
                yield Step.DONE;
            }
            case UploadOutcome.Superseded superseded -> Step.LATER;
        };
    }

    private Step record(FileUpload upload, VersionToUpload version, String etag, long size) throws IOException {
        FileUpload.Outcome outcome = upload.complete(etag, size);
        uploadedItems.incrementAndGet();
        uploadedBytes.addAndGet(size);
        return switch (outcome) {
            case UPLOADED -> Step.DONE;
            case STALE -> Step.DONE_CARRIED;
            case GONE -> {
                removeWritten(version, etag);
                yield Step.DONE;
            }
        };
    }

    /** The file was removed while it was uploaded: take back what was written, where it is still ours. */
    private void removeWritten(VersionToUpload version, String etag) throws ObjectStoreException {
        for (String p : version.paths()) {
            if (p.isEmpty()) {
                continue;
            }
            String key = version.type() == FileType.DIRECTORY
                    ? BucketLayout.directoryKey("", p)
                    : BucketLayout.fileKey("", p);
            ObjectInfo now = headOrNull(key);
            if (now != null && (version.type() != FileType.REGULAR || Objects.equals(now.etag(), etag))) {
                store.delete(key);
            }
        }
    }

    private void copyToLink(String from, String to, Map<String, String> metadata, long size)
            throws ObjectStoreException {
        if (size == 0) {
            store.put(to, ObjectBody.of(new byte[0]), PutOptions.withMetadata(metadata));
        } else {
            store.copy(from, to, PutOptions.withMetadata(metadata));
        }
    }

    private static ByteBuffer readChunk(FileUpload upload, long index) throws IOException {
        synchronized (upload) { // a FileUpload is driven by one thread at a time; parts read from several
            return upload.readChunk(index);
        }
    }

    private boolean stillCurrent(long inode, long contentVersion) {
        if (closing.getAsBoolean()) {
            return false; // closing: drop the upload at the next part rather than hold the close up
        }
        try {
            Optional<PendingFile> now = source.pendingFile(inode);
            return now.isPresent() && now.get().contentVersion() == contentVersion;
        } catch (IOException e) {
            return false;
        }
    }

    // ---- RENAME and REMOVE -----------------------------------------------------------------------

    private void rename(WritebackEntry e) throws IOException {
        if (e.type() == FileType.DIRECTORY) {
            moves.moveDirectory(
                    BucketLayout.directoryKey("", e.path()),
                    BucketLayout.directoryKey("", e.newPath()),
                    (oldKey, newKey, oldETag, newETag) -> {
                        if (!newKey.endsWith("/") && oldETag != null && !oldETag.equals(newETag)) {
                            source.objectMoved(newKey, oldETag, newETag);
                        }
                    });
            return;
        }
        String known = source.currentEtag(e.inode()).orElse(e.etag());
        if (known != null && known.isEmpty()) {
            known = null;
        }
        MoveResult moved =
                moves.move(BucketLayout.fileKey("", e.path()), BucketLayout.fileKey("", e.newPath()), known, null);
        switch (moved.status()) {
            case MOVED, ALREADY_MOVED -> {
                if (known != null && !known.equals(moved.etag())) {
                    source.objectMoved(e.newPath(), known, moved.etag());
                }
            }
            case SOURCE_MISSING ->
                LOG.debug(
                        "share {}: rename of '{}' to '{}': no object to move",
                        source.shareName(),
                        e.path(),
                        e.newPath());
            case SOURCE_CHANGED -> {
                conflicts.incrementAndGet();
                LOG.warn(
                        "share {}: '{}' was changed by another writer before its rename to '{}' reached the bucket; "
                                + "theirs stays at '{}'",
                        source.shareName(),
                        e.path(),
                        e.newPath(),
                        e.path());
            }
        }
    }

    private void remove(WritebackEntry e) throws IOException {
        if (e.type() == FileType.DIRECTORY) {
            moves.removeDirectory(BucketLayout.directoryKey("", e.path()));
            return;
        }
        String key = BucketLayout.fileKey("", e.path());
        ObjectInfo now = headOrNull(key);
        if (now != null && (e.etag() == null || e.etag().isEmpty() || e.etag().equals(now.etag()))) {
            moves.remove(key);
        }
    }

    private ObjectInfo headOrNull(String key) throws ObjectStoreException {
        try {
            return store.head(key);
        } catch (ObjectStoreException e) {
            if (e.code() == ObjectStoreException.Code.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }
}
