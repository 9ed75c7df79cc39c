package dev.sgw.core.sharing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads, each its own owner of one protocol or the other, opening, locking (at once and waiting),
 * checking I/O, unlocking and closing on a few files. A ledger holds what each thread was granted, entered
 * after the grant and left before the release, so it is always a subset of the real state: any two
 * conflicting entries of different owners in it at once are a broken promise. Refusals must name a real
 * conflict, and everything must be gone at the end.
 */
class FileSharingConcurrencyTest {
    private static final int THREADS = 12;
    private static final int FILES = 3;
    private static final int BYTES = 64;

    private final FileSharing sharing = new FileSharing();
    private final List<RangeLock>[] grantedLocks = ledger();
    private final List<FileOpen>[] grantedOpens = ledger();
    private final ConcurrentLinkedQueue<String> broken = new ConcurrentLinkedQueue<>();
    private final AtomicInteger refusals = new AtomicInteger();
    private final AtomicInteger waits = new AtomicInteger();

    @SuppressWarnings("unchecked")
    private static <T> List<T>[] ledger() {
        List<T>[] lists = (List<T>[]) new List<?>[FILES];
        for (int i = 0; i < FILES; i++) {
            lists[i] = new ArrayList<>();
        }
        return lists;
    }

    @Test
    void grantsNeverConflictAndEverythingIsReleased() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            done.add(pool.submit(() -> {
                work(id, 4_000);
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        assertThat(broken).isEmpty();
        assertThat(refusals.get()).as("the threads met each other").isPositive();
        assertThat(waits.get()).as("some locks were granted after waiting").isPositive();
        assertThat(sharing.fileCount()).isZero();
    }

    private void work(int id, int steps) throws Exception {
        Random random = new Random(id * 7919L);
        FileProtocol protocol = id % 2 == 0 ? FileProtocol.NFS : FileProtocol.SMB;
        StateOwner owner = StateOwner.of(protocol, id, id);
        LockStyle style = protocol == FileProtocol.NFS ? LockStyle.POSIX : LockStyle.WINDOWS;
        List<FileOpen> myOpens = new ArrayList<>();
        List<RangeLock> myLocks = new ArrayList<>();
        List<Integer> myLockFiles = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            int file = random.nextInt(FILES);
            int start = random.nextInt(BYTES);
            int end = start + 1 + random.nextInt(Math.min(16, BYTES - start));
            int op = random.nextInt(10);
            if (op < 3) {
                LockMode mode = random.nextBoolean() ? LockMode.SHARED : LockMode.EXCLUSIVE;
                // POSIX locks replace each other; to keep the ledger exact, an owner locks bytes it does not hold
                RangeLock wanted = new RangeLock(owner, start, end, mode, style);
                if (myLocks.stream().anyMatch(r -> r.overlaps(wanted)) && style == LockStyle.POSIX) {
                    continue;
                }
                Duration wait = random.nextInt(4) == 0 ? Duration.ofMillis(2) : Duration.ZERO;
                Optional<RangeLock> blocker = sharing.lock(file, wanted, wait);
                if (blocker.isPresent()) {
                    refusals.incrementAndGet();
                    if (!blocker.get().blocks(wanted)) {
                        broken.add("refused " + wanted + " for " + blocker.get() + ", which is not in its way");
                    }
                    continue;
                }
                if (!wait.isZero()) {
                    waits.incrementAndGet();
                }
                enterLock(file, wanted);
                myLocks.add(wanted);
                myLockFiles.add(file);
            } else if (op < 5 && !myLocks.isEmpty()) {
                int i = random.nextInt(myLocks.size());
                RangeLock r = myLocks.remove(i);
                int f = myLockFiles.remove(i);
                leaveLock(f, r);
                if (!sharing.unlock(f, owner, r.start(), r.end(), style)) {
                    broken.add("unlock of a granted " + r + " found nothing");
                }
            } else if (op < 7) {
                int access = 1 + random.nextInt(7);
                int deny = random.nextInt(8);
                try {
                    FileOpen open = sharing.open(file, owner, access, deny);
                    enterOpen(file, open);
                    myOpens.add(open);
                } catch (VolumeException e) {
                    refusals.incrementAndGet();
                    if (e.error() != VolumeError.SHARING_VIOLATION) {
                        broken.add("open refused with " + e.error());
                    }
                }
            } else if (op < 9 && !myOpens.isEmpty()) {
                FileOpen open = myOpens.remove(random.nextInt(myOpens.size()));
                int f = (int) open.inode();
                leaveOpen(f, open);
                if (myOpens.stream().noneMatch(o -> o.inode() == f)) {
                    // the close drops this owner's locks on the file: leave them first
                    for (int i = myLocks.size() - 1; i >= 0; i--) {
                        if (myLockFiles.get(i) == f) {
                            leaveLock(f, myLocks.remove(i));
                            myLockFiles.remove(i);
                        }
                    }
                }
                sharing.close(open);
            } else {
                try {
                    sharing.checkIo(file, owner, style, start, end - start, random.nextBoolean());
                } catch (VolumeException e) {
                    refusals.incrementAndGet();
                }
            }
        }
        for (int i = 0; i < myLocks.size(); i++) {
            leaveLock(myLockFiles.get(i), myLocks.get(i));
        }
        for (FileOpen open : myOpens) {
            leaveOpen((int) open.inode(), open);
            sharing.close(open);
        }
        for (int f = 0; f < FILES; f++) {
            sharing.unlockAll(f, owner);
        }
    }

    private void enterLock(int file, RangeLock granted) {
        synchronized (grantedLocks[file]) {
            for (RangeLock other : grantedLocks[file]) {
                boolean eitherExclusive = other.mode() == LockMode.EXCLUSIVE || granted.mode() == LockMode.EXCLUSIVE;
                if (!other.owner().equals(granted.owner())
                        && other.overlaps(granted.start(), granted.end())
                        && eitherExclusive) {
                    broken.add("granted " + granted + " while " + other + " is held");
                }
            }
            grantedLocks[file].add(granted);
        }
    }

    private void leaveLock(int file, RangeLock r) {
        synchronized (grantedLocks[file]) {
            grantedLocks[file].remove(r);
        }
    }

    private void enterOpen(int file, FileOpen granted) {
        synchronized (grantedOpens[file]) {
            for (FileOpen other : grantedOpens[file]) {
                if (!other.owner().equals(granted.owner())
                        && ShareAccess.conflict(granted.access(), granted.deny(), other.access(), other.deny())) {
                    broken.add("granted " + granted + " while " + other + " is open");
                }
            }
            grantedOpens[file].add(granted);
        }
    }

    private void leaveOpen(int file, FileOpen open) {
        synchronized (grantedOpens[file]) {
            grantedOpens[file].remove(open);
        }
    }
}
