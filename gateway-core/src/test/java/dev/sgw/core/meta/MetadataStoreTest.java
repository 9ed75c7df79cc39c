package dev.sgw.core.meta;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.sgw.core.meta.TestValues.text;
import static dev.sgw.core.meta.TestValues.u64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetadataStoreTest {
    @TempDir
    Path dir;

    private final List<MetadataStore> opened = new ArrayList<>();

    private MetadataStore open() throws MetadataStoreException {
        MetadataStore store = MetadataStore.open(dir.resolve("meta"));
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeAll() throws MetadataStoreException {
        for (MetadataStore store : opened) {
            store.close();
        }
    }

    private static List<String> scanText(MetaReader reader, KeyRange range) throws MetadataStoreException {
        List<String> values = new ArrayList<>();
        try (MetaScan scan = reader.scan(range)) {
            while (scan.next()) {
                values.add(text(scan.value()));
            }
        }
        return values;
    }

    @Test
    void putGetDeleteAcrossFamilies() throws Exception {
        MetadataStore store = open();
        MetaKey inode = MetaKeys.inode(1, 2);
        MetaKey journal = MetaKeys.journalEntry(1, 1);
        assertThat(store.get(inode)).isEmpty();

        store.update(b -> b.put(inode, text("attrs")).put(journal, text("upload 2")), Durability.DURABLE);
        assertThat(store.get(inode)).hasValueSatisfying(v -> assertThat(text(v)).isEqualTo("attrs"));
        assertThat(store.get(journal))
                .hasValueSatisfying(v -> assertThat(text(v)).isEqualTo("upload 2"));
        // the same bytes in another family are another key
        assertThat(store.get(MetaKeys.inode(2, 2))).isEmpty();

        store.update(b -> b.put(inode, text("attrs2")).delete(journal), Durability.BUFFERED);
        assertThat(store.get(inode).map(TestValues::text)).contains("attrs2");
        assertThat(store.get(journal)).isEmpty();
    }

    @Test
    void aFailedFillWritesNothing() throws Exception {
        MetadataStore store = open();
        store.update(b -> b.put(MetaKeys.inode(1, 1), text("old")), Durability.DURABLE);

        assertThatThrownBy(() -> store.update(
                        b -> {
                            b.put(MetaKeys.inode(1, 1), text("new"));
                            b.put(MetaKeys.dirEntry(1, 1, "f"), text("child"));
                            b.deleteRange(MetaKeys.inodes(1));
                            throw new IOException("precondition failed");
                        },
                        Durability.DURABLE))
                .isInstanceOf(IOException.class)
                .hasMessage("precondition failed");

        assertThat(store.get(MetaKeys.inode(1, 1)).map(TestValues::text)).contains("old");
        assertThat(store.get(MetaKeys.dirEntry(1, 1, "f"))).isEmpty();
    }

    @Test
    void writesOfABatchApplyInOrder() throws Exception {
        MetadataStore store = open();
        store.update(
                b -> {
                    for (int i = 0; i < 10; i++) {
                        b.put(MetaKeys.dirSlot(1, 9, i), u64(i));
                    }
                },
                Durability.DURABLE);
        // clear the directory's slots, then rewrite slot 0: the put after the range delete survives
        store.update(
                b -> b.deleteRange(MetaKeys.dirSlots(1, 9)).put(MetaKeys.dirSlot(1, 9, 0), u64(100)),
                Durability.DURABLE);
        List<Long> left = new ArrayList<>();
        try (MetaScan scan = store.scan(MetaKeys.dirSlots(1, 9))) {
            while (scan.next()) {
                left.add(u64(scan.value()));
            }
        }
        assertThat(left).containsExactly(100L);
    }

    @Test
    void aBatchIsUsableOnlyInsideItsUpdate() throws Exception {
        MetadataStore store = open();
        MetaBatch[] leaked = new MetaBatch[1];
        store.update(b -> leaked[0] = b, Durability.DURABLE);
        assertThatThrownBy(() -> leaked[0].put(MetaKeys.inode(1, 1), new byte[0]))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void directoryScansInNameOrderAndResumesFromACookie() throws Exception {
        MetadataStore store = open();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            names.add("file-" + Integer.toString(i * 7919 % 1000, 36));
        }
        store.update(
                b -> {
                    for (String name : names) {
                        b.put(MetaKeys.dirEntry(1, 10, name), text(name));
                    }
                    b.put(MetaKeys.dirEntry(1, 9, "zzz-other-dir"), text("x"));
                    b.put(MetaKeys.dirEntry(1, 11, "aaa-other-dir"), text("x"));
                    b.put(MetaKeys.dirEntry(2, 10, "aaa-other-volume"), text("x"));
                },
                Durability.DURABLE);

        // page through 64 entries at a time, resuming after the last name of the previous page,
        // while entries are deleted and added behind and ahead of the cookie
        KeyRange dir10 = MetaKeys.dirEntries(1, 10);
        List<String> listed = new ArrayList<>();
        MetaKey cookie = null;
        int pages = 0;
        while (true) {
            KeyRange page = cookie == null ? dir10 : dir10.resumeAfter(cookie);
            int n = 0;
            try (MetaScan scan = store.scan(page)) {
                while (n < 64 && scan.next()) {
                    listed.add(((MetaKeys.DirEntry) MetaKeys.parse(scan.key())).name());
                    assertThat(text(scan.value())).isEqualTo(listed.getLast());
                    cookie = scan.key();
                    n++;
                }
            }
            pages++;
            if (n < 64) {
                break;
            }
            if (pages == 1) {
                MetaKey deletedCookie = cookie;
                store.update(
                        b -> b.delete(deletedCookie)
                                .put(MetaKeys.dirEntry(1, 10, "file-000-before"), text("file-000-before"))
                                .put(MetaKeys.dirEntry(1, 10, "zz-after"), text("zz-after")),
                        Durability.BUFFERED);
            }
        }
        List<String> expected = new ArrayList<>(new TreeSet<>(names));
        expected.add("zz-after");
        assertThat(listed).isEqualTo(expected);
        assertThat(pages).isEqualTo(4);
    }

    @Test
    void aSnapshotKeepsItsViewWhileTheStoreMovesOn() throws Exception {
        MetadataStore store = open();
        store.update(
                b -> b.put(MetaKeys.inode(1, 1), text("v1")).put(MetaKeys.dirEntry(1, 1, "a"), text("a")),
                Durability.DURABLE);
        MetaSnapshot snapshot = store.snapshot();
        store.update(
                b -> b.put(MetaKeys.inode(1, 1), text("v2"))
                        .put(MetaKeys.dirEntry(1, 1, "b"), text("b"))
                        .delete(MetaKeys.dirEntry(1, 1, "a")),
                Durability.DURABLE);
        MetaScan openedBeforeClose = snapshot.scan(MetaKeys.dirEntries(1, 1));

        assertThat(snapshot.get(MetaKeys.inode(1, 1)).map(TestValues::text)).contains("v1");
        assertThat(scanText(snapshot, MetaKeys.dirEntries(1, 1))).containsExactly("a");
        assertThat(store.get(MetaKeys.inode(1, 1)).map(TestValues::text)).contains("v2");
        assertThat(scanText(store, MetaKeys.dirEntries(1, 1))).containsExactly("b");

        snapshot.close();
        snapshot.close(); // idempotent
        assertThatThrownBy(() -> snapshot.get(MetaKeys.inode(1, 1))).hasMessageContaining("snapshot is closed");
        assertThatThrownBy(() -> snapshot.scan(MetaKeys.inodes(1))).hasMessageContaining("snapshot is closed");
        // a scan opened before keeps the frozen view
        try (openedBeforeClose) {
            assertThat(openedBeforeClose.next()).isTrue();
            assertThat(text(openedBeforeClose.value())).isEqualTo("a");
            assertThat(openedBeforeClose.next()).isFalse();
        }
    }

    @Test
    void aScanSeesTheStoreAsOfItsCreation() throws Exception {
        MetadataStore store = open();
        store.update(b -> b.put(MetaKeys.journalEntry(1, 1), text("1")), Durability.DURABLE);
        try (MetaScan scan = store.scan(MetaKeys.journal(1))) {
            store.update(b -> b.put(MetaKeys.journalEntry(1, 2), text("2")), Durability.DURABLE);
            assertThat(scan.next()).isTrue();
            assertThat(scan.next()).isFalse();
            assertThat(scan.next()).isFalse();
            assertThatThrownBy(scan::key).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void deletingAVolumeLeavesTheOthers() throws Exception {
        MetadataStore store = open();
        for (int volume = 1; volume <= 3; volume++) {
            int v = volume;
            store.update(
                    b -> {
                        for (int i = 1; i <= 50; i++) {
                            b.put(MetaKeys.inode(v, i), u64(i));
                            b.put(MetaKeys.dirEntry(v, 1, "f" + i), u64(i));
                            b.put(MetaKeys.dirSlot(v, 1, i), u64(i));
                            b.put(MetaKeys.journalEntry(v, i), u64(i));
                        }
                        b.put(MetaKeys.syncCheckpoint(v), u64(v));
                        b.put(MetaKeys.counter(v, "files"), u64(50));
                        b.put(MetaKeys.volumeRecord(v), u64(v));
                    },
                    Durability.DURABLE);
        }
        store.update(b -> b.put(MetaKeys.counter(MetaKeys.STORE, "volumes"), u64(3)), Durability.DURABLE);
        IdAllocator ids2 = store.idAllocator(2, "inodes");
        ids2.next();

        store.deleteVolume(2, Durability.DURABLE);

        for (int v = 1; v <= 3; v++) {
            int expected = v == 2 ? 0 : 50;
            assertThat(count(store, MetaKeys.inodes(v))).isEqualTo(expected);
            assertThat(count(store, MetaKeys.dirEntries(v, 1))).isEqualTo(expected);
            assertThat(count(store, MetaKeys.dirSlots(v, 1))).isEqualTo(expected);
            assertThat(count(store, MetaKeys.journal(v))).isEqualTo(expected);
            assertThat(store.get(MetaKeys.syncCheckpoint(v)).isPresent()).isEqualTo(v != 2);
            assertThat(count(store, MetaKeys.counters(v))).isEqualTo(v == 2 ? 0 : 1);
        }
        List<Integer> volumes = new ArrayList<>();
        try (MetaScan scan = store.scan(MetaKeys.volumeRecords())) {
            while (scan.next()) {
                volumes.add(MetaKeys.parse(scan.key()).volume());
            }
        }
        assertThat(volumes).containsExactly(1, 3);
        assertThat(store.get(MetaKeys.counter(MetaKeys.STORE, "volumes"))).isPresent();
        assertThat(store.get(MetaKeys.formatVersion())).isPresent();
        assertThatThrownBy(ids2::next).hasMessageContaining("volume 2 was deleted");
        assertThat(store.idAllocator(2, "inodes").next()).isEqualTo(IdAllocator.FIRST_ID);
    }

    private static int count(MetaReader reader, KeyRange range) throws MetadataStoreException {
        int n = 0;
        try (MetaScan scan = reader.scan(range)) {
            while (scan.next()) {
                n++;
            }
        }
        return n;
    }

    @Test
    void idsNeverRepeatAcrossThreadsAndReopens() throws Exception {
        Path path = dir.resolve("ids");
        MetadataStore.Tuning smallBlocks = MetadataStore.Tuning.defaults().withIdBlockSize(10);
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        long lastRunMax = 0;
        for (int run = 0; run < 3; run++) {
            try (MetadataStore store = MetadataStore.open(path, smallBlocks)) {
                IdAllocator ids = store.idAllocator(1, "inodes");
                assertThat(store.idAllocator(1, "inodes")).isSameAs(ids);
                long first = ids.next();
                assertThat(first).isGreaterThan(lastRunMax);
                seen.add(first);
                ExecutorService pool = Executors.newFixedThreadPool(4);
                List<Future<List<Long>>> results = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    results.add(pool.submit(() -> {
                        List<Long> mine = new ArrayList<>();
                        for (int i = 0; i < 53; i++) {
                            mine.add(ids.next());
                        }
                        return mine;
                    }));
                }
                for (Future<List<Long>> result : results) {
                    List<Long> mine = result.get();
                    assertThat(mine).isSorted();
                    for (long id : mine) {
                        assertThat(seen.add(id))
                                .as("id %d handed out twice", id)
                                .isTrue();
                    }
                }
                pool.shutdown();
                lastRunMax = Collections.max(seen);
                // another counter is independent
                assertThat(store.idAllocator(2, "inodes").next()).isLessThanOrEqualTo(run * 10 + 1);
            }
        }
        assertThat(seen).hasSize(3 * (1 + 4 * 53));
    }

    @Test
    void reopenKeepsDurableAndBufferedUpdates() throws Exception {
        Path path = dir.resolve("reopen");
        try (MetadataStore store = MetadataStore.open(path)) {
            store.update(b -> b.put(MetaKeys.inode(1, 1), text("durable")), Durability.DURABLE);
            store.update(b -> b.put(MetaKeys.inode(1, 2), text("buffered")), Durability.BUFFERED);
            store.sync();
        }
        try (MetadataStore store = MetadataStore.open(path)) {
            assertThat(store.get(MetaKeys.inode(1, 1)).map(TestValues::text)).contains("durable");
            assertThat(store.get(MetaKeys.inode(1, 2)).map(TestValues::text)).contains("buffered");
            assertThat(count(store, MetaKeys.inodes(1))).isEqualTo(2);
        }
    }

    @Test
    void aClosedStoreSaysSo() throws Exception {
        MetadataStore store = open();
        store.update(b -> b.put(MetaKeys.inode(1, 1), text("x")), Durability.DURABLE);
        MetaScan scan = store.scan(MetaKeys.inodes(1));
        MetaSnapshot snapshot = store.snapshot();
        IdAllocator ids = store.idAllocator(1, "inodes");
        store.close();
        store.close(); // idempotent

        String closed = "metadata store " + dir.resolve("meta").toAbsolutePath() + " is closed";
        assertThatThrownBy(() -> store.get(MetaKeys.inode(1, 1)))
                .isInstanceOf(MetadataStoreException.class)
                .hasMessage(closed);
        assertThatThrownBy(() -> store.update(b -> b.delete(MetaKeys.inode(1, 1)), Durability.DURABLE))
                .isInstanceOf(MetadataStoreException.class)
                .hasMessage(closed);
        assertThatThrownBy(() -> store.scan(MetaKeys.inodes(1))).hasMessage(closed);
        assertThatThrownBy(store::snapshot).hasMessage(closed);
        assertThatThrownBy(store::sync).hasMessage(closed);
        assertThatThrownBy(() -> store.deleteVolume(1, Durability.DURABLE)).hasMessage(closed);
        assertThatThrownBy(() -> store.idAllocator(1, "x")).hasMessage(closed);
        // what was open when the store closed is closed with it, without crashing the JVM
        assertThatThrownBy(scan::next).hasMessage(closed);
        scan.close();
        assertThatThrownBy(() -> snapshot.get(MetaKeys.inode(1, 1))).hasMessage(closed);
        snapshot.close();
        assertThatThrownBy(ids::next).hasMessageContaining("store was closed");
    }

    @Test
    void closingFromInsideAnUpdateIsRefused() throws Exception {
        MetadataStore store = open();
        assertThatThrownBy(() -> store.update(b -> store.close(), Durability.DURABLE))
                .isInstanceOf(IllegalStateException.class);
        assertThat(store.get(MetaKeys.formatVersion())).isPresent();
    }

    @Test
    void aSecondOpenOfTheSameDirectoryFailsWithOurException() throws Exception {
        open();
        assertThatThrownBy(() -> MetadataStore.open(dir.resolve("meta")))
                .isInstanceOf(MetadataStoreException.class)
                .hasMessageContaining("metadata store " + dir.resolve("meta").toAbsolutePath())
                .hasMessageContaining("open")
                .hasCauseInstanceOf(org.rocksdb.RocksDBException.class);
    }

    @Test
    void aStoreOfAnotherFormatIsRefused() throws Exception {
        Path path = dir.resolve("future");
        try (MetadataStore store = MetadataStore.open(path)) {
            assertThat(store.get(MetaKeys.formatVersion())
                            .map(v -> ByteBuffer.wrap(v).getInt()))
                    .contains(MetaKeys.FORMAT_VERSION);
            store.update(
                    b -> b.put(
                            MetaKeys.formatVersion(),
                            ByteBuffer.allocate(4).putInt(99).array()),
                    Durability.DURABLE);
        }
        assertThatThrownBy(() -> MetadataStore.open(path))
                .isInstanceOf(MetadataStoreException.class)
                .hasMessageContaining("has format version 99; this build reads version " + MetaKeys.FORMAT_VERSION);
        // the refused open released the database: fixing the version makes it open again
        try (MetadataStore store = MetadataStore.open(dir.resolve("other"))) {
            assertThat(store.directory()).isEqualTo(dir.resolve("other").toAbsolutePath());
        }
    }
}
