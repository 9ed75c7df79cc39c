package dev.sgw.core.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.sgw.core.layout.BucketLayout;
import dev.sgw.core.store.ObjectBody;
import dev.sgw.core.store.ObjectInfo;
import dev.sgw.core.store.ObjectWritten;
import dev.sgw.core.store.Precondition;
import dev.sgw.core.store.PutOptions;
import dev.sgw.core.store.memory.MemoryObjectStore;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.DosAttributes;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileType;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.Stability;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.core.volume.VolumeMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The share's bucket side: reverse sync's {@link RemoteChanges}, cache-mode fetches, the uploader seam. */
class BucketSideTest {
    private static final int CS = ShareFixture.CHUNK;

    @TempDir
    Path dir;

    MemoryObjectStore bucket = new MemoryObjectStore();
    ShareFixture share;
    ShareVolume v;
    RemoteChanges remote;

    @BeforeEach
    void open() throws IOException {
        share = new ShareFixture(dir, VolumeMode.CACHE, bucket, 64L << 20);
        v = share.volume;
        remote = v.remoteChanges();
    }

    @AfterEach
    void close() throws IOException {
        share.close();
    }

    private ObjectWritten put(String key, byte[] data, Map<String, String> meta) throws IOException {
        return bucket.put(key, ObjectBody.of(data), PutOptions.withMetadata(meta));
    }

    private byte[] readAll(NodeId f, int n) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(n);
        v.read(f, 0, dst);
        return java.util.Arrays.copyOf(dst.array(), dst.position());
    }

    @Test
    void anImportedFileReadsFromItsObjectChunkByChunk() throws IOException {
        byte[] data = FileVolumeContract.random(3 * CS + 123, 5);
        ObjectWritten w = put("docs/a.bin", data, Map.of());
        remote.objectSeen("docs/a.bin", w.etag(), data.length, 1_000_000_000L);

        NodeId docs = v.lookup(v.root(), "docs").id();
        FileAttributes a = v.lookup(docs, "a.bin");
        assertThat(a.size()).isEqualTo(data.length);
        assertThat(a.mode()).isEqualTo(0644);
        assertThat(readAll(a.id(), data.length + 10)).isEqualTo(data);
        // a middle range, and a write into a chunk that is only in the bucket keeps its other bytes
        ShareVolume fresh = share.reopen();
        v = fresh;
        NodeId f = v.lookup(v.lookup(v.root(), "docs").id(), "a.bin").id();
        v.write(f, CS + 10, ByteBuffer.wrap(new byte[] {1, 2}), Stability.UNSTABLE);
        byte[] expected = data.clone();
        expected[CS + 10] = 1;
        expected[CS + 11] = 2;
        assertThat(readAll(f, data.length)).isEqualTo(expected);
    }

    @Test
    void aReplacedObjectIsAnIoErrorUntilReverseSyncSeesIt() throws IOException {
        byte[] data = FileVolumeContract.random(CS + 5, 6);
        ObjectWritten w = put("a", data, Map.of());
        remote.objectSeen("a", w.etag(), data.length, 0);
        NodeId f = v.lookup(v.root(), "a").id();
        byte[] other = FileVolumeContract.random(CS + 5, 7);
        ObjectWritten w2 = put("a", other, Map.of());
        VolumeException e = catchThrowableOfType(VolumeException.class, () -> readAll(f, 10));
        assertThat(e).isNotNull();
        assertThat(e.error()).isEqualTo(VolumeError.IO);
        assertThat(e.getMessage()).contains("changed in the bucket");
        remote.objectSeen("a", w2.etag(), other.length, 0);
        assertThat(readAll(f, other.length)).isEqualTo(other);
    }

    @Test
    void firstGetattrReadsTheObjectsMetadata() throws IOException {
        Map<String, String> meta = BucketLayout.attributesMetadata(0600, 42, 43, 5_000_000_000L, null);
        ObjectWritten w = put("f", new byte[3], meta);
        ObjectWritten l = put("link", new byte[0], BucketLayout.attributesMetadata(0777, 1, 1, 7L, "f"));
        remote.objectSeen("f", w.etag(), 3, 1L);
        remote.objectSeen("link", l.etag(), 0, 1L);
        FileAttributes listed = v.readdir(v.root(), 0, 0, 10).entries().get(0).attributes();
        assertThat(listed.mode()).isEqualTo(0644); // defaults until read
        assertThat(listed.mtime()).isEqualTo(1L);
        FileAttributes a = v.lookup(v.root(), "f");
        assertThat(a.mode()).isEqualTo(0600);
        assertThat(a.uid()).isEqualTo(42);
        assertThat(a.gid()).isEqualTo(43);
        assertThat(a.mtime()).isEqualTo(5_000_000_000L);
        FileAttributes link = v.lookup(v.root(), "link");
        assertThat(link.type()).isEqualTo(FileType.SYMLINK);
        assertThat(v.readlink(link.id())).isEqualTo("f");
    }

    @Test
    void birthTimeAndDosAttributesComeFromTheObjectsMetadataOrDefaults() throws IOException {
        Map<String, String> meta = BucketLayout.attributesMetadata(
                0600, 42, 43, 5_000_000_000L, 3_000_000_100L, DosAttributes.READ_ONLY | DosAttributes.HIDDEN, null);
        ObjectWritten w = put("f", new byte[3], meta);
        ObjectWritten old = put("old", new byte[3], BucketLayout.attributesMetadata(0600, 42, 43, 6_000L, null));
        ObjectWritten other = put("other", new byte[3], Map.of(BucketLayout.DOS_ATTRIBUTES, "junk"));
        remote.objectSeen("f", w.etag(), 3, 1L);
        remote.objectSeen("old", old.etag(), 3, 1L);
        remote.objectSeen("other", other.etag(), 3, 9L);
        FileAttributes a = v.lookup(v.root(), "f");
        assertThat(a.btime()).isEqualTo(3_000_000_100L);
        assertThat(a.dosAttributes()).isEqualTo(new DosAttributes(DosAttributes.READ_ONLY | DosAttributes.HIDDEN));
        FileAttributes b = v.lookup(v.root(), "old");
        assertThat(b.btime()).as("no sgw-btime: born at its mtime").isEqualTo(6_000L);
        assertThat(b.dosAttributes()).isEqualTo(new DosAttributes(DosAttributes.ARCHIVE));
        FileAttributes c = v.lookup(v.root(), "other");
        assertThat(c.btime()).isEqualTo(9L);
        assertThat(c.dosAttributes()).isEqualTo(new DosAttributes(DosAttributes.ARCHIVE));
        assertThat(BucketLayout.dosAttributes(Map.of(BucketLayout.DOS_ATTRIBUTES, "0x27")))
                .hasValue(0x27);
        assertThat(BucketLayout.dosAttributes(Map.of(BucketLayout.DOS_ATTRIBUTES, "20")))
                .hasValue(0x20);
    }

    @Test
    void deallocateOfAFileOnlyInTheBucketFetchesWhatItKeeps() throws IOException {
        byte[] data = FileVolumeContract.random(3 * CS + 123, 8);
        ObjectWritten w = put("a.bin", data, Map.of());
        remote.objectSeen("a.bin", w.etag(), data.length, 1L);
        NodeId f = v.lookup(v.root(), "a.bin").id();
        v.deallocate(f, CS + 10, 10); // inside a chunk: fetched, then zeroed
        v.deallocate(f, 2L * CS, CS); // a whole chunk: not fetched
        v.deallocate(f, 3L * CS + 100, 1000); // to the end: fetched, then cut
        byte[] expected = data.clone();
        java.util.Arrays.fill(expected, CS + 10, CS + 20, (byte) 0);
        java.util.Arrays.fill(expected, 2 * CS, 3 * CS, (byte) 0);
        java.util.Arrays.fill(expected, 3 * CS + 100, data.length, (byte) 0);
        assertThat(readAll(f, data.length + 10)).isEqualTo(expected);
        ShareVolume fresh = share.reopen();
        v = fresh;
        NodeId again = v.lookup(v.root(), "a.bin").id();
        assertThat(readAll(again, data.length)).as("after a restart").isEqualTo(expected);
    }

    @Test
    void reverseSyncNeverTouchesLocalChanges() throws IOException {
        NodeId local = v.create(v.root(), "local", CreateMode.GUARDED, SetAttributes.NONE)
                .id();
        v.write(local, 0, ByteBuffer.wrap(new byte[] {1}), Stability.UNSTABLE);
        // never uploaded: a gone report and a seen report leave it alone
        List<RemoteChanges.LocalEntry> entries = remote.list("");
        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.pendingUpload()).isTrue();
            assertThat(e.etag()).isNull();
        });
        remote.objectGone("local", entries.get(0));
        remote.objectSeen("local", "other-etag", 5, 0);
        assertThat(v.getattr(local).size()).isEqualTo(1);

        // an imported file without local changes follows the bucket, and goes when its object goes
        remote.objectSeen("dir/sub/x", "e1", 10, 0);
        assertThat(remote.list("dir"))
                .extracting(RemoteChanges.LocalEntry::name)
                .containsExactly("sub");
        RemoteChanges.LocalEntry x = remote.list("dir/sub").get(0);
        assertThat(x).isEqualTo(new RemoteChanges.LocalEntry("x", FileType.REGULAR, "e1", 10, false));
        remote.objectSeen("dir/sub/x", "e2", 20, 0);
        assertThat(remote.list("dir/sub").get(0).etag()).isEqualTo("e2");
        // changed locally: pending, protected
        NodeId xid = v.lookup(v.lookup(v.lookup(v.root(), "dir").id(), "sub").id(), "x")
                .id();
        v.setattr(xid, SetAttributes.mode(0600));
        remote.objectSeen("dir/sub/x", "e3", 30, 0);
        RemoteChanges.LocalEntry changed = remote.list("dir/sub").get(0);
        assertThat(changed.etag()).isEqualTo("e2");
        assertThat(changed.pendingUpload()).isTrue();
        remote.objectGone("dir/sub/x", changed);
        assertThat(remote.list("dir/sub")).hasSize(1);

        remote.objectSeen("dir/y", "e1", 1, 0);
        remote.objectGone("dir/y", remote.list("dir").get(1));
        assertThat(remote.list("dir"))
                .extracting(RemoteChanges.LocalEntry::name)
                .containsExactly("sub");
        // a directory goes only when empty
        remote.objectGone("dir", remote.list("").get(0));
        assertThat(remote.list("")).extracting(RemoteChanges.LocalEntry::name).contains("dir");
        remote.directorySeen("empty/deeper");
        remote.objectGone("empty/deeper", remote.list("empty").get(0));
        remote.objectGone("empty", remote.list("").get(0));
        assertThat(remote.list("")).extracting(RemoteChanges.LocalEntry::name).containsExactly("dir", "local");
        assertThat(remote.list("missing")).isEmpty();
    }

    @Test
    void aRenameNotYetInTheBucketKeepsReverseSyncFromDeletingIt() throws IOException {
        remote.objectSeen("a/f", "e1", 1, 0);
        NodeId a = v.lookup(v.root(), "a").id();
        v.rename(v.root(), "a", v.root(), "b");
        RemoteChanges.LocalEntry f = remote.list("b").get(0);
        assertThat(f.pendingUpload()).isTrue();
        remote.objectGone("b/f", f);
        assertThat(v.lookup(a, "f").size()).isEqualTo(1);
        // the uploader applied the rename: now a disappearance is believed
        WritebackSource wb = v.writeback();
        for (WritebackEntry e : wb.journal(0, 100)) {
            wb.entryDone(e.sequence());
        }
        f = remote.list("b").get(0);
        assertThat(f.pendingUpload()).isFalse();
        remote.objectGone("b/f", f);
        assertThat(remote.list("b")).isEmpty();
    }

    @Test
    void importRateIsMeasured() throws IOException {
        int n = 30_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            remote.objectSeen("import/d" + (i / (n / 20)) + "/file-" + i, "etag-" + i, i, 0);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("objectSeen: %d objects in %.2f s = %.0f objects/s%n", n, seconds, n / seconds);
        assertThat(remote.list("import/d3")).hasSize(n / 20);
        assertThat(v.statfs().freeFiles()).isLessThan(v.statfs().totalFiles() - n);
    }

    /** A tiny whole-file uploader over the seam: shows what an uploader does, end to end. */
    private int uploadAll() throws IOException {
        WritebackSource wb = v.writeback();
        int uploads = 0;
        for (WritebackEntry e : wb.journal(0, 1000)) {
            if (e.kind() == WritebackEntry.Kind.CONTENT) {
                Optional<FileUpload> opened = wb.openUpload(e.inode());
                if (opened.isPresent()) {
                    try (FileUpload up = opened.get()) {
                        VersionToUpload ver = up.version();
                        ByteBuffer all = ByteBuffer.allocate((int) ver.size());
                        for (long i = 0; i < ver.chunkCount(); i++) {
                            all.put(up.readChunk(i));
                        }
                        String path = ver.type() == FileType.DIRECTORY
                                ? ver.paths().get(0) + "/"
                                : ver.paths().get(0);
                        Precondition p = ver.knownEtag() == null
                                ? Precondition.ifAbsent()
                                : Precondition.ifMatch(ver.knownEtag());
                        try {
                            ObjectWritten w = bucket.put(
                                    path,
                                    ObjectBody.of(all.array()),
                                    PutOptions.withMetadata(ver.metadata()).with(p));
                            assertThat(up.complete(w.etag(), w.size())).isEqualTo(FileUpload.Outcome.UPLOADED);
                            uploads++;
                        } catch (dev.sgw.core.store.ObjectStoreException conflict) {
                            ObjectInfo theirs = bucket.head(path);
                            up.conflict(BucketLayout.conflictPath(path, java.time.Instant.EPOCH), theirs);
                        }
                    }
                }
            }
            wb.entryDone(e.sequence());
        }
        return uploads;
    }

    @Test
    void theUploaderSeamTakesAFileToTheBucketAndBackInCacheMode() throws IOException {
        NodeId f = v.create(v.root(), "f.txt", CreateMode.GUARDED, SetAttributes.mode(0600))
                .id();
        byte[] data = FileVolumeContract.random(2 * CS + 7, 9);
        v.write(f, 0, ByteBuffer.wrap(data), Stability.UNSTABLE);
        assertThat(v.bucketSync().backlog().pendingItems()).isEqualTo(1);
        assertThat(uploadAll()).isEqualTo(1);
        assertThat(v.bucketSync().backlog().pendingItems()).isZero();
        assertThat(bucket.get("f.txt", null).readAllBytes()).isEqualTo(data);
        assertThat(BucketLayout.mode(bucket.head("f.txt").userMetadata())).hasValue(0600);
        RemoteChanges.LocalEntry e = remote.list("").get(0);
        assertThat(e.etag()).isEqualTo(bucket.head("f.txt").etag());
        assertThat(e.pendingUpload()).isFalse();

        // the clean chunks may now be evicted: the file reads from its object
        for (long i = 0; i < 3; i++) {
            share.disk.cache().remove(new dev.sgw.cache.ChunkId("share7", f.inode(), i));
        }
        ByteBuffer back = ByteBuffer.allocate(data.length);
        v.read(f, 0, back);
        assertThat(back.array()).isEqualTo(data);

        // a change here and another writer's change there: the local version goes to a conflict copy
        v.write(f, 0, ByteBuffer.wrap(new byte[] {42}), Stability.UNSTABLE);
        put("f.txt", new byte[] {7, 7}, Map.of());
        uploadAll();
        assertThat(remote.list(""))
                .extracting(RemoteChanges.LocalEntry::name)
                .containsExactly("f.sgw-conflict-19700101T000000Z.txt", "f.txt");
        NodeId theirs = v.lookup(v.root(), "f.txt").id();
        ByteBuffer two = ByteBuffer.allocate(10);
        v.read(theirs, 0, two);
        assertThat(two.position()).isEqualTo(2);
        assertThat(uploadAll()).isEqualTo(1); // the conflict copy
        byte[] mine = bucket.get("f.sgw-conflict-19700101T000000Z.txt", null).readAllBytes();
        assertThat(mine[0]).isEqualTo((byte) 42);
        assertThat(java.util.Arrays.copyOfRange(mine, 1, data.length))
                .isEqualTo(java.util.Arrays.copyOfRange(data, 1, data.length));
    }
}
