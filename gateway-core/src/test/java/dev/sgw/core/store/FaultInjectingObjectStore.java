package dev.sgw.core.store;

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
final class FaultInjectingObjectStore extends ForwardingObjectStore implements UnverifiedReads {

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
        super(inner);
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

    /** Counts the call and meets the fault planned for it, if any. */
    @Override
    protected <T> T forward(StoreOperation operation, StoreCall<T> call) throws ObjectStoreException {
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
    public ObjectContent get(String key, ByteRange range) throws ObjectStoreException {
        ObjectContent content = super.get(key, range);
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
        return reported(super.put(key, body, options));
    }

    @Override
    public ObjectWritten copy(String sourceKey, String targetKey, PutOptions options) throws ObjectStoreException {
        return reported(super.copy(sourceKey, targetKey, options));
    }

    @Override
    public ObjectWritten completeMultipart(
            String key, String uploadId, List<MultipartPart> parts, Precondition condition)
            throws ObjectStoreException {
        return reported(super.completeMultipart(key, uploadId, parts, condition));
    }
}
