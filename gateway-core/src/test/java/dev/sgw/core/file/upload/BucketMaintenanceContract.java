package dev.sgw.core.file.upload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.sgw.core.layout.BucketLayout;
import dev.sgw.core.store.ListRequest;
import dev.sgw.core.store.ObjectBody;
import dev.sgw.core.store.ObjectContent;
import dev.sgw.core.store.ObjectInfo;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.PendingUpload;
import dev.sgw.core.store.PutOptions;
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
 * {@link BucketMoves} and {@link StaleUploadSweeper} against each backend: moves carry content and metadata,
 * leave another writer's object alone, and end in the same state when run again after stopping at any step.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BucketMaintenanceContract {

    private static final Map<String, String> OLD_METADATA = BucketLayout.attributesMetadata(0600, 1, 2, 3L, null);
    private static final Map<String, String> NEW_METADATA = BucketLayout.attributesMetadata(0644, 4, 5, 6L, null);

    protected abstract TestBackend open(Path directory) throws Exception;

    private TestBackend backend;
    private ObjectStore raw;
    private RecordingObjectStore store;
    private String p;

    @BeforeAll
    void start(@TempDir Path directory) throws Exception {
        backend = open(directory);
        raw = backend.store();
    }

    @AfterAll
    void stop() throws Exception {
        backend.close();
    }

    @BeforeEach
    void fresh() {
        store = new RecordingObjectStore(raw);
        p = "m-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    private String put(String key, String content, Map<String, String> metadata) throws ObjectStoreException {
        return raw.put(key, ObjectBody.of(content.getBytes(StandardCharsets.UTF_8)), PutOptions.withMetadata(metadata))
                .etag();
    }

    private String read(String key) throws IOException {
        try (ObjectContent content = raw.get(key, null)) {
            return new String(content.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private boolean exists(String key) throws ObjectStoreException {
        return MultipartFileUpload.headOrNull(raw, key) != null;
    }

    /** Every key under {@code prefix} with its content and its sgw metadata. */
    private Map<String, String> snapshot(String prefix) throws IOException {
        Map<String, String> all = new TreeMap<>();
        for (ObjectInfo listed : raw.list(ListRequest.flat(prefix)).objects()) {
            Map<String, String> metadata = new TreeMap<>(raw.head(listed.key()).userMetadata());
            metadata.keySet().removeIf(name -> !name.startsWith("sgw-") || name.equals(ObjectInfo.CRC64_METADATA));
            all.put(listed.key().substring(prefix.length()), read(listed.key()) + " " + metadata);
        }
        return all;
    }

    // ---- files -------------------------------------------------------------------------------------

    @Test
    void aMoveCarriesTheContentWithTheNewMetadata() throws IOException {
        String etag = put(p + "a.txt", "alpha", OLD_METADATA);

        MoveResult result = new BucketMoves(store).move(p + "a.txt", p + "b.txt", etag, NEW_METADATA);

        assertThat(result.status()).isEqualTo(MoveResult.Status.MOVED);
        assertThat(read(p + "b.txt")).isEqualTo("alpha");
        assertThat(raw.head(p + "b.txt").userMetadata()).containsAllEntriesOf(NEW_METADATA);
        assertThat(raw.head(p + "b.txt").etag()).isEqualTo(result.etag());
        assertThat(exists(p + "a.txt")).isFalse();
    }

    @Test
    void aMoveReplacesTheTargetAndKeepsTheOldMetadataWhenGivenNone() throws IOException {
        String etag = put(p + "a", "new content", OLD_METADATA);
        put(p + "b", "replaced", NEW_METADATA);

        assertThat(new BucketMoves(store).move(p + "a", p + "b", etag, null).status())
                .isEqualTo(MoveResult.Status.MOVED);

        assertThat(read(p + "b")).isEqualTo("new content");
        assertThat(raw.head(p + "b").userMetadata()).containsAllEntriesOf(OLD_METADATA);
    }

    @Test
    void anObjectChangedByAnotherWriterIsNotMoved() throws IOException {
        String ours = put(p + "a", "ours", OLD_METADATA);
        put(p + "a", "theirs", Map.of());

        MoveResult result = new BucketMoves(store).move(p + "a", p + "b", ours, NEW_METADATA);

        assertThat(result).isEqualTo(new MoveResult(MoveResult.Status.SOURCE_CHANGED, null));
        assertThat(read(p + "a")).isEqualTo("theirs");
        assertThat(exists(p + "b")).isFalse();
    }

    @Test
    void aMoveOfNothingSaysSo() throws IOException {
        assertThat(new BucketMoves(store).move(p + "a", p + "b", "etag", NEW_METADATA))
                .isEqualTo(new MoveResult(MoveResult.Status.SOURCE_MISSING, null));
    }

    /** A move stopped by a failure before or after each of its writes, then run again, twice. */
    @ParameterizedTest
    @ValueSource(strings = {"copy:BEFORE", "copy:AFTER", "delete:BEFORE", "delete:AFTER"})
    void aMoveRunAgainAfterStoppingAtAnyStepEndsTheSame(String stop) throws IOException {
        String etag = put(p + "a", "alpha", OLD_METADATA);
        String[] step = stop.split(":");
        store.failOn(step[0], 1, RecordingObjectStore.When.valueOf(step[1]));
        BucketMoves moves = new BucketMoves(store);

        assertThatThrownBy(() -> moves.move(p + "a", p + "b", etag, NEW_METADATA))
                .isInstanceOf(ObjectStoreException.class);
        MoveResult again = moves.move(p + "a", p + "b", etag, NEW_METADATA);
        MoveResult third = moves.move(p + "a", p + "b", etag, NEW_METADATA);

        assertThat(again.status())
                .isEqualTo(stop.equals("delete:AFTER") ? MoveResult.Status.ALREADY_MOVED : MoveResult.Status.MOVED);
        assertThat(third.status()).isEqualTo(MoveResult.Status.ALREADY_MOVED);
        assertThat(third.etag()).isEqualTo(raw.head(p + "b").etag());
        assertThat(snapshot(p)).isEqualTo(Map.of("b", "alpha " + new TreeMap<>(NEW_METADATA)));
    }

    @Test
    void removalsTakeOneKeyAndAcceptAbsentOnes() throws IOException {
        put(p + "d/", "", OLD_METADATA);
        put(p + "d/f", "x", OLD_METADATA);
        BucketMoves moves = new BucketMoves(store);

        moves.remove(p + "d/f");
        moves.remove(p + "d/f");
        moves.removeDirectory(p + "d/");
        moves.removeDirectory(p + "d/");

        assertThat(snapshot(p)).isEmpty();
        assertThatThrownBy(() -> moves.removeDirectory(p + "d")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> moves.remove(p + "d/")).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- directories -------------------------------------------------------------------------------

    private Map<String, String> makeTree() throws IOException {
        put(p + "d/", "", OLD_METADATA);
        put(p + "d/a", "a", NEW_METADATA);
        put(p + "d/b", "b", OLD_METADATA);
        put(p + "d/sub/", "", NEW_METADATA);
        put(p + "d/sub/c", "c", BucketLayout.attributesMetadata(0755, 7, 8, 9L, "../a"));
        put(p + "d/z", "z", Map.of());
        put(p + "d2/x", "x", OLD_METADATA); // a sibling that shares the name's start
        Map<String, String> expected = new TreeMap<>();
        snapshot(p + "d/").forEach((key, value) -> expected.put("e/" + key, value));
        expected.put("d2/x", "x " + new TreeMap<>(OLD_METADATA));
        return expected;
    }

    @Test
    void aDirectoryMovesPageByPageWithEachObjectsMetadataAndTheMarkerLast() throws IOException {
        Map<String, String> expected = makeTree();
        BucketMoves moves = new BucketMoves(store, 2);

        long moved = moves.moveDirectory(p + "d/", p + "e/");

        assertThat(moved).isEqualTo(6);
        assertThat(snapshot(p)).isEqualTo(expected);
        assertThat(store.calls("deleteAll"))
                .as("a page of two keys at a time, the marker apart")
                .isEqualTo(3);
        assertThat(store.calls("delete")).isEqualTo(1);
        assertThatThrownBy(() -> moves.moveDirectory(p + "e/", p + "e/f/"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A directory move stopped at a step, then run again: the same end as a move that never stopped. The
     * tree's copies are d/a, d/b, d/sub/c, d/z; its empty objects are written anew, d/sub/ first, the marker
     * d/ last; pages of two keys are deleted together, the marker alone at the end.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "copy:3:BEFORE",
                "copy:4:AFTER",
                "deleteAll:2:BEFORE",
                "deleteAll:2:AFTER",
                "put:2:AFTER",
                "delete:1:BEFORE",
                "delete:1:AFTER"
            })
    void aDirectoryMoveRunAgainAfterStoppingAtAnyStepEndsTheSame(String stop) throws IOException {
        Map<String, String> expected = makeTree();
        String[] step = stop.split(":");
        store.failOn(step[0], Integer.parseInt(step[1]), RecordingObjectStore.When.valueOf(step[2]));
        BucketMoves moves = new BucketMoves(store, 2);

        assertThatThrownBy(() -> moves.moveDirectory(p + "d/", p + "e/")).isInstanceOf(ObjectStoreException.class);
        moves.moveDirectory(p + "d/", p + "e/");
        assertThat(moves.moveDirectory(p + "d/", p + "e/"))
                .as("a third run finds nothing to do")
                .isZero();

        assertThat(snapshot(p)).isEqualTo(expected);
    }

    // ---- stale uploads -----------------------------------------------------------------------------

    @Test
    void theSweepAbortsOnlyOldUploadsUnderItsPrefix() throws IOException {
        raw.startMultipart(p + "a", PutOptions.defaults());
        raw.startMultipart(p + "sub/b", PutOptions.defaults());
        String outside = "other-" + p;
        String kept = raw.startMultipart(outside + "c", PutOptions.defaults());
        try {
            assertThat(new StaleUploadSweeper(raw, Clock.systemUTC()).sweep(p, Duration.ofHours(2)))
                    .as("nothing is two hours old yet")
                    .isZero();
            assertThat(raw.listMultipartUploads(p, null).uploads()).hasSize(2);

            Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(3));
            assertThat(new StaleUploadSweeper(raw, later).sweep(p, Duration.ofHours(2)))
                    .isEqualTo(2);

            assertThat(raw.listMultipartUploads(p, null).uploads()).isEmpty();
            assertThat(raw.listMultipartUploads(outside, null).uploads())
                    .extracting(PendingUpload::uploadId)
                    .containsExactly(kept);
        } finally {
            raw.abortMultipart(outside + "c", kept);
        }
    }
}
