package dev.sgw.core.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * Counts what a store is asked to do, for one cloud resource: the basis of per-share request accounting
 * and of the backend-error alarms. Every meter carries the tags {@code resource} (the name given) and
 * {@code operation} (a {@link StoreOperation#tag()}):
 *
 * <table>
 *   <caption>The meters (names only here)</caption>
 *   <tr><th>name</th><th>kind</th><th>more tags</th><th>counts</th></tr>
 *   <tr><td>{@value #REQUESTS}</td><td>counter</td><td></td><td>every call, failed or not</td></tr>
 *   <tr><td>{@value #ERRORS}</td><td>counter</td><td>{@code code}</td><td>failed calls by
 *       {@link ObjectStoreException.Code} ({@code OTHER} for any other exception); for get, also a failure
 *       while the body is read (at most one per get)</td></tr>
 *   <tr><td>{@value #LATENCY}</td><td>timer, percentile histogram</td><td></td><td>the duration of each
 *       call; for get, until the body is open (the first byte), not until it is read</td></tr>
 *   <tr><td>{@value #BYTES}</td><td>counter (bytes)</td><td>{@code direction=sent|received}</td><td>sent:
 *       the body of each successful put and part upload; received: the bytes of a get as the caller reads
 *       them</td></tr>
 *   <tr><td>{@value #CRC64_UNVERIFIED}</td><td>counter</td><td></td><td>puts, copies and completions that
 *       returned {@code crc64Verified=false}; with {@code operation=get}, whole-object reads the backend could
 *       not check (when the backend is {@link UnverifiedReads})</td></tr>
 * </table>
 *
 * <p>It does not retry, change or delay anything. Where it sits in the stack decides what it counts:
 * below the retries it counts each request the store received (what the store bills), which is where
 * {@link ObjectStoreStack} puts it. Server-side copies move no bytes through the gateway and count none.
 */
public final class MeteredObjectStore extends ForwardingObjectStore {

    public static final String REQUESTS = "sgw.objectstore.requests";
    public static final String ERRORS = "sgw.objectstore.errors";
    public static final String LATENCY = "sgw.objectstore.latency";
    public static final String BYTES = "sgw.objectstore.bytes";
    public static final String CRC64_UNVERIFIED = "sgw.objectstore.crc64.unverified";

    public static final String TAG_RESOURCE = "resource";
    public static final String TAG_OPERATION = "operation";
    public static final String TAG_CODE = "code";
    public static final String TAG_DIRECTION = "direction";
    public static final String SENT = "sent";
    public static final String RECEIVED = "received";

    private record Meters(Tags tags, Counter requests, Timer latency) {}

    private final MeterRegistry registry;
    private final Map<StoreOperation, Meters> meters = new EnumMap<>(StoreOperation.class);
    private final Counter bytesSentByPut;
    private final Counter bytesSentByPart;
    private final Counter bytesReceived;

    public MeteredObjectStore(ObjectStore inner, MeterRegistry registry, String resource) {
        super(inner);
        this.registry = Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(resource, "resource");
        for (StoreOperation operation : StoreOperation.values()) {
            Tags tags = Tags.of(TAG_RESOURCE, resource, TAG_OPERATION, operation.tag());
            meters.put(
                    operation,
                    new Meters(
                            tags,
                            Counter.builder(REQUESTS)
                                    .tags(tags)
                                    .description("object-store requests")
                                    .register(registry),
                            Timer.builder(LATENCY)
                                    .tags(tags)
                                    .description("object-store request latency")
                                    .publishPercentileHistogram()
                                    .register(registry)));
        }
        bytesSentByPut = bytes(StoreOperation.PUT, SENT);
        bytesSentByPart = bytes(StoreOperation.PART_UPLOAD, SENT);
        bytesReceived = bytes(StoreOperation.GET, RECEIVED);
        for (StoreOperation write :
                List.of(StoreOperation.PUT, StoreOperation.COPY, StoreOperation.MULTIPART_COMPLETE)) {
            unverified(write);
        }
        if (inner instanceof UnverifiedReads reads) {
            FunctionCounter.builder(CRC64_UNVERIFIED, reads, UnverifiedReads::unverifiedReads)
                    .tags(meters.get(StoreOperation.GET).tags)
                    .description("whole-object reads the store gave no CRC64 to check")
                    .register(registry);
        }
    }

    @Override
    public ObjectContent get(String key, ByteRange range) throws ObjectStoreException {
        ObjectContent content = super.get(key, range);
        return new ObjectContent(
                content.info(), content.range(), content.length(), new CountingStream(content.stream()));
    }

    @Override
    public ObjectWritten put(String key, ObjectBody body, PutOptions options) throws ObjectStoreException {
        ObjectWritten written = super.put(key, body, options);
        bytesSentByPut.increment((double) body.length());
        return checked(StoreOperation.PUT, written);
    }

    @Override
    public ObjectWritten copy(String sourceKey, String targetKey, PutOptions options) throws ObjectStoreException {
        return checked(StoreOperation.COPY, super.copy(sourceKey, targetKey, options));
    }

    @Override
    public MultipartPart uploadPart(String key, String uploadId, int partNumber, ObjectBody body)
            throws ObjectStoreException {
        MultipartPart part = super.uploadPart(key, uploadId, partNumber, body);
        bytesSentByPart.increment((double) body.length());
        return part;
    }

    @Override
    public ObjectWritten completeMultipart(
            String key, String uploadId, List<MultipartPart> parts, Precondition condition)
            throws ObjectStoreException {
        return checked(StoreOperation.MULTIPART_COMPLETE, super.completeMultipart(key, uploadId, parts, condition));
    }

    /** Counts the call, its duration and its failure, if it fails. */
    @Override
    protected <T> T forward(StoreOperation operation, StoreCall<T> call) throws ObjectStoreException {
        Meters m = meters.get(operation);
        m.requests.increment();
        long start = registry.config().clock().monotonicTime();
        try {
            return call.run();
        } catch (ObjectStoreException e) {
            error(operation, e.code().name());
            throw e;
        } catch (RuntimeException e) {
            error(operation, ObjectStoreException.Code.OTHER.name());
            throw e;
        } finally {
            m.latency.record(registry.config().clock().monotonicTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private void error(StoreOperation operation, String code) {
        registry.counter(ERRORS, meters.get(operation).tags.and(TAG_CODE, code)).increment();
    }

    private ObjectWritten checked(StoreOperation operation, ObjectWritten written) {
        if (!written.crc64Verified()) {
            unverified(operation).increment();
        }
        return written;
    }

    private Counter unverified(StoreOperation operation) {
        return registry.counter(CRC64_UNVERIFIED, meters.get(operation).tags);
    }

    private Counter bytes(StoreOperation operation, String direction) {
        return Counter.builder(BYTES)
                .tags(meters.get(operation).tags.and(TAG_DIRECTION, direction))
                .baseUnit("bytes")
                .description("object-store payload bytes")
                .register(registry);
    }

    /** Counts the bytes of a get as they are read, and the first failure while reading. */
    private final class CountingStream extends FilterInputStream {
        private boolean failed;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = (int) counted(() -> in.read());
            if (b >= 0) {
                bytesReceived.increment();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = (int) counted(() -> in.read(b, off, len));
            if (n > 0) {
                bytesReceived.increment(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = counted(() -> in.skip(n));
            if (skipped > 0) {
                bytesReceived.increment((double) skipped);
            }
            return skipped;
        }

        private long counted(StreamRead read) throws IOException {
            try {
                return read.run();
            } catch (IOException e) {
                if (!failed) {
                    failed = true;
                    error(
                            StoreOperation.GET,
                            e instanceof ObjectStoreException ose
                                    ? ose.code().name()
                                    : ObjectStoreException.Code.OTHER.name());
                }
                throw e;
            }
        }
    }

    private interface StreamRead {
        long run() throws IOException;
    }
}
