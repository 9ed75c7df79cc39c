package dev.sgw.core.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.sgw.core.store.ObjectStoreException.Code;
import dev.sgw.core.store.memory.MemoryObjectStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrefixedObjectStoreTest {

    private final MemoryObjectStore bucket = new MemoryObjectStore();
    private final PrefixedObjectStore tenant = new PrefixedObjectStore(bucket, "tenant/");

    @Test
    void keysGoUnderThePrefixAndComeBackWithout() throws Exception {
        ObjectWritten written =
                tenant.put("dir/a.txt", body("alpha"), PutOptions.withMetadata(Map.of("sgw-mode", "100644")));
        assertThat(written.key()).isEqualTo("dir/a.txt");
        assertThat(bucket.head("tenant/dir/a.txt").size()).isEqualTo(5);
        assertThatThrownBy(() -> bucket.head("dir/a.txt")).isInstanceOf(ObjectStoreException.class);

        assertThat(tenant.head("dir/a.txt").key()).isEqualTo("dir/a.txt");
        assertThat(tenant.head("dir/a.txt").userMetadata()).containsEntry("sgw-mode", "100644");
        try (ObjectContent content = tenant.get("dir/a.txt", ByteRange.of(1, 3))) {
            assertThat(content.info().key()).isEqualTo("dir/a.txt");
            assertThat(new String(content.readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("lph");
        }
        tenant.delete("dir/a.txt");
        assertThatThrownBy(() -> bucket.head("tenant/dir/a.txt")).isInstanceOf(ObjectStoreException.class);
    }

    @Test
    void keysAreOpaqueButMustNotBeEmpty() throws Exception {
        tenant.put("../escape", body("x"), PutOptions.defaults());
        assertThat(bucket.head("tenant/../escape").size()).isEqualTo(1);
        assertCode(() -> tenant.put("", body("x"), PutOptions.defaults()), Code.INVALID);
        assertCode(() -> tenant.head(null), Code.INVALID);
        assertCode(() -> tenant.deleteAll(List.of("ok", "")), Code.INVALID);
        assertCode(() -> tenant.copy("", "target", PutOptions.defaults()), Code.INVALID);
    }

    @Test
    void prefixesAreValidated() {
        assertThat(new PrefixedObjectStore(bucket, "").prefix()).isEmpty();
        assertThat(new PrefixedObjectStore(bucket, "a/b/").prefix()).isEqualTo("a/b/");
        for (String bad : List.of("tenant", "/tenant/", "/")) {
            assertThatThrownBy(() -> new PrefixedObjectStore(bucket, bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new PrefixedObjectStore(bucket, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void delimitedListingsPageUnderThePrefixWithKeysAndDirectoriesStripped() throws Exception {
        for (String key : List.of("d1/x", "d1/y", "d2/z", "f1", "f2", "f3", "d3/")) {
            tenant.put(key, body(key), PutOptions.defaults());
        }
        bucket.put("tenant-other", body("no"), PutOptions.defaults());
        bucket.put("f0", body("no"), PutOptions.defaults());
        bucket.put("tenant/", body(""), PutOptions.defaults()); // a "folder" marker of the prefix itself

        List<String> files = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        int pages = 0;
        ListRequest request = new ListRequest("", "/", null, 2);
        while (true) {
            ListPage page = tenant.list(request);
            pages++;
            page.objects().forEach(o -> files.add(o.key()));
            dirs.addAll(page.commonPrefixes());
            if (page.isLast()) {
                break;
            }
            request = request.next(page.nextToken());
        }
        assertThat(dirs).containsExactly("d1/", "d2/", "d3/");
        assertThat(files).containsExactly("f1", "f2", "f3");
        assertThat(pages).isGreaterThanOrEqualTo(3);

        ListPage inside = tenant.list(ListRequest.directory("d1/"));
        assertThat(inside.objects()).extracting(ObjectInfo::key).containsExactly("d1/x", "d1/y");
        assertThat(tenant.list(ListRequest.flat("f")).objects())
                .extracting(ObjectInfo::key)
                .containsExactly("f1", "f2", "f3");
    }

    @Test
    void copiesReadAndWriteUnderThePrefix() throws Exception {
        bucket.put("src", body("outside"), PutOptions.defaults());
        tenant.put("src", body("inside"), PutOptions.defaults());
        ObjectWritten copied = tenant.copy("src", "dst", PutOptions.defaults());
        assertThat(copied.key()).isEqualTo("dst");
        assertThat(read(bucket, "tenant/dst")).isEqualTo("inside");
        assertThatThrownBy(() -> bucket.head("dst")).isInstanceOf(ObjectStoreException.class);
    }

    @Test
    void multipartUploadsAndPendingListingsStayUnderThePrefix() throws Exception {
        bucket.put("tenant/old", ObjectBody.of(new byte[(int) ObjectStore.MIN_PART_SIZE]), PutOptions.defaults());
        String outside = bucket.startMultipart("u/elsewhere", PutOptions.defaults());
        String id = tenant.startMultipart("u/big", PutOptions.defaults());
        String other = tenant.startMultipart("v/other", PutOptions.defaults());

        UploadPage pending = tenant.listMultipartUploads("u/", null);
        assertThat(pending.uploads())
                .extracting(PendingUpload::key, PendingUpload::uploadId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("u/big", id));
        assertThat(tenant.listMultipartUploads("", null).uploads())
                .extracting(PendingUpload::key)
                .containsExactly("u/big", "v/other");

        MultipartPart first = tenant.uploadPartCopy("u/big", id, 1, "old", null);
        MultipartPart second = tenant.uploadPart("u/big", id, 2, body("tail"));
        ObjectWritten done = tenant.completeMultipart("u/big", id, List.of(first, second), Precondition.ifAbsent());
        assertThat(done.key()).isEqualTo("u/big");
        assertThat(bucket.head("tenant/u/big").size()).isEqualTo(ObjectStore.MIN_PART_SIZE + 4);

        tenant.abortMultipart("v/other", other);
        assertThat(tenant.listMultipartUploads("", null).uploads()).isEmpty();
        assertThat(bucket.listMultipartUploads("", null).uploads())
                .extracting(PendingUpload::uploadId)
                .containsExactly(outside);
    }

    @Test
    void twoPrefixesOverOneBucketDoNotSeeEachOther() throws Exception {
        PrefixedObjectStore a = new PrefixedObjectStore(bucket, "a/");
        PrefixedObjectStore b = new PrefixedObjectStore(bucket, "b/");
        a.put("same", body("from a"), PutOptions.defaults());
        b.put("same", body("from b"), PutOptions.defaults());
        a.put("only-a", body("1"), PutOptions.defaults());
        a.startMultipart("up", PutOptions.defaults());

        assertThat(read(a, "same")).isEqualTo("from a");
        assertThat(read(b, "same")).isEqualTo("from b");
        assertCode(() -> b.head("only-a"), Code.NOT_FOUND);
        assertThat(b.list(ListRequest.flat("")).objects())
                .extracting(ObjectInfo::key)
                .containsExactly("same");
        assertThat(b.listMultipartUploads("", null).uploads()).isEmpty();
        b.deleteAll(List.of("same", "only-a"));
        assertThat(read(a, "same")).isEqualTo("from a");
        assertThat(a.list(ListRequest.flat("")).objects())
                .extracting(ObjectInfo::key)
                .containsExactly("only-a", "same");
    }

    private static ObjectBody body(String text) {
        return ObjectBody.of(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String read(ObjectStore store, String key) throws Exception {
        try (ObjectContent content = store.get(key, null)) {
            return new String(content.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void assertCode(ObjectStoreContract.Call call, Code code) {
        assertThatThrownBy(call::run)
                .isInstanceOf(ObjectStoreException.class)
                .satisfies(e -> assertThat(((ObjectStoreException) e).code()).isEqualTo(code));
    }
}
