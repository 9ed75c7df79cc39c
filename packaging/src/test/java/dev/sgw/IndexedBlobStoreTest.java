package dev.sgw;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link IndexedBlobStore} on a real data directory. S3Proxy's own filesystem store over the same directory
 * is the oracle: for every prefix, delimiter and page size tried, the indexed store must answer with the
 * same pages (objects with size, ETag, time and storage class; common prefixes; continuation tokens).
 */
class IndexedBlobStoreTest {

    private static final String BUCKET = "b";
    private static final List<String> TREE = List.of(
            "a",
            "b/c",
            "b/d/e",
            "b/d/f",
            "b/",
            "dir0/",
            "dir0/x",
            "\u00fc/\u6587\u4ef6",
            "plus+sign",
            "sp ace/x",
            "z/y/x/w",
            "b-c",
            "b.c/d");

    @TempDir
    Path dir;

    private IndexedBlobStore store;
    private BlobStore oracle;

    @BeforeEach
    void open() throws Exception {
        store = IndexedBlobStore.open(dir);
        store.createContainer(BUCKET);
        oracle = new FilesystemNio2BlobStore(dir.toAbsolutePath().toString());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void listsPageForPageWhatTheFilesystemStoreLists() throws Exception {
        putTree();
        assertSameListingsAsTheFilesystemStore();

        ListObjectsV2Response top = store.list(request("", "/", null, 1000));
        assertThat(top.contents()).extracting(S3Object::key).containsExactly("a", "b-c", "plus+sign");
        assertThat(top.commonPrefixes())
                .extracting(CommonPrefix::prefix)
                .containsExactly("b.c/", "b/", "dir0/", "sp ace/", "z/", "\u00fc/");
        ListObjectsV2Response insideB = store.list(request("b/", "/", null, 1000));
        assertThat(insideB.contents()).extracting(S3Object::key).containsExactly("b/", "b/c");
        assertThat(insideB.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("b/d/");
        assertThat(insideB.contents().get(1).size()).isEqualTo("b/c".length());
        assertThat(insideB.contents().get(1).eTag()).isEqualTo(md5Hex("b/c"));
    }

    @Test
    void pagesEndingOnACommonPrefixResumePastAllOfIt() {
        for (int d = 0; d < 3; d++) {
            for (int f = 0; f < 4; f++) {
                put("p/d" + d + "/f" + f, "x");
            }
            put("p/f" + d, "y");
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            ListObjectsV2Response page = store.list(request("p/", "/", token, 1));
            page.contents().forEach(o -> seen.add(o.key()));
            page.commonPrefixes().forEach(p -> seen.add(p.prefix()));
            token = page.nextContinuationToken();
            assertThat(page.isTruncated()).isEqualTo(token != null);
            pages++;
        } while (token != null);
        assertThat(seen).containsExactly("p/d0/", "p/d1/", "p/d2/", "p/f0", "p/f1", "p/f2");
        assertThat(pages).isEqualTo(6);
    }

    @Test
    void overwritesDeletesCopiesAndMarkersShowAtOnce() throws Exception {
        putTree();
        put("a", "a longer content");
        store.removeBlob(
                DeleteObjectRequest.builder().bucket(BUCKET).key("b/d/e").build());
        store.removeBlob(DeleteObjectRequest.builder().bucket(BUCKET).key("b/").build()); // marker of a non-empty dir
        store.removeBlob(
                DeleteObjectRequest.builder().bucket(BUCKET).key("never-there").build());
        store.copyBlob(CopyObjectRequest.builder()
                .sourceBucket(BUCKET)
                .sourceKey("b/c")
                .destinationBucket(BUCKET)
                .destinationKey("copies/c")
                .build());
        put("n//m", "normalized"); // stored at the path n/m, listed so

        List<String> keys = store.list(request("", null, null, 1000)).contents().stream()
                .map(S3Object::key)
                .toList();
        assertThat(keys)
                .contains("a", "b/c", "b/d/f", "copies/c", "dir0/", "n/m")
                .doesNotContain("b/d/e", "b/", "never-there", "n//m");
        assertThat(store.list(request("a", null, null, 1)).contents().get(0).size())
                .isEqualTo("a longer content".length());
        assertSameListingsAsTheFilesystemStore();
    }

    @Test
    void completedMultipartUploadsAreListedAndPendingPartsNever() throws Exception {
        MultipartUpload pending = store.initiateMultipartUpload(CreateMultipartUploadRequest.builder()
                .bucket(BUCKET)
                .key("mp/pending")
                .build());
        uploadPart(pending, 1, "part one");
        MultipartUpload done = store.initiateMultipartUpload(CreateMultipartUploadRequest.builder()
                .bucket(BUCKET)
                .key("mp/done")
                .build());
        String etag = uploadPart(done, 1, "only part");
        store.completeMultipartUpload(
                done,
                software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest.builder()
                        .bucket(BUCKET)
                        .key("mp/done")
                        .uploadId(done.id())
                        .multipartUpload(u -> u.parts(
                                CompletedPart.builder().partNumber(1).eTag(etag).build()))
                        .build());

        assertThat(store.list(request("", null, null, 1000)).contents())
                .extracting(S3Object::key)
                .containsExactly("mp/done");
        assertSameListingsAsTheFilesystemStore();
        reopen();
        assertThat(store.list(request("", null, null, 1000)).contents())
                .extracting(S3Object::key)
                .containsExactly("mp/done");
    }

    @Test
    void reopeningLoadsTheIndexFromTheDataDirectory() throws Exception {
        putTree();
        store.putBlob(
                PutObjectRequest.builder()
                        .bucket(BUCKET)
                        .key("tiered")
                        .storageClass("STANDARD_IA")
                        .contentLength(1L)
                        .build(),
                new ByteArrayInputStream(new byte[1]));
        store.createContainer("second");
        store.putBlob(
                PutObjectRequest.builder()
                        .bucket("second")
                        .key("k")
                        .contentLength(1L)
                        .build(),
                new ByteArrayInputStream(new byte[1]));
        List<ListObjectsV2Response> before = allPages(store, request("", null, null, 4));

        reopen();

        assertThat(store.indexState(BUCKET)).isEqualTo(IndexedBlobStore.IndexState.INDEXED);
        assertThat(store.indexedObjects(BUCKET)).isEqualTo(TREE.size() + 1);
        assertThat(store.indexedObjects("second")).isEqualTo(1);
        assertThat(allPages(store, request("", null, null, 4))).isEqualTo(before);
        assertThat(store.list(request("tiered", null, null, 1))
                        .contents()
                        .get(0)
                        .storageClassAsString())
                .isEqualTo("STANDARD_IA");
        assertSameListingsAsTheFilesystemStore();
    }

    @Test
    void bucketsCreatedAndDeletedWhileRunning() throws Exception {
        store.createContainer("fresh");
        assertThat(store.indexState("fresh")).isEqualTo(IndexedBlobStore.IndexState.INDEXED);
        store.putBlob(
                PutObjectRequest.builder()
                        .bucket("fresh")
                        .key("k")
                        .contentLength(1L)
                        .build(),
                new ByteArrayInputStream(new byte[1]));
        assertThat(store.list(request("", null, null, 10)).contents()).isEmpty(); // BUCKET, not "fresh"
        assertThat(store.list(ListObjectsV2Request.builder().bucket("fresh").build())
                        .contents())
                .extracting(S3Object::key)
                .containsExactly("k");

        store.removeBlob(DeleteObjectRequest.builder().bucket("fresh").key("k").build());
        store.deleteContainer("fresh");
        assertThat(store.indexState("fresh")).isEqualTo(IndexedBlobStore.IndexState.UNINDEXED);
        assertThatThrownBy(() -> store.list(
                        ListObjectsV2Request.builder().bucket("fresh").build()))
                .isInstanceOf(software.amazon.awssdk.services.s3.model.NoSuchBucketException.class);

        // a bucket directory made behind the store's back is listed by the filesystem store until the next open
        Files.createDirectories(dir.resolve("outside"));
        oracle.putBlob(
                PutObjectRequest.builder()
                        .bucket("outside")
                        .key("o")
                        .contentLength(1L)
                        .build(),
                new ByteArrayInputStream(new byte[1]));
        assertThat(store.indexState("outside")).isEqualTo(IndexedBlobStore.IndexState.UNINDEXED);
        assertThat(store.list(ListObjectsV2Request.builder().bucket("outside").build())
                        .contents())
                .extracting(S3Object::key)
                .containsExactly("o");
        reopen();
        assertThat(store.indexState("outside")).isEqualTo(IndexedBlobStore.IndexState.INDEXED);
    }

    @Test
    void concurrentPutsDeletesAndListsKeepTheIndexExact() throws Exception {
        int writers = 4;
        int operations = 100;
        AtomicBoolean writing = new AtomicBoolean(true);
        put("shared/anchor", "keeps the directory: the filesystem store races when it removes an emptied one");
        try (ExecutorService pool = Executors.newFixedThreadPool(writers + 2)) {
            List<Future<?>> writerResults = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                writerResults.add(pool.submit(() -> {
                    // each writer owns its prefix, so a list of it must equal what the writer last did there
                    Random random = new Random(writer);
                    String prefix = "w" + writer + "/";
                    TreeSet<String> model = new TreeSet<>();
                    for (int i = 0; i < operations; i++) {
                        String key = prefix
                                + (random.nextInt(5) == 0
                                        ? "d" + random.nextInt(8) + "/deeper"
                                        : "k" + random.nextInt(40));
                        if (random.nextBoolean()) {
                            put(key, "v" + i);
                            model.add(key);
                        } else {
                            store.removeBlob(DeleteObjectRequest.builder()
                                    .bucket(BUCKET)
                                    .key(key)
                                    .build());
                            model.remove(key);
                        }
                        String shared = "shared/k" + random.nextInt(4); // fought over by every writer
                        if (random.nextBoolean()) {
                            put(shared, "w" + writer + "-" + i);
                        } else {
                            store.removeBlob(DeleteObjectRequest.builder()
                                    .bucket(BUCKET)
                                    .key(shared)
                                    .build());
                        }
                        List<String> listed =
                                keys(allPages(store, request(prefix, null, null, 1 + random.nextInt(20))));
                        assertThat(listed)
                                .as("writer %d after op %d", writer, i)
                                .containsExactlyElementsOf(model);
                    }
                    return null;
                }));
            }
            List<Future<?>> listers = new ArrayList<>();
            for (int l = 0; l < 2; l++) {
                String delimiter = l == 0 ? null : "/";
                listers.add(pool.submit(() -> {
                    int lists = 0;
                    while (writing.get() || lists == 0) {
                        List<ListObjectsV2Response> pages = allPages(store, request("", delimiter, null, 7));
                        List<String> names = new ArrayList<>();
                        for (ListObjectsV2Response page : pages) {
                            page.contents().forEach(o -> names.add(o.key()));
                            page.commonPrefixes().forEach(p -> names.add(p.prefix()));
                        }
                        assertThat(names).isSortedAccordingTo(String::compareTo).doesNotHaveDuplicates();
                        lists++;
                        Thread.sleep(2); // leave the two cores to the writers
                    }
                    return lists;
                }));
            }
            try {
                for (Future<?> f : writerResults) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                writing.set(false); // the listers stop, also when a writer failed
            }
            for (Future<?> f : listers) {
                assertThat((Integer) f.get(60, TimeUnit.SECONDS)).isPositive();
            }
        }
        assertSameListingsAsTheFilesystemStore(7, 1000);
        reopen();
        assertSameListingsAsTheFilesystemStore(1000);
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private void putTree() {
        for (String key : TREE) {
            put(key, key);
        }
    }

    private void put(String key, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        store.putBlob(
                PutObjectRequest.builder()
                        .bucket(BUCKET)
                        .key(key)
                        .contentLength((long) data.length)
                        .build(),
                new ByteArrayInputStream(data));
    }

    private String uploadPart(MultipartUpload upload, int part, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        return store.uploadMultipartPart(
                        upload,
                        UploadPartRequest.builder()
                                .bucket(BUCKET)
                                .key(upload.blobName())
                                .uploadId(upload.id())
                                .partNumber(part)
                                .contentLength((long) data.length)
                                .build(),
                        new ByteArrayInputStream(data))
                .eTag();
    }

    private void reopen() throws Exception {
        store.close();
        store = IndexedBlobStore.open(dir);
    }

    private static ListObjectsV2Request request(String prefix, String delimiter, String token, int maxKeys) {
        return ListObjectsV2Request.builder()
                .bucket(BUCKET)
                .prefix(prefix)
                .delimiter(delimiter)
                .continuationToken(token)
                .maxKeys(maxKeys)
                .build();
    }

    private static List<ListObjectsV2Response> allPages(BlobStore s, ListObjectsV2Request first) {
        List<ListObjectsV2Response> pages = new ArrayList<>();
        ListObjectsV2Request next = first;
        for (int i = 0; i < 10_000; i++) {
            ListObjectsV2Response page = s.list(next);
            pages.add(page);
            if (page.nextContinuationToken() == null) {
                return pages;
            }
            next = next.toBuilder()
                    .continuationToken(page.nextContinuationToken())
                    .build();
        }
        throw new AssertionError("listing did not end");
    }

    private static List<String> keys(List<ListObjectsV2Response> pages) {
        return pages.stream()
                .flatMap(p -> p.contents().stream())
                .map(S3Object::key)
                .toList();
    }

    private void assertSameListingsAsTheFilesystemStore() {
        assertSameListingsAsTheFilesystemStore(1, 2, 3, 1000);
    }

    /** Every prefix the stored keys suggest, with and without "/", at each page size. */
    private void assertSameListingsAsTheFilesystemStore(int... pageSizes) {
        TreeSet<String> prefixes = new TreeSet<>(List.of("", "nothing/", "b", "zz"));
        for (S3Object o : store.list(request("", null, null, 1000)).contents()) {
            String key = o.key();
            for (int i = key.indexOf('/'); i >= 0; i = key.indexOf('/', i + 1)) {
                prefixes.add(key.substring(0, i + 1));
                prefixes.add(key.substring(0, i));
            }
        }
        for (String prefix : prefixes) {
            for (String delimiter : new String[] {null, "/"}) {
                for (int maxKeys : pageSizes) {
                    ListObjectsV2Request request = request(prefix, delimiter, null, maxKeys);
                    assertThat(allPages(store, request))
                            .as("prefix '%s' delimiter %s max %d", prefix, delimiter, maxKeys)
                            .isEqualTo(allPages(oracle, request));
                }
            }
        }
    }

    private static String md5Hex(String content) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("MD5")
                        .digest(content.getBytes(StandardCharsets.UTF_8)));
    }
}
