package dev.sgw.core.file.upload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sgw.core.layout.BucketLayout;
import dev.sgw.core.store.Crc64;
import dev.sgw.core.store.ObjectContent;
import dev.sgw.core.store.ObjectInfo;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.PendingUpload;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What {@link FileObjectWriter} promises for files uploaded in parts, run against each backend: they read
 * back byte for byte with their metadata, unchanged parts are copied server-side, a content change or a
 * failure leaves the old object and no upload, and a reader never sees a torn object.
 * {@link FileObjectWriterContract} adds the rest of the writer's promises.
 *
 * <p>Files are cut into 64 KiB chunks and 5 MiB parts; files above 1 MiB go up in parts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MultipartUploadContract {

    static final int CHUNK = 64 * 1024;
    static final int PART = 5 * 1024 * 1024;
    static final int THRESHOLD = 1024 * 1024;
    /** Three parts: two whole ones and a short last one that does not end on a chunk boundary. */
    static final int LARGE = 2 * PART + 200_000;

    static final int LARGE_CHUNKS = (LARGE + CHUNK - 1) / CHUNK;
    static final Map<String, String> METADATA =
            BucketLayout.attributesMetadata(0640, 1000, 100, 1_700_000_000_123_456_789L, null);
    static final Instant NOW = Instant.parse("2026-03-01T10:15:00Z");

    protected abstract TestBackend open(Path directory) throws Exception;

    TestBackend backend;
    ExecutorService executor;
    protected RecordingObjectStore store;
    SimpleMeterRegistry registry;
    FileObjectWriter writer;
    String p;
    final Random random = new Random(7);

    @BeforeAll
    void start(@TempDir Path directory) throws Exception {
        backend = open(directory);
        executor = Executors.newFixedThreadPool(6);
    }

    @AfterAll
    void stop() throws Exception {
        executor.shutdownNow();
        backend.close();
    }

    @BeforeEach
    void fresh() {
        store = new RecordingObjectStore(backend.store());
        registry = new SimpleMeterRegistry();
        writer = new FileObjectWriter(store, tuning(3), executor, registry, Clock.fixed(NOW, ZoneOffset.UTC));
        p = "t-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    static UploadTuning tuning(int concurrency) {
        return UploadTuning.defaults()
                .withMultipartThreshold(THRESHOLD)
                .withPartSize(PART)
                .withPartConcurrency(concurrency);
    }

    // ---- versions ----------------------------------------------------------------------------------

    byte[] randomBytes(int size) {
        byte[] data = new byte[size];
        random.nextBytes(data);
        return data;
    }

    static ChunkSource chunksOf(byte[] content) {
        return index ->
                ByteBuffer.wrap(content, (int) (index * CHUNK), (int) Math.min(CHUNK, content.length - index * CHUNK));
    }

    static FileObject version(String key, byte[] content, String knownEtag, BitSet changed) {
        return new FileObject(key, content.length, METADATA, knownEtag, CHUNK, chunksOf(content), changed, () -> true);
    }

    /** The chunks of {@code now} that differ from {@code old} or lie beyond its end. */
    static BitSet changedChunks(byte[] old, byte[] now) {
        BitSet changed = new BitSet();
        for (int i = 0; (long) i * CHUNK < now.length; i++) {
            int from = i * CHUNK;
            int to = Math.min(from + CHUNK, now.length);
            if (to > old.length || !Arrays.equals(old, from, to, now, from, to)) {
                changed.set(i);
            }
        }
        return changed;
    }

    String write(String key, byte[] content, String knownEtag, BitSet changed) throws IOException {
        UploadOutcome outcome = writer.upload(version(key, content, knownEtag, changed));
        assertThat(outcome).isInstanceOf(UploadOutcome.Written.class);
        return ((UploadOutcome.Written) outcome).object().etag();
    }

    byte[] read(String key) throws IOException {
        try (ObjectContent content = backend.store().get(key, null)) {
            return content.readAllBytes();
        }
    }

    void assertHolds(String key, byte[] expected) throws IOException {
        byte[] actual = read(key);
        assertThat(actual.length).as("size of " + key).isEqualTo(expected.length);
        assertThat(Arrays.mismatch(actual, expected))
                .as("first differing byte of " + key)
                .isEqualTo(-1);
    }

    List<PendingUpload> pendingUploads() throws ObjectStoreException {
        return backend.store().listMultipartUploads(p, null).uploads();
    }

    @Test
    void largeFileReadsBackWithItsMetadata() throws IOException {
        byte[] content = randomBytes(LARGE);
        String etag = write(p + "large.bin", content, null, null);

        assertHolds(p + "large.bin", content);
        ObjectInfo info = backend.store().head(p + "large.bin");
        assertThat(info.etag()).isEqualTo(etag);
        assertThat(info.userMetadata()).containsAllEntriesOf(METADATA);
        assertThat(store.calls("uploadPart")).isEqualTo(3);
        assertThat(store.calls("put")).isZero();
        assertThat(pendingUploads()).isEmpty();
    }

    @Test
    void changingPartOfALargeFileCopiesItsUnchangedParts() throws IOException {
        byte[] v1 = randomBytes(LARGE);
        String e1 = write(p + "f", v1, null, null);
        byte[] v2 = v1.clone();
        v2[PART + 3 * CHUNK + 17] ^= 0x5a; // part 2 only
        store.resetCounts();

        String e2 = write(p + "f", v2, e1, changedChunks(v1, v2));

        assertHolds(p + "f", v2);
        assertThat(store.calls("uploadPart")).isEqualTo(1);
        assertThat(store.calls("uploadPartCopy")).isEqualTo(2);
        assertThat(backend.store().head(p + "f").etag()).isEqualTo(e2).isNotEqualTo(e1);
        assertThat(backend.store().head(p + "f").userMetadata()).containsAllEntriesOf(METADATA);
    }

    @Test
    void partsAreCopiedOnlyFromInsideTheOldObject() throws IOException {
        byte[] v1 = randomBytes(LARGE);
        String e1 = write(p + "f", v1, null, null);

        byte[] grown = Arrays.copyOf(v1, LARGE + 1024 * 1024);
        System.arraycopy(randomBytes(1024 * 1024), 0, grown, LARGE, 1024 * 1024);
        store.resetCounts();
        String e2 = write(p + "f", grown, e1, changedChunks(v1, grown));
        assertHolds(p + "f", grown);
        assertThat(store.calls("uploadPartCopy")).as("parts 1 and 2").isEqualTo(2);
        assertThat(store.calls("uploadPart")).as("part 3 runs past the old end").isEqualTo(1);

        byte[] shrunk = Arrays.copyOf(grown, PART + 3 * CHUNK);
        store.resetCounts();
        write(p + "f", shrunk, e2, new BitSet());
        assertHolds(p + "f", shrunk);
        assertThat(store.calls("uploadPartCopy")).isEqualTo(2);
        assertThat(store.calls("uploadPart")).isZero();
    }

    @Test
    void withoutAChangeMapEveryPartIsUploaded() throws IOException {
        byte[] v1 = randomBytes(LARGE);
        String e1 = write(p + "f", v1, null, null);
        byte[] v2 = v1.clone();
        v2[0] ^= 1;
        store.resetCounts();
        write(p + "f", v2, e1, null);
        assertHolds(p + "f", v2);
        assertThat(store.calls("uploadPart")).isEqualTo(3);
        assertThat(store.calls("uploadPartCopy")).isZero();
    }

    // ---- superseded and failed uploads -------------------------------------------------------------

    /** A version whose content check turns false once {@code flipAfterReads} chunks were read. */
    static FileObject changingVersion(String key, byte[] content, String known, BitSet changed, int flipAfterReads) {
        AtomicInteger reads = new AtomicInteger();
        ChunkSource counting = index -> {
            reads.incrementAndGet();
            return chunksOf(content).read(index);
        };
        return new FileObject(
                key, content.length, METADATA, known, CHUNK, counting, changed, () -> reads.get() < flipAfterReads);
    }

    /** After the first chunk, in the middle of part 2, and after the last chunk (just before the completion). */
    @ParameterizedTest
    @ValueSource(ints = {1, 85, LARGE_CHUNKS})
    void aLargeFileChangedDuringItsUploadIsSupersededAndLeavesNothing(int flipAfterReads) throws IOException {
        byte[] v1 = randomBytes(LARGE);
        String e1 = write(p + "f", v1, null, null);
        byte[] v2 = randomBytes(LARGE);

        UploadOutcome outcome = writer.upload(changingVersion(p + "f", v2, e1, null, flipAfterReads));

        assertThat(outcome).isEqualTo(new UploadOutcome.Superseded());
        assertHolds(p + "f", v1);
        assertThat(backend.store().head(p + "f").etag()).isEqualTo(e1);
        assertThat(pendingUploads()).isEmpty();
        assertThat(store.calls("completeMultipart"))
                .as("only the first version's")
                .isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"uploadPart", "uploadPartCopy", "completeMultipart"})
    void aFailureMidUploadLeavesTheOldObjectAndNoUpload(String failing) throws IOException {
        byte[] v1 = randomBytes(LARGE);
        String e1 = write(p + "f", v1, null, null);
        byte[] v2 = v1.clone();
        v2[PART + 5] ^= 1;
        store.failOn(failing, failing.equals("uploadPartCopy") ? 2 : 1, RecordingObjectStore.When.BEFORE);

        assertThatThrownBy(() -> writer.upload(version(p + "f", v2, e1, changedChunks(v1, v2))))
                .isInstanceOfSatisfying(
                        ObjectStoreException.class,
                        e -> assertThat(e.code()).isEqualTo(ObjectStoreException.Code.UNAVAILABLE));

        assertHolds(p + "f", v1);
        assertThat(backend.store().head(p + "f").etag()).isEqualTo(e1);
        assertThat(pendingUploads()).isEmpty();
        assertThat(store.calls("abortMultipart")).isEqualTo(1);
        write(p + "f", v2, e1, changedChunks(v1, v2)); // and the next attempt succeeds
        assertHolds(p + "f", v2);
    }

    // ---- never torn --------------------------------------------------------------------------------

    @Test
    void aReaderAlwaysSeesOneWholeVersion() throws Exception {
        String key = p + "hot.bin";
        List<byte[]> versions = new ArrayList<>();
        versions.add(randomBytes(LARGE));
        for (int i = 1; i < 4; i++) {
            byte[] next = versions.get(i - 1).clone();
            int at = random.nextInt(next.length - CHUNK);
            System.arraycopy(randomBytes(CHUNK), 0, next, at, CHUNK); // some parts change, the rest are copied
            versions.add(i == 2 ? Arrays.copyOf(next, LARGE - PART) : next);
        }
        Set<Long> whole = ConcurrentHashMap.newKeySet();
        for (byte[] v : versions) {
            whole.add(Crc64.of(v));
        }
        String etag = write(key, versions.get(0), null, null);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        Future<List<String>> torn = reader.submit(() -> {
            List<String> seen = new ArrayList<>();
            while (!done.get() || reads.get() < 3) {
                byte[] got = read(key);
                reads.incrementAndGet();
                if (!whole.contains(Crc64.of(got))) {
                    seen.add(got.length + " bytes, CRC64 " + Crc64.toUnsignedString(Crc64.of(got)));
                }
            }
            return seen;
        });
        try {
            for (int i = 1; i < versions.size(); i++) {
                etag = write(key, versions.get(i), etag, changedChunks(versions.get(i - 1), versions.get(i)));
            }
        } finally {
            done.set(true);
        }
        assertThat(torn.get(30, TimeUnit.SECONDS))
                .as("reads that matched no whole version")
                .isEmpty();
        reader.shutdown();
        assertThat(reads.get()).isGreaterThanOrEqualTo(3);
        assertHolds(key, versions.get(versions.size() - 1));
        assertThat(store.calls("uploadPartCopy")).isPositive();
    }
}
