package dev.sgw.core.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.sgw.core.meta.MetadataStore;
import dev.sgw.core.store.ListRequest;
import dev.sgw.core.store.ObjectBody;
import dev.sgw.core.store.ObjectStore;
import dev.sgw.core.store.ObjectStoreException;
import dev.sgw.core.store.PrefixedObjectStore;
import dev.sgw.core.store.PutOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What reverse sync does against a bucket, run over each store (memory and S3 on S3Proxy). Each test works
 * in a share of its own: a fresh key prefix of the bucket, seen through {@link PrefixedObjectStore} as the
 * gateway wires it, with one object outside the share that must never show up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReverseSyncContract {

    /** The bucket; opened once per class. */
    protected abstract ObjectStore openBucket(Path workDirectory) throws Exception;

    protected void closeEnvironment() throws Exception {}

    private ObjectStore bucket;
    protected ObjectStore share;
    protected ListingProbe probe;
    protected MetadataStore metadata;
    protected MemoryNamespace namespace;
    private final List<ReverseSync> syncs = new ArrayList<>();
    private int volume;

    @BeforeAll
    void openBucketOnce(@TempDir Path workDirectory) throws Exception {
        bucket = openBucket(workDirectory);
    }

    @AfterAll
    void closeBucket() throws Exception {
        if (bucket != null) {
            bucket.close();
        }
        closeEnvironment();
    }

    @BeforeEach
    void freshShare(@TempDir Path dir) throws Exception {
        String prefix = "s-" + UUID.randomUUID().toString().substring(0, 8) + "/";
        bucket.put(
                prefix.substring(0, prefix.length() - 1) + "-outside",
                ObjectBody.of(new byte[1]),
                PutOptions.defaults());
        share = new PrefixedObjectStore(bucket, prefix);
        probe = new ListingProbe(share);
        metadata = MetadataStore.open(dir.resolve("meta"));
        namespace = new MemoryNamespace();
        volume = 7;
    }

    @AfterEach
    void closeShare() throws Exception {
        syncs.forEach(ReverseSync::close);
        syncs.clear();
        metadata.close();
    }

    protected ReverseSync sync(ReverseSyncSettings settings) {
        return sync(namespace, settings);
    }

    protected ReverseSync sync(MemoryNamespace target, ReverseSyncSettings settings) {
        ReverseSync sync = new ReverseSync("test", probe, target, metadata, volume, settings, null);
        syncs.add(sync);
        return sync;
    }

    /** {@code local} after an uninterrupted scan of the share (unprobed, with a checkpoint of its own). */
    protected MemoryNamespace referenceScan(MemoryNamespace local) throws Exception {
        try (ReverseSync reference =
                new ReverseSync("reference", share, local, metadata, volume + 1, settings(), null)) {
            reference.scan();
        }
        return local;
    }

    protected static ReverseSyncSettings settings() {
        return ReverseSyncSettings.defaults();
    }

    protected String put(String path, String content) throws IOException {
        return share.put(path, ObjectBody.of(content.getBytes(StandardCharsets.UTF_8)), PutOptions.defaults())
                .etag();
    }

    protected static Map<String, String> entries(String... pairs) {
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    // ---- import, change, delete -------------------------------------------------------------------

    @Test
    void firstScanImportsFilesDirectoriesAndMarkers() throws Exception {
        String a = put("a.txt", "aaa");
        String b = put("dir/b.txt", "bb");
        String c = put("dir/sub/c.txt", "c");
        put("empty/", "");

        ScanProgress done = sync(settings()).scan();

        assertThat(namespace.snapshot())
                .isEqualTo(entries(
                        "a.txt",
                        "f " + a + " 3",
                        "dir",
                        "d",
                        "dir/b.txt",
                        "f " + b + " 2",
                        "dir/sub",
                        "d",
                        "dir/sub/c.txt",
                        "f " + c + " 1",
                        "empty",
                        "d"));
        assertThat(done.state()).isEqualTo(ScanState.IDLE);
        assertThat(done.scanned()).isEqualTo(4);
        assertThat(done.added()).isEqualTo(6); // three files, three directories
        assertThat(done.changed()).isZero();
        assertThat(done.removed()).isZero();
        assertThat(done.skipped()).isZero();
        assertThat(done.directoriesDone()).isEqualTo(4); // root, dir, dir/sub, empty
        assertThat(done.completedScans()).isEqualTo(1);
        assertThat(done.resumed()).isFalse();
        assertThat(done.lastError()).isNull();
    }

    @Test
    void laterScansFollowChangesAndDeletionsAndCallNothingWhenInStep() throws Exception {
        put("a.txt", "aaa");
        put("dir/b.txt", "bb");
        put("dir/sub/c.txt", "c");
        ReverseSync sync = sync(settings());
        sync.scan();
        namespace.clearCalls();

        ScanProgress unchanged = sync.scan();
        assertThat(namespace.calls()).isEmpty();
        assertThat(unchanged.added() + unchanged.changed() + unchanged.removed())
                .isZero();

        String b2 = put("dir/b.txt", "changed");
        share.delete("a.txt");
        share.delete("dir/sub/c.txt");
        String n = put("n/new.txt", "new");
        ScanProgress second = sync.scan();

        assertThat(namespace.calls())
                .containsExactly(
                        "gone a.txt",
                        "changed dir/b.txt",
                        "gone dir/sub/c.txt",
                        "gone dir/sub",
                        "dir n",
                        "seen n/new.txt");
        assertThat(namespace.snapshot())
                .isEqualTo(entries("dir", "d", "dir/b.txt", "f " + b2 + " 7", "n", "d", "n/new.txt", "f " + n + " 3"));
        assertThat(second.changed()).isEqualTo(1);
        assertThat(second.removed()).isEqualTo(3);
        assertThat(second.added()).isEqualTo(2);
        assertThat(second.completedScans()).isEqualTo(3);
    }

    @Test
    void localChangesNotYetUploadedSurviveDeletionInTheBucket() throws Exception {
        namespace
                .file("pending.txt", "old", 3, true)
                .file("never-uploaded.txt", null, 5, false)
                .file("uploaded.txt", "e1", 1, false)
                .directory("work", "d1", true)
                .file("work/x", "e2", 1, false);
        put("z", "z");

        ScanProgress done = sync(settings()).scan();

        assertThat(namespace.snapshot()).containsOnlyKeys("pending.txt", "never-uploaded.txt", "work", "z");
        assertThat(done.removed()).isEqualTo(2); // uploaded.txt, work/x
        assertThat(done.keptLocal()).isEqualTo(3); // pending.txt, never-uploaded.txt, work
        assertThat(namespace.calls()).doesNotContain("gone pending.txt", "gone never-uploaded.txt", "gone work");
    }

    @Test
    void aDirectoryGoneFromTheBucketIsEmptiedDepthFirstThenRemoved() throws Exception {
        namespace
                .directory("d", "m1", false)
                .directory("d/e", "m2", false)
                .file("d/e/f", "e1", 1, false)
                .file("d/g", "e2", 1, false);
        put("keep", "k");

        sync(settings()).scan();

        assertThat(namespace.calls()).containsExactly("gone d/e/f", "gone d/e", "gone d/g", "gone d", "seen keep");
        assertThat(namespace.snapshot()).containsOnlyKeys("keep");
    }

    // ---- names and their order ---------------------------------------------------------------------

    @Test
    void namesMergeInKeyOrderWhereADirectorySortsAsItsNameAndASlash() throws Exception {
        // key order: "a-b" < "a.txt" < "a/x" < "a0" < "b"; name order: "a" < "a-b" < "a.txt" < "a0"
        put("a.txt", "new");
        put("a/x", "x");
        put("a-b", "ab");
        put("a0", "0");
        put("b", "b");
        namespace
                .file("a.txt", "other-etag", 3, false)
                .directory("a", "m", false)
                .file("a/stale", "e", 1, false)
                .file("a/x", "old", 1, false);

        sync(settings()).scan();

        assertThat(namespace.calls())
                .containsExactly("seen a-b", "changed a.txt", "gone a/stale", "changed a/x", "seen a0", "seen b");
        assertThat(namespace.snapshot()).containsOnlyKeys("a", "a-b", "a.txt", "a/x", "a0", "b");
    }

    @Test
    void aMarkerAndTheObjectsUnderItMeanOneDirectory() throws Exception {
        put("m/", "");
        put("i/f", "f");
        put("both/", "");
        put("both/f", "f");
        put("deep/er/est/", "");

        ScanProgress done = sync(settings()).scan();

        assertThat(namespace.calls())
                .containsExactly(
                        "dir both",
                        "seen both/f",
                        "dir deep",
                        "dir deep/er",
                        "dir deep/er/est",
                        "dir i",
                        "seen i/f",
                        "dir m");
        assertThat(namespace.snapshot())
                .containsOnlyKeys("both", "both/f", "deep", "deep/er", "deep/er/est", "i", "i/f", "m");
        assertThat(done.scanned()).isEqualTo(5);
    }

    @Test
    void aNameThatIsAFileOnOneSideAndADirectoryOnTheOtherIsSkipped() throws Exception {
        put("f/inner", "i"); // the bucket has directory f; the share has a file f with local changes
        put("g", "g"); // the bucket has object g; the share has a directory g it no longer lists
        namespace.file("f", "e0", 1, true).directory("g", "m", false).file("g/y", "e1", 1, false);
        ReverseSync sync = sync(settings());

        ScanProgress first = sync.scan();

        assertThat(first.skipped()).isEqualTo(3); // object g, directory f, f/inner under it
        assertThat(namespace.snapshot()).containsOnlyKeys("f"); // g emptied and removed, f kept
        assertThat(namespace.calls()).containsExactly("gone g/y", "gone g");

        ScanProgress second = sync.scan(); // g is no longer a directory here: the object comes in
        assertThat(namespace.snapshot()).containsOnlyKeys("f", "g");
        assertThat(second.skipped()).isEqualTo(2);
    }

    // ---- checkpoints and failures -------------------------------------------------------------------

    /** Ten directories of six files, stale local files among them, listed five keys a page. */
    private void fillTree() throws IOException {
        for (int d = 0; d < 10; d++) {
            for (int f = 0; f < 6; f++) {
                put("d" + d + "/f" + f, "content " + d + "/" + f);
            }
        }
    }

    private static MemoryNamespace staleNamespace() {
        MemoryNamespace local = new MemoryNamespace();
        for (int d = 0; d < 10; d++) {
            local.file("d" + d + "/f3", "outdated", 1, false).file("d" + d + "/stale", "e", 1, false);
        }
        return local.file("root-stale", "e", 1, false).file("d5/pending", null, 1, true);
    }

    private static ReverseSyncSettings smallPages() {
        return settings().withPageSize(5).withCheckpointEvery(1, Duration.ofHours(1));
    }

    @Test
    void anInterruptedScanResumesFromItsCheckpointAndEndsLikeAnUninterruptedOne() throws Exception {
        fillTree();
        MemoryNamespace reference = referenceScan(staleNamespace());

        namespace = staleNamespace();
        probe.failAfter(4, ObjectStoreException.Code.UNAVAILABLE);
        ReverseSync sync = sync(namespace, smallPages());
        assertThatThrownBy(sync::scan).isInstanceOf(ObjectStoreException.class).hasMessageContaining("injected");
        assertThat(sync.progress().state()).isEqualTo(ScanState.FAILED);
        String checkpointKey = probe.listedKeys().get(19); // the last key of the fourth page
        probe.healthy().forget();

        ScanProgress resumed = sync.scan();

        assertThat(resumed.resumed()).isTrue();
        assertThat(resumed.state()).isEqualTo(ScanState.IDLE);
        assertThat(probe.requests().get(0).token()).isNotNull();
        assertThat(probe.listedKeys())
                .hasSize(40)
                .allSatisfy(key -> assertThat(key).isGreaterThan(checkpointKey));
        assertThat(namespace.snapshot()).isEqualTo(reference.snapshot());
        assertThat(resumed.scanned()).isEqualTo(60);
        assertThat(resumed.removed()).isEqualTo(11);
        assertThat(resumed.keptLocal()).isEqualTo(1);
    }

    @Test
    void aScanStoppedByTheNamespaceResumesAndRepeatsOnlyWhatIsStillDifferent() throws Exception {
        fillTree();
        MemoryNamespace reference = referenceScan(staleNamespace());

        namespace = staleNamespace();
        namespace.failWhen(call -> call.equals("changed d6/f3"));
        ReverseSync sync = sync(namespace, smallPages());
        assertThatThrownBy(sync::scan).isInstanceOf(IOException.class).hasMessageContaining("changed d6/f3");
        namespace.failWhen(call -> false);
        namespace.clearCalls();

        ScanProgress resumed = sync.scan();

        assertThat(resumed.resumed()).isTrue();
        assertThat(namespace.snapshot()).isEqualTo(reference.snapshot());
        assertThat(namespace.calls())
                .doesNotHaveDuplicates()
                .contains("changed d6/f3", "seen d6/f4")
                .allSatisfy(call ->
                        assertThat(call.substring(call.indexOf(' ') + 1)).isGreaterThan("d6/f2"));
    }

    @Test
    void aFailedListingRemovesNothingBeyondTheLastKeyListed() throws Exception {
        fillTree();
        namespace = staleNamespace();
        TreeMap<String, String> before = namespace.snapshot();

        probe.failAfter(0, ObjectStoreException.Code.UNAVAILABLE);
        ReverseSync sync = sync(namespace, smallPages());
        assertThatThrownBy(sync::scan).isInstanceOf(ObjectStoreException.class);
        assertThat(namespace.snapshot()).isEqualTo(before);
        assertThat(sync.progress().state()).isEqualTo(ScanState.FAILED);
        assertThat(sync.progress().lastError()).contains("injected");

        probe.failAfter(2, ObjectStoreException.Code.UNAVAILABLE);
        assertThatThrownBy(sync::scan).isInstanceOf(ObjectStoreException.class);
        String lastListed = probe.listedKeys().get(probe.listedKeys().size() - 1);
        assertThat(lastListed).isEqualTo("d1/f3");
        assertThat(namespace.calls())
                .containsExactly(
                        "seen d0/f0",
                        "seen d0/f1",
                        "seen d0/f2",
                        "changed d0/f3",
                        "seen d0/f4",
                        "seen d0/f5",
                        "gone d0/stale",
                        "seen d1/f0",
                        "seen d1/f1",
                        "seen d1/f2",
                        "changed d1/f3");
        before.forEach((path, entry) -> {
            if (path.compareTo(lastListed) > 0) {
                assertThat(namespace.snapshot()).containsEntry(path, entry);
            }
        });
    }

    @Test
    void aScanAfterACompletedOneStartsFromTheBeginning() throws Exception {
        fillTree();
        ReverseSync sync = sync(smallPages());
        sync.scan();
        probe.forget();

        ScanProgress again = sync.scan();

        assertThat(again.resumed()).isFalse();
        assertThat(again.scanned()).isEqualTo(60);
        assertThat(probe.requests().get(0).token()).isNull();
        assertThat(probe.listedKeys()).hasSize(60);
    }

    @Test
    void aCheckpointTokenTheStoreRefusesRestartsTheScanFromTheBeginning() throws Exception {
        fillTree();
        namespace = staleNamespace();
        probe.failAfter(3, ObjectStoreException.Code.UNAVAILABLE);
        ReverseSync sync = sync(namespace, smallPages());
        assertThatThrownBy(sync::scan).isInstanceOf(ObjectStoreException.class);
        boolean[] refused = {false};
        probe.failWhen(request -> {
            if (request.token() != null && !refused[0]) {
                refused[0] = true;
                return new ObjectStoreException(ObjectStoreException.Code.INVALID, "expired token");
            }
            return null;
        });
        probe.forget();

        ScanProgress done = sync.scan();

        assertThat(done.resumed()).isFalse();
        assertThat(done.scanned()).isEqualTo(60);
        ListRequest first = probe.requests().get(0);
        assertThat(first.token()).isNotNull();
        assertThat(probe.requests().get(1).token()).isNull();
        assertThat(namespace.snapshot())
                .isEqualTo(referenceScan(staleNamespace()).snapshot());
    }
}
