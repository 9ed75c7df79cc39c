package dev.sgw.core.block;

import java.util.Collection;
import java.util.EnumMap;
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
import dev.sgw.core.store.StoreOperation;
import dev.sgw.core.store.UploadPage;

/**
 * A store wrapper for fault injection: counts calls (and PUTs per key), can be switched "down" (every call
 * fails with {@code UNAVAILABLE} before reaching the inner store, as during a bucket outage), runs a hook
 * before each PUT or DELETE reaches the inner store (to hold one back, or to slow PUTs down) and one after
 * each GET got its answer (to hold a reader between its GET and what it does with the bytes).
 */
final class ScriptedObjectStore implements ObjectStore {

    /** Runs before a PUT or DELETE of {@code key} goes to the inner store. */
    @FunctionalInterface
    interface WriteHook {
        void before(StoreOperation operation, String key) throws ObjectStoreException;
    }

    private final ObjectStore inner;
    private final Map<StoreOperation, AtomicInteger> calls = new EnumMap<>(StoreOperation.class);
    private final Map<String, AtomicInteger> putsByKey = new ConcurrentHashMap<>();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean down;
    private volatile WriteHook writeHook = (operation, key) -> {};
    private final boolean ownsInner;
    private volatile java.util.function.Consumer<String> afterGet = key -> {};

    ScriptedObjectStore(ObjectStore inner) {
        this(inner, true);
    }

    private ScriptedObjectStore(ObjectStore inner, boolean ownsInner) {
        this.inner = inner;
        this.ownsInner = ownsInner;
        for (StoreOperation op : StoreOperation.values()) {
            calls.put(op, new AtomicInteger());
        }
    }

    /** A wrapper whose {@code close} leaves {@code inner} open (a client shared by several tests). */
    static ScriptedObjectStore borrowing(ObjectStore inner) {
        return new ScriptedObjectStore(inner, false);
    }

    /** Every call fails with {@code UNAVAILABLE} while down. */
    void setDown(boolean isDown) {
        down = isDown;
    }

    /** Runs {@code hook} after each GET got its answer from the inner store (or its NOT_FOUND), before returning it. */
    void afterGet(java.util.function.Consumer<String> hook) {
        afterGet = hook;
    }

    void onWrite(WriteHook hook) {
        writeHook = hook;
    }

    int calls(StoreOperation op) {
        return calls.get(op).get();
    }

    int puts(String key) {
        AtomicInteger n = putsByKey.get(key);
        return n == null ? 0 : n.get();
    }

    /** Calls refused because the store was down. */
    int refused() {
        return refused.get();
    }

    private void enter(StoreOperation op, String key) throws ObjectStoreException {
        calls.get(op).incrementAndGet();
        if (down) {
            refused.incrementAndGet();
            throw new ObjectStoreException(
                    ObjectStoreException.Code.UNAVAILABLE, "injected outage: " + op.tag() + " " + key);
        }
    }

    @Override
    public ObjectInfo head(String key) throws ObjectStoreException {
        enter(StoreOperation.HEAD, key);
        return inner.head(key);
    }

    @Override
    public ObjectContent get(String key, ByteRange range) throws ObjectStoreException {
        enter(StoreOperation.GET, key);
        ObjectContent content;
        try {
            content = inner.get(key, range);
        } catch (ObjectStoreException e) {
            afterGet.accept(key);
            throw e;
        }
        afterGet.accept(key);
        return content;
    }

    @Override
    public ObjectWritten put(String key, ObjectBody body, PutOptions options) throws ObjectStoreException {
        enter(StoreOperation.PUT, key);
        writeHook.before(StoreOperation.PUT, key);
        putsByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        return inner.put(key, body, options);
    }

    @Override
    public void delete(String key) throws ObjectStoreException {
        enter(StoreOperation.DELETE, key);
        writeHook.before(StoreOperation.DELETE, key);
        inner.delete(key);
    }

    @Override
    public void deleteAll(Collection<String> keys) throws ObjectStoreException {
        enter(StoreOperation.DELETE_BATCH, String.valueOf(keys));
        inner.deleteAll(keys);
    }

    @Override
    public ObjectWritten copy(String sourceKey, String targetKey, PutOptions options) throws ObjectStoreException {
        enter(StoreOperation.COPY, targetKey);
        return inner.copy(sourceKey, targetKey, options);
    }

    @Override
    public ListPage list(ListRequest request) throws ObjectStoreException {
        enter(StoreOperation.LIST, request.prefix());
        return inner.list(request);
    }

    @Override
    public String startMultipart(String key, PutOptions options) throws ObjectStoreException {
        enter(StoreOperation.MULTIPART_START, key);
        return inner.startMultipart(key, options);
    }

    @Override
    public MultipartPart uploadPart(String key, String uploadId, int partNumber, ObjectBody body)
            throws ObjectStoreException {
        enter(StoreOperation.PART_UPLOAD, key);
        return inner.uploadPart(key, uploadId, partNumber, body);
    }

    @Override
    public MultipartPart uploadPartCopy(
            String key, String uploadId, int partNumber, String sourceKey, ByteRange sourceRange)
            throws ObjectStoreException {
        enter(StoreOperation.PART_COPY, key);
        return inner.uploadPartCopy(key, uploadId, partNumber, sourceKey, sourceRange);
    }

    @Override
    public ObjectWritten completeMultipart(
            String key, String uploadId, List<MultipartPart> parts, Precondition condition)
            throws ObjectStoreException {
        enter(StoreOperation.MULTIPART_COMPLETE, key);
        return inner.completeMultipart(key, uploadId, parts, condition);
    }

    @Override
    public void abortMultipart(String key, String uploadId) throws ObjectStoreException {
        enter(StoreOperation.MULTIPART_ABORT, key);
        inner.abortMultipart(key, uploadId);
    }

    @Override
    public UploadPage listMultipartUploads(String prefix, String token) throws ObjectStoreException {
        enter(StoreOperation.MULTIPART_LIST, prefix);
        return inner.listMultipartUploads(prefix, token);
    }

    @Override
    public void close() throws ObjectStoreException {
        if (ownsInner) {
            inner.close();
        }
    }
}
