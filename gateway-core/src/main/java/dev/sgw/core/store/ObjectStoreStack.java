package dev.sgw.core.store;

import java.util.Objects;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Builds the decorated store of one cloud resource, top to bottom:
 *
 * <pre>
 *   PrefixedObjectStore      keys of the resource -> keys of the bucket
 *    RetryingObjectStore     THROTTLED / UNAVAILABLE sent again with jittered backoff
 *     ThrottledObjectStore   upload and download bandwidth
 *      MeteredObjectStore    requests, errors, latency, bytes: what the bucket saw
 *       backend              s3, oss or memory
 * </pre>
 *
 * <p>Why this order: the prefix goes on once, at the top, so every layer below (retry log lines, the
 * retry's check for a lost success) works with the bucket's real keys. The retries sit above the throttle
 * and the meters because each attempt really is another request: it uses the link again (so it pays for
 * bandwidth again) and the store receives, bills and rate-limits it (so it is counted, and a
 * {@code THROTTLED} answer shows up in the error counter even when the retry then succeeds, which is
 * what a throttling alarm needs). The meters sit below the throttle so that the latency histogram
 * measures the store, not our own bandwidth waits. Client-side encryption, when it comes, belongs just
 * below the prefix and above the retries: content is encrypted once and retries resend the same bytes.
 *
 * <p>The stack owns the backend: closing {@link #store()} closes it.
 */
public final class ObjectStoreStack {

    /**
     * What a cloud resource configures of its stack.
     *
     * @param prefix    the key prefix, {@code ""} or ending in {@code "/"}
     * @param retry     how retryable failures are retried
     * @param registry  where the meters go
     * @param resource  the resource's name, the {@code resource} tag of every meter
     * @param bandwidth the initial bandwidth limit
     */
    public record Config(
            String prefix, RetryPolicy retry, MeterRegistry registry, String resource, BandwidthLimit bandwidth) {
        public Config {
            PrefixedObjectStore.checkPrefix(prefix);
            Objects.requireNonNull(retry, "retry");
            Objects.requireNonNull(registry, "registry");
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(bandwidth, "bandwidth");
        }
    }

    private final ObjectStore store;
    private final ThrottledObjectStore throttle;

    private ObjectStoreStack(ObjectStore store, ThrottledObjectStore throttle) {
        this.store = store;
        this.throttle = throttle;
    }

    /** Wraps {@code backend} in the decorators, in the order above. */
    public static ObjectStoreStack build(ObjectStore backend, Config config) {
        MeteredObjectStore metered = new MeteredObjectStore(backend, config.registry(), config.resource());
        ThrottledObjectStore throttled = new ThrottledObjectStore(metered, config.bandwidth());
        RetryingObjectStore retrying = new RetryingObjectStore(throttled, config.retry());
        return new ObjectStoreStack(new PrefixedObjectStore(retrying, config.prefix()), throttled);
    }

    /** The top of the stack, the store the rest of the gateway uses. */
    public ObjectStore store() {
        return store;
    }

    /** Changes the bandwidth limit while running. */
    public void setBandwidth(BandwidthLimit limit) {
        throttle.setLimit(limit);
    }

    /** The bandwidth limit in force. */
    public BandwidthLimit bandwidth() {
        return throttle.limit();
    }
}
