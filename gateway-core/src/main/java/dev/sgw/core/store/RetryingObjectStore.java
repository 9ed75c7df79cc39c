package dev.sgw.core.store;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

import dev.sgw.core.store.ObjectStoreException.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a failed call again when its failure is {@linkplain ObjectStoreException#retryable() retryable}
 * ({@link Code#THROTTLED}, {@link Code#UNAVAILABLE}), waiting with capped exponential backoff and full
 * jitter between attempts as its {@link RetryPolicy} says. Every other code ({@code NOT_FOUND},
 * {@code PRECONDITION_FAILED}, {@code DENIED}, {@code INTEGRITY}, {@code INVALID}, ...) is thrown at once.
 *
 * <p>Guarantees: at most {@code maxAttempts} attempts per call; no wait starts that would end after the
 * policy's deadline; when all attempts fail, the last failure is thrown. A wait is interruptible: an
 * interrupt ends the retries, the last failure is thrown (the {@link InterruptedException} suppressed in
 * it) and the thread's interrupt status is restored; a failure on an already interrupted thread is not
 * retried. Each retry is logged at DEBUG and giving up after retries at WARN, with operation, key,
 * attempt and code (never a failure's message, which belongs to the caller).
 *
 * <p>Retrying is safe because the seam is idempotent, with these exceptions, handled so:
 * <ul>
 *   <li>A conditional write ({@link Precondition#ifAbsent()} or {@code ifMatch}, by put or copy) whose
 *       lost first attempt succeeded fails on retry with {@code PRECONDITION_FAILED}, and a completion of
 *       a multipart upload whose lost first attempt succeeded fails on retry with {@code NOT_FOUND} (the
 *       upload is gone) or {@code PRECONDITION_FAILED}. Only when such a failure comes on a retry, this
 *       class heads the object and reports success if it is the one we wrote: same size, the store's
 *       CRC64 equal to ours (the body's, the parts' combined or the copy source's), and for put and copy
 *       the same user metadata as we sent (but for {@value ObjectInfo#CRC64_METADATA}, which a backend
 *       may add). The returned {@link ObjectWritten} then carries the head's ETag
 *       and {@code crc64Verified = false}, since the store's answer to the write itself was lost. Anything
 *       else (no CRC64 known, a different object, the head failing even after its own retries) throws the
 *       original failure. Hence a
 *       caller that uses create-only writes as a claim between several writers must make each writer's
 *       object distinct (its id in the content or metadata): identical objects are indistinguishable.</li>
 *   <li>A retried {@code startMultipart} whose lost attempt succeeded leaves an orphan upload behind;
 *       the periodic clean-up of pending uploads removes it.</li>
 *   <li>{@code get} retries opening the stream only; a failure while the caller reads it is the caller's
 *       to handle (typically by a ranged get from where it stopped).</li>
 * </ul>
 */
public final class RetryingObjectStore implements ObjectStore {

    private static final Logger LOG = LoggerFactory.getLogger(RetryingObjectStore.class);

    /** One attempt of a call. */
    private interface Attempt<T> {
        T run() throws ObjectStoreException;
    }

    /** After a failure on a retry: the outcome if the failure only hides a lost success, else {@code null}. */
    private interface LostSuccessCheck<T> {
        T outcome(ObjectStoreException failure);
    }

    private final ObjectStore inner;
    private final RetryPolicy policy;
    private final StoreClock clock;
    private final RandomGenerator random;

    public RetryingObjectStore(ObjectStore inner, RetryPolicy policy) {
        this(inner, policy, StoreClock.system(), new ThreadLocalRandomGenerator());
    }

    /** With the clock that waits and the source of jitter given (for tests). */
    public RetryingObjectStore(ObjectStore inner, RetryPolicy policy, StoreClock clock, RandomGenerator random) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public ObjectInfo head(String key) throws ObjectStoreException {
        return call(StoreOperation.HEAD, key, () -> inner.head(key), null);
    }

    @Override
    public ObjectContent get(String key, ByteRange range) throws ObjectStoreException {
        return call(StoreOperation.GET, key, () -> inner.get(key, range), null);
    }

    @Override
    public ObjectWritten put(String key, ObjectBody body, PutOptions options) throws ObjectStoreException {
        LostSuccessCheck<ObjectWritten> check = options.precondition().kind() == Precondition.Kind.NONE
                ? null
                : failure -> failure.code() != Code.PRECONDITION_FAILED
                        ? null
                        : ifWritten(key, body.length(), bodyCrc(body), options);
        return call(StoreOperation.PUT, key, () -> inner.put(key, body, options), check);
    }

    @Override
    public void delete(String key) throws ObjectStoreException {
        call(
                StoreOperation.DELETE,
                key,
                () -> {
                    inner.delete(key);
                    return null;
                },
                null);
    }

    @Override
    public void deleteAll(Collection<String> keys) throws ObjectStoreException {
        call(
                StoreOperation.DELETE_BATCH,
                keys.size() + " keys",
                () -> {
                    inner.deleteAll(keys);
                    return null;
                },
                null);
    }

    @Override
    public ObjectWritten copy(String sourceKey, String targetKey, PutOptions options) throws ObjectStoreException {
        LostSuccessCheck<ObjectWritten> check = options.precondition().kind() == Precondition.Kind.NONE
                ? null
                : failure ->
                        failure.code() != Code.PRECONDITION_FAILED ? null : ifCopied(sourceKey, targetKey, options);
        return call(StoreOperation.COPY, targetKey, () -> inner.copy(sourceKey, targetKey, options), check);
    }

    @Override
    public ListPage list(ListRequest request) throws ObjectStoreException {
        return call(StoreOperation.LIST, request.prefix(), () -> inner.list(request), null);
    }

    @Override
    public String startMultipart(String key, PutOptions options) throws ObjectStoreException {
        return call(StoreOperation.MULTIPART_START, key, () -> inner.startMultipart(key, options), null);
    }

    @Override
    public MultipartPart uploadPart(String key, String uploadId, int partNumber, ObjectBody body)
            throws ObjectStoreException {
        return call(StoreOperation.PART_UPLOAD, key, () -> inner.uploadPart(key, uploadId, partNumber, body), null);
    }

    @Override
    public MultipartPart uploadPartCopy(
            String key, String uploadId, int partNumber, String sourceKey, ByteRange sourceRange)
            throws ObjectStoreException {
        return call(
                StoreOperation.PART_COPY,
                key,
                () -> inner.uploadPartCopy(key, uploadId, partNumber, sourceKey, sourceRange),
                null);
    }

    @Override
    public ObjectWritten completeMultipart(
            String key, String uploadId, List<MultipartPart> parts, Precondition condition)
            throws ObjectStoreException {
        long size = 0;
        long crc = 0;
        for (MultipartPart part : parts) {
            size += part.size();
            crc = Crc64.combine(crc, part.crc64(), part.size());
        }
        long expectedSize = size;
        Long expectedCrc = crc;
        LostSuccessCheck<ObjectWritten> check =
                failure -> failure.code() != Code.NOT_FOUND && failure.code() != Code.PRECONDITION_FAILED
                        ? null
                        : ifWritten(key, expectedSize, expectedCrc, null);
        return call(
                StoreOperation.MULTIPART_COMPLETE,
                key,
                () -> inner.completeMultipart(key, uploadId, parts, condition),
                check);
    }

    @Override
    public void abortMultipart(String key, String uploadId) throws ObjectStoreException {
        call(
                StoreOperation.MULTIPART_ABORT,
                key,
                () -> {
                    inner.abortMultipart(key, uploadId);
                    return null;
                },
                null);
    }

    @Override
    public UploadPage listMultipartUploads(String prefix, String token) throws ObjectStoreException {
        return call(StoreOperation.MULTIPART_LIST, prefix, () -> inner.listMultipartUploads(prefix, token), null);
    }

    @Override
    public void close() throws ObjectStoreException {
        inner.close();
    }

    private <T> T call(StoreOperation operation, String key, Attempt<T> attempt, LostSuccessCheck<T> check)
            throws ObjectStoreException {
        long start = clock.nanoTime();
        for (int n = 1; ; n++) {
            try {
                return attempt.run();
            } catch (ObjectStoreException failure) {
                if (n > 1 && check != null) {
                    T outcome = check.outcome(failure);
                    if (outcome != null) {
                        LOG.warn(
                                "{} {}: attempt {} failed with {} but an earlier attempt had succeeded",
                                operation,
                                key,
                                n,
                                failure.code());
                        return outcome;
                    }
                }
                if (!failure.retryable() || Thread.currentThread().isInterrupted()) {
                    throw giveUp(operation, key, n, failure);
                }
                if (n >= policy.maxAttempts()) {
                    throw giveUp(operation, key, n, failure);
                }
                long wait = random.nextLong(policy.maxDelayNanosBefore(n + 1) + 1);
                if (clock.nanoTime() - start + wait > policy.deadline().toNanos()) {
                    throw giveUp(operation, key, n, failure);
                }
                LOG.debug(
                        "{} {}: attempt {} failed with {}; retrying in {} ms",
                        operation,
                        key,
                        n,
                        failure.code(),
                        wait / 1_000_000);
                try {
                    clock.sleepNanos(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    failure.addSuppressed(interrupted);
                    throw giveUp(operation, key, n, failure);
                }
            }
        }
    }

    private static ObjectStoreException giveUp(
            StoreOperation operation, String key, int attempts, ObjectStoreException failure) {
        if (attempts > 1) {
            LOG.warn(
                    "{} {}: giving up after {} attempts, the last failed with {}",
                    operation,
                    key,
                    attempts,
                    failure.code());
        }
        return failure;
    }

    /** The object at {@code key} as we meant to write it, or {@code null} if it is not (or cannot be told). */
    private ObjectWritten ifWritten(String key, long size, Long crc, PutOptions options) {
        if (crc == null) {
            return null;
        }
        try {
            ObjectInfo info = head(key); // retried itself
            boolean same = info.size() == size
                    && info.crc64().isPresent()
                    && info.crc64().getAsLong() == crc
                    && (options == null || sameMetadata(info.userMetadata(), options.userMetadata()));
            return same ? new ObjectWritten(key, info.etag(), size, crc, false) : null;
        } catch (ObjectStoreException e) {
            return null;
        }
    }

    /** Equal, but for the CRC64 a backend may add of its own. */
    private static boolean sameMetadata(Map<String, String> stored, Map<String, String> sent) {
        Map<String, String> theirs = new HashMap<>(stored);
        Map<String, String> ours = new HashMap<>(sent);
        theirs.remove(ObjectInfo.CRC64_METADATA);
        ours.remove(ObjectInfo.CRC64_METADATA);
        return theirs.equals(ours);
    }

    private ObjectWritten ifCopied(String sourceKey, String targetKey, PutOptions options) {
        try {
            ObjectInfo source = head(sourceKey);
            return source.crc64().isPresent()
                    ? ifWritten(targetKey, source.size(), source.crc64().getAsLong(), options)
                    : null;
        } catch (ObjectStoreException e) {
            return null;
        }
    }

    private static Long bodyCrc(ObjectBody body) {
        try {
            return body.crc64();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** Jitter from the calling thread's {@link ThreadLocalRandom}. */
    private static final class ThreadLocalRandomGenerator implements RandomGenerator {
        @Override
        public long nextLong() {
            return ThreadLocalRandom.current().nextLong();
        }

        @Override
        public long nextLong(long bound) {
            return ThreadLocalRandom.current().nextLong(bound);
        }
    }
}
