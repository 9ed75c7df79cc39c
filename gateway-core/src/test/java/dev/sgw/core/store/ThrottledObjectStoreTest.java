package dev.sgw.core.store;

import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.store.ObjectStoreException.Code;
import dev.sgw.core.store.memory.MemoryObjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ThrottledObjectStoreTest {

    private static final double SECOND = 1e9;

    private final MemoryObjectStore memory = new MemoryObjectStore();
    private final FaultInjectingObjectStore counting = new FaultInjectingObjectStore(memory);
    private final FakeStoreClock clock = new FakeStoreClock();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    private ThrottledObjectStore throttled(long up, long down) {
        return new ThrottledObjectStore(counting, new BandwidthLimit(up, down), clock);
    }

    @Test
    void uploadingNBytesAtLBytesPerSecondWaitsNOverLInSlices() throws Exception {
        ThrottledObjectStore store = throttled(1_000_000, 0);
        store.put("k", ObjectBody.of(new byte[3_000_000]), PutOptions.defaults());
        assertThat(clock.totalWaitNanos() / SECOND).isCloseTo(3.0, within(0.01));
        assertThat(clock.waits())
                .hasSizeGreaterThanOrEqualTo(30)
                .allSatisfy(wait -> assertThat(wait).isLessThanOrEqualTo((long) (0.1 * SECOND) + 1));

        String id = store.startMultipart("mp", PutOptions.defaults());
        store.uploadPart("mp", id, 1, ObjectBody.of(new byte[2_000_000]));
        assertThat(clock.totalWaitNanos() / SECOND).isCloseTo(5.0, within(0.01));
        assertThat(memory.head("k").size()).isEqualTo(3_000_000);
    }

    @Test
    void oneLargeBodyNeedsNoLargeBurst() throws Exception {
        TokenBucket bucket = new TokenBucket(clock, 10 * 1024 * 1024);
        bucket.acquire(64 * 1024 * 1024); // what a 64 MiB put asks of the upload bucket
        assertThat(clock.totalWaitNanos() / SECOND).isCloseTo(6.4, within(0.01));
        assertThat(clock.waits())
                .hasSizeGreaterThanOrEqualTo(64)
                .allSatisfy(wait -> assertThat(wait).isLessThanOrEqualTo((long) (0.1 * SECOND) + 1));
    }

    @Test
    void downloadsArePacedAsTheCallerReads() throws Exception {
        memory.put("k", ObjectBody.of(new byte[50_000]), PutOptions.defaults());
        ThrottledObjectStore store = throttled(0, 100_000);
        try (ObjectContent content = store.get("k", null)) {
            assertThat(clock.waits()).as("opening costs nothing").isEmpty();
            assertThat(content.stream().readNBytes(10_000)).hasSize(10_000);
            assertThat(clock.totalWaitNanos() / SECOND).isCloseTo(0.1, within(0.001));
            content.stream().skip(5_000);
            content.stream().read();
            assertThat(content.readAllBytes()).hasSize(34_999);
        }
        assertThat(clock.totalWaitNanos() / SECOND).isCloseTo(0.5, within(0.001));
        assertThat(clock.waits()).allSatisfy(wait -> assertThat(wait).isLessThanOrEqualTo((long) (0.1 * SECOND) + 1));
    }

    @Test
    void zeroMeansUnlimitedAndEachDirectionHasItsOwnLimit() throws Exception {
        ThrottledObjectStore unlimited = throttled(0, 0);
        unlimited.put("k", ObjectBody.of(new byte[5_000_000]), PutOptions.defaults());
        unlimited.get("k", null).readAllBytes();
        assertThat(clock.waits()).isEmpty();

        throttled(1_000, 0).get("k", null).readAllBytes();
        assertThat(clock.waits()).as("an upload limit does not slow downloads").isEmpty();
        throttled(0, 1_000).put("k2", ObjectBody.of(new byte[100_000]), PutOptions.defaults());
        assertThat(clock.waits()).as("a download limit does not slow uploads").isEmpty();
    }

    @Test
    void idleTimeEarnsABurstOfAFifthOfASecondAtMost() throws Exception {
        ThrottledObjectStore store = throttled(1_000_000, 0);
        clock.advance(TimeUnit.SECONDS.toNanos(10));
        store.put("a", ObjectBody.of(new byte[200_000]), PutOptions.defaults());
        assertThat(clock.totalWaitNanos()).isZero();
        store.put("b", ObjectBody.of(new byte[100_000]), PutOptions.defaults());
        assertThat(clock.totalWaitNanos() / SECOND).isCloseTo(0.1, within(0.001));
    }

    @Test
    void theLimitCanChangeWhileRunning() throws Exception {
        ThrottledObjectStore store = throttled(1_000_000, 0);
        store.put("a", ObjectBody.of(new byte[1_000_000]), PutOptions.defaults());
        assertThat(clock.totalWaitNanos() / SECOND).isCloseTo(1.0, within(0.01));

        store.setLimit(new BandwidthLimit(4_000_000, 0));
        assertThat(store.limit().uploadBytesPerSecond()).isEqualTo(4_000_000);
        store.put("b", ObjectBody.of(new byte[1_000_000]), PutOptions.defaults());
        assertThat(clock.totalWaitNanos() / SECOND).isCloseTo(1.25, within(0.01));

        store.setLimit(BandwidthLimit.unlimited());
        int waits = clock.waits().size();
        store.put("c", ObjectBody.of(new byte[1_000_000]), PutOptions.defaults());
        assertThat(clock.waits()).hasSize(waits);
    }

    @Test
    void anInterruptedUploadSendsNothingAndKeepsTheInterrupt() {
        ThrottledObjectStore store = throttled(1_000, 0);
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> store.put("k", ObjectBody.of(new byte[10_000]), PutOptions.defaults()))
                .isInstanceOf(ObjectStoreException.class)
                .satisfies(e -> assertThat(((ObjectStoreException) e).code()).isEqualTo(Code.UNAVAILABLE));
        assertThat(Thread.interrupted()).isTrue();
        assertThat(counting.calls(StoreOperation.PUT)).isZero();
    }

    @Test
    void anInterruptedReadThrowsInterruptedIoAndKeepsTheInterrupt() throws Exception {
        memory.put("k", ObjectBody.of(new byte[10_000]), PutOptions.defaults());
        ThrottledObjectStore store = throttled(0, 1_000);
        try (ObjectContent content = store.get("k", null)) {
            Thread.currentThread().interrupt();
            assertThatThrownBy(content::readAllBytes).isInstanceOf(InterruptedIOException.class);
            assertThat(Thread.interrupted()).isTrue();
        }
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> new BandwidthLimit(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BandwidthLimit(0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(BandwidthLimit.unlimited().isUnlimited()).isTrue();
    }

    @Test
    void concurrentUploadersShareTheLimitInRealTime() throws Exception {
        ThrottledObjectStore store = new ThrottledObjectStore(memory, new BandwidthLimit(400_000, 0));
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> uploads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String key = "k" + i;
                uploads.add(pool.submit(() -> store.put(key, ObjectBody.of(new byte[40_000]), PutOptions.defaults())));
            }
            for (Future<?> upload : uploads) {
                upload.get(10, TimeUnit.SECONDS);
            }
        }
        // 160,000 bytes at 400,000 bytes/s from an empty bucket: 0.4 s at least
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(380));
        assertThat(memory.list(ListRequest.flat("k")).objects()).hasSize(4);
    }
}
