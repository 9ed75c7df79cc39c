package dev.sgw.core.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;

import dev.sgw.core.store.FaultInjectingObjectStore.Fault;
import dev.sgw.core.store.ObjectStoreException.Code;
import dev.sgw.core.store.memory.MemoryObjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.sgw.core.store.FaultInjectingObjectStore.Fault.after;
import static dev.sgw.core.store.FaultInjectingObjectStore.Fault.before;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryingObjectStoreTest {

    private static final long MS = 1_000_000L;

    /** Jitter that always picks the longest allowed wait, so the caps themselves show. */
    private static final RandomGenerator LONGEST = new RandomGenerator() {
        @Override
        public long nextLong() {
            return -1;
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    private final MemoryObjectStore memory = new MemoryObjectStore();
    private final FaultInjectingObjectStore faulty = new FaultInjectingObjectStore(memory);
    private final FakeStoreClock clock = new FakeStoreClock();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    private RetryingObjectStore retrying(RetryPolicy policy, RandomGenerator random) {
        return new RetryingObjectStore(faulty, policy, clock, random);
    }

    private static RetryPolicy policy(int attempts, long baseMs, long maxMs, long deadlineMs) {
        return new RetryPolicy(
                attempts, Duration.ofMillis(baseMs), Duration.ofMillis(maxMs), Duration.ofMillis(deadlineMs));
    }

    @Test
    void retryableFailuresAreRetriedWithDoublingWaitsUntilTheCallSucceeds() throws Exception {
        memory.put("k", body("value"), PutOptions.defaults());
        faulty.plan(StoreOperation.HEAD, before(Code.UNAVAILABLE), before(Code.THROTTLED), before(Code.UNAVAILABLE));
        ObjectInfo info = retrying(RetryPolicy.defaults(), LONGEST).head("k");
        assertThat(info.size()).isEqualTo(5);
        assertThat(faulty.calls(StoreOperation.HEAD)).isEqualTo(4);
        assertThat(clock.waits()).containsExactly(100 * MS, 200 * MS, 400 * MS);
    }

    @Test
    void attemptsAreBoundedAndWaitsCapped() {
        faulty.plan(StoreOperation.PUT, repeat(before(Code.THROTTLED), 20));
        RetryingObjectStore store = retrying(policy(8, 100, 1000, 600_000), LONGEST);
        assertCode(() -> store.put("k", body("v"), PutOptions.defaults()), Code.THROTTLED);
        assertThat(faulty.calls(StoreOperation.PUT)).isEqualTo(8);
        assertThat(clock.waits())
                .containsExactly(100 * MS, 200 * MS, 400 * MS, 800 * MS, 1000 * MS, 1000 * MS, 1000 * MS);
    }

    @Test
    void waitsAreFullyJitteredBelowTheirGrowingCaps() throws Exception {
        RetryPolicy policy = policy(4, 100, 10_000, 600_000);
        RetryingObjectStore store = retrying(policy, new SplittableRandom(7));
        memory.put("k", body("v"), PutOptions.defaults());
        int calls = 400;
        long[] sums = new long[3];
        for (int i = 0; i < calls; i++) {
            faulty.plan(
                    StoreOperation.HEAD, before(Code.UNAVAILABLE), before(Code.UNAVAILABLE), before(Code.UNAVAILABLE));
            store.head("k");
        }
        List<Long> waits = clock.waits();
        assertThat(waits).hasSize(3 * calls);
        for (int i = 0; i < waits.size(); i++) {
            long cap = policy.maxDelayNanosBefore(2 + i % 3);
            assertThat(waits.get(i)).isBetween(0L, cap);
            sums[i % 3] += waits.get(i);
        }
        assertThat(waits.stream().distinct().count()).isGreaterThan(calls); // jittered, not fixed
        // full jitter: the mean wait is half its cap, and the caps double
        assertThat(sums[0] / calls).isBetween(40 * MS, 60 * MS);
        assertThat(sums[1] / calls).isBetween(80 * MS, 120 * MS);
        assertThat(sums[2] / calls).isBetween(160 * MS, 240 * MS);
    }

    @Test
    void nonRetryableCodesAreThrownAtOnce() {
        RetryingObjectStore store = retrying(RetryPolicy.defaults(), LONGEST);
        List<Code> codes =
                Arrays.stream(Code.values()).filter(code -> !code.retryable()).toList();
        assertThat(codes).contains(Code.NOT_FOUND, Code.PRECONDITION_FAILED, Code.DENIED, Code.INTEGRITY, Code.INVALID);
        for (Code code : codes) {
            faulty.plan(StoreOperation.DELETE, before(code));
            int callsBefore = faulty.calls(StoreOperation.DELETE);
            assertCode(() -> store.delete("k"), code);
            assertThat(faulty.calls(StoreOperation.DELETE)).as(code.name()).isEqualTo(callsBefore + 1);
        }
        assertThat(clock.waits()).isEmpty();
    }

    @Test
    void noWaitStartsThatWouldEndAfterTheDeadline() {
        faulty.plan(StoreOperation.LIST, repeat(before(Code.UNAVAILABLE), 50));
        RetryingObjectStore store = retrying(policy(100, 1000, 1000, 3000), LONGEST);
        assertCode(() -> store.list(ListRequest.flat("")), Code.UNAVAILABLE);
        assertThat(clock.waits()).containsExactly(1000 * MS, 1000 * MS, 1000 * MS);
        assertThat(faulty.calls(StoreOperation.LIST)).isEqualTo(4);
    }

    @Test
    void aCreateOnlyPutWhoseLostFirstAttemptSucceededIsReportedAsWritten() throws Exception {
        faulty.plan(StoreOperation.PUT, after(Code.UNAVAILABLE));
        RetryingObjectStore store = retrying(RetryPolicy.defaults(), LONGEST);
        byte[] data = "created once".getBytes(StandardCharsets.UTF_8);
        ObjectWritten written = store.put(
                "k",
                ObjectBody.of(data),
                PutOptions.withMetadata(Map.of("sgw-owner", "me")).with(Precondition.ifAbsent()));
        ObjectInfo stored = memory.head("k");
        assertThat(written.etag()).isEqualTo(stored.etag());
        assertThat(written.size()).isEqualTo(data.length);
        assertThat(written.crc64()).isEqualTo(Crc64.of(data));
        assertThat(written.crc64Verified()).isFalse();
        assertThat(faulty.calls(StoreOperation.PUT)).isEqualTo(2);
        assertThat(faulty.calls(StoreOperation.HEAD)).isEqualTo(1);
    }

    @Test
    void aCreateOnlyPutMeetingAnotherObjectAfterARetryStillFails() throws Exception {
        RetryingObjectStore store = retrying(RetryPolicy.defaults(), LONGEST);
        PutOptions createOnly =
                PutOptions.withMetadata(Map.of("sgw-owner", "me")).with(Precondition.ifAbsent());
        memory.put("other-content", body("theirs"), PutOptions.withMetadata(Map.of("sgw-owner", "me")));
        memory.put("other-metadata", body("mine"), PutOptions.withMetadata(Map.of("sgw-owner", "them")));

        faulty.plan(StoreOperation.PUT, before(Code.UNAVAILABLE));
        assertCode(() -> store.put("other-content", body("mine"), createOnly), Code.PRECONDITION_FAILED);
        faulty.plan(StoreOperation.PUT, before(Code.UNAVAILABLE));
        assertCode(() -> store.put("other-metadata", body("mine"), createOnly), Code.PRECONDITION_FAILED);
        memory.put("more-metadata", body("mine"), PutOptions.withMetadata(Map.of("sgw-owner", "me", "sgw-mode", "1")));
        faulty.plan(StoreOperation.PUT, before(Code.UNAVAILABLE));
        assertCode(() -> store.put("more-metadata", body("mine"), createOnly), Code.PRECONDITION_FAILED);
        assertThat(read("other-content")).isEqualTo("theirs");

        // on a first attempt a failed condition is the truth, even if the object happens to be identical
        memory.put("identical", body("mine"), PutOptions.withMetadata(Map.of("sgw-owner", "me")));
        int heads = faulty.calls(StoreOperation.HEAD);
        assertCode(() -> store.put("identical", body("mine"), createOnly), Code.PRECONDITION_FAILED);
        assertThat(faulty.calls(StoreOperation.HEAD)).isEqualTo(heads);
    }

    @Test
    void aCompletionWhoseLostFirstAttemptSucceededIsReportedAsWritten() throws Exception {
        RetryingObjectStore store = retrying(RetryPolicy.defaults(), LONGEST);
        String id = store.startMultipart("mp", PutOptions.defaults());
        byte[] one = new byte[(int) ObjectStore.MIN_PART_SIZE];
        Arrays.fill(one, (byte) 1);
        MultipartPart first = store.uploadPart("mp", id, 1, ObjectBody.of(one));
        MultipartPart second = store.uploadPart("mp", id, 2, body("tail"));
        faulty.plan(StoreOperation.MULTIPART_COMPLETE, after(Code.UNAVAILABLE));

        ObjectWritten written = store.completeMultipart("mp", id, List.of(first, second), Precondition.none());
        assertThat(written.size()).isEqualTo(one.length + 4);
        assertThat(written.etag()).isEqualTo(memory.head("mp").etag());
        assertThat(written.crc64()).isEqualTo(memory.head("mp").crc64().getAsLong());
        assertThat(faulty.calls(StoreOperation.MULTIPART_COMPLETE)).isEqualTo(2); // the retry met NOT_FOUND

        // an upload that was really never there stays NOT_FOUND
        faulty.plan(StoreOperation.MULTIPART_COMPLETE, before(Code.UNAVAILABLE));
        assertCode(
                () -> store.completeMultipart("other", "no-such-upload", List.of(second), Precondition.none()),
                Code.NOT_FOUND);
    }

    @Test
    void aCreateOnlyCopyWhoseLostFirstAttemptSucceededIsReportedAsWritten() throws Exception {
        RetryingObjectStore store = retrying(RetryPolicy.defaults(), LONGEST);
        memory.put("src", body("source"), PutOptions.defaults());
        faulty.plan(StoreOperation.COPY, after(Code.UNAVAILABLE));
        ObjectWritten written = store.copy("src", "dst", PutOptions.defaults().with(Precondition.ifAbsent()));
        assertThat(written.key()).isEqualTo("dst");
        assertThat(written.size()).isEqualTo(6);
        assertThat(read("dst")).isEqualTo("source");
    }

    @Test
    void getRetriesOpeningTheStreamButNotReading() throws Exception {
        memory.put("k", body("0123456789"), PutOptions.defaults());
        faulty.plan(StoreOperation.GET, before(Code.UNAVAILABLE));
        RetryingObjectStore store = retrying(RetryPolicy.defaults(), LONGEST);
        assertThat(new String(store.get("k", null).readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("0123456789");
        assertThat(faulty.calls(StoreOperation.GET)).isEqualTo(2);

        faulty.failReadsAfter(4, Code.UNAVAILABLE);
        ObjectContent content = store.get("k", null);
        assertThat(content.stream().readNBytes(4)).hasSize(4);
        assertThatThrownBy(content::readAllBytes).isInstanceOf(ObjectStoreException.class);
        assertThat(faulty.calls(StoreOperation.GET)).isEqualTo(3);
    }

    @Test
    void anInterruptDuringAWaitEndsTheRetriesAndIsKept() {
        faulty.plan(StoreOperation.HEAD, repeat(before(Code.UNAVAILABLE), 10));
        clock.interruptOnWait(2);
        RetryingObjectStore store = retrying(RetryPolicy.defaults(), LONGEST);
        assertThatThrownBy(() -> store.head("k"))
                .isInstanceOf(ObjectStoreException.class)
                .satisfies(e -> {
                    assertThat(((ObjectStoreException) e).code()).isEqualTo(Code.UNAVAILABLE);
                    assertThat(e.getSuppressed()).hasAtLeastOneElementOfType(InterruptedException.class);
                });
        assertThat(Thread.interrupted()).isTrue();
        assertThat(faulty.calls(StoreOperation.HEAD)).isEqualTo(2);
    }

    @Test
    void aFailureOnAnInterruptedThreadIsNotRetried() {
        faulty.plan(StoreOperation.HEAD, repeat(before(Code.UNAVAILABLE), 10));
        RetryingObjectStore store = retrying(RetryPolicy.defaults(), LONGEST);
        Thread.currentThread().interrupt();
        assertCode(() -> store.head("k"), Code.UNAVAILABLE);
        assertThat(Thread.interrupted()).isTrue();
        assertThat(faulty.calls(StoreOperation.HEAD)).isEqualTo(1);
        assertThat(clock.waits()).isEmpty();
    }

    @Test
    void aRealWaitIsCutShortByAnInterrupt() throws Exception {
        faulty.plan(StoreOperation.HEAD, repeat(before(Code.UNAVAILABLE), 10));
        RetryPolicy slow = policy(5, 30_000, 30_000, 600_000);
        RetryingObjectStore store = new RetryingObjectStore(faulty, slow, StoreClock.system(), LONGEST);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                store.head("k");
            } catch (Throwable e) {
                thrown.set(e);
            }
            interruptKept.set(Thread.currentThread().isInterrupted());
        });
        Thread.sleep(100);
        long start = System.nanoTime();
        caller.interrupt();
        assertThat(caller.join(Duration.ofSeconds(10))).isTrue();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(interruptKept).isTrue();
        assertThat(thrown.get()).isInstanceOf(ObjectStoreException.class);
        assertThat(faulty.calls(StoreOperation.HEAD)).isEqualTo(1);
    }

    @Test
    void policiesAreValidatedAndTheirCapsDoubleWithoutOverflow() {
        RetryPolicy policy = RetryPolicy.defaults();
        assertThat(policy.maxAttempts()).isEqualTo(8);
        assertThat(policy.maxDelayNanosBefore(2)).isEqualTo(100 * MS);
        assertThat(policy.maxDelayNanosBefore(8)).isEqualTo(6400 * MS);
        assertThat(policy.maxDelayNanosBefore(9)).isEqualTo(10_000 * MS);
        assertThat(policy.maxDelayNanosBefore(500)).isEqualTo(10_000 * MS);
        assertThatThrownBy(() -> policy(0, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> policy(3, 10, 5, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> policy(3, 0, 5, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private String read(String key) throws Exception {
        try (ObjectContent content = memory.get(key, null)) {
            return new String(content.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static ObjectBody body(String text) {
        return ObjectBody.of(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Fault[] repeat(Fault fault, int times) {
        Fault[] faults = new Fault[times];
        Arrays.fill(faults, fault);
        return faults;
    }

    private static void assertCode(ObjectStoreContract.Call call, Code code) {
        assertThatThrownBy(call::run)
                .isInstanceOf(ObjectStoreException.class)
                .satisfies(e -> assertThat(((ObjectStoreException) e).code()).isEqualTo(code));
    }
}
