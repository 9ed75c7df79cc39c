package dev.sgw.core.meta;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetaKeysTest {

    /** One key of every kind, with edge values (unsigned maximum, zero, non-ASCII names). */
    private static List<MetaKeys.Fields> everyKind(int volume) {
        return List.of(
                new MetaKeys.Inode(volume, 1),
                new MetaKeys.Inode(volume, -1L), // 2^64-1 unsigned
                new MetaKeys.DirEntry(volume, 1, "a"),
                new MetaKeys.DirEntry(volume, -1L, "Grüße, 世界 🎉"),
                new MetaKeys.DirSlot(volume, 1, 0),
                new MetaKeys.DirSlot(volume, -1L, -1L),
                new MetaKeys.Orphan(volume, 1),
                new MetaKeys.Orphan(volume, -1L),
                new MetaKeys.NamedAttributes(volume, 1),
                new MetaKeys.NamedAttributes(volume, -1L),
                new MetaKeys.DirFolded(volume, 1, "a"),
                new MetaKeys.DirFolded(volume, -1L, "grüße, 世界 🎉"),
                new MetaKeys.JournalEntry(volume, 7),
                new MetaKeys.SyncCheckpoint(volume),
                new MetaKeys.Counter(volume, "inodes"),
                new MetaKeys.VolumeRecord(volume));
    }

    @Test
    void parseGivesBackWhatBuiltTheKey() {
        List<MetaKeys.Fields> all = new ArrayList<>(everyKind(1));
        all.addAll(everyKind(Integer.MAX_VALUE));
        all.add(new MetaKeys.Counter(MetaKeys.STORE, "volumes"));
        all.add(new MetaKeys.FormatVersion());
        for (MetaKeys.Fields fields : all) {
            assertThat(MetaKeys.parse(fields.key())).as("%s", fields).isEqualTo(fields);
        }
        // the builders and the records agree
        assertThat(MetaKeys.dirEntry(3, 9, "x")).isEqualTo(new MetaKeys.DirEntry(3, 9, "x").key());
        assertThat(MetaKeys.parse(MetaKeys.dirSlot(3, 9, 4))).isEqualTo(new MetaKeys.DirSlot(3, 9, 4));
        assertThat(MetaKeys.dirFolded(3, 9, "x")).isEqualTo(new MetaKeys.DirFolded(3, 9, "x").key());
        // a directory's folded names are not its entries
        assertThat(MetaKeys.dirEntries(3, 9).contains(MetaKeys.dirFolded(3, 9, "x")))
                .isFalse();
        assertThat(MetaKeys.dirFoldedNames(3).contains(MetaKeys.dirFolded(3, 9, "x")))
                .isTrue();
        assertThat(MetaKeys.dirEntries(3).contains(MetaKeys.dirEntry(3, 9, "x")))
                .isTrue();
    }

    @Test
    void everyKindHasItsOwnKeySpace() {
        List<MetaKey> keys = everyKind(5).stream().map(MetaKeys.Fields::key).toList();
        assertThat(keys).doesNotHaveDuplicates();
        assertThat(keys.stream()
                        .map(k -> MetaKeys.parse(k).getClass())
                        .distinct()
                        .count())
                .isEqualTo(10);
        assertThat(MetaKeys.inode(5, 1).family()).isEqualTo(MetaFamily.NAMESPACE);
        assertThat(MetaKeys.namedAttributes(5, 1).family()).isEqualTo(MetaFamily.NAMESPACE);
        assertThat(MetaKeys.orphan(5, 1).family()).isEqualTo(MetaFamily.NAMESPACE);
        assertThat(MetaKeys.dirEntry(5, 1, "a").family()).isEqualTo(MetaFamily.NAMESPACE);
        assertThat(MetaKeys.dirSlot(5, 1, 1).family()).isEqualTo(MetaFamily.NAMESPACE);
        assertThat(MetaKeys.dirFolded(5, 1, "a").family()).isEqualTo(MetaFamily.NAMESPACE);
        assertThat(MetaKeys.journalEntry(5, 1).family()).isEqualTo(MetaFamily.JOURNAL);
        assertThat(MetaKeys.syncCheckpoint(5).family()).isEqualTo(MetaFamily.JOURNAL);
        assertThat(MetaKeys.counter(5, "n").family()).isEqualTo(MetaFamily.SYSTEM);
        assertThat(MetaKeys.volumeRecord(5).family()).isEqualTo(MetaFamily.SYSTEM);
        assertThat(MetaKeys.formatVersion().family()).isEqualTo(MetaFamily.SYSTEM);
    }

    @Test
    void directoryEntriesSortInNameOrderInsideTheirDirectoryRange() {
        List<String> names = new ArrayList<>(List.of(
                "b", "a", "ab", "a b", "Z", "z", "é", "e", "10", "9", "a".repeat(MetaKeys.MAX_NAME_BYTES), "日本"));
        List<MetaKey> keys = new ArrayList<>(
                names.stream().map(n -> MetaKeys.dirEntry(1, 77, n)).toList());
        Collections.shuffle(keys, new Random(1));
        Collections.sort(keys);

        List<String> listed = keys.stream()
                .map(k -> ((MetaKeys.DirEntry) MetaKeys.parse(k)).name())
                .toList();
        List<String> byUtf8 = new ArrayList<>(names);
        byUtf8.sort((x, y) -> java.util.Arrays.compareUnsigned(TestValues.text(x), TestValues.text(y)));
        assertThat(listed).isEqualTo(byUtf8);

        KeyRange dir = MetaKeys.dirEntries(1, 77);
        assertThat(keys).allMatch(dir::contains);
        assertThat(dir.contains(MetaKeys.dirEntry(1, 76, "zzz"))).isFalse();
        assertThat(dir.contains(MetaKeys.dirEntry(1, 78, "a"))).isFalse();
        assertThat(dir.contains(MetaKeys.dirEntry(2, 77, "a"))).isFalse();
        assertThat(dir.contains(MetaKeys.inode(1, 77))).isFalse();
        // the directory with the highest unsigned inode number still has a proper range
        assertThat(MetaKeys.dirEntries(1, -1L).contains(MetaKeys.dirEntry(1, -1L, "\uFFFF")))
                .isTrue();
        assertThat(MetaKeys.dirEntries(1, -1L).contains(MetaKeys.inode(1, 0))).isFalse();
    }

    @Test
    void integersOrderNumericallyAndUnsigned() {
        assertThat(MetaKeys.inode(1, 255)).isLessThan(MetaKeys.inode(1, 256));
        assertThat(MetaKeys.inode(1, Long.MAX_VALUE)).isLessThan(MetaKeys.inode(1, Long.MIN_VALUE));
        assertThat(MetaKeys.journalEntry(1, 9)).isLessThan(MetaKeys.journalEntry(1, 10));
        assertThat(MetaKeys.journalEntry(1, 65535)).isLessThan(MetaKeys.journalEntry(1, 65536));
        assertThat(MetaKeys.dirSlot(1, 5, 255)).isLessThan(MetaKeys.dirSlot(1, 5, 256));
        assertThat(MetaKeys.dirSlot(1, 5, -1L)).isLessThan(MetaKeys.dirSlot(1, 6, 0));
        assertThat(MetaKeys.dirSlots(1, 5).contains(MetaKeys.dirSlot(1, 5, -1L)))
                .isTrue();
        assertThat(MetaKeys.dirSlots(1, 5).contains(MetaKeys.dirSlot(1, 6, 0))).isFalse();
        assertThat(MetaKeys.dirSlots(1, 5).contains(MetaKeys.dirEntry(1, 5, "a")))
                .isFalse();
    }

    @Test
    void keysOfTwoVolumesNeverInterleave() {
        // the largest inode of volume 1 sorts before the smallest of volume 2 (and 255 before 256)
        for (int[] pair :
                new int[][] {{1, 2}, {255, 256}, {65535, 65536}, {Integer.MAX_VALUE - 1, Integer.MAX_VALUE}}) {
            assertThat(MetaKeys.inode(pair[0], -1L)).isLessThan(MetaKeys.inode(pair[1], 0));
            assertThat(MetaKeys.dirEntry(pair[0], -1L, "\uFFFF")).isLessThan(MetaKeys.dirEntry(pair[1], 0, "a"));
            assertThat(MetaKeys.journalEntry(pair[0], -1L)).isLessThan(MetaKeys.journalEntry(pair[1], 0));
            assertThat(MetaKeys.counter(pair[0], "\uFFFF")).isLessThan(MetaKeys.counter(pair[1], "a"));
        }
    }

    @Test
    void volumeRangesHoldEverythingOfTheVolumeAndNothingElse() {
        List<KeyRange> ranges = MetaKeys.volumeRanges(7);
        assertThat(ranges).extracting(KeyRange::family).containsExactly(MetaFamily.values());
        for (MetaKeys.Fields fields : everyKind(7)) {
            boolean covered = ranges.stream().anyMatch(r -> r.contains(fields.key()));
            // the volume record lives under the store pseudo-volume and is deleted by its own key
            assertThat(covered).as("%s", fields).isEqualTo(!(fields instanceof MetaKeys.VolumeRecord));
        }
        for (MetaKeys.Fields other : everyKind(6)) {
            assertThat(ranges).noneMatch(r -> r.contains(other.key()));
        }
        for (MetaKeys.Fields other : everyKind(8)) {
            assertThat(ranges).noneMatch(r -> r.contains(other.key()));
        }
        assertThat(ranges).noneMatch(r -> r.contains(MetaKeys.formatVersion()));
        assertThat(ranges).noneMatch(r -> r.contains(MetaKeys.counter(MetaKeys.STORE, "x")));
        // the last volume id has a range too
        assertThat(MetaKeys.volumeRanges(Integer.MAX_VALUE).get(0).contains(MetaKeys.inode(Integer.MAX_VALUE, -1L)))
                .isTrue();
    }

    @Test
    void volumeRecordsListInVolumeOrder() {
        KeyRange all = MetaKeys.volumeRecords();
        assertThat(all.contains(MetaKeys.volumeRecord(1))).isTrue();
        assertThat(all.contains(MetaKeys.volumeRecord(Integer.MAX_VALUE))).isTrue();
        assertThat(all.contains(MetaKeys.counter(MetaKeys.STORE, "z"))).isFalse();
        assertThat(MetaKeys.volumeRecord(255)).isLessThan(MetaKeys.volumeRecord(256));
    }

    @Test
    void resumeAfterSkipsExactlyTheKeysUpToTheCookie() {
        KeyRange dir = MetaKeys.dirEntries(1, 5);
        KeyRange rest = dir.resumeAfter(MetaKeys.dirEntry(1, 5, "b"));
        assertThat(rest.contains(MetaKeys.dirEntry(1, 5, "b"))).isFalse();
        assertThat(rest.contains(MetaKeys.dirEntry(1, 5, "a"))).isFalse();
        assertThat(rest.contains(MetaKeys.dirEntry(1, 5, "b\u0000"))).isTrue();
        assertThat(rest.contains(MetaKeys.dirEntry(1, 5, "ba"))).isTrue();
        assertThat(rest.contains(MetaKeys.dirEntry(1, 5, "c"))).isTrue();
        assertThat(rest.contains(MetaKeys.dirEntry(1, 6, "a"))).isFalse();
        assertThatThrownBy(() -> dir.resumeAfter(MetaKeys.dirEntry(1, 6, "a")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badInputIsRefused() {
        assertThatThrownBy(() -> MetaKeys.inode(0, 1)).hasMessageContaining("volume id");
        assertThatThrownBy(() -> MetaKeys.inode(-3, 1)).hasMessageContaining("volume id");
        assertThatThrownBy(() -> MetaKeys.volumeRanges(MetaKeys.STORE)).hasMessageContaining("volume id");
        assertThatThrownBy(() -> MetaKeys.dirEntry(1, 1, "")).hasMessageContaining("empty name");
        assertThatThrownBy(() -> MetaKeys.dirEntry(1, 1, "bad\uD800")).hasMessageContaining("Unicode");
        assertThatThrownBy(() -> MetaKeys.dirEntry(1, 1, "é".repeat(MetaKeys.MAX_NAME_BYTES / 2 + 1)))
                .hasMessageContaining("longer than");
    }

    @Test
    void parseRefusesKeysOutsideTheSchema() {
        assertThatThrownBy(() -> MetaKeys.parse(new MetaKey(MetaFamily.NAMESPACE, new byte[] {0, 0, 0, 1})))
                .hasMessageContaining("not a metadata key");
        // right tag, wrong length
        assertThatThrownBy(() -> MetaKeys.parse(new MetaKey(MetaFamily.NAMESPACE, new byte[] {0, 0, 0, 1, 'I', 0})))
                .hasMessageContaining("not a metadata key");
        // a directory slot missing its slot number
        assertThatThrownBy(() -> MetaKeys.parse(
                        new MetaKey(MetaFamily.NAMESPACE, new byte[] {0, 0, 0, 1, 'S', 0, 0, 0, 0, 0, 0, 0, 1})))
                .hasMessageContaining("not a metadata key");
        // right bytes, wrong family
        byte[] inodeBytes = MetaKeys.inode(1, 2).bytes();
        assertThatThrownBy(() -> MetaKeys.parse(new MetaKey(MetaFamily.JOURNAL, inodeBytes)))
                .hasMessageContaining("not a metadata key");
        // an inode of the store pseudo-volume does not exist
        byte[] storeInode = inodeBytes.clone();
        storeInode[3] = 0;
        assertThatThrownBy(() -> MetaKeys.parse(new MetaKey(MetaFamily.NAMESPACE, storeInode)))
                .hasMessageContaining("not a metadata key");
        // a name that is not UTF-8
        byte[] entry = MetaKeys.dirEntry(1, 2, "ab").bytes();
        entry[entry.length - 1] = (byte) 0xC3;
        assertThatThrownBy(() -> MetaKeys.parse(new MetaKey(MetaFamily.NAMESPACE, entry)))
                .hasMessageContaining("not a metadata key");
    }
}
