package dev.sgw.core.file;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;

import dev.sgw.core.meta.MetaKeys;
import dev.sgw.core.meta.MetaScan;
import dev.sgw.core.sharing.FileOpen;
import dev.sgw.core.sharing.FileProtocol;
import dev.sgw.core.sharing.FileSharing;
import dev.sgw.core.sharing.ShareAccess;
import dev.sgw.core.sharing.StateOwner;
import dev.sgw.core.store.ObjectBody;
import dev.sgw.core.store.PutOptions;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.FileAttributes;
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

/**
 * A file removed (or replaced by a rename) while a client holds it open stays readable and writable through
 * its handle and goes at the last close, or at the next start; its name and its object go at once.
 */
class ShareVolumeOrphanTest {
    @TempDir
    Path dir;

    private ShareFixture share;
    private ShareVolume volume;
    private FileSharing sharing;
    private NodeId root;
    private final StateOwner holder = StateOwner.of(FileProtocol.SMB, 1, 1);

    @BeforeEach
    void open() throws Exception {
        share = new ShareFixture(dir, VolumeMode.CACHE);
        volume = share.volume;
        sharing = FileSharing.of(volume);
        root = volume.root();
    }

    @AfterEach
    void close() throws Exception {
        share.close();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private byte[] readAll(NodeId file, int size) throws Exception {
        ByteBuffer into = ByteBuffer.allocate(size);
        while (into.hasRemaining()) {
            if (volume.read(file, into.position(), into).count() == 0) {
                break;
            }
        }
        return into.array();
    }

    private static VolumeError errorOf(ThrowingCall call) {
        try {
            call.run();
            return null;
        } catch (VolumeException e) {
            return e.error();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void aRemovedOpenFileReadsAndWritesUntilItsLastClose() throws Exception {
        byte[] content = random(3 * ShareFixture.CHUNK + 100, 1);
        FileAttributes f = volume.create(root, "open.bin", CreateMode.GUARDED, SetAttributes.NONE);
        volume.write(f.id(), 0, ByteBuffer.wrap(content), Stability.FILE_SYNC);
        FileOpen a = sharing.open(f.inode(), holder, ShareAccess.READ | ShareAccess.WRITE, ShareAccess.NONE);
        FileOpen b = sharing.open(f.inode(), StateOwner.of(FileProtocol.NFS, 2, 2), ShareAccess.READ, ShareAccess.NONE);

        volume.remove(root, "open.bin");

        assertThat(errorOf(() -> volume.lookup(root, "open.bin"))).isEqualTo(VolumeError.NOENT);
        assertThat(readAll(f.id(), content.length)).isEqualTo(content);
        volume.write(f.id(), 5, ByteBuffer.wrap(new byte[] {9, 9}), Stability.FILE_SYNC);
        content[5] = 9;
        content[6] = 9;
        assertThat(readAll(f.id(), content.length)).isEqualTo(content);
        assertThat(volume.getattr(f.id()).nlink()).isZero();

        sharing.close(a);
        assertThat(readAll(f.id(), content.length)).as("one open is left").isEqualTo(content);
        sharing.close(b);
        assertThat(errorOf(() -> volume.getattr(f.id()))).isEqualTo(VolumeError.STALE);
    }

    @Test
    void aFileWhoseDataIsOnlyInTheBucketIsMadeLocalBeforeItsObjectGoes() throws Exception {
        byte[] content = random(2 * ShareFixture.CHUNK + 7, 2);
        String etag = share.bucket
                .put("remote.bin", ObjectBody.of(content), PutOptions.defaults())
                .etag();
        volume.remoteChanges().objectSeen("remote.bin", etag, content.length, 1_000_000_000L);
        FileAttributes f = volume.lookup(root, "remote.bin");
        FileOpen open = sharing.open(f.inode(), holder, ShareAccess.READ, ShareAccess.NONE);

        volume.remove(root, "remote.bin");
        share.bucket.delete("remote.bin"); // as the uploader will, applying the removal

        assertThat(readAll(f.id(), content.length)).isEqualTo(content);
        sharing.close(open);
        assertThat(errorOf(() -> volume.getattr(f.id()))).isEqualTo(VolumeError.STALE);
    }

    @Test
    void aFileReplacedByARenameWhileOpenLivesOnToo() throws Exception {
        FileAttributes old = volume.create(root, "target", CreateMode.GUARDED, SetAttributes.NONE);
        volume.write(old.id(), 0, ByteBuffer.wrap(new byte[] {1, 2, 3}), Stability.FILE_SYNC);
        FileAttributes next = volume.create(root, "next", CreateMode.GUARDED, SetAttributes.NONE);
        FileOpen open = sharing.open(old.inode(), holder, ShareAccess.READ, ShareAccess.NONE);

        volume.rename(root, "next", root, "target");

        assertThat(volume.lookup(root, "target").inode()).isEqualTo(next.inode());
        assertThat(readAll(old.id(), 3)).containsExactly(1, 2, 3);
        sharing.close(open);
        assertThat(errorOf(() -> volume.getattr(old.id()))).isEqualTo(VolumeError.STALE);
    }

    @Test
    void anOrphanLeftOpenAtAStopIsFreedAtTheNextStartAndAClosedFileIsFreedAtOnce() throws Exception {
        FileAttributes closed = volume.create(root, "closed", CreateMode.GUARDED, SetAttributes.NONE);
        volume.remove(root, "closed");
        assertThat(errorOf(() -> volume.getattr(closed.id()))).isEqualTo(VolumeError.STALE);

        FileAttributes f = volume.create(root, "left-open", CreateMode.GUARDED, SetAttributes.NONE);
        volume.write(f.id(), 0, ByteBuffer.wrap(new byte[] {4}), Stability.FILE_SYNC);
        sharing.open(f.inode(), holder, ShareAccess.READ, ShareAccess.NONE);
        volume.remove(root, "left-open");
        assertThat(volume.getattr(f.id()).nlink()).isZero();

        volume = share.reopen();

        assertThat(errorOf(() -> volume.getattr(f.id()))).isEqualTo(VolumeError.STALE);
        try (MetaScan left = share.store.scan(
                MetaKeys.orphans(ShareFixture.config(VolumeMode.CACHE).volumeId()))) {
            assertThat(left.next()).as("no orphan mark is left").isFalse();
        }
    }
}
