package dev.sgw.core.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import dev.sgw.core.store.ObjectStoreException.Code;
import dev.sgw.core.store.memory.MemoryObjectStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static dev.sgw.core.store.FaultInjectingObjectStore.Fault.after;
import static dev.sgw.core.store.FaultInjectingObjectStore.Fault.before;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole {@link ObjectStoreContract} against the stack the gateway wires ({@link ObjectStoreStack}),
 * over a bucket that fails now and then: every 5th request is refused as {@code THROTTLED} before the
 * store acts, and every 7th put, copy or completion acts and then reports {@code UNAVAILABLE} (a lost
 * success). The retries must hide all of it, and the prefix, meters and throttle must change nothing a
 * caller can see.
 */
class DecoratedStackContractTest extends ObjectStoreContract {

    private final MemoryObjectStore bucket = new MemoryObjectStore();
    private final FaultInjectingObjectStore faulty = new FaultInjectingObjectStore(bucket);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Override
    protected ObjectStore openStore(Path workDirectory) {
        faulty.every(5, before(Code.THROTTLED), EnumSet.allOf(StoreOperation.class));
        faulty.every(
                7,
                after(Code.UNAVAILABLE),
                Set.of(StoreOperation.PUT, StoreOperation.COPY, StoreOperation.MULTIPART_COMPLETE));
        RetryPolicy quick = new RetryPolicy(8, Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofSeconds(30));
        BandwidthLimit fast = new BandwidthLimit(1L << 30, 1L << 30); // slow enough to pass through the buckets
        return ObjectStoreStack.build(faulty, new ObjectStoreStack.Config("stack/", quick, registry, "contract", fast))
                .store();
    }

    @Test
    void theStackWritesUnderItsPrefixAndCountsWhatTheBucketSaw() throws Exception {
        put(p + "seen", new byte[123]);
        assertThat(bucket.head("stack/" + p + "seen").size()).isEqualTo(123);
        assertThat(bucket.list(ListRequest.flat(p)).objects()).isEmpty();

        double requests = registry.get(MeteredObjectStore.REQUESTS)
                .tags("resource", "contract", "operation", "put")
                .counter()
                .count();
        assertThat(requests).isEqualTo(faulty.calls(StoreOperation.PUT));
        assertThat(registry.get(MeteredObjectStore.BYTES)
                        .tags("operation", "put", "direction", "sent")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(123);
    }
}
