package dev.sgw.core.store;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.store.ObjectStoreException.Code;
import dev.sgw.core.store.memory.MemoryObjectStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static dev.sgw.core.store.FaultInjectingObjectStore.Fault.before;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MeteredObjectStoreTest {

    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    private final MemoryObjectStore memory = new MemoryObjectStore();
    private final FaultInjectingObjectStore faulty = new FaultInjectingObjectStore(memory);
    private final MeteredObjectStore store = new MeteredObjectStore(faulty, registry, "share-a");

    @Test
    void everyOperationHasItsMetersFromTheStart() {
        for (StoreOperation operation : StoreOperation.values()) {
            assertThat(requests(operation)).isZero();
            assertThat(latency(operation).count()).isZero();
        }
        assertThat(bytes(StoreOperation.PUT, MeteredObjectStore.SENT)).isZero();
        assertThat(bytes(StoreOperation.PART_UPLOAD, MeteredObjectStore.SENT)).isZero();
        assertThat(bytes(StoreOperation.GET, MeteredObjectStore.RECEIVED)).isZero();
        assertThat(registry.get(MeteredObjectStore.CRC64_UNVERIFIED)
                        .tag("operation", "put")
                        .counter()
                        .count())
                .isZero();
    }

    @Test
    void requestsAreCountedPerOperationAndResource() throws Exception {
        store.put("a", ObjectBody.of(new byte[10]), PutOptions.defaults());
        store.head("a");
        store.head("a");
        store.copy("a", "b", PutOptions.defaults());
        store.list(ListRequest.flat(""));
        store.get("a", null).close();
        store.delete("b");
        store.deleteAll(List.of("a", "b"));
        String id = store.startMultipart("m", PutOptions.defaults());
        store.put("src", ObjectBody.of(new byte[10]), PutOptions.defaults());
        MultipartPart part = store.uploadPartCopy("m", id, 1, "src", null);
        store.completeMultipart("m", id, List.of(part), Precondition.none());
        String other = store.startMultipart("n", PutOptions.defaults());
        store.uploadPart("n", other, 1, ObjectBody.of(new byte[3]));
        store.listMultipartUploads("", null);
        store.abortMultipart("n", other);

        assertThat(requests(StoreOperation.HEAD)).isEqualTo(2);
        assertThat(requests(StoreOperation.PUT)).isEqualTo(2);
        assertThat(requests(StoreOperation.MULTIPART_START)).isEqualTo(2);
        for (StoreOperation once : List.of(
                StoreOperation.COPY,
                StoreOperation.LIST,
                StoreOperation.GET,
                StoreOperation.DELETE,
                StoreOperation.DELETE_BATCH,
                StoreOperation.PART_COPY,
                StoreOperation.PART_UPLOAD,
                StoreOperation.MULTIPART_COMPLETE,
                StoreOperation.MULTIPART_LIST,
                StoreOperation.MULTIPART_ABORT)) {
            assertThat(requests(once)).as(once.tag()).isEqualTo(1);
        }
        assertThat(registry.find(MeteredObjectStore.REQUESTS)
                        .tag("resource", "share-b")
                        .counters())
                .isEmpty();
        assertThat(registry.find(MeteredObjectStore.ERRORS).counters()).isEmpty();
    }

    @Test
    void failuresAreCountedByCodeAndStillAsRequests() {
        assertThatThrownBy(() -> store.head("missing")).isInstanceOf(ObjectStoreException.class);
        assertThatThrownBy(() -> store.head("missing")).isInstanceOf(ObjectStoreException.class);
        faulty.plan(StoreOperation.PUT, before(Code.THROTTLED));
        assertThatThrownBy(() -> store.put("k", ObjectBody.of(new byte[100]), PutOptions.defaults()))
                .isInstanceOf(ObjectStoreException.class);

        assertThat(errors(StoreOperation.HEAD, Code.NOT_FOUND)).isEqualTo(2);
        assertThat(errors(StoreOperation.PUT, Code.THROTTLED)).isEqualTo(1);
        assertThat(requests(StoreOperation.HEAD)).isEqualTo(2);
        assertThat(requests(StoreOperation.PUT)).isEqualTo(1);
        assertThat(bytes(StoreOperation.PUT, MeteredObjectStore.SENT))
                .as("a failed put sent nothing that counts")
                .isZero();
        assertThat(registry.find(MeteredObjectStore.ERRORS).counters()).hasSize(2);
    }

    @Test
    void bytesAreCountedInBothDirectionsAsTheyMove() throws Exception {
        store.put("obj", ObjectBody.of(new byte[1000]), PutOptions.defaults());
        String id = store.startMultipart("mp", PutOptions.defaults());
        store.uploadPart("mp", id, 1, ObjectBody.of(new byte[4096]));
        assertThat(bytes(StoreOperation.PUT, MeteredObjectStore.SENT)).isEqualTo(1000);
        assertThat(bytes(StoreOperation.PART_UPLOAD, MeteredObjectStore.SENT)).isEqualTo(4096);

        try (ObjectContent content = store.get("obj", null)) {
            assertThat(bytes(StoreOperation.GET, MeteredObjectStore.RECEIVED))
                    .as("nothing read yet")
                    .isZero();
            content.stream().readNBytes(300);
            assertThat(bytes(StoreOperation.GET, MeteredObjectStore.RECEIVED)).isEqualTo(300);
            content.stream().read();
            content.stream().skip(99);
            assertThat(bytes(StoreOperation.GET, MeteredObjectStore.RECEIVED)).isEqualTo(400);
            content.readAllBytes();
        }
        assertThat(bytes(StoreOperation.GET, MeteredObjectStore.RECEIVED)).isEqualTo(1000);
        try (ObjectContent content = store.get("obj", ByteRange.of(900, 500))) {
            content.readAllBytes();
        }
        assertThat(bytes(StoreOperation.GET, MeteredObjectStore.RECEIVED)).isEqualTo(1100);
    }

    @Test
    void aFailureWhileReadingAGetIsAnErrorOfTheGetOnce() throws Exception {
        store.put("obj", ObjectBody.of(new byte[100]), PutOptions.defaults());
        faulty.failReadsAfter(40, Code.INTEGRITY);
        ObjectContent content = store.get("obj", null);
        assertThatThrownBy(content::readAllBytes).isInstanceOf(ObjectStoreException.class);
        assertThatThrownBy(content::readAllBytes).isInstanceOf(ObjectStoreException.class);
        assertThat(errors(StoreOperation.GET, Code.INTEGRITY)).isEqualTo(1);
        assertThat(bytes(StoreOperation.GET, MeteredObjectStore.RECEIVED)).isEqualTo(40);
    }

    @Test
    void latencyIsTimedForEveryCallIntoAHistogram() throws Exception {
        faulty.onCall(operation -> clock.add(operation == StoreOperation.HEAD ? 250 : 10, TimeUnit.MILLISECONDS));
        store.put("k", ObjectBody.of(new byte[1]), PutOptions.defaults());
        store.head("k");
        assertThatThrownBy(() -> store.head("absent")).isInstanceOf(ObjectStoreException.class);

        Timer heads = latency(StoreOperation.HEAD);
        assertThat(heads.count()).isEqualTo(2);
        assertThat(heads.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(500);
        assertThat(heads.max(TimeUnit.MILLISECONDS)).isEqualTo(250);
        assertThat(latency(StoreOperation.PUT).totalTime(TimeUnit.MILLISECONDS)).isEqualTo(10);
    }

    @Test
    void latencyTimersPublishAPercentileHistogram() {
        SimpleMeterRegistry watched = new SimpleMeterRegistry();
        List<String> histograms = new java.util.ArrayList<>();
        watched.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (Boolean.TRUE.equals(config.isPercentileHistogram())) {
                    histograms.add(id.getName() + " " + id.getTag("operation"));
                }
                return config;
            }
        });
        new MeteredObjectStore(memory, watched, "share-h");
        assertThat(histograms)
                .hasSize(StoreOperation.values().length)
                .allSatisfy(name -> assertThat(name).startsWith(MeteredObjectStore.LATENCY))
                .contains(MeteredObjectStore.LATENCY + " get", MeteredObjectStore.LATENCY + " multipart_complete");
    }

    @Test
    void writesWithoutAVerifiedCrc64AreCounted() throws Exception {
        store.put("verified", ObjectBody.of(new byte[5]), PutOptions.defaults());
        faulty.unverifiedWrites();
        store.put("k", ObjectBody.of(new byte[5]), PutOptions.defaults());
        store.put("k", ObjectBody.of(new byte[6]), PutOptions.defaults());
        store.copy("k", "c", PutOptions.defaults());
        Counter puts = registry.get(MeteredObjectStore.CRC64_UNVERIFIED)
                .tags("resource", "share-a", "operation", "put")
                .counter();
        assertThat(puts.count()).isEqualTo(2);
        assertThat(registry.get(MeteredObjectStore.CRC64_UNVERIFIED)
                        .tag("operation", "copy")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void readsTheBackendCouldNotCheckArePublished() {
        FunctionCounter gets = registry.get(MeteredObjectStore.CRC64_UNVERIFIED)
                .tags("resource", "share-a", "operation", "get")
                .functionCounter();
        assertThat(gets.count()).isZero();
        faulty.reportUnverifiedReads(3);
        assertThat(gets.count()).isEqualTo(3);
    }

    private double requests(StoreOperation operation) {
        return registry.get(MeteredObjectStore.REQUESTS)
                .tags("resource", "share-a", "operation", operation.tag())
                .counter()
                .count();
    }

    private double errors(StoreOperation operation, Code code) {
        return registry.get(MeteredObjectStore.ERRORS)
                .tags("resource", "share-a", "operation", operation.tag(), "code", code.name())
                .counter()
                .count();
    }

    private Timer latency(StoreOperation operation) {
        return registry.get(MeteredObjectStore.LATENCY)
                .tags("resource", "share-a", "operation", operation.tag())
                .timer();
    }

    private double bytes(StoreOperation operation, String direction) {
        return registry.get(MeteredObjectStore.BYTES)
                .tags("resource", "share-a", "operation", operation.tag(), "direction", direction)
                .counter()
                .count();
    }
}
