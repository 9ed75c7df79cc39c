package dev.sgw.core.file;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.sharing.ChangeWatch;
import dev.sgw.core.sharing.ChangeWatch.Change;
import dev.sgw.core.sharing.FileProtocol;
import dev.sgw.core.sharing.FileSharing;
import dev.sgw.core.sharing.Lease;
import dev.sgw.core.sharing.LeaseBreakingVolume;
import dev.sgw.core.sharing.LeaseState;
import dev.sgw.core.sharing.StateOwner;
import dev.sgw.core.volume.ChangeAction;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.Stability;
import dev.sgw.core.volume.VolumeMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A share volume tells its FileSharing of every change, from clients and from reverse sync: change watches
 * see them in order, and leases are broken before a rename, a remove or the bucket's new version lands.
 */
class ShareVolumeChangesTest {
    @TempDir
    Path dir;

    private ShareFixture share;
    private ShareVolume volume;
    private FileSharing sharing;
    private NodeId root;

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

    private static Change change(ChangeAction action, String path, boolean directory) {
        return new Change(action, path, directory, false);
    }

    @Test
    void aWatchSeesItsDirectorysChangesInOrder() throws Exception {
        ChangeWatch watch = sharing.watch(root.inode(), false, 100);
        FileAttributes a = volume.create(root, "a", CreateMode.GUARDED, SetAttributes.NONE);
        volume.write(a.id(), 0, ByteBuffer.wrap(new byte[] {1, 2}), Stability.UNSTABLE);
        FileAttributes d = volume.mkdir(root, "d", SetAttributes.NONE);
        volume.setattr(a.id(), SetAttributes.mode(0600));
        volume.setNamedAttribute(d.id(), "smb.sd", new byte[] {1});
        volume.setNamedAttribute(d.id(), "smb.ea.NONE", null); // removes nothing: no change
        volume.rename(root, "a", d.id(), "b");
        volume.create(d.id(), "unseen", CreateMode.GUARDED, SetAttributes.NONE);
        volume.rename(d.id(), "b", root, "c");
        volume.remove(root, "c");

        assertThat(watch.take(Duration.ZERO).changes())
                .containsExactly(
                        change(ChangeAction.ADDED, "a", false),
                        change(ChangeAction.MODIFIED, "a", false),
                        change(ChangeAction.ADDED, "d", true),
                        change(ChangeAction.ATTRIBUTES, "a", false),
                        change(ChangeAction.ATTRIBUTES, "d", true),
                        change(ChangeAction.REMOVED, "a", false),
                        change(ChangeAction.ADDED, "c", false),
                        change(ChangeAction.REMOVED, "c", false));
        watch.close();
        volume.create(root, "after", CreateMode.GUARDED, SetAttributes.NONE);
        assertThat(watch.take(Duration.ZERO).isEmpty()).isTrue();
    }

    @Test
    void aSubtreeWatchSeesPathsBelowItAndAFullQueueSaysItOverflowed() throws Exception {
        FileAttributes d = volume.mkdir(root, "d", SetAttributes.NONE);
        FileAttributes e = volume.mkdir(d.id(), "e", SetAttributes.NONE);
        ChangeWatch tree = sharing.watch(d.inode(), true, 2);

        volume.create(e.id(), "f", CreateMode.GUARDED, SetAttributes.NONE);
        volume.create(root, "outside", CreateMode.GUARDED, SetAttributes.NONE);
        assertThat(tree.take(Duration.ZERO).changes()).containsExactly(change(ChangeAction.ADDED, "e/f", false));

        for (int i = 0; i < 3; i++) {
            volume.create(d.id(), "n" + i, CreateMode.GUARDED, SetAttributes.NONE);
        }
        ChangeWatch.Batch lost = tree.take(Duration.ZERO);
        assertThat(lost.overflowed()).isTrue();
        assertThat(lost.changes()).isEmpty();
        volume.remove(d.id(), "n0");
        assertThat(tree.take(Duration.ofSeconds(5)).changes())
                .containsExactly(change(ChangeAction.REMOVED, "n0", false));
    }

    @Test
    void aNewVersionInTheBucketBreaksTheLeaseBeforeItLandsAndIsSeenAsAChangeFromTheBucket() throws Exception {
        volume.remoteChanges().objectSeen("doc.txt", "etag-1", 3, 1_000_000_000L);
        long inode = volume.lookup(root, "doc.txt").inode();
        ChangeWatch watch = sharing.watch(root.inode(), false, 100);
        List<String> atBreak = new CopyOnWriteArrayList<>();
        StateOwner holder = StateOwner.of(FileProtocol.SMB, 1, 1);
        Lease lease = sharing.requestLease(
                inode, holder, ByteBuffer.allocate(16), LeaseState.READ | LeaseState.HANDLE, (l, from, to, ack) -> {
                    try {
                        atBreak.add("size " + volume.lookup(root, "doc.txt").size());
                    } catch (Exception e) {
                        atBreak.add(e.toString());
                    }
                });

        CompletableFuture<Void> sync = CompletableFuture.runAsync(() -> {
            try {
                volume.remoteChanges().objectSeen("doc.txt", "etag-2", 7, 2_000_000_000L);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        while (atBreak.isEmpty()) {
            Thread.sleep(5);
        }
        assertThat(lease.isBreaking()).isTrue();
        assertThat(atBreak)
                .as("the holder hears of it while the old version is still there")
                .containsExactly("size 3");
        Thread.sleep(50);
        assertThat(sync).as("the new version waits for the holder").isNotDone();

        sharing.acknowledge(lease, LeaseState.NONE);
        sync.get(10, TimeUnit.SECONDS);

        assertThat(volume.getattr(volume.lookup(root, "doc.txt").id()).size()).isEqualTo(7);
        assertThat(watch.take(Duration.ZERO).changes())
                .containsExactly(new Change(ChangeAction.MODIFIED, "doc.txt", false, true));
    }

    @Test
    void aRenameThroughTheLeaseBreakingVolumeWaitsForTheHoldersAcknowledgment() throws Exception {
        FileAttributes f = volume.create(root, "held", CreateMode.GUARDED, SetAttributes.NONE);
        LeaseBreakingVolume nfsSide = new LeaseBreakingVolume(volume, sharing, null);
        List<String> namesAtBreak = new CopyOnWriteArrayList<>();
        Lease lease = sharing.requestLease(
                f.inode(),
                StateOwner.of(FileProtocol.SMB, 1, 1),
                ByteBuffer.allocate(16),
                LeaseState.READ | LeaseState.HANDLE,
                (l, from, to, ack) -> {
                    try {
                        volume.lookup(root, "held");
                        namesAtBreak.add("held");
                    } catch (Exception e) {
                        namesAtBreak.add("gone");
                    }
                });

        CompletableFuture<Void> rename = CompletableFuture.runAsync(() -> {
            try {
                nfsSide.rename(root, "held", root, "moved");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        while (namesAtBreak.isEmpty()) {
            Thread.sleep(5);
        }
        assertThat(lease.isBreaking()).isTrue();
        assertThat(namesAtBreak).containsExactly("held");
        Thread.sleep(50);
        assertThat(rename).isNotDone();
        sharing.acknowledge(lease, LeaseState.READ);
        rename.get(10, TimeUnit.SECONDS);

        assertThat(volume.lookup(root, "moved").inode()).isEqualTo(f.inode());
        assertThat(lease.state()).isEqualTo(LeaseState.READ);
    }
}
