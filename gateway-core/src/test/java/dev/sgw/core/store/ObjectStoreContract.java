package dev.sgw.core.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.sgw.core.store.ObjectStoreException.Code;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link ObjectStore} promises, run against each backend (JuiceFS's
 * {@code testStorage} is the model): memory, s3 on S3Proxy, oss on the OSS fixture, and the decorated
 * stack. A subclass opens the store once; each test works under a fresh key prefix of its own, so tests
 * never see each other's objects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ObjectStoreContract {

    private static final int MIB = 1024 * 1024;

    /**
     * The store under test; opened once per class, closed after all tests. {@code workDirectory} is a
     * fresh directory for servers and files the store needs, deleted after the class.
     */
    protected abstract ObjectStore openStore(Path workDirectory) throws Exception;

    /** Releases what {@link #openStore()} started (servers, directories); the store itself is closed first. */
    protected void closeEnvironment() throws Exception {}

    /**
     * Whether the server under test refuses parts for an aborted upload, as S3 and OSS do (NoSuchUpload).
     * S3Proxy 4.1 does not (it rebuilds an upload from its id); its subclass says so here, and
     * {@code S3ProxyQuirksTest} pins that difference so that the answer is revisited when S3Proxy changes.
     */
    protected boolean refusesPartsOfAbortedUploads() {
        return true;
    }

    protected ObjectStore store;
    /** A fresh prefix for the current test, ending in "/". */
    protected String p;

    private final Random random = new Random();

    @BeforeAll
    void open(@TempDir Path workDirectory) throws Exception {
        store = openStore(workDirectory);
    }

    @AfterAll
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        closeEnvironment();
    }

    @BeforeEach
    void freshPrefix() {
        p = "t-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    protected byte[] randomBytes(int size) {
        byte[] data = new byte[size];
        random.nextBytes(data);
        return data;
    }

    protected byte[] read(String key) throws IOException {
        try (ObjectContent content = store.get(key, null)) {
            return content.readAllBytes();
        }
    }

    protected byte[] read(String key, long offset, long length) throws IOException {
        try (ObjectContent content = store.get(key, ByteRange.of(offset, length))) {
            return content.readAllBytes();
        }
    }

    protected ObjectWritten put(String key, byte[] data) throws ObjectStoreException {
        return store.put(key, ObjectBody.of(data), PutOptions.defaults());
    }

    // ---- single objects ---------------------------------------------------------------------------

    @Test
    void putThenHeadAndGetRoundTripContentAndMetadata() throws Exception {
        byte[] data = randomBytes(100_000);
        Map<String, String> metadata =
                Map.of("sgw-mode", "100644", "sgw-uid", "1000", "sgw-mtime", "1764000000123456789");
        ObjectWritten written = store.put(p + "a.bin", ObjectBody.of(data), PutOptions.withMetadata(metadata));

        assertThat(written.etag()).isNotBlank();
        assertThat(written.size()).isEqualTo(data.length);
        assertThat(written.crc64()).isEqualTo(Crc64.of(data));
        ObjectInfo info = store.head(p + "a.bin");
        assertThat(info.key()).isEqualTo(p + "a.bin");
        assertThat(info.size()).isEqualTo(data.length);
        assertThat(info.etag()).isEqualTo(written.etag());
        assertThat(info.userMetadata()).containsAllEntriesOf(metadata);
        assertThat(info.lastModified()).isNotNull();
        info.crc64().ifPresent(crc -> assertThat(crc).isEqualTo(Crc64.of(data)));
        assertThat(read(p + "a.bin")).isEqualTo(data);
    }

    @Test
    void emptyObjectsExist() throws Exception {
        put(p + "dir/", new byte[0]);
        assertThat(store.head(p + "dir/").size()).isZero();
        assertThat(read(p + "dir/")).isEmpty();
    }

    @Test
    void absentKeysAreNotFound() {
        assertCode(() -> store.head(p + "missing"), Code.NOT_FOUND);
        assertCode(() -> store.get(p + "missing", null).close(), Code.NOT_FOUND);
        assertCode(() -> store.get(p + "missing", ByteRange.of(0, 10)).close(), Code.NOT_FOUND);
    }

    @Test
    void rangedGetsReturnTheRangeCutAtTheEnd() throws Exception {
        byte[] data = randomBytes(10_000);
        put(p + "r", data);
        assertThat(read(p + "r", 100, 50)).isEqualTo(slice(data, 100, 50));
        assertThat(read(p + "r", 9_990, 100)).isEqualTo(slice(data, 9_990, 10));
        assertThat(read(p + "r", 0, 1)).isEqualTo(slice(data, 0, 1));
        assertCode(() -> store.get(p + "r", ByteRange.of(20_000, 10)).close(), Code.INVALID);
    }

    @Test
    void overwriteReplacesContentMetadataAndEtag() throws Exception {
        ObjectWritten first =
                store.put(p + "o", ObjectBody.of(randomBytes(1000)), PutOptions.withMetadata(Map.of("sgw-v", "1")));
        byte[] second = randomBytes(2000);
        ObjectWritten again = store.put(p + "o", ObjectBody.of(second), PutOptions.withMetadata(Map.of("sgw-v", "2")));
        assertThat(again.etag()).isNotEqualTo(first.etag());
        ObjectInfo info = store.head(p + "o");
        assertThat(info.userMetadata()).containsEntry("sgw-v", "2");
        assertThat(info.size()).isEqualTo(2000);
        assertThat(read(p + "o")).isEqualTo(second);
    }

    @Test
    void keysWithSpacesUnicodeAndPunctuationRoundTrip() throws Exception {
        List<String> names = List.of(
                "a b.txt", "plus+sign", "per%cent", "ünïcødé/文件.txt", "eq=and&amp", "tilde~(x)", "comma,semi;colon");
        for (String name : names) {
            put(p + name, name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        for (String name : names) {
            assertThat(new String(read(p + name), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(name);
        }
        assertThat(listAll(ListRequest.flat(p)).stream().map(ObjectInfo::key).toList())
                .containsExactlyElementsOf(
                        names.stream().map(n -> p + n).sorted().toList());
        store.copy(p + "a b.txt", p + "copy of a b.txt", PutOptions.defaults());
        assertThat(read(p + "copy of a b.txt")).isEqualTo("a b.txt".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        store.deleteAll(names.stream().map(n -> p + n).toList());
        assertThat(listAll(ListRequest.flat(p))).extracting(ObjectInfo::key).containsExactly(p + "copy of a b.txt");
    }

    @Test
    void largeObjectsRoundTrip() throws Exception {
        byte[] data = randomBytes(8 * MIB + 123);
        ObjectWritten written = put(p + "big", data);
        assertThat(written.crc64()).isEqualTo(Crc64.of(data));
        assertThat(read(p + "big")).isEqualTo(data);
    }

    // ---- conditional writes ------------------------------------------------------------------------

    @Test
    void createOnlyPutFailsWhenTheObjectExistsAndLeavesItAlone() throws Exception {
        byte[] original = randomBytes(500);
        store.put(p + "c", ObjectBody.of(original), PutOptions.defaults().with(Precondition.ifAbsent()));
        assertCode(
                () -> store.put(
                        p + "c",
                        ObjectBody.of(randomBytes(600)),
                        PutOptions.defaults().with(Precondition.ifAbsent())),
                Code.PRECONDITION_FAILED);
        assertThat(read(p + "c")).isEqualTo(original);
    }

    @Test
    void ifMatchPutSucceedsOnTheKnownEtagOnly() throws Exception {
        ObjectWritten v1 = put(p + "m", randomBytes(300));
        byte[] v2data = randomBytes(400);
        ObjectWritten v2 =
                store.put(p + "m", ObjectBody.of(v2data), PutOptions.defaults().with(Precondition.ifMatch(v1.etag())));
        assertThat(v2.etag()).isNotEqualTo(v1.etag());
        assertCode(
                () -> store.put(
                        p + "m",
                        ObjectBody.of(randomBytes(500)),
                        PutOptions.defaults().with(Precondition.ifMatch(v1.etag()))),
                Code.PRECONDITION_FAILED);
        assertThat(read(p + "m")).isEqualTo(v2data);
        assertCode(
                () -> store.put(
                        p + "absent",
                        ObjectBody.of(randomBytes(5)),
                        PutOptions.defaults().with(Precondition.ifMatch(v1.etag()))),
                Code.PRECONDITION_FAILED,
                Code.NOT_FOUND);
    }

    // ---- delete ------------------------------------------------------------------------------------

    @Test
    void deleteIsIdempotent() throws Exception {
        put(p + "d", randomBytes(10));
        store.delete(p + "d");
        store.delete(p + "d");
        store.delete(p + "never-there");
        assertCode(() -> store.head(p + "d"), Code.NOT_FOUND);
    }

    @Test
    void batchDeleteRemovesMoreThanOneRequestsWorthAndIgnoresAbsentKeys() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1_005; i++) {
            keys.add(p + String.format("k%05d", i));
        }
        parallel(keys, key -> put(key, new byte[] {1}));
        List<String> toDelete = new ArrayList<>(keys.subList(0, 1_003));
        toDelete.add(p + "absent-1");
        store.deleteAll(toDelete);
        assertThat(listAll(ListRequest.flat(p)))
                .extracting(ObjectInfo::key)
                .containsExactlyElementsOf(keys.subList(1_003, 1_005));
    }

    // ---- copy --------------------------------------------------------------------------------------

    @Test
    void copyKeepsContentAndReplacesMetadata() throws Exception {
        byte[] data = randomBytes(70_000);
        store.put(p + "src", ObjectBody.of(data), PutOptions.withMetadata(Map.of("sgw-mode", "100600")));
        ObjectWritten copied = store.copy(p + "src", p + "dst", PutOptions.withMetadata(Map.of("sgw-mode", "100644")));
        assertThat(copied.size()).isEqualTo(data.length);
        assertThat(read(p + "dst")).isEqualTo(data);
        assertThat(store.head(p + "dst").userMetadata()).containsEntry("sgw-mode", "100644");
        assertThat(store.head(p + "src").userMetadata()).containsEntry("sgw-mode", "100600");
        assertCode(() -> store.copy(p + "nope", p + "dst2", PutOptions.defaults()), Code.NOT_FOUND);
        assertCode(
                () -> store.copy(p + "src", p + "dst", PutOptions.defaults().with(Precondition.ifAbsent())),
                Code.PRECONDITION_FAILED);
        assertThat(store.head(p + "dst").userMetadata()).containsEntry("sgw-mode", "100644");
    }

    @Test
    void copiesAnEmptyDirectoryMarker() throws Exception {
        store.put(p + "dir/", ObjectBody.of(new byte[0]), PutOptions.withMetadata(Map.of("sgw-mode", "40755")));
        ObjectWritten copied =
                store.copy(p + "dir/", p + "moved/", PutOptions.withMetadata(Map.of("sgw-mode", "40700")));
        assertThat(copied.size()).isZero();
        assertThat(read(p + "moved/")).isEmpty();
        assertThat(store.head(p + "moved/").userMetadata()).containsEntry("sgw-mode", "40700");
    }

    // ---- listing -----------------------------------------------------------------------------------

    @Test
    void flatListingPagesInKeyOrder() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            keys.add(p + "f" + String.format("%02d", i) + (i % 3 == 0 ? "/deeper/x" : ""));
        }
        parallel(keys, key -> put(key, new byte[] {(byte) key.length()}));
        put("outside-" + p.substring(0, p.length() - 1), new byte[1]);

        List<String> seen = new ArrayList<>();
        int pages = 0;
        ListRequest request = new ListRequest(p, null, null, 10);
        while (true) {
            ListPage page = store.list(request);
            pages++;
            assertThat(page.commonPrefixes()).isEmpty();
            assertThat(page.objects().size()).isLessThanOrEqualTo(10);
            page.objects().forEach(o -> seen.add(o.key()));
            if (page.isLast()) {
                break;
            }
            request = request.next(page.nextToken());
        }
        assertThat(seen).containsExactlyElementsOf(keys.stream().sorted().toList());
        assertThat(pages).isGreaterThanOrEqualTo(3);
        ObjectInfo first =
                store.list(new ListRequest(p, null, null, 1)).objects().get(0);
        assertThat(first.size()).isEqualTo(1);
        assertThat(first.etag()).isNotBlank();
    }

    @Test
    void delimitedListingRollsUpDirectoriesAcrossPages() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int d = 0; d < 7; d++) {
            for (int f = 0; f < 3; f++) {
                keys.add(p + "dir" + d + "/file" + f);
            }
            keys.add(p + "file" + d);
        }
        keys.add(p + "dir0/");
        parallel(keys, key -> put(key, new byte[0]));

        List<String> files = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        ListRequest request = new ListRequest(p, "/", null, 3);
        for (int pages = 0; pages < 100; pages++) {
            ListPage page = store.list(request);
            assertThat(page.objects().size() + page.commonPrefixes().size()).isBetween(1, 3);
            page.objects().forEach(o -> files.add(o.key()));
            dirs.addAll(page.commonPrefixes());
            if (page.isLast()) {
                break;
            }
            request = request.next(page.nextToken());
        }
        List<String> expectedDirs = new ArrayList<>();
        List<String> expectedFiles = new ArrayList<>();
        for (int d = 0; d < 7; d++) {
            expectedDirs.add(p + "dir" + d + "/");
            expectedFiles.add(p + "file" + d);
        }
        assertThat(dirs).containsExactlyElementsOf(expectedDirs);
        assertThat(files).containsExactlyElementsOf(expectedFiles);

        ListPage inside = store.list(ListRequest.directory(p + "dir0/"));
        assertThat(inside.objects())
                .extracting(ObjectInfo::key)
                .containsExactly(p + "dir0/", p + "dir0/file0", p + "dir0/file1", p + "dir0/file2");
        assertThat(store.list(ListRequest.flat(p + "nothing-here/")).objects()).isEmpty();
    }

    // ---- multipart ---------------------------------------------------------------------------------

    @Test
    void multipartUploadAssemblesPartsWithMetadata() throws Exception {
        byte[] one = randomBytes(5 * MIB);
        byte[] two = randomBytes(MIB + 7);
        String id = store.startMultipart(p + "mp", PutOptions.withMetadata(Map.of("sgw-mode", "100640")));
        MultipartPart second = store.uploadPart(p + "mp", id, 2, ObjectBody.of(two));
        MultipartPart first = store.uploadPart(p + "mp", id, 1, ObjectBody.of(randomBytes(5 * MIB)));
        first = store.uploadPart(p + "mp", id, 1, ObjectBody.of(one)); // a part sent again replaces it
        assertThat(first.size()).isEqualTo(one.length);
        assertThat(first.crc64()).isEqualTo(Crc64.of(one));
        assertThatThrownBy(() -> store.head(p + "mp")).isInstanceOf(ObjectStoreException.class);

        ObjectWritten done = store.completeMultipart(p + "mp", id, List.of(first, second), Precondition.none());
        byte[] whole = concat(one, two);
        assertThat(done.size()).isEqualTo(whole.length);
        assertThat(done.crc64()).isEqualTo(Crc64.of(whole));
        assertThat(read(p + "mp")).isEqualTo(whole);
        ObjectInfo info = store.head(p + "mp");
        assertThat(info.size()).isEqualTo(whole.length);
        assertThat(info.userMetadata()).containsEntry("sgw-mode", "100640");
        assertThat(read(p + "mp", 5 * MIB - 3, 10)).isEqualTo(slice(whole, 5 * MIB - 3, 10));
    }

    @Test
    void uploadPartCopyReusesRangesOfAnotherObject() throws Exception {
        byte[] source = randomBytes(6 * MIB);
        put(p + "old", source);
        byte[] tail = randomBytes(1000);
        String id = store.startMultipart(p + "new", PutOptions.defaults());
        MultipartPart copied = store.uploadPartCopy(p + "new", id, 1, p + "old", ByteRange.of(MIB, 5 * MIB));
        MultipartPart uploaded = store.uploadPart(p + "new", id, 2, ObjectBody.of(tail));
        assertThat(copied.size()).isEqualTo(5 * MIB);
        store.completeMultipart(p + "new", id, List.of(copied, uploaded), Precondition.none());
        assertThat(read(p + "new")).isEqualTo(concat(slice(source, MIB, 5 * MIB), tail));
        assertThat(read(p + "old")).isEqualTo(source);
    }

    @Test
    void createOnlyMultipartCompletionFailsWhenTheObjectExists() throws Exception {
        byte[] existing = randomBytes(100);
        put(p + "taken", existing);
        String id = store.startMultipart(p + "taken", PutOptions.defaults());
        MultipartPart part = store.uploadPart(p + "taken", id, 1, ObjectBody.of(randomBytes(1000)));
        assertCode(
                () -> store.completeMultipart(p + "taken", id, List.of(part), Precondition.ifAbsent()),
                Code.PRECONDITION_FAILED);
        assertThat(read(p + "taken")).isEqualTo(existing);
        store.abortMultipart(p + "taken", id);
    }

    @Test
    void pendingUploadsAreListedUntilAborted() throws Exception {
        String a = store.startMultipart(p + "u/a", PutOptions.defaults());
        String b = store.startMultipart(p + "u/b", PutOptions.defaults());
        store.uploadPart(p + "u/a", a, 1, ObjectBody.of(randomBytes(100)));
        assertThat(allUploads(p + "u/"))
                .extracting(PendingUpload::key, PendingUpload::uploadId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(p + "u/a", a),
                        org.assertj.core.groups.Tuple.tuple(p + "u/b", b));
        store.abortMultipart(p + "u/a", a);
        store.abortMultipart(p + "u/a", a);
        assertThat(allUploads(p + "u/")).extracting(PendingUpload::uploadId).containsExactly(b);
        store.abortMultipart(p + "u/b", b);
        assertThat(allUploads(p + "u/")).isEmpty();
        if (refusesPartsOfAbortedUploads()) {
            assertCode(() -> store.uploadPart(p + "u/b", b, 1, ObjectBody.of(new byte[1])), Code.NOT_FOUND);
        }
        assertCode(() -> store.head(p + "u/a"), Code.NOT_FOUND);
    }

    // ---- concurrency -------------------------------------------------------------------------------

    @Test
    void concurrentWritersAndReadersOfManyKeysSeeWholeObjects() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            keys.add(p + "c" + i);
        }
        parallel(keys, key -> {
            for (int round = 0; round < 3; round++) {
                byte[] data = new byte[4096 + round];
                java.util.Arrays.fill(data, (byte) round);
                put(key, data);
                byte[] back = read(key);
                assertThat(back).hasSizeBetween(4096, 4098);
                Set<Byte> values = new HashSet<>();
                for (byte v : back) {
                    values.add(v);
                }
                assertThat(values).hasSize(1); // a whole version, never a mix
            }
        });
    }

    // ---- helpers -----------------------------------------------------------------------------------

    protected interface KeyTask {
        void run(String key) throws Exception;
    }

    protected void parallel(List<String> keys, KeyTask task) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> futures = new ArrayList<>();
            for (String key : keys) {
                futures.add(pool.submit(() -> {
                    task.run(key);
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
    }

    protected List<ObjectInfo> listAll(ListRequest request) throws ObjectStoreException {
        List<ObjectInfo> all = new ArrayList<>();
        while (true) {
            ListPage page = store.list(request);
            all.addAll(page.objects());
            if (page.isLast()) {
                return all;
            }
            request = request.next(page.nextToken());
        }
    }

    private List<PendingUpload> allUploads(String prefix) throws ObjectStoreException {
        List<PendingUpload> all = new ArrayList<>();
        String token = null;
        do {
            UploadPage page = store.listMultipartUploads(prefix, token);
            all.addAll(page.uploads());
            token = page.nextToken();
        } while (token != null);
        return all;
    }

    protected interface Call {
        void run() throws Exception;
    }

    protected static void assertCode(Call call, Code... expected) {
        assertThatThrownBy(call::run)
                .isInstanceOf(ObjectStoreException.class)
                .satisfies(e -> assertThat(((ObjectStoreException) e).code()).isIn((Object[]) expected));
    }

    protected static byte[] slice(byte[] data, int offset, int length) {
        byte[] out = new byte[length];
        System.arraycopy(data, offset, out, 0, length);
        return out;
    }

    protected static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
