package dev.sgw.core.file.upload;

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

/**
 * Wraps a store for tests: counts calls by operation name, tracks how many part uploads run at once, and
 * fails a chosen call ("the n-th uploadPart", "the next delete") before or after the inner store acted.
 */
final class RecordingObjectStore implements ObjectStore {

    /** Where an injected failure strikes: before the inner call (it never happens) or after it (a lost answer). */
    enum When {
        BEFORE,
        AFTER
    }

    private record Fault(int onCall, When when) {}

    private final ObjectStore inner;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final AtomicInteger partsInFlight = new AtomicInteger();
    private final AtomicInteger mostPartsInFlight = new AtomicInteger();

    RecordingObjectStore(ObjectStore inner) {
        this.inner = inner;
    }

    /** The {@code nth} call (counting from now, 1 = the next) of {@code operation} fails with UNAVAILABLE. */
    RecordingObjectStore failOn(String operation, int nth, When when) {
        faults.put(operation, new Fault(calls(operation) + nth, when));
        return this;
    }

    int calls(String operation) {
        AtomicInteger count = calls.get(operation);
        return count == null ? 0 : count.get();
    }

    void resetCounts() {
        calls.clear();
        mostPartsInFlight.set(0);
    }

    int mostPartsInFlight() {
        return mostPartsInFlight.get();
    }

    private interface Call<T> {
        T run() throws ObjectStoreException;
    }

    private <T> T call(String operation, Call<T> call) throws ObjectStoreException {
        int number = calls.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
        Fault fault = faults.get(operation);
        if (fault == null || fault.onCall() != number) {
            return call.run();
        }
        faults.remove(operation);
        if (fault.when() == When.AFTER) {
            call.run();
        }
        throw new ObjectStoreException(
                ObjectStoreException.Code.UNAVAILABLE, "injected " + fault.when() + " " + operation);
    }

    private <T> T part(String operation, Call<T> call) throws ObjectStoreException {
        int now = partsInFlight.incrementAndGet();
        mostPartsInFlight.accumulateAndGet(now, Math::max);
        try {
            return call(operation, call);
        } finally {
            partsInFlight.decrementAndGet();
        }
    }

    @Override
    public ObjectInfo head(String key) throws ObjectStoreException {
        return call("head", () -> inner.head(key));
    }

    @Override
    public ObjectContent get(String key, ByteRange range) throws ObjectStoreException {
        return call("get", () -> inner.get(key, range));
    }

    @Override
    public ObjectWritten put(String key, ObjectBody body, PutOptions options) throws ObjectStoreException {
        return call("put", () -> inner.put(key, body, options));
    }

    @Override
    public void delete(String key) throws ObjectStoreException {
        call("delete", () -> {
            inner.delete(key);
            return null;
        });
    }

    @Override
    public void deleteAll(Collection<String> keys) throws ObjectStoreException {
        call("deleteAll", () -> {
            inner.deleteAll(keys);
            return null;
        });
    }

    @Override
    public ObjectWritten copy(String sourceKey, String targetKey, PutOptions options) throws ObjectStoreException {
        return call("copy", () -> inner.copy(sourceKey, targetKey, options));
    }

    @Override
    public ListPage list(ListRequest request) throws ObjectStoreException {
        return call("list", () -> inner.list(request));
    }

    @Override
    public String startMultipart(String key, PutOptions options) throws ObjectStoreException {
        return call("startMultipart", () -> inner.startMultipart(key, options));
    }

    @Override
    public MultipartPart uploadPart(String key, String uploadId, int partNumber, ObjectBody body)
            throws ObjectStoreException {
        return part("uploadPart", () -> inner.uploadPart(key, uploadId, partNumber, body));
    }

    @Override
    public MultipartPart uploadPartCopy(
            String key, String uploadId, int partNumber, String sourceKey, ByteRange sourceRange)
            throws ObjectStoreException {
        return part("uploadPartCopy", () -> inner.uploadPartCopy(key, uploadId, partNumber, sourceKey, sourceRange));
    }

    @Override
    public ObjectWritten completeMultipart(
            String key, String uploadId, List<MultipartPart> parts, Precondition condition)
            throws ObjectStoreException {
        return call("completeMultipart", () -> inner.completeMultipart(key, uploadId, parts, condition));
    }

    @Override
    public void abortMultipart(String key, String uploadId) throws ObjectStoreException {
        call("abortMultipart", () -> {
            inner.abortMultipart(key, uploadId);
            return null;
        });
    }

    @Override
    public UploadPage listMultipartUploads(String prefix, String token) throws ObjectStoreException {
        return call("listMultipartUploads", () -> inner.listMultipartUploads(prefix, token));
    }
}
