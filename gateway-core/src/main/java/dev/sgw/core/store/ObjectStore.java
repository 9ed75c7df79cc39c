package dev.sgw.core.store;

import java.util.Collection;
import java.util.List;

/**
 * The seam between sgw and an object-store bucket: small, blocking and idempotent, so that a request can
 * be sent again after a failure without harm (JuiceFS's {@code ObjectStorage} is the model).
 *
 * <p>Keys are UTF-8 strings without a leading slash. Every failure is an {@link ObjectStoreException}
 * with a neutral code; nothing of a backend's SDK leaks through. Implementations are thread-safe.
 *
 * <p>Integrity: every write carries a CRC64-ECMA of its content ({@link ObjectBody#crc64()}). Where the
 * store reports its own CRC64 of what it received (OSS {@code x-oss-hash-crc64ecma}), a backend compares
 * the two and fails with {@code INTEGRITY} on a mismatch; where it does not (S3), the backend records the
 * CRC64 in user metadata {@value ObjectInfo#CRC64_METADATA} for single-request puts. A GET of a whole
 * object whose CRC64 is known checks it at the end of the stream.
 *
 * <p>Multipart: parts other than the last must be at least {@link #MIN_PART_SIZE} bytes (the strictest
 * common rule, S3's); part numbers run 1..10,000. The precondition of a multipart write is applied when
 * it is completed.
 *
 * <p>Decorators implement this same interface (key prefix, retries, metrics, bandwidth throttle) and are
 * stacked in one place, the wiring of the gateway.
 */
public interface ObjectStore extends AutoCloseable {

    /** The smallest size of a multipart part other than the last. */
    long MIN_PART_SIZE = 5L * 1024 * 1024;

    /** The object's size, ETag, time, user metadata and CRC64 if known; {@code NOT_FOUND} if absent. */
    ObjectInfo head(String key) throws ObjectStoreException;

    /**
     * Opens the object's content, the whole object when {@code range} is {@code null}. A range that starts
     * past the end is {@code INVALID}; one that runs past the end is cut at the end.
     */
    ObjectContent get(String key, ByteRange range) throws ObjectStoreException;

    /** Writes a whole object in one request, on {@code options}' precondition. */
    ObjectWritten put(String key, ObjectBody body, PutOptions options) throws ObjectStoreException;

    /** Deletes an object; deleting an absent key succeeds. */
    void delete(String key) throws ObjectStoreException;

    /**
     * Deletes many objects, in as few requests as the store allows (up to 1,000 a request). Absent keys
     * succeed. If any key could not be deleted, throws after trying all of them, naming the failed keys.
     */
    void deleteAll(Collection<String> keys) throws ObjectStoreException;

    /**
     * Copies an object inside the store, server-side, replacing its user metadata with {@code options}'
     * metadata and writing the target on {@code options}' precondition. Objects of any size are copied
     * (beyond the store's single-request copy limit, by a multipart copy).
     */
    ObjectWritten copy(String sourceKey, String targetKey, PutOptions options) throws ObjectStoreException;

    /** One page of keys in key order. */
    ListPage list(ListRequest request) throws ObjectStoreException;

    /** Starts a multipart upload of an object with {@code options}' user metadata; returns its upload id. */
    String startMultipart(String key, PutOptions options) throws ObjectStoreException;

    /** Uploads one part; sending the same part number again replaces the part. */
    MultipartPart uploadPart(String key, String uploadId, int partNumber, ObjectBody body) throws ObjectStoreException;

    /** Makes one part from a range of another object, server-side (UploadPartCopy). */
    MultipartPart uploadPartCopy(String key, String uploadId, int partNumber, String sourceKey, ByteRange sourceRange)
            throws ObjectStoreException;

    /**
     * Completes a multipart upload from {@code parts} (ascending part numbers) on {@code condition}. The
     * object appears whole or not at all. Returns its ETag, size and CRC64 (combined from the parts').
     */
    ObjectWritten completeMultipart(String key, String uploadId, List<MultipartPart> parts, Precondition condition)
            throws ObjectStoreException;

    /** Aborts a multipart upload and frees its parts; aborting an unknown upload succeeds. */
    void abortMultipart(String key, String uploadId) throws ObjectStoreException;

    /** One page of unfinished multipart uploads under {@code prefix}, resuming after {@code token}. */
    UploadPage listMultipartUploads(String prefix, String token) throws ObjectStoreException;

    /** Releases connections and threads; the default does nothing. */
    @Override
    default void close() throws ObjectStoreException {}
}
