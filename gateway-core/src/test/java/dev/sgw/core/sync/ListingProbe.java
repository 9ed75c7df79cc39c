package dev.sgw.core.sync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

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
 * Wraps a store to watch and disturb its listings, for fault injection: records each listing request and
 * the keys it returned, fails chosen list calls, delays them, and tracks how many run at once. Every
 * other call passes through.
 */
final class ListingProbe implements ObjectStore {

    private final ObjectStore inner;
    private final List<ListRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> listedKeys = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile Function<ListRequest, ObjectStoreException> fault = request -> null;
    private volatile long delayMillis;

    ListingProbe(ObjectStore inner) {
        this.inner = inner;
    }

    /** List calls from now on fail with what {@code rule} returns for them (null: no fault). */
    ListingProbe failWhen(Function<ListRequest, ObjectStoreException> rule) {
        fault = rule;
        return this;
    }

    /** The list calls after the next {@code calls} ones fail with {@code code}. */
    ListingProbe failAfter(int calls, ObjectStoreException.Code code) {
        AtomicInteger left = new AtomicInteger(calls);
        return failWhen(request -> left.getAndDecrement() > 0 ? null : new ObjectStoreException(code, "injected"));
    }

    ListingProbe healthy() {
        return failWhen(request -> null);
    }

    ListingProbe delay(long millis) {
        delayMillis = millis;
        return this;
    }

    List<ListRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    List<String> listedKeys() {
        synchronized (listedKeys) {
            return List.copyOf(listedKeys);
        }
    }

    void forget() {
        requests.clear();
        listedKeys.clear();
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    @Override
    public ListPage list(ListRequest request) throws ObjectStoreException {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            requests.add(request);
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            ObjectStoreException failure = fault.apply(request);
            if (failure != null) {
                throw failure;
            }
            ListPage page = inner.list(request);
            page.objects().forEach(o -> listedKeys.add(o.key()));
            return page;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObjectStoreException(ObjectStoreException.Code.UNAVAILABLE, "interrupted");
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public ObjectInfo head(String key) throws ObjectStoreException {
        return inner.head(key);
    }

    @Override
    public ObjectContent get(String key, ByteRange range) throws ObjectStoreException {
        return inner.get(key, range);
    }

    @Override
    public ObjectWritten put(String key, ObjectBody body, PutOptions options) throws ObjectStoreException {
        return inner.put(key, body, options);
    }

    @Override
    public void delete(String key) throws ObjectStoreException {
        inner.delete(key);
    }

    @Override
    public void deleteAll(Collection<String> keys) throws ObjectStoreException {
        inner.deleteAll(keys);
    }

    @Override
    public ObjectWritten copy(String sourceKey, String targetKey, PutOptions options) throws ObjectStoreException {
        return inner.copy(sourceKey, targetKey, options);
    }

    @Override
    public String startMultipart(String key, PutOptions options) throws ObjectStoreException {
        return inner.startMultipart(key, options);
    }

    @Override
    public MultipartPart uploadPart(String key, String uploadId, int partNumber, ObjectBody body)
            throws ObjectStoreException {
        return inner.uploadPart(key, uploadId, partNumber, body);
    }

    @Override
    public MultipartPart uploadPartCopy(String key, String uploadId, int partNumber, String sourceKey, ByteRange range)
            throws ObjectStoreException {
        return inner.uploadPartCopy(key, uploadId, partNumber, sourceKey, range);
    }

    @Override
    public ObjectWritten completeMultipart(
            String key, String uploadId, List<MultipartPart> parts, Precondition condition)
            throws ObjectStoreException {
        return inner.completeMultipart(key, uploadId, parts, condition);
    }

    @Override
    public void abortMultipart(String key, String uploadId) throws ObjectStoreException {
        inner.abortMultipart(key, uploadId);
    }

    @Override
    public UploadPage listMultipartUploads(String prefix, String token) throws ObjectStoreException {
        return inner.listMultipartUploads(prefix, token);
    }

    @Override
    public void close() throws ObjectStoreException {
        inner.close();
    }
}
