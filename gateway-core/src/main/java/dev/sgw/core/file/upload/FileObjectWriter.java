package dev.sgw.core.file.upload;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import dev.sgw.core.layout.BucketLayout;
import dev.sgw.core.store.ObjectBody;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.ObjectStoreException.Code;
import dev.sgw.core.store.Precondition;
import dev.sgw.core.store.PutOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts one version of a file into the bucket as one object, never torn: the object at the key is the old
 * version until the new one appears whole (one put, or the completion of a multipart upload).
 *
 * <p>How (see {@link UploadTuning}):
 * <ul>
 *   <li>A file of at most {@code multipartThreshold} bytes is read whole into memory, checked
 *       {@linkplain FileObject#stillCurrent() still current}, and put on {@code ifMatch(knownEtag)}, or
 *       {@code ifAbsent} without a known ETag.</li>
 *   <li>A larger file goes up as a multipart upload (states in {@code MultipartFileUpload}): the key is
 *       headed first; parts, a whole number of chunks each, go out on the part executor, at most
 *       {@code partConcurrency} at once and in memory; a part whose chunks are all unchanged and inside the
 *       old object is copied from it server-side (UploadPartCopy); before the completion (on the same
 *       precondition) the content is checked still current. On any failure the upload is aborted, best
 *       effort, and the failure thrown.</li>
 *   <li>When the precondition fails, or the head shows another ETag, no object where one was known, or an
 *       object where none was expected, the other writer's object is left untouched and this version is
 *       written as a new object at {@link BucketLayout#conflictPath}{@code (key, now)} ({@code ifAbsent});
 *       the conflict is logged at WARN with both keys and counted ({@code sgw.writeback.conflicts}).</li>
 *   <li>When the content changed before the object was completed, nothing is written and no upload is left:
 *       {@link UploadOutcome.Superseded}.</li>
 * </ul>
 *
 * <p>Durability: when {@link #upload} returns {@link UploadOutcome.Written} or {@link UploadOutcome.Conflict},
 * the version is in the bucket. A failure thrown leaves the key as it was (a lost success of the store's
 * answer aside, which the retrying store decorator resolves); the caller uploads again later.
 *
 * <p>Thread-safe; each call works on its own. {@code upload} blocks until done, so it must not run on the
 * part executor itself when that executor is bounded.
 */
public final class FileObjectWriter {

    /** The name of the conflict counter. */
    public static final String CONFLICTS_METER = "sgw.writeback.conflicts";
    /** How many conflict names (one second apart) are tried before giving up. */
    private static final int CONFLICT_NAME_ATTEMPTS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(FileObjectWriter.class);

    private final ObjectStore store;
    private final UploadTuning tuning;
    private final Executor partExecutor;
    private final Clock clock;
    private final Counter conflictCounter;
    private final AtomicLong conflicts = new AtomicLong();

    /** A writer without metrics, naming conflict copies by the system clock. */
    public FileObjectWriter(ObjectStore store, UploadTuning tuning, Executor partExecutor) {
        this(store, tuning, partExecutor, null, Clock.systemUTC());
    }

    /**
     * @param registry where to count conflicts as {@value #CONFLICTS_METER}, or {@code null} for nowhere
     * @param clock    the time that names conflict copies
     */
    public FileObjectWriter(
            ObjectStore store, UploadTuning tuning, Executor partExecutor, MeterRegistry registry, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.tuning = Objects.requireNonNull(tuning, "tuning");
        this.partExecutor = Objects.requireNonNull(partExecutor, "partExecutor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.conflictCounter = registry == null
                ? null
                : Counter.builder(CONFLICTS_METER)
                        .description(
                                "file versions written as conflict copies because another writer changed the object")
                        .register(registry);
    }

    /** Writes {@code version} at its key, or as a conflict copy beside it; see the class comment. */
    public UploadOutcome upload(FileObject version) throws IOException {
        if (version.size() <= tuning.multipartThreshold()) {
            byte[] content = version.readBytes(0, (int) version.size());
            if (!version.stillCurrent().unchanged()) {
                return new UploadOutcome.Superseded();
            }
            Precondition condition =
                    version.knownEtag() == null ? Precondition.ifAbsent() : Precondition.ifMatch(version.knownEtag());
            WriteAttempt attempt = put(version.key(), content, version, condition);
            return finish(version, attempt, conflictKey -> put(conflictKey, content, version, Precondition.ifAbsent()));
        }
        WriteAttempt attempt = new MultipartFileUpload(store, partExecutor, tuning, version).run();
        return finish(
                version,
                attempt,
                conflictKey ->
                        new MultipartFileUpload(store, partExecutor, tuning, version.asNewObject(conflictKey)).run());
    }

    /** How many conflict copies this writer has written. */
    public long conflicts() {
        return conflicts.get();
    }

    private interface KeyedWrite {
        WriteAttempt writeAt(String key) throws IOException;
    }

    private UploadOutcome finish(FileObject version, WriteAttempt attempt, KeyedWrite conflictCopy) throws IOException {
        return switch (attempt) {
            case WriteAttempt.Stored stored -> new UploadOutcome.Written(stored.object());
            case WriteAttempt.Dropped dropped -> new UploadOutcome.Superseded();
            case WriteAttempt.Refused refused -> writeConflictCopy(version, refused.theirs(), conflictCopy);
        };
    }

    private UploadOutcome writeConflictCopy(FileObject version, String theirs, KeyedWrite conflictCopy)
            throws IOException {
        Instant now = clock.instant();
        for (int attempt = 0; attempt < CONFLICT_NAME_ATTEMPTS; attempt++) {
            String conflictKey = BucketLayout.conflictPath(version.key(), now.plusSeconds(attempt));
            WriteAttempt written = conflictCopy.writeAt(conflictKey);
            switch (written) {
                case WriteAttempt.Stored stored -> {
                    conflicts.incrementAndGet();
                    if (conflictCounter != null) {
                        conflictCounter.increment();
                    }
                    LOG.warn(
                            "conflict: {} was changed by another writer (their ETag {}, ours was {}); this version "
                                    + "is written as {}",
                            version.key(),
                            theirs == null ? "none, deleted" : theirs,
                            version.knownEtag() == null ? "none, new file" : version.knownEtag(),
                            conflictKey);
                    return new UploadOutcome.Conflict(conflictKey, stored.object(), theirs);
                }
                case WriteAttempt.Dropped dropped -> {
                    return new UploadOutcome.Superseded();
                }
                case WriteAttempt.Refused refused -> {
                    // that conflict name is taken: try the next second's
                }
            }
        }
        throw new ObjectStoreException(
                Code.PRECONDITION_FAILED,
                "conflict on " + version.key()
                        + ", and " + CONFLICT_NAME_ATTEMPTS + " conflict names from "
                        + BucketLayout.conflictPath(version.key(), now)
                        + " on are taken");
    }

    private WriteAttempt put(String key, byte[] content, FileObject version, Precondition condition)
            throws IOException {
        try {
            return new WriteAttempt.Stored(
                    store.put(key, ObjectBody.of(content), new PutOptions(version.metadata(), condition)));
        } catch (ObjectStoreException e) {
            return MultipartFileUpload.refusal(store, key, condition, e);
        }
    }
}
