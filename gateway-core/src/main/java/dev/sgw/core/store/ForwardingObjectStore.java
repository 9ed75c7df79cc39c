package dev.sgw.core.store;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * An {@link ObjectStore} that passes every call to an inner store, for decorators to extend (in the
 * spirit of Guava's {@code Forwarding*} classes). A decorator overrides the calls it changes, calling
 * {@code super} to reach the inner store, and overrides {@link #forward} to act on every call by its
 * {@link StoreOperation} (count it, time it, fail it). Every call but {@link #close()} goes through
 * {@code forward}; {@code close} closes the inner store.
 */
public abstract class ForwardingObjectStore implements ObjectStore {

    /** One call to the inner store. */
    @FunctionalInterface
    protected interface StoreCall<T> {
        T run() throws ObjectStoreException;
    }

    private final ObjectStore inner;

    protected ForwardingObjectStore(ObjectStore inner) {
        this.inner = Objects.requireNonNull(inner, "inner");
    }

    /** The store calls are passed to. */
    protected final ObjectStore inner() {
        return inner;
    }

    /** Makes {@code call}, a call of {@code operation} to the inner store. Here it only runs it. */
    protected <T> T forward(StoreOperation operation, StoreCall<T> call) throws ObjectStoreException {
        return call.run();
    }

    @Override
    public ObjectInfo head(String key) throws ObjectStoreException {
        return forward(StoreOperation.HEAD, () -> inner.head(key));
    }

    @Override
    public ObjectContent get(String key, ByteRange range) throws ObjectStoreException {
        return forward(StoreOperation.GET, () -> inner.get(key, range));
    }

    @Override
    public ObjectWritten put(String key, ObjectBody body, PutOptions options) throws ObjectStoreException {
        return forward(StoreOperation.PUT, () -> inner.put(key, body, options));
    }

    @Override
    public void delete(String key) throws ObjectStoreException {
        forward(StoreOperation.DELETE, () -> {
            inner.delete(key);
            return null;
        });
    }

    @Override
    public void deleteAll(Collection<String> keys) throws ObjectStoreException {
        forward(StoreOperation.DELETE_BATCH, () -> {
            inner.deleteAll(keys);
            return null;
        });
    }

    @Override
    public ObjectWritten copy(String sourceKey, String targetKey, PutOptions options) throws ObjectStoreException {
        return forward(StoreOperation.COPY, () -> inner.copy(sourceKey, targetKey, options));
    }

    @Override
    public ListPage list(ListRequest request) throws ObjectStoreException {
        return forward(StoreOperation.LIST, () -> inner.list(request));
    }

    @Override
    public String startMultipart(String key, PutOptions options) throws ObjectStoreException {
        return forward(StoreOperation.MULTIPART_START, () -> inner.startMultipart(key, options));
    }

    @Override
    public MultipartPart uploadPart(String key, String uploadId, int partNumber, ObjectBody body)
            throws ObjectStoreException {
        return forward(StoreOperation.PART_UPLOAD, () -> inner.uploadPart(key, uploadId, partNumber, body));
    }

    @Override
    public MultipartPart uploadPartCopy(
            String key, String uploadId, int partNumber, String sourceKey, ByteRange sourceRange)
            throws ObjectStoreException {
        return forward(
                StoreOperation.PART_COPY,
                () -> inner.uploadPartCopy(key, uploadId, partNumber, sourceKey, sourceRange));
    }

    @Override
    public ObjectWritten completeMultipart(
            String key, String uploadId, List<MultipartPart> parts, Precondition condition)
            throws ObjectStoreException {
        return forward(
                StoreOperation.MULTIPART_COMPLETE, () -> inner.completeMultipart(key, uploadId, parts, condition));
    }

    @Override
    public void abortMultipart(String key, String uploadId) throws ObjectStoreException {
        forward(StoreOperation.MULTIPART_ABORT, () -> {
            inner.abortMultipart(key, uploadId);
            return null;
        });
    }

    @Override
    public UploadPage listMultipartUploads(String prefix, String token) throws ObjectStoreException {
        return forward(StoreOperation.MULTIPART_LIST, () -> inner.listMultipartUploads(prefix, token));
    }

    @Override
    public void close() throws ObjectStoreException {
        inner.close();
    }
}
