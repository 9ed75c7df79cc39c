package dev.sgw.core.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import dev.sgw.core.store.ObjectStoreException.Code;

/**
 * Places every key of a store under a fixed key prefix, so that a cloud resource configured with a prefix
 * (for example {@code "gateway-1/"}) sees its part of the bucket as if it were the whole bucket.
 *
 * <p>Guarantees: every key sent to the inner store (object keys, copy sources, listing and upload-listing
 * prefixes) is {@code prefix + key}; every key coming back (in {@link ObjectInfo}, {@link ObjectWritten},
 * listings' objects and common prefixes, {@link PendingUpload}s) has the prefix removed. Listings are
 * asked under {@code prefix + request prefix}, so nothing outside the prefix is ever listed, and two
 * stores with different prefixes over one bucket do not see each other's objects (unless one prefix is
 * inside the other, which is a configuration error this class cannot see). Listing and upload tokens are
 * passed through untouched: they are opaque and belong to the inner store.
 *
 * <p>Not its business: keys are opaque, so a key containing {@code ".."} or {@code "/"} is simply
 * appended, never interpreted; it cannot escape the prefix because the store has no directories. A
 * {@code null} or empty key is {@link Code#INVALID}, and an object named exactly like the prefix (a
 * "folder" marker some tools create) is left out of listings, since its key here would be empty. Messages of failures from the inner store name the
 * full (prefixed) key. {@link #close()} closes the inner store: the stack owns what it wraps.
 */
public final class PrefixedObjectStore implements ObjectStore {

    private final ObjectStore inner;
    private final String prefix;

    /**
     * @param prefix {@code ""} for none, or a string ending in {@code "/"} that does not start with one
     * @throws IllegalArgumentException if the prefix is malformed
     */
    public PrefixedObjectStore(ObjectStore inner, String prefix) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.prefix = checkPrefix(prefix);
    }

    /** Checks a configured key prefix: {@code ""}, or not starting but ending with {@code "/"}. */
    public static String checkPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.isEmpty() && (!prefix.endsWith("/") || prefix.startsWith("/"))) {
            throw new IllegalArgumentException(
                    "a key prefix is empty or ends (and does not start) with '/': " + prefix);
        }
        return prefix;
    }

    /** The prefix this store adds. */
    public String prefix() {
        return prefix;
    }

    @Override
    public ObjectInfo head(String key) throws ObjectStoreException {
        return strip(inner.head(full(key)));
    }

    @Override
    public ObjectContent get(String key, ByteRange range) throws ObjectStoreException {
        ObjectContent content = inner.get(full(key), range);
        return new ObjectContent(strip(content.info()), content.range(), content.length(), content.stream());
    }

    @Override
    public ObjectWritten put(String key, ObjectBody body, PutOptions options) throws ObjectStoreException {
        return strip(inner.put(full(key), body, options));
    }

    @Override
    public void delete(String key) throws ObjectStoreException {
        inner.delete(full(key));
    }

    @Override
    public void deleteAll(Collection<String> keys) throws ObjectStoreException {
        List<String> full = new ArrayList<>(keys.size());
        for (String key : keys) {
            full.add(full(key));
        }
        inner.deleteAll(full);
    }

    @Override
    public ObjectWritten copy(String sourceKey, String targetKey, PutOptions options) throws ObjectStoreException {
        return strip(inner.copy(full(sourceKey), full(targetKey), options));
    }

    @Override
    public ListPage list(ListRequest request) throws ObjectStoreException {
        ListPage page = inner.list(
                new ListRequest(prefix + request.prefix(), request.delimiter(), request.token(), request.maxKeys()));
        List<ObjectInfo> objects = new ArrayList<>(page.objects().size());
        for (ObjectInfo info : page.objects()) {
            if (!info.key().equals(prefix)) { // the prefix's own "folder" object is not a key of this store
                objects.add(strip(info));
            }
        }
        List<String> commonPrefixes = new ArrayList<>(page.commonPrefixes().size());
        for (String common : page.commonPrefixes()) {
            commonPrefixes.add(strip(common));
        }
        return new ListPage(objects, commonPrefixes, page.nextToken());
    }

    @Override
    public String startMultipart(String key, PutOptions options) throws ObjectStoreException {
        return inner.startMultipart(full(key), options);
    }

    @Override
    public MultipartPart uploadPart(String key, String uploadId, int partNumber, ObjectBody body)
            throws ObjectStoreException {
        return inner.uploadPart(full(key), uploadId, partNumber, body);
    }

    @Override
    public MultipartPart uploadPartCopy(
            String key, String uploadId, int partNumber, String sourceKey, ByteRange sourceRange)
            throws ObjectStoreException {
        return inner.uploadPartCopy(full(key), uploadId, partNumber, full(sourceKey), sourceRange);
    }

    @Override
    public ObjectWritten completeMultipart(
            String key, String uploadId, List<MultipartPart> parts, Precondition condition)
            throws ObjectStoreException {
        return strip(inner.completeMultipart(full(key), uploadId, parts, condition));
    }

    @Override
    public void abortMultipart(String key, String uploadId) throws ObjectStoreException {
        inner.abortMultipart(full(key), uploadId);
    }

    @Override
    public UploadPage listMultipartUploads(String uploadPrefix, String token) throws ObjectStoreException {
        UploadPage page = inner.listMultipartUploads(prefix + Objects.requireNonNull(uploadPrefix, "prefix"), token);
        List<PendingUpload> uploads = new ArrayList<>(page.uploads().size());
        for (PendingUpload upload : page.uploads()) {
            uploads.add(new PendingUpload(strip(upload.key()), upload.uploadId(), upload.initiated()));
        }
        return new UploadPage(uploads, page.nextToken());
    }

    @Override
    public void close() throws ObjectStoreException {
        inner.close();
    }

    private String full(String key) throws ObjectStoreException {
        if (key == null || key.isEmpty()) {
            throw new ObjectStoreException(Code.INVALID, "empty key");
        }
        return prefix + key;
    }

    private String strip(String key) throws ObjectStoreException {
        if (!key.startsWith(prefix)) {
            throw new ObjectStoreException(
                    Code.OTHER, "the store returned a key outside the prefix " + prefix + ": " + key);
        }
        return key.substring(prefix.length());
    }

    private ObjectInfo strip(ObjectInfo info) throws ObjectStoreException {
        return new ObjectInfo(
                strip(info.key()), info.size(), info.etag(), info.lastModified(), info.userMetadata(), info.crc64());
    }

    private ObjectWritten strip(ObjectWritten written) throws ObjectStoreException {
        return new ObjectWritten(
                strip(written.key()), written.etag(), written.size(), written.crc64(), written.crc64Verified());
    }
}
