package dev.sgw.core.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.meta.MetaKeys;
import dev.sgw.core.meta.MetadataStore;
import dev.sgw.core.store.ObjectBody;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.PutOptions;
import dev.sgw.core.store.memory.MemoryObjectStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reverse sync's scheduling, progress, metrics and closing, invalid names, and its small parts. */
class ReverseSyncTest {

    private final MemoryObjectStore store = new MemoryObjectStore();
    private final ListingProbe probe = new ListingProbe(store);
    private final MemoryNamespace namespace = new MemoryNamespace();
    private final List<ReverseSync> syncs = new ArrayList<>();
    private MetadataStore metadata;

    @BeforeEach
    void open(@TempDir Path dir) throws IOException {
        metadata = MetadataStore.open(dir.resolve("meta"));
    }

    @AfterEach
    void close() throws IOException {
        syncs.forEach(ReverseSync::close);
        metadata.close();
    }

    private ReverseSync sync(ReverseSyncSettings settings, SimpleMeterRegistry registry) {
        ReverseSync sync = new ReverseSync("docs", probe, namespace, metadata, 3, settings, registry);
        syncs.add(sync);
        return sync;
    }

    private static ReverseSyncSettings smallPages() {
        return ReverseSyncSettings.defaults().withPageSize(5).withCheckpointEvery(1, Duration.ofHours(1));
    }

    private void put(String key) throws ObjectStoreException {
        store.put(key, ObjectBody.of(key.getBytes(StandardCharsets.UTF_8)), PutOptions.defaults());
    }

    private void fill(int directories, int files) throws ObjectStoreException {
        for (int d = 0; d < directories; d++) {
            for (int f = 0; f < files; f++) {
                put("d" + d + "/f" + f);
            }
        }
    }

    @Test
    void keysThatAreNotValidPathsAreSkippedAndCounted() throws Exception {
        for (String key : List.of(
                "x//y",
                "./z",
                "d/./e",
                "d/../e",
                "../w",
                "nul\0x",
                "n".repeat(256),
                "\u00e9".repeat(128),
                "trailing//",
                "ok/fine",
                "v".repeat(255),
                "\u00e9".repeat(127))) {
            put(key);
        }

        ScanProgress done = sync(ReverseSyncSettings.defaults(), null).scan();

        assertThat(namespace.snapshot()).containsOnlyKeys("ok", "ok/fine", "v".repeat(255), "\u00e9".repeat(127));
        assertThat(done.skipped()).isEqualTo(9);
        assertThat(done.scanned()).isEqualTo(12);
    }

    @Test
    void progressCountsTheScanAndMetricsShowIt() throws Exception {
        fill(4, 5);
        namespace
                .file("old", "e", 1, false)
                .file("d1/f1", "stale-etag", 1, false)
                .file("mine", null, 1, true);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CountDownLatch gate = new CountDownLatch(1);
        probe.delay(20).failWhen(request -> {
            if (request.token() != null) {
                try {
                    gate.await(); // the second page waits for the checks on the first
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return null;
        });
        ReverseSync sync = sync(smallPages(), registry);

        CompletableFuture<ScanProgress> running = sync.scanNow();
        assertThat(sync.scanNow()).isSameAs(running);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sync.progress().scanned() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        ScanProgress midway = sync.progress();
        assertThat(midway.scanned()).isEqualTo(5);
        assertThat(midway.state()).isEqualTo(ScanState.SCANNING);
        assertThat(midway.finishedAt()).isNull();
        assertThat(registry.get(ReverseSyncMetrics.STATE).gauge().value()).isEqualTo(1.0);
        assertThat(registry.get(ReverseSyncMetrics.OBJECTS)
                        .tag("kind", "scanned")
                        .gauge()
                        .value())
                .isEqualTo(5);
        gate.countDown();
        ScanProgress done = running.get(10, TimeUnit.SECONDS);

        assertThat(done.state()).isEqualTo(ScanState.IDLE);
        assertThat(done.scanned()).isEqualTo(20);
        assertThat(done.added()).isEqualTo(3 + 19); // directories d0 d2 d3 (d1 exists), files but d1/f1
        assertThat(done.changed()).isEqualTo(1);
        assertThat(done.removed()).isEqualTo(1);
        assertThat(done.keptLocal()).isEqualTo(1);
        assertThat(done.directoriesDone()).isEqualTo(5);
        assertThat(done.elapsed()).isGreaterThan(Duration.ofMillis(60)); // four pages of 20 ms
        assertThat(done.objectsPerSecond())
                .isBetween(
                        20 / (done.elapsed().toNanos() / 1e9) * 0.99,
                        20 / (done.elapsed().toNanos() / 1e9) * 1.01);
        assertThat(done.startedAt()).isBeforeOrEqualTo(done.finishedAt());
        assertThat(done.summary()).contains("20 scanned", "IDLE");

        assertThat(registry.get(ReverseSyncMetrics.STATE).gauge().value()).isZero();
        assertThat(registry.get(ReverseSyncMetrics.OBJECTS)
                        .tag("kind", "scanned")
                        .gauge()
                        .value())
                .isEqualTo(20);
        assertThat(registry.get(ReverseSyncMetrics.OBJECTS)
                        .tag("kind", "removed")
                        .gauge()
                        .value())
                .isEqualTo(1);
        assertThat(registry.get(ReverseSyncMetrics.SCANS)
                        .tag("result", "completed")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get(ReverseSyncMetrics.DURATION).timer().count()).isEqualTo(1);

        probe.failAfter(0, ObjectStoreException.Code.DENIED);
        assertThatThrownBy(sync::scan).hasMessageContaining("DENIED");
        assertThat(registry.get(ReverseSyncMetrics.STATE).gauge().value()).isEqualTo(2.0);
        assertThat(registry.get(ReverseSyncMetrics.SCANS)
                        .tag("result", "failed")
                        .counter()
                        .count())
                .isEqualTo(1);
        sync.close();
        assertThat(registry.find(ReverseSyncMetrics.STATE).gauge()).isNull();
    }

    @Test
    void periodicScansRunAtTheirIntervalAndNeverOverlapWithScansOnDemand() throws Exception {
        fill(3, 5);
        probe.delay(10);
        ReverseSync sync = sync(smallPages().withInterval(Duration.ofMillis(30)), null);

        sync.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (sync.progress().completedScans() < 4 && System.nanoTime() < deadline) {
            sync.scanNow(); // joins a running scan, or starts one between periodic ones
            Thread.sleep(7);
        }

        assertThat(sync.progress().completedScans()).isGreaterThanOrEqualTo(4);
        assertThat(probe.maxInFlight()).isEqualTo(1);
    }

    @Test
    void aZeroIntervalMeansNoPeriodicScans() throws Exception {
        fill(1, 1);
        ReverseSync sync = sync(ReverseSyncSettings.defaults(), null);
        sync.start();
        Thread.sleep(200);
        assertThat(sync.progress().completedScans()).isZero();
        assertThat(probe.requests()).isEmpty();
    }

    @Test
    void periodicScansRetryAfterAFailure() throws Exception {
        fill(2, 2);
        probe.failAfter(0, ObjectStoreException.Code.UNAVAILABLE);
        ReverseSync sync = sync(smallPages().withInterval(Duration.ofMillis(20)), null);
        sync.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        // a retried scan has run (two listing requests) and its failure is recorded; the next retry may already be
        // scanning when we look, so wait for a moment where the state shows the failure
        while ((probe.requests().size() < 2 || sync.progress().state() != ScanState.FAILED)
                && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(probe.requests()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(sync.progress().state()).isEqualTo(ScanState.FAILED);

        probe.healthy();
        while (sync.progress().completedScans() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(namespace.snapshot()).containsKeys("d0/f0", "d1/f1");
    }

    @Test
    void closingStopsAScanAtAPageAndTheNextProcessResumesIt() throws Exception {
        fill(10, 6);
        probe.delay(20);
        ReverseSync first = sync(smallPages(), null);
        CompletableFuture<ScanProgress> running = first.scanNow();
        while (first.progress().scanned() < 10) {
            Thread.sleep(2);
        }
        first.close();
        assertThatThrownBy(() -> running.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("closed");
        long listedBefore = probe.listedKeys().size();
        assertThat(listedBefore).isLessThan(60);
        assertThat(metadata.get(MetaKeys.syncCheckpoint(3))).isPresent();
        probe.delay(0);

        ScanProgress resumed = sync(smallPages(), null).scan();

        assertThat(resumed.resumed()).isTrue();
        assertThat(resumed.scanned()).isEqualTo(60);
        assertThat(namespace.snapshot()).hasSize(70);
        assertThat(probe.listedKeys()).hasSizeLessThan(60 + (int) listedBefore);
    }

    @Test
    void keyOrderIsUtf8ByteOrder() {
        Random random = new Random(42);
        String[] alphabet = {
            "a", "b", "/", ".", "-", "\u00e9", "\u4e2d", "\ue000", "\uffef", "\ud83d\ude00", "\ud800\udc00"
        };
        for (int i = 0; i < 20_000; i++) {
            String x = randomString(random, alphabet);
            String y = randomString(random, alphabet);
            int expected = Integer.signum(
                    Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)));
            assertThat(Integer.signum(KeyNames.compareUtf8(x, y)))
                    .as("%s vs %s", x, y)
                    .isEqualTo(expected);
        }
    }

    private static String randomString(Random random, String[] alphabet) {
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(5); n > 0; n--) {
            s.append(alphabet[random.nextInt(alphabet.length)]);
        }
        return s.toString();
    }

    @Test
    void aCheckpointReadsBackAsWritten() throws IOException {
        ScanCheckpoint checkpoint = new ScanCheckpoint(false, "token\u00e9", "d1/f\u4e2d", 1234, 1, 2, 3, 4, 5, 6, 7);
        assertThat(ScanCheckpoint.decode(checkpoint.encode())).isEqualTo(checkpoint);
        ScanCheckpoint complete = new ScanCheckpoint(true, null, null, 9, 0, 0, 0, 0, 0, 0, 0);
        assertThat(ScanCheckpoint.decode(complete.encode())).isEqualTo(complete);
        assertThat(complete.resumable()).isFalse();
        byte[] future = checkpoint.encode();
        future[0] = 2;
        assertThatThrownBy(() -> ScanCheckpoint.decode(future))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version");
    }
}
