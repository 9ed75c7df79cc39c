package dev.sgw.core.sharing;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads, each its own owner of one protocol or the other and its own lease key, opening (after breaking
 * other keys' leases), locking (at once and waiting), checking I/O, unlocking, closing, asking for and
 * releasing leases and breaking them by writes and renames, on a few files. Each thread's breaker acknowledges
 * at once, from another thread, or never (the break times out). A ledger holds what each thread was granted,
 * entered after the grant and left before the release (a WRITE lease: before its holder is told of a break),
 * so it is always a subset of the real state: any two conflicting entries of different owners or keys in it at
 * once are a broken promise (no two keys caching writes, no write caching beside another key's open). Refusals
 * must name a real conflict, every break must return within its timeout, and everything must be gone at the end.
 */
class FileSharingConcurrencyTest {
    private static final int THREADS = 12;
    private static final int FILES = 3;
    private static final int BYTES = 64;
    private static final Duration ACK_TIMEOUT = Duration.ofMillis(20);
    /** How much later than its timeout a break may return on a busy machine before it counts as stuck. */
    private static final Duration BREAK_SLACK = Duration.ofSeconds(5);

    private final FileSharing sharing = new FileSharing();
    private final List<RangeLock>[] grantedLocks = ledger();
    private final List<FileOpen>[] grantedOpens = ledger();
    /** Leases granted WRITE, guarded like the opens of their file by that file's {@link #grantedOpens}. */
    private final List<Lease>[] grantedWrites = ledger();
    /** Acknowledges breaks from other threads than the one that broke. */
    private final ExecutorService ackers = Executors.newFixedThreadPool(2);

    private final ConcurrentLinkedQueue<String> broken = new ConcurrentLinkedQueue<>();
    private final AtomicInteger refusals = new AtomicInteger();
    private final AtomicInteger waits = new AtomicInteger();
    private final AtomicInteger writeLeases = new AtomicInteger();
    private final AtomicInteger acknowledged = new AtomicInteger();

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
                new Worker(id).work(4_000);
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS); // a deadlock fails here
        }
        pool.shutdown();
        ackers.shutdown();
        assertThat(ackers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(broken).isEmpty();
        assertThat(refusals.get()).as("the threads met each other").isPositive();
        assertThat(waits.get()).as("some locks were granted after waiting").isPositive();
        assertThat(writeLeases.get()).as("write caching was granted").isPositive();
        assertThat(acknowledged.get()).as("breaks were acknowledged").isPositive();
        assertThat(sharing.fileCount()).isZero();
    }

    /** One thread: its owner, its lease key and what it holds, doing random steps. */
    private final class Worker {
        final Random random;
        final StateOwner owner;
        final LockStyle style;
        final ByteBuffer key;
        final List<FileOpen> opens = new ArrayList<>();
        final List<RangeLock> locks = new ArrayList<>();
        final List<Integer> lockFiles = new ArrayList<>();
        final Lease[] leases = new Lease[FILES];

        Worker(int id) {
            random = new Random(id * 7919L);
            FileProtocol protocol = id % 2 == 0 ? FileProtocol.NFS : FileProtocol.SMB;
            owner = StateOwner.of(protocol, id, id);
            style = protocol == FileProtocol.NFS ? LockStyle.POSIX : LockStyle.WINDOWS;
            key = ByteBuffer.allocate(16).putInt(0, id);
        }

        void work(int steps) throws InterruptedException {
            for (int step = 0; step < steps; step++) {
                int file = random.nextInt(FILES);
                int start = random.nextInt(BYTES);
                int end = start + 1 + random.nextInt(Math.min(16, BYTES - start));
                switch (random.nextInt(14)) {
                    case 0, 1, 2 -> lock(file, start, end);
                    case 3, 4 -> unlockOne();
                    case 5, 6 -> open(file);
                    case 7, 8 -> closeOne();
                    case 9 -> checkIo(file, start, end);
                    case 10 -> requestLease(file);
                    case 11 -> releaseLease(file);
                    case 12 -> timedBreak(file, SharingChange.WRITE, key);
                    default -> timedBreak(file, SharingChange.RENAME_OR_REMOVE, key);
                }
            }
            finish();
        }

        void lock(int file, int start, int end) throws InterruptedException {
            LockMode mode = random.nextBoolean() ? LockMode.SHARED : LockMode.EXCLUSIVE;
            // POSIX locks replace each other; to keep the ledger exact, an owner locks bytes it does not hold
            RangeLock wanted = new RangeLock(owner, start, end, mode, style);
            if (locks.stream().anyMatch(r -> r.overlaps(wanted)) && style == LockStyle.POSIX) {
                return;
            }
            Duration wait = random.nextInt(4) == 0 ? Duration.ofMillis(2) : Duration.ZERO;
            Optional<RangeLock> blocker = sharing.lock(file, wanted, wait);
            if (blocker.isPresent()) {
                refusals.incrementAndGet();
                if (!blocker.get().blocks(wanted)) {
                    broken.add("refused " + wanted + " for " + blocker.get() + ", which is not in its way");
                }
                return;
            }
            if (!wait.isZero()) {
                waits.incrementAndGet();
            }
            enterLock(file, wanted);
            locks.add(wanted);
            lockFiles.add(file);
        }

        void unlockOne() {
            if (locks.isEmpty()) {
                return;
            }
            int i = random.nextInt(locks.size());
            if (style == LockStyle.WINDOWS) {
                // a WINDOWS unlock of stacked locks takes the exclusive one first, as the seam does
                RangeLock chosen = locks.get(i);
                int file = lockFiles.get(i);
                for (int j = 0; j < locks.size(); j++) {
                    RangeLock r = locks.get(j);
                    if (lockFiles.get(j) == file
                            && r.start() == chosen.start()
                            && r.end() == chosen.end()
                            && r.mode() == LockMode.EXCLUSIVE) {
                        i = j;
                        break;
                    }
                }
            }
            RangeLock r = locks.remove(i);
            int f = lockFiles.remove(i);
            leaveLock(f, r);
            if (!sharing.unlock(f, owner, r.start(), r.end(), style)) {
                broken.add("unlock of a granted " + r + " found nothing");
            }
        }

        /** Opens under the thread's lease key (now and then none), after breaking other keys' write caching. */
        void open(int file) throws InterruptedException {
            int access = 1 + random.nextInt(7);
            int deny = random.nextInt(8);
            ByteBuffer leaseKey = random.nextInt(4) == 0 ? null : key;
            try {
                long began = System.nanoTime();
                FileOpen open = sharing.openBreakingLeases(file, owner, leaseKey, access, deny, ACK_TIMEOUT);
                checkTook("an open", file, began);
                enterOpen(file, open);
                opens.add(open);
            } catch (VolumeException e) {
                refusals.incrementAndGet();
                if (e.error() != VolumeError.SHARING_VIOLATION) {
                    broken.add("open refused with " + e.error());
                }
            }
        }

        void closeOne() {
            if (opens.isEmpty()) {
                return;
            }
            FileOpen open = opens.remove(random.nextInt(opens.size()));
            int f = (int) open.inode();
            leaveOpen(f, open);
            if (opens.stream().noneMatch(o -> o.inode() == f)) {
                // the close drops this owner's locks on the file: leave them first
                for (int i = locks.size() - 1; i >= 0; i--) {
                    if (lockFiles.get(i) == f) {
                        leaveLock(f, locks.remove(i));
                        lockFiles.remove(i);
                    }
                }
            }
            sharing.close(open);
        }

        void checkIo(int file, int start, int end) {
            try {
                sharing.checkIo(file, owner, style, start, end - start, random.nextBoolean());
            } catch (VolumeException e) {
                refusals.incrementAndGet();
            }
        }

        void requestLease(int file) {
            int[] states = {
                LeaseState.READ,
                LeaseState.READ | LeaseState.HANDLE,
                LeaseState.READ | LeaseState.WRITE,
                LeaseState.READ | LeaseState.WRITE | LeaseState.HANDLE
            };
            Lease lease = sharing.requestLease(file, owner, key, states[random.nextInt(states.length)], breaker(file));
            Lease held = leases[file];
            if (held != null && held != lease && held.state() != LeaseState.NONE) {
                broken.add("a second lease " + lease + " beside " + held + " under one key");
            }
            leases[file] = lease;
            enterWrite(file, lease);
        }

        void releaseLease(int file) {
            if (leases[file] != null) {
                leaveWrite(file, leases[file]);
                sharing.releaseLease(leases[file]);
                leases[file] = null;
            }
        }

        void finish() {
            for (int f = 0; f < FILES; f++) {
                releaseLease(f);
            }
            for (int i = 0; i < locks.size(); i++) {
                leaveLock(lockFiles.get(i), locks.get(i));
            }
            for (FileOpen open : opens) {
                leaveOpen((int) open.inode(), open);
                sharing.close(open);
            }
            for (int f = 0; f < FILES; f++) {
                sharing.unlockAll(f, owner);
            }
        }
    }

    private void timedBreak(int file, SharingChange change, ByteBuffer exceptKey) throws InterruptedException {
        long began = System.nanoTime();
        sharing.breakLeases(file, change, exceptKey, ACK_TIMEOUT);
        checkTook("a break for " + change, file, began);
    }

    /** A break waits for acknowledgments at most its timeout: longer (beyond scheduling) means it is stuck. */
    private void checkTook(String what, int file, long began) {
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        if (took.compareTo(ACK_TIMEOUT.plus(BREAK_SLACK)) > 0) {
            broken.add(what + " of file " + file + " took " + took);
        }
    }

    /**
     * A holder that leaves the ledger before anything else (the lease may be lowered from now on), then
     * acknowledges what the break left at once, from another thread, or never.
     */
    private LeaseBreaker breaker(int file) {
        return (lease, from, to, ack) -> {
            if ((to & LeaseState.WRITE) == 0) {
                leaveWrite(file, lease);
            }
            if (!ack) {
                return;
            }
            int how = ThreadLocalRandom.current().nextInt(10);
            if (how < 5) {
                acknowledge(lease, to);
            } else if (how < 9) {
                ackers.execute(() -> acknowledge(lease, to));
            }
        };
    }

    /**
     * Acknowledges. INVAL is a fair answer here: the break may have timed out, the lease been released, or a
     * second break lowered it further meanwhile (the single-threaded model test checks acknowledgments exactly).
     */
    private void acknowledge(Lease lease, int state) {
        try {
            sharing.acknowledge(lease, state);
            acknowledged.incrementAndGet();
        } catch (VolumeException e) {
            if (e.error() != VolumeError.INVAL) {
                broken.add("acknowledgment of " + lease + " refused with " + e.error());
            }
        }
    }

    /** Enters a lease that caches writes and no break has started lowering. */
    private void enterWrite(int file, Lease lease) {
        synchronized (grantedOpens[file]) {
            if ((lease.breakingTo() & LeaseState.WRITE) == 0 || grantedWrites[file].contains(lease)) {
                return;
            }
            writeLeases.incrementAndGet();
            for (Lease other : grantedWrites[file]) {
                if (!other.key().equals(lease.key())) {
                    broken.add("granted " + lease + " while " + other + " caches writes");
                }
            }
            for (FileOpen open : grantedOpens[file]) {
                if (!lease.key().equals(open.leaseKey())) {
                    broken.add("granted " + lease + " beside " + open);
                }
            }
            grantedWrites[file].add(lease);
        }
    }

    private void leaveWrite(int file, Lease lease) {
        synchronized (grantedOpens[file]) {
            grantedWrites[file].remove(lease);
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
            for (Lease lease : grantedWrites[file]) {
                if (!lease.key().equals(granted.leaseKey())) {
                    broken.add("opened " + granted + " beside " + lease);
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
