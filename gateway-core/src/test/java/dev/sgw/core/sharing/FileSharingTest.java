package dev.sgw.core.sharing;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.sgw.core.file.memory.MemoryFileVolume;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import org.junit.jupiter.api.Test;

import static dev.sgw.core.sharing.LockMode.EXCLUSIVE;
import static dev.sgw.core.sharing.LockMode.SHARED;
import static dev.sgw.core.sharing.LockStyle.POSIX;
import static dev.sgw.core.sharing.LockStyle.WINDOWS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Opens, share modes and byte-range locks of one volume, as an NFS client and an SMB client see them. */
class FileSharingTest {
    private static final long FILE = 42;
    private final FileSharing sharing = new FileSharing();
    private final StateOwner nfs = StateOwner.of(FileProtocol.NFS, 1, new byte[] {1});
    private final StateOwner nfs2 = StateOwner.of(FileProtocol.NFS, 2, new byte[] {1});
    private final StateOwner smb = StateOwner.of(FileProtocol.SMB, 7, 100);

    private static VolumeError errorOf(ThrowingCall call) {
        try {
            call.run();
        } catch (VolumeException e) {
            return e.error();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return null;
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void aWatchSeesItsDirectoryMarkedForDeletionAtOnceAndUnmarked() throws Exception {
        FileOpen watcher = sharing.open(FILE, smb, ShareAccess.READ, ShareAccess.NONE);
        ChangeWatch before = sharing.watch(FILE, false, 8);
        FileOpen deleter = sharing.open(FILE, nfs, ShareAccess.DELETE, ShareAccess.NONE);

        sharing.markDeleteOnClose(deleter, true);

        long began = System.nanoTime();
        assertThat(before.take(Duration.ofSeconds(30)).deletePending()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(10));
        try (ChangeWatch after = sharing.watch(FILE, false, 8)) {
            assertThat(after.take(Duration.ZERO).deletePending())
                    .as("a watch made later")
                    .isTrue();
        }

        sharing.markDeleteOnClose(deleter, false);

        assertThat(before.take(Duration.ZERO).deletePending()).isFalse();
        before.close();
        sharing.close(deleter);
        sharing.close(watcher);
    }

    @Test
    void anSmbOpenDenyingWriteRefusesAnNfsWriterButNotAReader() throws Exception {
        FileOpen smbOpen = sharing.open(FILE, smb, ShareAccess.READ, ShareAccess.WRITE | ShareAccess.DELETE);

        assertThat(errorOf(() -> sharing.open(FILE, nfs, ShareAccess.WRITE, ShareAccess.NONE)))
                .isEqualTo(VolumeError.SHARING_VIOLATION);
        FileOpen reader = sharing.open(FILE, nfs, ShareAccess.READ, ShareAccess.NONE);
        assertThat(errorOf(() -> sharing.change(reader, ShareAccess.READ | ShareAccess.WRITE, ShareAccess.NONE)))
                .isEqualTo(VolumeError.SHARING_VIOLATION);
        assertThat(reader.access()).isEqualTo(ShareAccess.READ);

        sharing.close(smbOpen);
        sharing.change(reader, ShareAccess.READ | ShareAccess.WRITE, ShareAccess.NONE);
        assertThat(reader.access()).isEqualTo(ShareAccess.READ | ShareAccess.WRITE);
    }

    @Test
    void anOpenDenyingWhatAnotherHasIsRefusedAndOneOwnersOpensNeverConflict() throws Exception {
        sharing.open(FILE, nfs, ShareAccess.WRITE, ShareAccess.NONE);

        assertThat(errorOf(() -> sharing.open(FILE, smb, ShareAccess.READ, ShareAccess.WRITE)))
                .isEqualTo(VolumeError.SHARING_VIOLATION);
        sharing.open(FILE, nfs, ShareAccess.READ, ShareAccess.READ | ShareAccess.WRITE);
        assertThat(sharing.opens(FILE)).hasSize(2);
        assertThat(sharing.denied(FILE, ShareAccess.WRITE)).isTrue();
        assertThat(sharing.denied(FILE, ShareAccess.DELETE)).isFalse();
    }

    @Test
    void anAttributesOnlyOpenConflictsWithNothing() throws Exception {
        sharing.open(FILE, smb, ShareAccess.READ, ShareAccess.ALL);

        FileOpen attributes = sharing.open(FILE, nfs, ShareAccess.NONE, ShareAccess.NONE);

        assertThat(attributes.isOpen()).isTrue();
    }

    @Test
    void deleteOnCloseRefusesNewOpensAndIsReportedByTheLastClose() throws Exception {
        FileOpen a = sharing.open(FILE, smb, ShareAccess.DELETE, ShareAccess.NONE);
        FileOpen b = sharing.open(FILE, nfs, ShareAccess.READ, ShareAccess.NONE);

        sharing.markDeleteOnClose(a, true);

        assertThat(errorOf(() -> sharing.open(FILE, nfs2, ShareAccess.READ, ShareAccess.NONE)))
                .isEqualTo(VolumeError.DELETE_PENDING);
        assertThat(sharing.close(a)).isEqualTo(new FileSharing.Closed(false, false));
        assertThat(sharing.close(b)).isEqualTo(new FileSharing.Closed(true, true));
        // the closer removes the file now: until it says so, the file stays marked
        assertThat(errorOf(() -> sharing.open(FILE, nfs2, ShareAccess.READ, ShareAccess.NONE)))
                .isEqualTo(VolumeError.DELETE_PENDING);
        sharing.deleted(FILE);
        assertThat(sharing.fileCount()).isZero();
        sharing.open(FILE, nfs2, ShareAccess.READ, ShareAccess.NONE);
    }

    @Test
    void awaitClosedReturnsOnceTheLastCloseHasRemovedTheFile() throws Exception {
        FileOpen a = sharing.open(FILE, smb, ShareAccess.DELETE, ShareAccess.NONE);
        FileOpen b = sharing.open(FILE, nfs, ShareAccess.READ, ShareAccess.NONE);
        sharing.markDeleteOnClose(a, true);
        CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> {
            try {
                return sharing.awaitClosed(List.of(FILE, FILE + 1), Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        sharing.close(a);
        assertThat(sharing.close(b).deletePending()).isTrue();
        Thread.sleep(50); // the waiter must not return while the removal is on its way
        assertThat(waited).isNotDone();
        sharing.deleted(FILE);

        assertThat(waited.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(sharing.fileCount()).isZero();
    }

    @Test
    void awaitClosedGivesUpAfterItsWaitWhileAFileStaysOpen() throws Exception {
        FileOpen a = sharing.open(FILE, smb, ShareAccess.READ, ShareAccess.NONE);

        assertThat(sharing.awaitClosed(List.of(FILE), Duration.ofMillis(20))).isFalse();
        assertThat(sharing.awaitClosed(List.of(FILE + 1), Duration.ZERO)).isTrue();
        sharing.close(a);
        assertThat(sharing.awaitClosed(List.of(FILE), Duration.ZERO)).isTrue();
        assertThat(sharing.fileCount()).isZero();
    }

    @Test
    void aPosixLockBlocksAnSmbWriteAndAnSmbLockBlocksAnNfsRead() throws Exception {
        assertThat(sharing.lock(FILE, new RangeLock(nfs, 0, 100, SHARED, POSIX), Duration.ZERO))
                .isEmpty();

        assertThat(errorOf(() -> sharing.checkIo(FILE, smb, WINDOWS, 50, 10, true)))
                .isEqualTo(VolumeError.LOCKED);
        sharing.checkIo(FILE, smb, WINDOWS, 50, 10, false);
        sharing.checkIo(FILE, nfs2, POSIX, 50, 10, true); // advisory among POSIX owners
        sharing.checkIo(FILE, smb, WINDOWS, 100, 10, true);

        assertThat(sharing.lock(FILE, RangeLock.of(smb, 200, 10, EXCLUSIVE, WINDOWS), Duration.ZERO))
                .isEmpty();
        assertThat(errorOf(() -> sharing.checkIo(FILE, nfs, POSIX, 205, 1, false)))
                .isEqualTo(VolumeError.LOCKED);
        sharing.checkIo(FILE, smb, WINDOWS, 205, 1, true); // the holder's own I/O
    }

    @Test
    void posixLocksOfOneOwnerReplaceSplitAndUnlockInPieces() throws Exception {
        sharing.lock(FILE, new RangeLock(nfs, 0, 100, EXCLUSIVE, POSIX), Duration.ZERO);
        sharing.lock(FILE, new RangeLock(nfs, 40, 60, SHARED, POSIX), Duration.ZERO);

        assertThat(sharing.lockCount(FILE)).isEqualTo(3);
        assertThat(sharing.test(FILE, new RangeLock(nfs2, 45, 50, SHARED, POSIX)))
                .isEmpty();
        assertThat(sharing.test(FILE, new RangeLock(nfs2, 30, 41, SHARED, POSIX)))
                .isPresent();

        assertThat(sharing.unlock(FILE, nfs, 0, 50, POSIX)).isTrue();
        assertThat(sharing.test(FILE, new RangeLock(nfs2, 0, 50, EXCLUSIVE, POSIX)))
                .isEmpty();
        assertThat(sharing.test(FILE, new RangeLock(nfs2, 59, 60, EXCLUSIVE, POSIX)))
                .isPresent();
        assertThat(sharing.unlock(FILE, nfs, 0, RangeLock.TO_END, POSIX)).isTrue();
        assertThat(sharing.fileCount()).isZero();
    }

    @Test
    void aPosixLockOverTheMiddleOfAnOwnersLockDowngradesThatPart() throws Exception {
        sharing.lock(FILE, new RangeLock(nfs, 0, RangeLock.TO_END, EXCLUSIVE, POSIX), Duration.ZERO);
        sharing.unlock(FILE, nfs, 100, 200, POSIX);
        sharing.lock(FILE, new RangeLock(nfs, 50, 250, SHARED, POSIX), Duration.ZERO);

        assertThat(sharing.lockCount(FILE)).isEqualTo(3);
        assertThat(sharing.test(FILE, new RangeLock(nfs2, 60, 70, SHARED, POSIX)))
                .isEmpty();
        assertThat(sharing.test(FILE, new RangeLock(nfs2, 60, 70, EXCLUSIVE, POSIX)))
                .isPresent();
        assertThat(sharing.test(FILE, new RangeLock(nfs2, 49, 50, SHARED, POSIX)))
                .isPresent();
        assertThat(sharing.test(FILE, new RangeLock(nfs2, 250, 251, SHARED, POSIX)))
                .as("up to the end of any file")
                .isPresent();
        sharing.unlockAll(FILE, nfs);
        assertThat(sharing.fileCount()).isZero();
    }

    @Test
    void everyExportOfOneVolumeMeetsTheSameState() {
        Object volume = new Object();
        assertThat(FileSharing.of(volume)).isSameAs(FileSharing.of(volume)).isNotSameAs(FileSharing.of(new Object()));
    }

    @Test
    void aFilesStoredPathIsTheNamesAsTheVolumeKeepsThem() throws Exception {
        try (MemoryFileVolume volume = new MemoryFileVolume("paths")) {
            FileSharing of = FileSharing.of(volume);
            NodeId dir = volume.mkdir(volume.root(), "Dir", SetAttributes.NONE).id();
            NodeId file = volume.create(dir, "File.TXT", CreateMode.GUARDED, SetAttributes.NONE)
                    .id();
            assertThat(of.storedPath(file.inode(), '\\')).contains("Dir\\File.TXT");
            assertThat(of.storedPath(dir.inode(), '/')).contains("Dir");
            assertThat(of.storedPath(volume.root().inode(), '/')).isEmpty();
            assertThat(new FileSharing().storedPath(file.inode(), '/'))
                    .as("a seam that knows no volume")
                    .isEmpty();
        }
    }

    @Test
    void theLastByteOfTheOffsetSpaceIsLockable() throws Exception {
        RangeLock last = RangeLock.of(smb, -1L, 1, EXCLUSIVE, WINDOWS);
        assertThat(last.start()).isEqualTo(RangeLock.TO_END);
        assertThat(last.end()).isEqualTo(RangeLock.TO_END);
        assertThat(sharing.lock(FILE, last, Duration.ZERO)).isEmpty();
        assertThat(sharing.test(FILE, new RangeLock(nfs, 0, RangeLock.TO_END, SHARED, POSIX)))
                .as("a lock to the end of any file")
                .contains(last);
        assertThat(sharing.test(FILE, new RangeLock(nfs, -2L, -2L, SHARED, POSIX)))
                .as("an empty range")
                .isEmpty();
        assertThat(sharing.test(FILE, RangeLock.of(nfs, -1L, 0, SHARED, POSIX)))
                .as("an empty range at the last byte")
                .isEmpty();
        assertThat(sharing.test(FILE, RangeLock.of(nfs, -3L, 1, SHARED, POSIX)))
                .as("a byte before")
                .isEmpty();
        assertThat(sharing.unlock(FILE, smb, RangeLock.TO_END, RangeLock.TO_END, WINDOWS))
                .isTrue();
    }

    @Test
    void windowsLocksStackAndUnlockOnlyAnExactRange() throws Exception {
        assertThat(sharing.lock(FILE, new RangeLock(smb, 0, 10, SHARED, WINDOWS), Duration.ZERO))
                .isEmpty();
        assertThat(sharing.lock(FILE, new RangeLock(smb, 0, 10, SHARED, WINDOWS), Duration.ZERO))
                .isEmpty();
        assertThat(sharing.lock(FILE, new RangeLock(smb, 5, 6, EXCLUSIVE, WINDOWS), Duration.ZERO))
                .isPresent();

        assertThat(sharing.unlock(FILE, smb, 0, 5, WINDOWS)).isFalse();
        assertThat(sharing.unlock(FILE, smb, 0, 10, WINDOWS)).isTrue();
        assertThat(sharing.lockCount(FILE)).isEqualTo(1);
    }

    @Test
    void anUnlockOfStackedWindowsLocksTakesTheExclusiveOneFirst() throws Exception {
        sharing.lock(FILE, new RangeLock(smb, 10, 20, EXCLUSIVE, WINDOWS), Duration.ZERO);
        sharing.lock(FILE, new RangeLock(smb, 10, 20, SHARED, WINDOWS), Duration.ZERO);
        assertThat(sharing.unlock(FILE, smb, 10, 20, WINDOWS)).isTrue();
        assertThat(sharing.test(FILE, RangeLock.of(nfs, 5, 10, SHARED, WINDOWS)))
                .as("the shared lock is left")
                .isEmpty();
        assertThat(sharing.test(FILE, RangeLock.of(nfs, 5, 10, EXCLUSIVE, WINDOWS)))
                .isPresent();
    }

    @Test
    void aWindowsSharedLockStacksOnTheOwnersExclusiveLockButNotTheOtherWayRound() throws Exception {
        assertThat(sharing.lock(FILE, new RangeLock(smb, 0, 10, EXCLUSIVE, WINDOWS), Duration.ZERO))
                .isEmpty();
        assertThat(sharing.lock(FILE, new RangeLock(smb, 2, 4, SHARED, WINDOWS), Duration.ZERO))
                .isEmpty();
        assertThat(sharing.lock(FILE, new RangeLock(smb, 2, 4, EXCLUSIVE, WINDOWS), Duration.ZERO))
                .isPresent();
        assertThat(sharing.lockCount(FILE)).isEqualTo(2);
    }

    @Test
    void rangesUseUnsignedOffsetsToTheEndOfTheSpace() throws Exception {
        long high = 0xFFFF_FFFF_0000_0000L;
        sharing.lock(FILE, RangeLock.of(nfs, high, -1L, EXCLUSIVE, POSIX), Duration.ZERO);

        assertThat(sharing.test(FILE, new RangeLock(nfs2, 0, 1L << 62, EXCLUSIVE, POSIX)))
                .isEmpty();
        assertThat(sharing.test(FILE, RangeLock.of(nfs2, high + 5, 1, SHARED, POSIX)))
                .isPresent();
        assertThat(sharing.test(FILE, RangeLock.of(nfs2, -2L, 1, SHARED, POSIX)))
                .isPresent();
    }

    @Test
    void aBlockedLockWaitsForTheUnlock() throws Exception {
        sharing.lock(FILE, new RangeLock(nfs, 0, 10, EXCLUSIVE, POSIX), Duration.ZERO);
        CountDownLatch started = new CountDownLatch(1);

        CompletableFuture<Optional<RangeLock>> waiting = CompletableFuture.supplyAsync(() -> {
            started.countDown();
            try {
                return sharing.lock(FILE, new RangeLock(smb, 5, 6, SHARED, WINDOWS), Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        started.await();
        Thread.sleep(50);
        assertThat(waiting).isNotDone();

        sharing.unlock(FILE, nfs, 0, 10, POSIX);

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(sharing.holdsLocks(FILE, smb)).isTrue();
    }

    @Test
    void aBlockedLockEndsWithItsBlockerAfterItsWaitAndWhenInterrupted() throws Exception {
        sharing.lock(FILE, new RangeLock(nfs, 0, 10, EXCLUSIVE, POSIX), Duration.ZERO);

        Optional<RangeLock> timedOut =
                sharing.lock(FILE, new RangeLock(smb, 0, 1, SHARED, WINDOWS), Duration.ofMillis(30));
        assertThat(timedOut).map(RangeLock::owner).contains(nfs);

        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                sharing.lock(FILE, new RangeLock(smb, 0, 1, SHARED, WINDOWS), Duration.ofMinutes(5));
            } catch (Throwable t) {
                ended.set(t);
            }
        });
        Thread.sleep(50);
        waiter.interrupt();
        waiter.join(10_000);

        assertThat(ended.get()).isInstanceOf(InterruptedException.class);
        assertThat(sharing.holdsLocks(FILE, smb)).isFalse();
        sharing.unlockAll(FILE, nfs);
        assertThat(sharing.fileCount()).isZero();
    }

    @Test
    void closingAnOwnersLastOpenDropsItsLocksAndReleaseDropsAClientsState() throws Exception {
        FileOpen open = sharing.open(FILE, smb, ShareAccess.READ | ShareAccess.WRITE, ShareAccess.NONE);
        sharing.lock(FILE, new RangeLock(smb, 0, 10, EXCLUSIVE, WINDOWS), Duration.ZERO);
        sharing.close(open);
        assertThat(sharing.holdsLocks(FILE, smb)).isFalse();

        sharing.open(FILE, nfs, ShareAccess.READ, ShareAccess.WRITE);
        sharing.open(FILE + 1, nfs, ShareAccess.READ, ShareAccess.NONE);
        sharing.lock(FILE + 1, new RangeLock(nfs, 0, 10, EXCLUSIVE, POSIX), Duration.ZERO);
        sharing.open(FILE, nfs2, ShareAccess.READ, ShareAccess.NONE);

        sharing.release(FileProtocol.NFS, 1);

        assertThat(sharing.opens(FILE)).extracting(FileOpen::owner).containsExactly(nfs2);
        assertThat(sharing.opens(FILE + 1)).isEmpty();
        assertThat(sharing.holdsLocks(FILE + 1, nfs)).isFalse();
        sharing.open(FILE, smb, ShareAccess.WRITE, ShareAccess.NONE);
    }

    @Test
    void aChangeOfAClosedOpenIsStale() throws Exception {
        FileOpen open = sharing.open(FILE, smb, ShareAccess.READ, ShareAccess.NONE);
        sharing.close(open);

        assertThatThrownBy(() -> sharing.change(open, ShareAccess.READ, ShareAccess.NONE))
                .isInstanceOf(VolumeException.class)
                .extracting(e -> ((VolumeException) e).error())
                .isEqualTo(VolumeError.STALE);
    }
}
