package dev.sgw.core.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.sgw.core.manage.CloudResource;
import dev.sgw.core.store.BandwidthLimit;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.ObjectStoreStack;
import dev.sgw.core.store.RetryPolicy;
import dev.sgw.core.store.memory.MemoryObjectStore;
import dev.sgw.core.store.oss.OssObjectStore;
import dev.sgw.core.store.oss.OssStoreConfig;
import dev.sgw.core.store.s3.S3ObjectStore;
import dev.sgw.core.store.s3.S3StoreConfig;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The object stores of the gateway's cloud resources: one backend and one decorated stack (the resource's
 * prefix, retries, bandwidth, metrics) per resource, opened on first use. MEMORY resources share one
 * in-process store per bucket name, for tests and trials.
 */
final class BucketConnections implements AutoCloseable {
    private final MeterRegistry registry;
    private final Map<String, Opened> opened = new ConcurrentHashMap<>();
    private final Map<String, MemoryObjectStore> memoryBuckets = new ConcurrentHashMap<>();

    private record Opened(CloudResource resource, ObjectStore backend, ObjectStore store) {}

    BucketConnections(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The decorated store of {@code resource}, rooted at its key prefix. */
    synchronized ObjectStore store(CloudResource resource) throws ObjectStoreException {
        Opened o = opened.get(resource.name());
        if (o != null && o.resource().equals(resource)) {
            return o.store();
        }
        if (o != null) {
            close(o);
        }
        ObjectStore backend = backend(resource);
        ObjectStore store = ObjectStoreStack.build(
                        backend,
                        new ObjectStoreStack.Config(
                                resource.keyPrefix(),
                                RetryPolicy.defaults(),
                                registry,
                                resource.name(),
                                BandwidthLimit.unlimited()))
                .store();
        opened.put(resource.name(), new Opened(resource, backend, store));
        return store;
    }

    private ObjectStore backend(CloudResource r) {
        return switch (r.kind()) {
            case MEMORY -> memoryBuckets.computeIfAbsent(r.bucket(), b -> new MemoryObjectStore());
            case S3 -> {
                S3StoreConfig.Builder b = S3StoreConfig.builder(
                                r.bucket(), r.accessKeyId(), r.secretAccessKey().reveal())
                        .pathStyleAccess(r.pathStyle());
                if (r.endpoint() != null) {
                    b.endpoint(r.endpoint());
                }
                if (r.region() != null) {
                    b.region(r.region());
                }
                yield new S3ObjectStore(b.build());
            }
            case OSS -> {
                OssStoreConfig c = OssStoreConfig.of(
                        r.endpoint(),
                        r.bucket(),
                        r.accessKeyId(),
                        r.secretAccessKey().reveal());
                if (r.region() != null) {
                    c = c.withRegion(r.region());
                }
                yield new OssObjectStore(c);
            }
        };
    }

    private static void close(Opened o) {
        try {
            o.backend().close();
        } catch (ObjectStoreException e) {
            // nothing more to do for a connection pool being dropped
        }
    }

    @Override
    public synchronized void close() {
        opened.values().forEach(BucketConnections::close);
        opened.clear();
    }
}
