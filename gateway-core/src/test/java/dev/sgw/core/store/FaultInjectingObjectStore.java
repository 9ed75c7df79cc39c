package dev.sgw.core.store;

import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sgw.core.store.ObjectStoreException.Code;

/**
 * Wraps a store and makes chosen calls fail (s3backer's {@code test_io.c} is the model): a queue of
 * planned faults per operation, consumed one per call, and optionally every n-th call of some operations.
 * A fault {@link When#BEFORE} fails without touching the inner store; {@link When#AFTER} runs the call
 * and then reports a failure, as a connection lost after the store acted does ("a lost success").
 */
final class FaultInjectingObjectStore implements ObjectStore, UnverifiedReads {

    private volatile long unverifiedReads;

    enum When {
        BEFORE,
        AFTER
    }

    record Fault(Code code, When when) {
        static Fault before(Code code) {
            return new Fault(code, When.BEFORE);
        }

        static Fault after(Code code) {
            return new Fault(code, When.AFTER);
        }
    }

    private interface Call<T> {
        T run() throws ObjectStoreException;
    }

    private final ObjectStore inner;
    private final Map<StoreOperation, Queue<Fault>> planned = new EnumMap<>(StoreOperation.class);
    private final Map<StoreOperation, AtomicInteger> calls = new EnumMap<>(StoreOperation.class);
    private final List<Periodic> periodic = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A fault met by every n-th call among some operations, counted together. */
    private record Periodic(int period, Fault fault, Set<StoreOperation> operations, AtomicInteger counter) {
        Fault next(StoreOperation operation) {
            return operations.contains(operation) && counter.incrementAndGet() % period == 0 ? fault : null;
        }
    }

    private volatile java.util.function.Consumer<StoreOperation> onCall = operation -> {};
    private volatile boolean unverified;
    private volatile long readFaultAfter = -1;
    private volatile Code readFaultCode;

    FaultInjectingObjectStore(ObjectStore inner) {
        this.inner = inner;
        for (StoreOperation operation : StoreOperation.values()) {
            planned.put(operation, new ConcurrentLinkedQueue<>());
            calls.put(operation, new AtomicInteger());
        }
    }

    /** The next calls of {@code operation} meet these faults, one each, in order. */
    FaultInjectingObjectStore plan(StoreOperation operation, Fault... faults) {
        planned.get(operation).addAll(List.of(faults));
        return this;
    }

    /** Every {@code n}-th call among {@code operations} (counted together) meets {@code fault}. */
    FaultInjectingObjectStore every(int n, Fault fault, Set<StoreOperation> operations) {
        periodic.add(new Periodic(n, fault, Set.copyOf(operations), new AtomicInteger()));
        return this;
    }

    /** Every get body from now on fails with {@code code} once {@code bytes} of it were read. */
    FaultInjectingObjectStore failReadsAfter(long bytes, Code code) {
        readFaultCode = code;
        readFaultAfter = bytes;
        return this;
    }

    /** Runs {@code hook} at the start of every call (to move a fake clock, for instance). */
    FaultInjectingObjectStore onCall(java.util.function.Consumer<StoreOperation> hook) {
        onCall = hook;
        return this;
    }

    /** From now on, writes report {@code crc64Verified=false}, as a store without a CRC64 header does. */
    FaultInjectingObjectStore unverifiedWrites() {
        unverified = true;
        return this;
    }

    private ObjectWritten reported(ObjectWritten written) {
        return unverified
                ? new ObjectWritten(written.key(), written.etag(), written.size(), written.crc64(), false)
                : written;
    }

    /** How many times {@code operation} was called (faulty calls included). */
    int calls(StoreOperation operation) {
        return calls.get(operation).get();
    }

    private <T> T call(StoreOperation operation, Call<T> call) throws ObjectStoreException {
        calls.get(operation).incrementAndGet();
        onCall.accept(operation);
        Fault fault = planned.get(operation).poll();
        for (Periodic rule : periodic) {
            Fault due = rule.next(operation);
            fault = fault == null ? due : fault;
        }
        if (fault == null) {
            return call.run();
        }
        if (fault.when() == When.AFTER) {
            call.run();
        }
        throw new ObjectStoreException(fault.code(), "injected " + fault.when() + " " + operation);
    }

    /** Reports {@code count} whole-object reads without a CRC64, as a backend would. */
    void reportUnverifiedReads(long count) {
        unverifiedReads = count;
    }

    @Override
    public long unverifiedReads() {
        return unverifiedReads;
    }

    @Override
    public ObjectInfo head(String key) throws ObjectStoreException {
        return call(StoreOperation.HEAD, () -> inner.head(key));
    }

    @Override
    public ObjectContent get(String key, ByteRange range) throws ObjectStoreException {
        ObjectContent content = call(StoreOperation.GET, () -> inner.get(key, range));
        long failAfter = readFaultAfter;
        if (failAfter < 0) {
            return content;
        }
        Code code = readFaultCode;
        java.io.InputStream broken = new java.io.FilterInputStream(content.stream()) {
            private long delivered;

            @Override
            public int read() throws java.io.IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                if (len == 0) {
                    return 0;
                }
                if (delivered >= failAfter) {
                    throw new ObjectStoreException(code, "injected while reading " + key);
                }
                int n = in.read(b, off, (int) Math.min(len, failAfter - delivered));
                delivered += Math.max(0, n);
                return n;
            }
        };
        return new ObjectContent(content.info(), content.range(), content.length(), broken);
    }

    @Override
    public ObjectWritten put(String key, ObjectBody body, PutOptions options) throws ObjectStoreException {
        return reported(call(StoreOperation.PUT, () -> inner.put(key, body, options)));
    }

    @Override
    public void delete(String key) throws ObjectStoreException {
        call(StoreOperation.DELETE, () -> {
            inner.delete(key);
            return null;
        });
    }

    @Override
    public void deleteAll(Collection<String> keys) throws ObjectStoreException {
        call(StoreOperation.DELETE_BATCH, () -> {
            inner.deleteAll(keys);
            return null;
        });
    }

    @Override
    public ObjectWritten copy(String sourceKey, String targetKey, PutOptions options) throws ObjectStoreException {
        return reported(call(StoreOperation.COPY, () -> inner.copy(sourceKey, targetKey, options)));
    }

    @Override
    public ListPage list(ListRequest request) throws ObjectStoreException {
        return call(StoreOperation.LIST, () -> inner.list(request));
    }

    @Override
    public String startMultipart(String key, PutOptions options) throws ObjectStoreException {
        return call(StoreOperation.MULTIPART_START, () -> inner.startMultipart(key, options));
    }

    @Override
    public MultipartPart uploadPart(String key, String uploadId, int partNumber, ObjectBody body)
            throws ObjectStoreException {
        return call(StoreOperation.PART_UPLOAD, () -> inner.uploadPart(key, uploadId, partNumber, body));
    }

    @Override
    public MultipartPart uploadPartCopy(
            String key, String uploadId, int partNumber, String sourceKey, ByteRange sourceRange)
            throws ObjectStoreException {
        return call(
                StoreOperation.PART_COPY,
                () -> inner.uploadPartCopy(key, uploadId, partNumber, sourceKey, sourceRange));
    }

    @Override
    public ObjectWritten completeMultipart(
            String key, String uploadId, List<MultipartPart> parts, Precondition condition)
            throws ObjectStoreException {
        return reported(call(
                StoreOperation.MULTIPART_COMPLETE, () -> inner.completeMultipart(key, uploadId, parts, condition)));
    }

    @Override
    public void abortMultipart(String key, String uploadId) throws ObjectStoreException {
        call(StoreOperation.MULTIPART_ABORT, () -> {
            inner.abortMultipart(key, uploadId);
            return null;
        });
    }

    @Override
    public UploadPage listMultipartUploads(String prefix, String token) throws ObjectStoreException {
        return call(StoreOperation.MULTIPART_LIST, () -> inner.listMultipartUploads(prefix, token));
    }

    @Override
    public void close() throws ObjectStoreException {
        inner.close();
    }
}
