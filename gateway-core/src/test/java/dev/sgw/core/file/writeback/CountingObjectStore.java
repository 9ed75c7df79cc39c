package dev.sgw.core.file.writeback;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sgw.core.store.ByteRange;
import dev.sgw.core.store.ListPage;
import dev.sgw.core.store.ListRequest;
import dev.sgw.core.store.MultipartPart;
import dev.sgw.core.store.ObjectBody;
import dev.sgw.core.store.ObjectContent;
import dev.sgw.core.store.ObjectInfo;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.ObjectWritten;
import dev.sgw.core.store.Precondition;
import dev.sgw.core.store.PutOptions;
import dev.sgw.core.store.UploadPage;

/** Counts calls by operation and, while {@link #down} is set, fails every call with UNAVAILABLE (an outage). */
final class CountingObjectStore implements ObjectStore {
    private final ObjectStore inner;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    volatile boolean down;

    CountingObjectStore(ObjectStore inner) {
        this.inner = inner;
    }

    int calls(String operation) {
        AtomicInteger n = calls.get(operation);
        return n == null ? 0 : n.get();
    }

    void reset() {
        calls.clear();
    }

    private void count(String operation) throws ObjectStoreException {
        if (down) {
            throw new ObjectStoreException(ObjectStoreException.Code.UNAVAILABLE, "the bucket is down (test outage)");
        }
        calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public ObjectInfo head(String key) throws ObjectStoreException {
        count("head");
        return inner.head(key);
    }

    @Override
    public ObjectContent get(String key, ByteRange range) throws ObjectStoreException {
        count("get");
        return inner.get(key, range);
    }

    @Override
    public ObjectWritten put(String key, ObjectBody body, PutOptions options) throws ObjectStoreException {
        count("put");
        return inner.put(key, body, options);
    }

    @Override
    public void delete(String key) throws ObjectStoreException {
        count("delete");
        inner.delete(key);
    }

    @Override
    public void deleteAll(Collection<String> keys) throws ObjectStoreException {
        count("deleteAll");
        inner.deleteAll(keys);
    }

    @Override
    public ObjectWritten copy(String sourceKey, String targetKey, PutOptions options) throws ObjectStoreException {
        count("copy");
        return inner.copy(sourceKey, targetKey, options);
    }

    @Override
    public ListPage list(ListRequest request) throws ObjectStoreException {
        count("list");
        return inner.list(request);
    }

    @Override
    public String startMultipart(String key, PutOptions options) throws ObjectStoreException {
        count("startMultipart");
        return inner.startMultipart(key, options);
    }

    @Override
    public MultipartPart uploadPart(String key, String uploadId, int partNumber, ObjectBody body)
            throws ObjectStoreException {
        count("uploadPart");
        return inner.uploadPart(key, uploadId, partNumber, body);
    }

    @Override
    public MultipartPart uploadPartCopy(
            String key, String uploadId, int partNumber, String sourceKey, ByteRange sourceRange)
            throws ObjectStoreException {
        count("uploadPartCopy");
        return inner.uploadPartCopy(key, uploadId, partNumber, sourceKey, sourceRange);
    }

    @Override
    public ObjectWritten completeMultipart(
            String key, String uploadId, List<MultipartPart> parts, Precondition condition)
            throws ObjectStoreException {
        count("completeMultipart");
        return inner.completeMultipart(key, uploadId, parts, condition);
    }

    @Override
    public void abortMultipart(String key, String uploadId) throws ObjectStoreException {
        count("abortMultipart");
        inner.abortMultipart(key, uploadId);
    }

    @Override
    public UploadPage listMultipartUploads(String prefix, String token) throws ObjectStoreException {
        count("listMultipartUploads");
        return inner.listMultipartUploads(prefix, token);
    }
}
