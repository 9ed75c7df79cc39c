package dev.sgw.smb.file;

import java.util.ArrayList;
import java.util.List;

import dev.sgw.core.volume.NodeId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The open table finds a file's opens, and a volume's, through its indexes (smb2.maxfid opens 65,520). */
class OpenTableTest {
    private static final int OPENS = 65_520;

    private final OpenTable table = new OpenTable();
    private final TestClient a = new TestClient(new DiskTreeCommands(), TestClient.volume(), 1, 1000);
    private final TestClient b = new TestClient(new DiskTreeCommands(), TestClient.volume(), 2, 1000);

    private SmbOpen open(TestClient on, long inode) {
        return new SmbOpen(table.newId(), on.tree, new NodeId(inode, 1), "f" + inode, false, 0, null, null, false);
    }

    @Test
    void aFilesOpensAreFoundWithoutLookingAtEveryOpen() {
        List<SmbOpen> all = new ArrayList<>();
        for (int i = 0; i < OPENS; i++) {
            // each inode number is open twice on each of two volumes
            SmbOpen o = open(i % 2 == 0 ? a : b, 100 + i / 4);
            table.add(o);
            all.add(o);
        }

        long began = System.nanoTime();
        for (int i = 0; i < OPENS / 4; i++) {
            assertThat(table.ofInode(a.tree, 100 + i)).hasSize(2).allMatch(o -> o.tree == a.tree);
            assertThat(table.ofInode(b.tree, 100 + i)).hasSize(2).allMatch(o -> o.tree == b.tree);
        }
        long tookMillis = (System.nanoTime() - began) / 1_000_000;
        // a scan of every open per lookup takes minutes here; the index a few milliseconds
        assertThat(tookMillis).as("%d lookups among %d opens", OPENS / 2, OPENS).isLessThan(5_000);
        assertThat(table.onVolumeOf(a.tree)).hasSize(OPENS / 2).allMatch(o -> o.tree == a.tree);
        assertThat(table.ofInode(a.tree, 1)).isEmpty();

        all.forEach(table::remove);
        assertThat(table.size()).isZero();
        assertThat(table.indexedKeys()).as("the indexes go with the last opens").isZero();
        assertThat(table.onVolumeOf(b.tree)).isEmpty();
    }

    @Test
    void anOpenIsIndexedOnlyWhileItIsInTheTable() {
        SmbOpen first = open(a, 7);
        SmbOpen second = open(a, 7);
        table.add(first);
        table.add(second);
        table.remove(first);
        table.remove(first);

        assertThat(table.ofInode(a.tree, 7)).containsExactly(second);
        assertThat(table.onVolumeOf(a.tree)).containsExactly(second);
        assertThat(table.ofInode(b.tree, 7)).isEmpty();
    }
}
