package dev.sgw.core.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.sgw.core.volume.Caller;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.DirChange;
import dev.sgw.core.volume.DirChanges;
import dev.sgw.core.volume.DirEntry;
import dev.sgw.core.volume.DirPage;
import dev.sgw.core.volume.DosAttributes;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileType;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.NamedAttributes;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.ReadResult;
import dev.sgw.core.volume.RenameMode;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.Stability;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The {@link FileVolume} contract, for every implementation (and every decorator that passes calls
 * through): each operation and each error code it promises. Subclasses open a fresh, empty volume whose
 * chunk size is {@link #chunkSize()}.
 */
public abstract class FileVolumeContract {
    @TempDir
    protected Path dir;

    protected FileVolume v;
    protected NodeId root;

    /** A fresh empty volume in {@code dir}. */
    protected abstract FileVolume open(Path dir) throws IOException;

    /** Releases what {@link #open} made, after the volume is closed. */
    protected void release() throws IOException {}

    /** The volume's chunk size, so that tests can cross chunk boundaries. */
    protected abstract int chunkSize();

    @BeforeEach
    void openVolume() throws IOException {
        v = open(dir);
        root = v.root();
    }

    @AfterEach
    void closeVolume() throws IOException {
        v.close();
        release();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    protected static VolumeError errorOf(ThrowingCallable call) {
        VolumeException e = catchThrowableOfType(VolumeException.class, call);
        assertThat(e).as("expected a VolumeException").isNotNull();
        return e.error();
    }

    protected NodeId file(NodeId dir, String name) throws IOException {
        return v.create(dir, name, CreateMode.GUARDED, SetAttributes.NONE).id();
    }

    protected NodeId mkdir(NodeId dir, String name) throws IOException {
        return v.mkdir(dir, name, SetAttributes.NONE).id();
    }

    protected void write(NodeId f, long offset, byte[] bytes, Stability s) throws IOException {
        assertThat(v.write(f, offset, ByteBuffer.wrap(bytes), s).count()).isEqualTo(bytes.length);
    }

    protected byte[] read(NodeId f, long offset, int length) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(length);
        ReadResult r = v.read(f, offset, dst);
        byte[] out = new byte[r.count()];
        dst.flip().get(out);
        return out;
    }

    protected List<String> names(NodeId d) throws IOException {
        List<String> names = new ArrayList<>();
        long cookie = 0;
        long verifier = 0;
        while (true) {
            DirPage page = v.readdir(d, cookie, verifier, 7);
            for (DirEntry e : page.entries()) {
                names.add(e.name());
                cookie = e.cookie();
            }
            verifier = page.verifier();
            if (page.eof()) {
                return names;
            }
        }
    }

    protected static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    // ---- namespace -------------------------------------------------------------------------------

    @Test
    void rootIsAnEmptyDirectory() throws IOException {
        FileAttributes a = v.getattr(root);
        assertThat(a.type()).isEqualTo(FileType.DIRECTORY);
        assertThat(a.inode()).isEqualTo(FileVolume.ROOT_INODE);
        assertThat(a.nlink()).isEqualTo(2);
        assertThat(names(root)).isEmpty();
    }

    @Test
    void createThenLookupAndGetattrAgree() throws IOException {
        FileAttributes made = v.create(
                root, "a.txt", CreateMode.GUARDED, SetAttributes.mode(0600).withOwner(5, 6));
        assertThat(made.type()).isEqualTo(FileType.REGULAR);
        assertThat(made.mode()).isEqualTo(0600);
        assertThat(made.uid()).isEqualTo(5);
        assertThat(made.gid()).isEqualTo(6);
        assertThat(made.nlink()).isEqualTo(1);
        assertThat(made.size()).isZero();
        assertThat(v.lookup(root, "a.txt").id()).isEqualTo(made.id());
        assertThat(v.getattr(made.id())).isEqualTo(made);
        assertThat(names(root)).containsExactly("a.txt");
    }

    @Test
    void createOfAnExistingName() throws IOException {
        NodeId f = file(root, "f");
        write(f, 0, "hello".getBytes(StandardCharsets.UTF_8), Stability.UNSTABLE);
        assertThat(errorOf(() -> v.create(root, "f", CreateMode.GUARDED, SetAttributes.NONE)))
                .isEqualTo(VolumeError.EXIST);
        FileAttributes again = v.create(root, "f", CreateMode.UNCHECKED, SetAttributes.NONE);
        assertThat(again.id()).isEqualTo(f);
        assertThat(again.size()).isEqualTo(5);
        FileAttributes truncated = v.create(root, "f", CreateMode.UNCHECKED, SetAttributes.size(0));
        assertThat(truncated.size()).isZero();
        mkdir(root, "d");
        assertThat(errorOf(() -> v.create(root, "d", CreateMode.UNCHECKED, SetAttributes.NONE)))
                .isEqualTo(VolumeError.ISDIR);
        assertThat(errorOf(() -> v.mkdir(root, "f", SetAttributes.NONE))).isEqualTo(VolumeError.EXIST);
        assertThat(errorOf(() -> v.symlink(root, "f", "x", SetAttributes.NONE))).isEqualTo(VolumeError.EXIST);
    }

    @Test
    void namesAreCheckedEverywhere() throws IOException {
        for (String bad : new String[] {"", ".", "..", "a/b", "a\0b"}) {
            assertThat(errorOf(() -> v.create(root, bad, CreateMode.GUARDED, SetAttributes.NONE)))
                    .as(bad)
                    .isEqualTo(VolumeError.INVAL);
            assertThat(errorOf(() -> v.lookup(root, bad))).as(bad).isEqualTo(VolumeError.INVAL);
            assertThat(errorOf(() -> v.mkdir(root, bad, SetAttributes.NONE)))
                    .as(bad)
                    .isEqualTo(VolumeError.INVAL);
        }
        String longest = "é".repeat(127) + "x"; // 255 bytes
        file(root, longest);
        assertThat(v.lookup(root, longest).type()).isEqualTo(FileType.REGULAR);
        String tooLong = "é".repeat(128); // 256 bytes
        assertThat(errorOf(() -> file(root, tooLong))).isEqualTo(VolumeError.NAMETOOLONG);
        NodeId f = file(root, "plain");
        assertThat(errorOf(() -> v.rename(root, "plain", root, tooLong))).isEqualTo(VolumeError.NAMETOOLONG);
        assertThat(errorOf(() -> v.link(f, root, ".."))).isEqualTo(VolumeError.INVAL);
    }

    @Test
    void lookupErrors() throws IOException {
        NodeId f = file(root, "f");
        assertThat(errorOf(() -> v.lookup(root, "missing"))).isEqualTo(VolumeError.NOENT);
        assertThat(errorOf(() -> v.lookup(f, "x"))).isEqualTo(VolumeError.NOTDIR);
        assertThat(errorOf(() -> file(f, "x"))).isEqualTo(VolumeError.NOTDIR);
        v.remove(root, "f");
        assertThat(errorOf(() -> v.getattr(f))).isEqualTo(VolumeError.STALE);
        assertThat(errorOf(() -> v.getattr(new NodeId(987654, 1)))).isEqualTo(VolumeError.STALE);
        assertThat(errorOf(() -> v.getattr(new NodeId(FileVolume.ROOT_INODE, 2))))
                .isEqualTo(VolumeError.STALE);
        assertThat(errorOf(() -> v.remove(root, "f"))).isEqualTo(VolumeError.NOENT);
    }

    @Test
    void directoriesCountTheirLinks() throws IOException {
        NodeId a = mkdir(root, "a");
        assertThat(v.getattr(root).nlink()).isEqualTo(3);
        assertThat(v.getattr(a).nlink()).isEqualTo(2);
        mkdir(a, "b");
        file(a, "f");
        assertThat(v.getattr(a).nlink()).isEqualTo(3);
        assertThat(errorOf(() -> v.rmdir(root, "a"))).isEqualTo(VolumeError.NOTEMPTY);
        assertThat(errorOf(() -> v.rmdir(a, "f"))).isEqualTo(VolumeError.NOTDIR);
        assertThat(errorOf(() -> v.remove(a, "b"))).isEqualTo(VolumeError.ISDIR);
        assertThat(errorOf(() -> v.rmdir(a, "nope"))).isEqualTo(VolumeError.NOENT);
        v.rmdir(a, "b");
        v.remove(a, "f");
        assertThat(v.getattr(a).nlink()).isEqualTo(2);
        v.rmdir(root, "a");
        assertThat(v.getattr(root).nlink()).isEqualTo(2);
        assertThat(errorOf(() -> v.getattr(a))).isEqualTo(VolumeError.STALE);
    }

    @Test
    void symbolicLinks() throws IOException {
        FileAttributes l = v.symlink(root, "l", "target/ü", SetAttributes.NONE);
        assertThat(l.type()).isEqualTo(FileType.SYMLINK);
        assertThat(l.size()).isEqualTo("target/ü".getBytes(StandardCharsets.UTF_8).length);
        assertThat(v.readlink(l.id())).isEqualTo("target/ü");
        NodeId f = file(root, "f");
        assertThat(errorOf(() -> v.readlink(f))).isEqualTo(VolumeError.INVAL);
        assertThat(errorOf(() -> v.symlink(root, "e", "", SetAttributes.NONE))).isEqualTo(VolumeError.INVAL);
        assertThat(errorOf(() -> v.read(l.id(), 0, ByteBuffer.allocate(1)))).isEqualTo(VolumeError.INVAL);
        v.remove(root, "l");
        assertThat(errorOf(() -> v.lookup(root, "l"))).isEqualTo(VolumeError.NOENT);
    }

    @Test
    void hardLinks() throws IOException {
        NodeId f = file(root, "f");
        NodeId d = mkdir(root, "d");
        write(f, 0, new byte[] {1, 2, 3}, Stability.UNSTABLE);
        FileAttributes linked = v.link(f, d, "g");
        assertThat(linked.nlink()).isEqualTo(2);
        assertThat(v.lookup(d, "g").id()).isEqualTo(f);
        assertThat(errorOf(() -> v.link(f, d, "g"))).isEqualTo(VolumeError.EXIST);
        assertThat(errorOf(() -> v.link(d, root, "d2"))).isEqualTo(VolumeError.ISDIR);
        v.remove(root, "f");
        assertThat(v.getattr(f).nlink()).isEqualTo(1);
        assertThat(read(f, 0, 10)).containsExactly(1, 2, 3);
        // renaming one name of a file onto another name of the same file changes nothing
        v.link(f, root, "h");
        v.rename(d, "g", root, "h");
        assertThat(v.lookup(d, "g").id()).isEqualTo(f);
        v.remove(d, "g");
        v.remove(root, "h");
        assertThat(errorOf(() -> v.getattr(f))).isEqualTo(VolumeError.STALE);
    }

    @Test
    void renameMovesAndReplaces() throws IOException {
        NodeId a = mkdir(root, "a");
        NodeId b = mkdir(root, "b");
        NodeId f = file(a, "f");
        v.rename(a, "f", b, "g");
        assertThat(errorOf(() -> v.lookup(a, "f"))).isEqualTo(VolumeError.NOENT);
        assertThat(v.lookup(b, "g").id()).isEqualTo(f);
        // a file replaces a file, which goes
        NodeId other = file(b, "other");
        v.rename(b, "g", b, "other");
        assertThat(v.lookup(b, "other").id()).isEqualTo(f);
        assertThat(errorOf(() -> v.getattr(other))).isEqualTo(VolumeError.STALE);
        assertThat(names(b)).containsExactly("other");
        // directories move with their parent's link counts
        NodeId sub = mkdir(a, "sub");
        v.rename(a, "sub", b, "sub");
        assertThat(v.getattr(a).nlink()).isEqualTo(2);
        assertThat(v.getattr(b).nlink()).isEqualTo(3);
        // an empty directory is replaced by a directory; a full one is not
        mkdir(a, "empty");
        v.rename(b, "sub", a, "empty");
        assertThat(v.lookup(a, "empty").id()).isEqualTo(sub);
        assertThat(v.getattr(a).nlink()).isEqualTo(3);
        assertThat(v.getattr(b).nlink()).isEqualTo(2);
        NodeId full = mkdir(b, "full");
        file(full, "x");
        mkdir(a, "d2");
        assertThat(errorOf(() -> v.rename(a, "d2", b, "full"))).isEqualTo(VolumeError.NOTEMPTY);
        assertThat(errorOf(() -> v.rename(a, "d2", b, "other"))).isEqualTo(VolumeError.NOTDIR);
        assertThat(errorOf(() -> v.rename(b, "other", a, "d2"))).isEqualTo(VolumeError.ISDIR);
        assertThat(errorOf(() -> v.rename(a, "missing", b, "x"))).isEqualTo(VolumeError.NOENT);
        assertThat(errorOf(() -> v.rename(a, "d2", f, "x"))).isEqualTo(VolumeError.NOTDIR);
    }

    @Test
    void aDirectoryCannotMoveUnderItself() throws IOException {
        NodeId a = mkdir(root, "a");
        NodeId b = mkdir(a, "b");
        NodeId c = mkdir(b, "c");
        assertThat(errorOf(() -> v.rename(root, "a", c, "a"))).isEqualTo(VolumeError.INVAL);
        assertThat(errorOf(() -> v.rename(root, "a", a, "a2"))).isEqualTo(VolumeError.INVAL);
        v.rename(b, "c", root, "c");
        v.rename(root, "a", c, "a");
        assertThat(v.lookup(v.lookup(c, "a").id(), "b").id()).isEqualTo(b);
        assertThat(v.getattr(c).nlink()).isEqualTo(3);
    }

    @Test
    void readdirCookiesSurviveOtherEntriesComingAndGoing() throws IOException {
        NodeId d = mkdir(root, "d");
        for (int i = 0; i < 20; i++) {
            file(d, "f" + i);
        }
        DirPage first = v.readdir(d, 0, 0, 5);
        assertThat(first.entries()).hasSize(5);
        assertThat(first.eof()).isFalse();
        Set<String> seen = new HashSet<>();
        first.entries().forEach(e -> seen.add(e.name()));
        // remove a listed and an unlisted entry, add new ones: the listing goes on where it was
        v.remove(d, first.entries().get(4).name());
        String unlisted = "f10";
        v.remove(d, unlisted);
        file(d, "new1");
        long cookie = first.entries().get(4).cookie();
        List<String> rest = new ArrayList<>();
        long verifier = first.verifier();
        while (true) {
            DirPage page = v.readdir(d, cookie, verifier, 4);
            for (DirEntry e : page.entries()) {
                rest.add(e.name());
                cookie = e.cookie();
                assertThat(e.attributes().id()).isEqualTo(v.lookup(d, e.name()).id());
            }
            if (page.eof()) {
                break;
            }
        }
        assertThat(rest).doesNotHaveDuplicates().doesNotContain(unlisted).contains("new1");
        assertThat(rest).doesNotContainAnyElementsOf(seen);
        assertThat(seen.size() + rest.size()).isEqualTo(20 - 1 + 1);
        assertThat(errorOf(() -> v.readdir(d, first.entries().get(0).cookie(), first.verifier() + 1, 5)))
                .isEqualTo(VolumeError.BADCOOKIE);
        assertThat(errorOf(() -> v.readdir(d, 0, 0, 0))).isEqualTo(VolumeError.INVAL);
        NodeId f = v.lookup(d, "f0").id();
        assertThat(errorOf(() -> v.readdir(f, 0, 0, 5))).isEqualTo(VolumeError.NOTDIR);
    }

    @Test
    void aRemovedFilesHandleStaysStaleWhileNewFilesAreMade() throws IOException {
        NodeId gone = file(root, "gone");
        v.remove(root, "gone");
        Set<NodeId> made = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            made.add(file(root, "f" + i));
            made.add(mkdir(root, "d" + i));
        }
        assertThat(made).hasSize(10).doesNotContain(gone);
        assertThat(errorOf(() -> v.getattr(gone))).isEqualTo(VolumeError.STALE);
        assertThat(errorOf(() -> v.write(gone, 0, ByteBuffer.allocate(1), Stability.UNSTABLE)))
                .isEqualTo(VolumeError.STALE);
    }

    // ---- parent ----------------------------------------------------------------------------------

    @Test
    void theRootIsItsOwnParent() throws IOException {
        assertThat(v.parent(root)).isEqualTo(v.getattr(root));
        mkdir(root, "a");
        assertThat(v.parent(root)).isEqualTo(v.getattr(root));
    }

    @Test
    void theParentOfWhatMkdirAndCreateMakeIsTheirDirectory() throws IOException {
        NodeId a = mkdir(root, "a");
        NodeId b = mkdir(a, "b");
        NodeId f = file(b, "f");
        FileAttributes l = v.symlink(a, "l", "b/f", SetAttributes.NONE);
        assertThat(v.parent(a)).isEqualTo(v.getattr(root));
        assertThat(v.parent(b)).isEqualTo(v.getattr(a));
        assertThat(v.parent(f)).isEqualTo(v.getattr(b));
        assertThat(v.parent(l.id()).id()).isEqualTo(a);
    }

    @Test
    void theParentOfARenamedDirectoryIsWhereItWasMoved() throws IOException {
        NodeId a = mkdir(root, "a");
        NodeId b = mkdir(root, "b");
        NodeId sub = mkdir(a, "sub");
        NodeId deeper = mkdir(sub, "deeper");
        v.rename(a, "sub", b, "moved");
        assertThat(v.parent(sub)).isEqualTo(v.getattr(b));
        assertThat(v.parent(deeper).id()).as("the subtree moves along").isEqualTo(sub);
        v.rename(b, "moved", b, "renamed");
        assertThat(v.parent(sub).id()).isEqualTo(b);
        v.rename(b, "renamed", root, "top");
        assertThat(v.parent(sub).id()).isEqualTo(root);
        // replacing an empty directory: the replaced one is gone, the moved one has its new parent
        NodeId empty = mkdir(a, "empty");
        v.rename(root, "top", a, "empty");
        assertThat(v.parent(sub).id()).isEqualTo(a);
        assertThat(errorOf(() -> v.parent(empty))).isEqualTo(VolumeError.STALE);
    }

    @Test
    void theParentOfAFileIsTheDirectoryOfItsFirstLink() throws IOException {
        NodeId d = mkdir(root, "d");
        NodeId e = mkdir(root, "e");
        NodeId f = file(root, "f");
        v.link(f, d, "g");
        assertThat(v.parent(f).id()).isEqualTo(root);
        v.remove(root, "f");
        assertThat(v.parent(f).id()).as("its first link left: the next one").isEqualTo(d);
        v.rename(d, "g", e, "g");
        assertThat(v.parent(f).id()).isEqualTo(e);
    }

    @Test
    void theParentOfWhatIsGoneIsStale() throws IOException {
        NodeId d = mkdir(root, "d");
        NodeId f = file(d, "f");
        v.remove(d, "f");
        assertThat(errorOf(() -> v.parent(f))).isEqualTo(VolumeError.STALE);
        v.rmdir(root, "d");
        assertThat(errorOf(() -> v.parent(d))).isEqualTo(VolumeError.STALE);
        assertThat(errorOf(() -> v.parent(new NodeId(FileVolume.ROOT_INODE, 2))))
                .isEqualTo(VolumeError.STALE);
        assertThat(errorOf(() -> v.parent(new NodeId(987654, 1)))).isEqualTo(VolumeError.STALE);
    }

    // ---- data ------------------------------------------------------------------------------------

    @Test
    void writeThenReadAcrossChunks() throws IOException {
        NodeId f = file(root, "f");
        int cs = chunkSize();
        byte[] data = random(2 * cs + 100, 1);
        write(f, cs - 50, data, Stability.UNSTABLE);
        assertThat(v.getattr(f).size()).isEqualTo(cs - 50 + data.length);
        assertThat(read(f, cs - 50, data.length)).isEqualTo(data);
        // the hole before reads as zeros
        assertThat(read(f, 0, cs - 50)).isEqualTo(new byte[cs - 50]);
        // a read past the end is cut at the end and says eof
        ByteBuffer dst = ByteBuffer.allocate(1000);
        ReadResult tail = v.read(f, cs - 50 + data.length - 10, dst);
        assertThat(tail.count()).isEqualTo(10);
        assertThat(tail.eof()).isTrue();
        assertThat(v.read(f, 10L * cs, ByteBuffer.allocate(10))).isEqualTo(new ReadResult(0, true));
        assertThat(v.read(f, 0, ByteBuffer.allocate(10)).eof()).isFalse();
    }

    @Test
    void sparseWritesAndOverwrites() throws IOException {
        NodeId f = file(root, "f");
        int cs = chunkSize();
        write(f, 5L * cs + 3, new byte[] {9}, Stability.FILE_SYNC);
        write(f, 1, new byte[] {7, 7}, Stability.DATA_SYNC);
        byte[] all = read(f, 0, 5 * cs + 4);
        byte[] expected = new byte[5 * cs + 4];
        expected[1] = 7;
        expected[2] = 7;
        expected[5 * cs + 3] = 9;
        assertThat(all).isEqualTo(expected);
        write(f, 2, new byte[] {8}, Stability.UNSTABLE);
        assertThat(read(f, 0, 4)).containsExactly(0, 7, 8, 0);
    }

    @Test
    void writeReportsStabilityAndAttributes() throws IOException {
        NodeId f = file(root, "f");
        long before = v.getattr(f).change();
        var unstable = v.write(f, 0, ByteBuffer.wrap(new byte[10]), Stability.UNSTABLE);
        assertThat(unstable.stability()).isEqualTo(Stability.UNSTABLE);
        assertThat(unstable.attributes().size()).isEqualTo(10);
        assertThat(unstable.attributes().change()).isGreaterThan(before);
        var sync = v.write(f, 0, ByteBuffer.wrap(new byte[20]), Stability.FILE_SYNC);
        assertThat(sync.stability()).isEqualTo(Stability.FILE_SYNC);
        assertThat(v.write(f, 0, ByteBuffer.wrap(new byte[1]), Stability.DATA_SYNC)
                        .stability())
                .isIn(Stability.DATA_SYNC, Stability.FILE_SYNC);
        v.commit(f);
        NodeId d = mkdir(root, "d");
        assertThat(errorOf(() -> v.write(d, 0, ByteBuffer.allocate(1), Stability.UNSTABLE)))
                .isEqualTo(VolumeError.ISDIR);
        assertThat(errorOf(() -> v.read(d, 0, ByteBuffer.allocate(1)))).isEqualTo(VolumeError.ISDIR);
        assertThat(errorOf(() -> v.write(f, -1, ByteBuffer.allocate(1), Stability.UNSTABLE)))
                .isEqualTo(VolumeError.INVAL);
        assertThat(errorOf(() -> v.write(f, 1L << 62, ByteBuffer.allocate(1), Stability.UNSTABLE)))
                .isEqualTo(VolumeError.FBIG);
    }

    @Test
    void truncateDropsAndExtendReadsZeros() throws IOException {
        NodeId f = file(root, "f");
        int cs = chunkSize();
        byte[] data = random(3 * cs, 2);
        write(f, 0, data, Stability.UNSTABLE);
        assertThat(v.setattr(f, SetAttributes.size(cs + 10)).size()).isEqualTo(cs + 10);
        assertThat(read(f, 0, 3 * cs)).isEqualTo(java.util.Arrays.copyOf(data, cs + 10));
        v.setattr(f, SetAttributes.size(3L * cs));
        byte[] grown = read(f, 0, 3 * cs);
        assertThat(java.util.Arrays.copyOf(grown, cs + 10)).isEqualTo(java.util.Arrays.copyOf(data, cs + 10));
        assertThat(java.util.Arrays.copyOfRange(grown, cs + 10, 3 * cs)).isEqualTo(new byte[2 * cs - 10]);
        // writing past the end after a shrink shows zeros in the gap, not the old bytes
        v.setattr(f, SetAttributes.size(5));
        write(f, 100, new byte[] {1}, Stability.UNSTABLE);
        byte[] head = read(f, 0, 101);
        assertThat(java.util.Arrays.copyOfRange(head, 5, 100)).isEqualTo(new byte[95]);
        NodeId d = mkdir(root, "d");
        assertThat(errorOf(() -> v.setattr(d, SetAttributes.size(0)))).isEqualTo(VolumeError.ISDIR);
        assertThat(errorOf(() -> v.setattr(f, SetAttributes.size(-1)))).isEqualTo(VolumeError.INVAL);
    }

    @Test
    void setattrChangesWhatItIsAsked() throws IOException {
        NodeId f = file(root, "f");
        FileAttributes before = v.getattr(f);
        FileAttributes after = v.setattr(f, new SetAttributes(0640, 10, 20, null, 1_000L, 2_000L));
        assertThat(after.mode()).isEqualTo(0640);
        assertThat(after.uid()).isEqualTo(10);
        assertThat(after.gid()).isEqualTo(20);
        assertThat(after.atime()).isEqualTo(1_000L);
        assertThat(after.mtime()).isEqualTo(2_000L);
        assertThat(after.ctime()).isGreaterThanOrEqualTo(before.ctime());
        assertThat(after.change()).isGreaterThan(before.change());
        assertThat(v.getattr(f)).isEqualTo(after);
        assertThat(v.setattr(f, SetAttributes.mode(017777)).mode()).isEqualTo(07777);
    }

    // ---- birth time, times as set, DOS attributes ---------------------------------------------------

    /** Nanoseconds since the epoch, at most now (millisecond clock, rounded down). */
    protected static long nanosNotAfterNow() {
        return System.currentTimeMillis() * 1_000_000L;
    }

    @Test
    void newFilesAreBornNowWithTheDefaultDosAttributes() throws IOException {
        long t0 = nanosNotAfterNow();
        FileAttributes f = v.create(root, "f", CreateMode.GUARDED, SetAttributes.NONE);
        FileAttributes d = v.mkdir(root, "d", SetAttributes.NONE);
        FileAttributes l = v.symlink(root, "l", "f", SetAttributes.NONE);
        long t1 = nanosNotAfterNow() + 1_000_000L;
        for (FileAttributes a : List.of(f, d, l)) {
            assertThat(a.btime()).as("birth time of " + a.type()).isBetween(t0, t1);
        }
        assertThat(f.dosAttributes()).isEqualTo(new DosAttributes(DosAttributes.ARCHIVE));
        assertThat(l.dosAttributes()).isEqualTo(new DosAttributes(DosAttributes.ARCHIVE));
        assertThat(d.dosAttributes()).isEqualTo(DosAttributes.NONE);
        // content and attribute changes move mtime and ctime, never the birth time
        write(f.id(), 0, new byte[] {1, 2, 3}, Stability.FILE_SYNC);
        v.setattr(f.id(), SetAttributes.mode(0600));
        FileAttributes later = v.getattr(f.id());
        assertThat(later.btime()).isEqualTo(f.btime());
        assertThat(later.mtime()).isGreaterThanOrEqualTo(f.btime());
        // a creation may give the birth time and DOS attributes
        FileAttributes given = v.create(
                root,
                "given",
                CreateMode.GUARDED,
                SetAttributes.NONE
                        .withTimes(null, null, null, 1_234_567_800L)
                        .withDosAttributes(new DosAttributes(DosAttributes.HIDDEN)));
        assertThat(given.btime()).isEqualTo(1_234_567_800L);
        assertThat(v.getattr(given.id()).dosAttributes()).isEqualTo(new DosAttributes(DosAttributes.HIDDEN));
    }

    @Test
    void allFourTimesAreSetExactlyAsGiven() throws IOException {
        NodeId f = file(root, "f");
        FileAttributes before = v.getattr(f);
        // SMB FILETIMEs (100 ns units) since the Unix epoch, and one in the past for the change time
        long atime = 1_600_000_000_123_456_700L;
        long mtime = 1_600_000_001_000_000_100L;
        long ctime = 1_500_000_000_999_999_900L;
        long btime = 1_400_000_000_000_000_300L;
        FileAttributes after = v.setattr(f, SetAttributes.NONE.withTimes(atime, mtime, ctime, btime));
        assertThat(List.of(after.atime(), after.mtime(), after.ctime(), after.btime()))
                .containsExactly(atime, mtime, ctime, btime);
        assertThat(after.change()).isGreaterThan(before.change());
        assertThat(v.getattr(f)).isEqualTo(after);
        // only what is asked changes; without a given change time, the change time is now
        FileAttributes onlyBirth = v.setattr(f, SetAttributes.NONE.withTimes(null, null, null, 7_000L));
        assertThat(onlyBirth.btime()).isEqualTo(7_000L);
        assertThat(List.of(onlyBirth.atime(), onlyBirth.mtime())).containsExactly(atime, mtime);
        assertThat(onlyBirth.ctime()).isGreaterThan(ctime);
        FileAttributes onlyChange = v.setattr(f, SetAttributes.NONE.withTimes(null, null, 42_000_000_100L, null));
        assertThat(onlyChange.ctime()).isEqualTo(42_000_000_100L);
        assertThat(onlyChange.change()).isGreaterThan(onlyBirth.change());
        // a directory's times too
        NodeId d = mkdir(root, "d");
        assertThat(v.setattr(d, SetAttributes.NONE.withTimes(null, null, null, btime))
                        .btime())
                .isEqualTo(btime);
    }

    @Test
    void dosAttributesAreKeptAsSet() throws IOException {
        NodeId f = file(root, "f");
        NodeId d = mkdir(root, "d");
        DosAttributes rhs = new DosAttributes(DosAttributes.READ_ONLY | DosAttributes.HIDDEN | DosAttributes.SYSTEM);
        FileAttributes before = v.getattr(f);
        FileAttributes set = v.setattr(f, SetAttributes.dos(rhs));
        assertThat(set.dosAttributes()).isEqualTo(rhs);
        assertThat(set.dosAttributes().readOnly()).isTrue();
        assertThat(set.dosAttributes().archive()).isFalse();
        assertThat(set.change()).isGreaterThan(before.change());
        assertThat(set.mode()).as("read-only does not change the mode").isEqualTo(before.mode());
        assertThat(v.getattr(f).dosAttributes()).isEqualTo(rhs);
        assertThat(v.lookup(root, "f").dosAttributes()).isEqualTo(rhs);
        assertThat(v.setattr(f, SetAttributes.dos(DosAttributes.NONE)).dosAttributes())
                .isEqualTo(DosAttributes.NONE);
        DosAttributes sparse = new DosAttributes(DosAttributes.ARCHIVE | DosAttributes.SPARSE_FILE);
        assertThat(v.setattr(f, SetAttributes.dos(sparse)).dosAttributes().sparse())
                .isTrue();
        assertThat(v.getattr(f).dosAttributes()).as("the sparse mark is kept").isEqualTo(sparse);
        v.setattr(f, SetAttributes.dos(DosAttributes.NONE));
        assertThat(v.setattr(d, SetAttributes.dos(DosAttributes.of(0x10 | DosAttributes.HIDDEN)))
                        .dosAttributes())
                .as("the directory bit (0x10) is not kept, hidden is")
                .isEqualTo(new DosAttributes(DosAttributes.HIDDEN));
        assertThat(v.setattr(f, SetAttributes.mode(0640)).dosAttributes())
                .as("other changes keep them")
                .isEqualTo(DosAttributes.NONE);
    }

    // ---- rename without replacing, deallocate, exclusive create -----------------------------------

    @Test
    void renameWithoutReplacingRefusesAnExistingTarget() throws IOException {
        NodeId a = mkdir(root, "a");
        NodeId f = file(a, "f");
        NodeId g = file(root, "g");
        NodeId sub = mkdir(root, "sub");
        assertThat(errorOf(() -> v.rename(a, "f", root, "g", RenameMode.NO_REPLACE)))
                .isEqualTo(VolumeError.EXIST);
        assertThat(errorOf(() -> v.rename(a, "f", root, "sub", RenameMode.NO_REPLACE)))
                .isEqualTo(VolumeError.EXIST);
        v.link(f, root, "f-link");
        assertThat(errorOf(() -> v.rename(a, "f", root, "f-link", RenameMode.NO_REPLACE)))
                .as("another name of the same file")
                .isEqualTo(VolumeError.EXIST);
        assertThat(errorOf(() -> v.rename(a, "f", a, "f", RenameMode.NO_REPLACE)))
                .as("its own name")
                .isEqualTo(VolumeError.EXIST);
        // nothing moved
        assertThat(v.lookup(a, "f").id()).isEqualTo(f);
        assertThat(v.lookup(root, "g").id()).isEqualTo(g);
        assertThat(v.lookup(root, "sub").id()).isEqualTo(sub);
        // a free name is taken; the other errors are those of rename
        v.rename(a, "f", root, "h", RenameMode.NO_REPLACE);
        assertThat(v.lookup(root, "h").id()).isEqualTo(f);
        assertThat(errorOf(() -> v.lookup(a, "f"))).isEqualTo(VolumeError.NOENT);
        assertThat(errorOf(() -> v.rename(a, "missing", root, "x", RenameMode.NO_REPLACE)))
                .isEqualTo(VolumeError.NOENT);
        assertThat(errorOf(() -> v.rename(root, "a", a, "inside", RenameMode.NO_REPLACE)))
                .isEqualTo(VolumeError.INVAL);
        // REPLACE is the plain rename
        v.rename(root, "h", root, "g", RenameMode.REPLACE);
        assertThat(v.lookup(root, "g").id()).isEqualTo(f);
        assertThat(errorOf(() -> v.getattr(g))).isEqualTo(VolumeError.STALE);
    }

    @Test
    void deallocateZerosTheRangeAndKeepsTheSize() throws IOException {
        int cs = chunkSize();
        NodeId f = file(root, "f");
        byte[] data = random(4 * cs + 100, 9);
        write(f, 0, data, Stability.FILE_SYNC);
        FileAttributes before = v.getattr(f);
        byte[] expected = data.clone();
        // inside chunk 0, chunk 1 whole, from the middle of chunk 2 into chunk 3, and past the end
        long[][] ranges = {{10, 20}, {cs, cs}, {2L * cs + cs / 2, cs}, {4L * cs + 90, 1000}};
        for (long[] r : ranges) {
            FileAttributes a = v.deallocate(f, r[0], r[1]);
            assertThat(a.size()).isEqualTo(data.length);
            int end = (int) Math.min(data.length, r[0] + r[1]);
            java.util.Arrays.fill(expected, (int) r[0], end, (byte) 0);
        }
        assertThat(read(f, 0, data.length + 10)).isEqualTo(expected);
        FileAttributes after = v.getattr(f);
        assertThat(after.size()).isEqualTo(data.length);
        assertThat(after.change()).isGreaterThan(before.change());
        // writes after it land as usual, zeros stay around them
        write(f, cs + 5, new byte[] {7}, Stability.UNSTABLE);
        expected[cs + 5] = 7;
        assertThat(read(f, 0, data.length)).isEqualTo(expected);
        // the tail of the file
        v.deallocate(f, 3L * cs + 1, Long.MAX_VALUE - 4L * cs);
        java.util.Arrays.fill(expected, 3 * cs + 1, data.length, (byte) 0);
        assertThat(read(f, 0, data.length)).isEqualTo(expected);
        assertThat(v.deallocate(f, data.length + 10L, 5).size()).isEqualTo(data.length);
        assertThat(errorOf(() -> v.deallocate(f, -1, 5))).isEqualTo(VolumeError.INVAL);
        assertThat(errorOf(() -> v.deallocate(f, 0, -5))).isEqualTo(VolumeError.INVAL);
        NodeId d = mkdir(root, "d");
        assertThat(errorOf(() -> v.deallocate(d, 0, 5))).isEqualTo(VolumeError.ISDIR);
    }

    @Test
    void exclusiveCreateKeepsItsVerifierApartFromTheTimes() throws IOException {
        long t0 = nanosNotAfterNow();
        long verifier = 0x0102_0304_0506_0708L;
        FileAttributes made = v.createExclusive(root, "x", verifier, SetAttributes.mode(0600));
        assertThat(made.type()).isEqualTo(FileType.REGULAR);
        assertThat(made.mode()).isEqualTo(0600);
        assertThat(made.atime()).as("the verifier is not kept in the times").isGreaterThanOrEqualTo(t0);
        assertThat(made.mtime()).isGreaterThanOrEqualTo(t0);
        // a retransmission gets the same file, unchanged, whatever attributes it carries
        FileAttributes again = v.createExclusive(root, "x", verifier, SetAttributes.mode(0644));
        assertThat(again.id()).isEqualTo(made.id());
        assertThat(again.mode()).isEqualTo(0600);
        // the verifier survives the client's follow-up setattr of the times
        v.setattr(made.id(), SetAttributes.times(5_000L, 6_000L));
        assertThat(v.createExclusive(root, "x", verifier, SetAttributes.NONE).id())
                .isEqualTo(made.id());
        assertThat(errorOf(() -> v.createExclusive(root, "x", verifier + 1, SetAttributes.NONE)))
                .isEqualTo(VolumeError.EXIST);
        // names not made by an exclusive create, or not files, exist whatever the verifier
        file(root, "plain");
        mkdir(root, "dir");
        assertThat(errorOf(() -> v.createExclusive(root, "plain", 0, SetAttributes.NONE)))
                .isEqualTo(VolumeError.EXIST);
        assertThat(errorOf(() -> v.createExclusive(root, "dir", verifier, SetAttributes.NONE)))
                .isEqualTo(VolumeError.EXIST);
        // a verifier of 0 is a verifier like another
        NodeId zero = v.createExclusive(root, "zero", 0, SetAttributes.NONE).id();
        assertThat(v.createExclusive(root, "zero", 0, SetAttributes.NONE).id()).isEqualTo(zero);
    }

    @Test
    void statfsCountsBytesAndFiles() throws IOException {
        var empty = v.statfs();
        assertThat(empty.totalBytes()).isPositive();
        assertThat(empty.maxNameBytes()).isEqualTo(255);
        NodeId f = file(root, "f");
        write(f, 0, new byte[1000], Stability.UNSTABLE);
        var used = v.statfs();
        assertThat(used.freeBytes()).isEqualTo(empty.freeBytes() - 1000);
        assertThat(used.freeFiles()).isEqualTo(empty.freeFiles() - 1);
        v.remove(root, "f");
        assertThat(v.statfs().freeBytes()).isEqualTo(empty.freeBytes());
    }

    @Test
    void accessFollowsModeBits() throws IOException {
        NodeId f = v.create(root, "f", CreateMode.GUARDED, new SetAttributes(0640, 10, 20, null, null, null))
                .id();
        int all = FileVolume.ACCESS_READ | FileVolume.ACCESS_WRITE | FileVolume.ACCESS_EXECUTE;
        assertThat(v.access(f, new Caller(10, 99, new int[0]), all))
                .isEqualTo(FileVolume.ACCESS_READ | FileVolume.ACCESS_WRITE);
        assertThat(v.access(f, new Caller(11, 5, new int[] {20}), all)).isEqualTo(FileVolume.ACCESS_READ);
        assertThat(v.access(f, new Caller(11, 5, new int[0]), all)).isZero();
        assertThat(v.access(f, Caller.ROOT, all)).isEqualTo(FileVolume.ACCESS_READ | FileVolume.ACCESS_WRITE);
        assertThat(v.access(root, Caller.ROOT, all)).isEqualTo(all);
    }

    // ---- directory changes reported with the change -------------------------------------------------

    /** Runs {@code change} with a fresh report and checks what it says of {@code dir} against getattr around it. */
    private DirChange reported(NodeId dir, DirChangeCall change) throws IOException {
        FileAttributes justBefore = v.getattr(dir);
        DirChanges report = new DirChanges();
        change.run(report);
        FileAttributes justAfter = v.getattr(dir);
        DirChange c = report.of(dir).orElseThrow(() -> new AssertionError("no report of inode " + dir.inode()));
        assertThat(c.before()).as("before: the attributes just before").isEqualTo(justBefore);
        assertThat(c.after()).as("after: the attributes just after").isEqualTo(justAfter);
        return c;
    }

    @FunctionalInterface
    private interface DirChangeCall {
        void run(DirChanges report) throws IOException;
    }

    private static void changed(DirChange c) {
        assertThat(c.after().change()).isGreaterThan(c.before().change());
        assertThat(c.after().mtime()).isGreaterThanOrEqualTo(c.before().mtime());
        assertThat(c.after().ctime()).isGreaterThanOrEqualTo(c.before().ctime());
    }

    @Test
    void everyNamespaceChangeReportsItsDirectoryJustBeforeAndJustAfter() throws IOException {
        NodeId d = mkdir(root, "d");
        changed(reported(d, r -> v.create(d, "f", CreateMode.GUARDED, SetAttributes.NONE, r)));
        changed(reported(d, r -> v.mkdir(d, "sub", SetAttributes.NONE, r)));
        changed(reported(d, r -> v.symlink(d, "ln", "f", SetAttributes.NONE, r)));
        NodeId f = v.lookup(d, "f").id();
        changed(reported(d, r -> v.link(f, d, "f2", r)));
        changed(reported(d, r -> v.remove(d, "f2", r)));
        changed(reported(d, r -> v.rmdir(d, "sub", r)));
        changed(reported(d, r -> v.rename(d, "f", d, "g", RenameMode.REPLACE, r)));
        assertThat(names(d)).containsExactlyInAnyOrder("g", "ln");
        try {
            changed(reported(d, r -> v.createExclusive(d, "x", 42, SetAttributes.NONE, r)));
        } catch (VolumeException e) {
            assertThat(e.error()).as("optional").isEqualTo(VolumeError.NOTSUPP);
        }
    }

    @Test
    void aRenameBetweenDirectoriesReportsBoth() throws IOException {
        NodeId a = mkdir(root, "a");
        NodeId b = mkdir(root, "b");
        file(a, "f");
        FileAttributes aBefore = v.getattr(a);
        FileAttributes bBefore = v.getattr(b);
        DirChanges report = new DirChanges();
        v.rename(a, "f", b, "f", RenameMode.REPLACE, report);
        DirChange from = report.of(a).orElseThrow();
        DirChange to = report.of(b).orElseThrow();
        assertThat(from.before()).isEqualTo(aBefore);
        assertThat(to.before()).isEqualTo(bBefore);
        assertThat(from.after()).isEqualTo(v.getattr(a));
        assertThat(to.after()).isEqualTo(v.getattr(b));
        changed(from);
        changed(to);
        assertThat(report.of(root)).as("the root's entries did not change").isEmpty();
    }

    @Test
    void aFailedChangeReportsNothingAndAnExistingFileLeavesItsDirectoryAsItWas() throws IOException {
        file(root, "f");
        DirChanges failed = new DirChanges();
        assertThat(errorOf(() -> v.mkdir(root, "f", SetAttributes.NONE, failed)))
                .isEqualTo(VolumeError.EXIST);
        assertThat(errorOf(() -> v.remove(root, "missing", failed))).isEqualTo(VolumeError.NOENT);
        assertThat(failed.of(root)).isEmpty();

        DirChange c = reported(root, r -> v.create(root, "f", CreateMode.UNCHECKED, SetAttributes.NONE, r));
        assertThat(c.after()).isEqualTo(c.before());
    }

    @Test
    void concurrentChangesOfOneDirectoryReportIntervalsThatNeverOverlap() throws Exception {
        NodeId d = mkdir(root, "busy");
        int threads = 4;
        int perThread = 25;
        List<DirChange> reports = new CopyOnWriteArrayList<>();
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        DirChanges r = new DirChanges();
                        v.create(d, thread + "-" + i, CreateMode.GUARDED, SetAttributes.NONE, r);
                        reports.add(r.of(d).orElseThrow());
                        r = new DirChanges();
                        v.remove(d, thread + "-" + i, r);
                        reports.add(r.of(d).orElseThrow());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        List<DirChange> sorted = new ArrayList<>(reports);
        sorted.sort(Comparator.comparingLong(c -> c.before().change()));
        for (int i = 0; i < sorted.size(); i++) {
            changed(sorted.get(i));
            if (i > 0) {
                assertThat(sorted.get(i).before().change())
                        .as("no other change of the directory between a report's before and after")
                        .isGreaterThanOrEqualTo(sorted.get(i - 1).after().change());
            }
        }
        assertThat(sorted.getLast().after()).isEqualTo(v.getattr(d));
    }

    @Test
    void aClosedVolumeIsUnavailable() throws IOException {
        v.close();
        assertThat(errorOf(() -> v.getattr(root))).isEqualTo(VolumeError.UNAVAILABLE);
        v = open(dir.resolve("again"));
    }

    // ---- named attributes --------------------------------------------------------------------------

    /** Whether the volume keeps named attributes (else the tests of them are skipped). */
    protected boolean keepsNamedAttributes() {
        return true;
    }

    @BeforeEach
    void skipNamedAttributeTestsWhereNotKept(org.junit.jupiter.api.TestInfo test) {
        Assumptions.assumeTrue(
                keepsNamedAttributes()
                        || !test.getDisplayName().startsWith("namedAttributes")
                                && !test.getDisplayName().startsWith("settingANamedAttribute"),
                "this volume keeps no named attributes yet");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void namedAttributesAreSetListedSortedReplacedAndRemoved() throws IOException {
        NodeId f = file(root, "f");
        assertThat(v.namedAttributes(f)).isEmpty();
        byte[] value = utf8("one");
        v.setNamedAttribute(f, "smb.stream.b", value);
        v.setNamedAttribute(f, "smb.sd", new byte[0]);
        value[0] = 'X'; // the volume keeps its own copy
        var all = v.namedAttributes(f);
        assertThat(all.keySet()).containsExactly("smb.sd", "smb.stream.b");
        assertThat(all.get("smb.stream.b")).isEqualTo(utf8("one"));
        assertThat(all.get("smb.sd")).isEmpty();
        all.get("smb.stream.b")[0] = 'Y'; // and hands out copies
        assertThat(v.namedAttributes(f).get("smb.stream.b")).isEqualTo(utf8("one"));

        v.setNamedAttribute(f, "smb.stream.b", utf8("two"));
        assertThat(v.namedAttributes(f).get("smb.stream.b")).isEqualTo(utf8("two"));
        v.setNamedAttribute(f, "smb.stream.b", null);
        v.setNamedAttribute(f, "never.there", null);
        assertThat(v.namedAttributes(f).keySet()).containsExactly("smb.sd");
    }

    @Test
    void settingANamedAttributeChangesTheChangeTimeNotTheContent() throws IOException {
        NodeId f = file(root, "f");
        write(f, 0, utf8("data"), Stability.FILE_SYNC);
        FileAttributes before = v.getattr(f);
        FileAttributes after = v.setNamedAttribute(f, "smb.ea.X", utf8("v"));
        assertThat(after.change()).isGreaterThan(before.change());
        assertThat(after.ctime()).isGreaterThanOrEqualTo(before.ctime());
        assertThat(after.mtime()).isEqualTo(before.mtime());
        assertThat(after.size()).isEqualTo(4);
        assertThat(v.getattr(f)).isEqualTo(after);
        assertThat(read(f, 0, 10)).isEqualTo(utf8("data"));
    }

    @Test
    void namedAttributesBelongToTheInode() throws IOException {
        NodeId d = mkdir(root, "d");
        NodeId f = file(root, "f");
        v.setNamedAttribute(d, "smb.sd", utf8("dir"));
        v.setNamedAttribute(f, "smb.sd", utf8("file"));
        v.rename(root, "f", d, "g");
        v.link(f, root, "h");
        assertThat(v.namedAttributes(v.lookup(d, "g").id()).get("smb.sd")).isEqualTo(utf8("file"));
        assertThat(v.namedAttributes(v.lookup(root, "h").id()).get("smb.sd")).isEqualTo(utf8("file"));
        assertThat(v.namedAttributes(d).get("smb.sd")).isEqualTo(utf8("dir"));

        v.remove(d, "g");
        v.remove(root, "h");
        assertThat(errorOf(() -> v.namedAttributes(f))).isEqualTo(VolumeError.STALE);
        assertThat(errorOf(() -> v.setNamedAttribute(f, "smb.sd", utf8("x")))).isEqualTo(VolumeError.STALE);
        NodeId again = file(root, "h");
        assertThat(v.namedAttributes(again)).isEmpty();
    }

    @Test
    void namedAttributesHaveLimits() throws IOException {
        NodeId f = file(root, "f");
        assertThat(errorOf(() -> v.setNamedAttribute(f, "", utf8("x")))).isEqualTo(VolumeError.INVAL);
        assertThat(errorOf(() -> v.setNamedAttribute(f, "a\0b", utf8("x")))).isEqualTo(VolumeError.INVAL);
        assertThat(errorOf(() -> v.setNamedAttribute(f, "n".repeat(NamedAttributes.MAX_NAME_BYTES + 1), utf8("x"))))
                .isEqualTo(VolumeError.NAMETOOLONG);
        assertThat(errorOf(() -> v.setNamedAttribute(f, "big", new byte[NamedAttributes.MAX_VALUE_BYTES + 1])))
                .isEqualTo(VolumeError.FBIG);
        v.setNamedAttribute(f, "n".repeat(NamedAttributes.MAX_NAME_BYTES), new byte[NamedAttributes.MAX_VALUE_BYTES]);
        v.setNamedAttribute(f, "b", new byte[NamedAttributes.MAX_VALUE_BYTES]);
        v.setNamedAttribute(f, "c", new byte[NamedAttributes.MAX_VALUE_BYTES]);
        assertThat(errorOf(() -> v.setNamedAttribute(f, "d", new byte[NamedAttributes.MAX_VALUE_BYTES])))
                .isEqualTo(VolumeError.FBIG);
        v.setNamedAttribute(f, "c", new byte[1000]); // replacing counts the new value only
        v.setNamedAttribute(f, "d", new byte[NamedAttributes.MAX_VALUE_BYTES - 1000]);
        assertThat(v.namedAttributes(f)).hasSize(4);
    }
}
