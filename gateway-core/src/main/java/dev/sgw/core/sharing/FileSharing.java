package dev.sgw.core.sharing;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.sgw.core.volume.ChangeEvent;
import dev.sgw.core.volume.ChangeSource;
import dev.sgw.core.volume.VolumeChanges;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens, share modes, delete-on-close and byte-range locks of one file volume, shared by its NFS and SMB
 * exports so that their clients see each other: an SMB open denying write refuses an NFS writer's open, an
 * NFS {@code fcntl} lock stops an SMB write on those bytes, and the other way round.
 *
 * <p>State lives per file ({@link SharedFile}), indexed by inode, and only while someone holds it; every
 * method locks that one file, never the whole volume (but {@link #release}, which visits the files that
 * have state). Conflicts are answered with neutral errors: {@link VolumeError#SHARING_VIOLATION} for share
 * modes, {@link VolumeError#DELETE_PENDING} for a file marked for deletion, {@link VolumeError#LOCKED} for
 * I/O on a range another owner locked.
 *
 * <pre>
 * per file        | event                                  | result
 * ----------------+----------------------------------------+-------------------------------------------
 * (no state)      | open                                   | file state with one open
 * opens           | open whose access/deny meets another's | SHARING_VIOLATION, nothing changes
 * opens           | open after markDeleteOnClose           | DELETE_PENDING
 * opens, locks    | lock in the way of held locks          | waits up to the given time, else the blocker
 * opens, locks    | unlock / close / release(client)       | waiters look again
 * opens, locks    | last open closed, no locks, no waiters | state dropped; close says if delete was pending
 * delete pending  | last open closed                       | kept (DELETE_PENDING to opens) until deleted
 * opens, leases   | requestLease                           | what other keys' opens and leases allow
 * leases          | breakLeases(change), another key's open| holders told; waits for acks or the timeout
 * leases          | openBreakingLeases                     | breaks until no other key caches writes, opens
 * </pre>
 *
 * <p>Thread-safe. Waiting for a lock is cancelled by interrupting the waiting thread.
 */
public final class FileSharing implements VolumeChanges {
    private static final Logger LOG = LoggerFactory.getLogger(FileSharing.class);

    /** The one sharing state of each open file volume (weakly held: it goes with its volume). */
    private static final Map<Object, FileSharing> OF_VOLUME = new WeakHashMap<>();

    /** How long a change waits for lease holders to acknowledge a break (SMB2's 35 s). */
    public static final Duration BREAK_TIMEOUT = Duration.ofSeconds(35);

    private final ConcurrentHashMap<Long, SharedFile> files = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<ChangeWatch> watches = new CopyOnWriteArrayList<>();
    /** Where directories are, for subtree watches; null for a volume that cannot say. */
    private volatile ChangeSource source;

    private volatile Duration breakTimeout = BREAK_TIMEOUT;

    /**
     * The opens and locks of {@code volume}: one per volume object, so that every export of it (NFS and SMB)
     * meets the same state.
     */
    public static FileSharing of(Object volume) {
        synchronized (OF_VOLUME) {
            FileSharing sharing = OF_VOLUME.get(volume);
            if (sharing == null) {
                sharing = new FileSharing();
                if (volume instanceof ChangeSource s) {
                    sharing.source = s;
                    s.observe(sharing);
                }
                OF_VOLUME.put(volume, sharing);
            }
            return sharing;
        }
    }

    /** How long changes wait for lease holders to acknowledge breaks (tests shorten it). */
    public void breakTimeout(Duration timeout) {
        this.breakTimeout = timeout;
    }

    public Duration breakTimeout() {
        return breakTimeout;
    }

    // ---- changes of the volume ---------------------------------------------------------------------

    /**
     * Watches directory {@code directory} (with {@code subtree}: everything below it) for changes, keeping at
     * most {@code capacity} of them between two takes.
     */
    public ChangeWatch watch(long directory, boolean subtree, int capacity) {
        ChangeWatch w = new ChangeWatch(this, directory, subtree, capacity);
        watches.add(w);
        onFile(directory, false, f -> {
            if (f != null && f.deletePending) {
                w.deletePending(true);
            }
            return null;
        });
        return w;
    }

    void unwatch(ChangeWatch watch) {
        watches.remove(watch);
    }

    @Override
    public boolean heldOpen(long inode) {
        return onFile(inode, false, f -> f != null && !f.opens.isEmpty());
    }

    /** Tells the volume that {@code inode} has no opens left (a file removed while open is freed then). */
    private void lastClosed(long inode) {
        ChangeSource s = source;
        if (s != null) {
            s.lastClosed(inode);
        }
    }

    /** Reverse sync replaces or removes the file: every lease on it is broken first. */
    @Override
    public void beforeBucketChange(long inode) throws InterruptedException {
        breakLeases(inode, SharingChange.BUCKET, null, breakTimeout);
    }

    /** Hands a change to the watches of its directory and, for subtree watches, of the directories above. */
    @Override
    public void changed(ChangeEvent event) {
        if (watches.isEmpty()) {
            return;
        }
        List<ChangeSource.PathStep> above = null;
        for (ChangeWatch w : watches) {
            if (w.directory() == event.directory()) {
                w.offer(new ChangeWatch.Change(event.action(), event.name(), event.isDirectory(), event.fromBucket()));
                continue;
            }
            if (!w.subtree() || source == null) {
                continue;
            }
            if (above == null) {
                above = ancestry(event.directory());
            }
            StringBuilder path = new StringBuilder(event.name());
            for (ChangeSource.PathStep step : above) {
                path.insert(0, step.name() + "/");
                if (step.parent() == w.directory()) {
                    w.offer(new ChangeWatch.Change(
                            event.action(), path.toString(), event.isDirectory(), event.fromBucket()));
                    break;
                }
            }
        }
    }

    /**
     * The names of {@code inode}'s place (its first link) from the share's root down, as the volume keeps them,
     * joined with {@code separator}; empty for the root, or when the volume does not say where its files are.
     */
    public Optional<String> storedPath(long inode, char separator) {
        ChangeSource s = source;
        if (s == null) {
            return Optional.empty();
        }
        List<ChangeSource.PathStep> steps = ancestry(inode);
        if (steps.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder path = new StringBuilder();
        for (ChangeSource.PathStep step : steps) {
            path.insert(0, step.name());
            path.insert(0, separator);
        }
        return Optional.of(path.substring(1));
    }

    /** The steps from {@code directory} up to the root: each directory's name and its parent. */
    private List<ChangeSource.PathStep> ancestry(long directory) {
        List<ChangeSource.PathStep> steps = new ArrayList<>();
        long at = directory;
        for (int depth = 0; depth < 4096; depth++) {
            Optional<ChangeSource.PathStep> step = source.placeOf(at);
            if (step.isEmpty()) {
                break;
            }
            steps.add(step.get());
            at = step.get().parent();
        }
        return steps;
    }

    /** What {@link #close} did: whether it was the file's last open, and whether the file is to be deleted now. */
    public record Closed(boolean lastOpen, boolean deletePending) {}

    @FunctionalInterface
    private interface FileAction<T, X extends Exception> {
        T apply(SharedFile file) throws X;
    }

    /**
     * Opens {@code inode} for {@code owner} with {@code access}, denying {@code deny} to other owners.
     *
     * @throws VolumeException SHARING_VIOLATION when another owner's open conflicts; DELETE_PENDING when the
     *     file is marked for deletion
     */
    public FileOpen open(long inode, StateOwner owner, int access, int deny) throws VolumeException {
        return open(inode, owner, null, access, deny);
    }

    /**
     * As {@link #open(long, StateOwner, int, int)}, for an open that caches under the lease {@code leaseKey}
     * (its own lease's opens never break it).
     */
    public FileOpen open(long inode, StateOwner owner, ByteBuffer leaseKey, int access, int deny)
            throws VolumeException {
        return onFile(inode, true, f -> addOpen(f, owner, leaseKey, access, deny));
    }

    /**
     * As {@link #open(long, StateOwner, ByteBuffer, int, int)}, first breaking what an open breaks
     * ({@link SharingChange#OPEN}: the write caching of other keys), each break waiting up to {@code ackTimeout}.
     * A holder may ask for write caching again between a break and the open (nothing of the opener is on the
     * file yet to refuse it); the open then breaks again, so that no other key caches writes once it is made.
     * A break away from write caching that another change started is waited for as well (up to
     * {@code ackTimeout} at a time, until it ends): its holder may still be writing back what it cached.
     *
     * @throws VolumeException as {@link #open(long, StateOwner, ByteBuffer, int, int)}
     * @throws InterruptedException when interrupted while waiting for acknowledgments
     */
    public FileOpen openBreakingLeases(
            long inode, StateOwner owner, ByteBuffer leaseKey, int access, int deny, Duration ackTimeout)
            throws VolumeException, InterruptedException {
        while (true) {
            breakLeases(inode, SharingChange.OPEN, leaseKey, ackTimeout);
            // another change's break away from write caching that has not ended: the holder may still be
            // writing back, and the open waits for it as it waits for its own breaks
            onFile(inode, true, f -> {
                long left = ackTimeout.toNanos();
                f.waiters++;
                try {
                    while (left > 0 && f.writeBreakRunningBeside(leaseKey)) {
                        left = f.changed.awaitNanos(left);
                    }
                } finally {
                    f.waiters--;
                }
                return null;
            });
            Optional<FileOpen> open = onFile(
                    inode,
                    true,
                    f -> f.writeCachedBeside(leaseKey) || f.writeBreakRunningBeside(leaseKey)
                            ? Optional.empty()
                            : Optional.of(addOpen(f, owner, leaseKey, access, deny)));
            if (open.isPresent()) {
                return open.get();
            }
        }
    }

    private static FileOpen addOpen(SharedFile f, StateOwner owner, ByteBuffer leaseKey, int access, int deny)
            throws VolumeException {
        if (f.deletePending) {
            throw new VolumeException(VolumeError.DELETE_PENDING, "inode " + f.inode + " is to be deleted");
        }
        FileOpen other = f.conflictingOpen(owner, null, access, deny);
        if (other != null) {
            throw sharingViolation(access, deny, other);
        }
        FileOpen open = new FileOpen(f.inode, owner, leaseKey, access, deny);
        f.opens.add(open);
        return open;
    }

    /**
     * Changes an open's access and deny (an NFSv4 OPEN upgrade or OPEN_DOWNGRADE).
     *
     * @throws VolumeException SHARING_VIOLATION when another owner's open conflicts with the new modes;
     *     STALE when the open is closed
     */
    public void change(FileOpen open, int access, int deny) throws VolumeException {
        onFile(open.inode(), false, f -> {
            if (f == null || !open.isOpen()) {
                throw new VolumeException(VolumeError.STALE, open + " is closed");
            }
            FileOpen other = f.conflictingOpen(open.owner(), open, access, deny);
            if (other != null) {
                throw sharingViolation(access, deny, other);
            }
            open.set(access, deny);
            f.changed.signalAll();
            return null;
        });
    }

    /** Marks the file of {@code open} for deletion at its last close (SMB delete-on-close, disposition). */
    public void markDeleteOnClose(FileOpen open, boolean delete) {
        onFile(open.inode(), false, f -> {
            if (f != null && open.isOpen()) {
                open.deleteOnClose = delete;
                f.deletePending = delete || f.opens.stream().anyMatch(o -> o.deleteOnClose);
                for (ChangeWatch w : watches) {
                    if (w.directory() == f.inode) {
                        w.deletePending(f.deletePending);
                    }
                }
            }
            return null;
        });
    }

    /**
     * Closes an open. Its owner's locks on the file go too when the owner has no other open of it (an SMB
     * open is its own owner; NFSv4 lock owners are released by the protocol). When it was the last open of a
     * file marked for deletion ({@link Closed#deletePending()}), the file stays marked, refusing new opens,
     * until the caller has removed it and says so with {@link #deleted}.
     */
    public Closed close(FileOpen open) {
        Closed closed = closeOpen(open);
        if (closed.lastOpen()) {
            lastClosed(open.inode());
        }
        return closed;
    }

    private Closed closeOpen(FileOpen open) {
        return onFile(open.inode(), false, f -> {
            if (f == null || !f.opens.remove(open)) {
                return new Closed(false, false);
            }
            open.closed();
            if (!f.ownerHasOpen(open.owner())) {
                f.removeAll(open.owner());
            }
            boolean last = f.opens.isEmpty();
            boolean delete = last && f.deletePending;
            f.changed.signalAll();
            return new Closed(last, delete);
        });
    }

    /**
     * The file whose last close said {@link Closed#deletePending()} was removed (or its removal failed): it
     * takes opens again, and {@link #awaitClosed} waiters for it go on.
     */
    public void deleted(long inode) {
        onFile(inode, false, f -> {
            if (f != null && f.opens.isEmpty() && f.deletePending) {
                f.deletePending = false;
                f.changed.signalAll();
            }
            return null;
        });
    }

    /**
     * Waits, at most {@code wait} in all, until none of {@code inodes} is open or being removed after its last
     * close (woken by those closes and by {@link #deleted}): a directory delete waits so for entries whose
     * deletion at their last close is on its way.
     *
     * @return whether none of them is open or being removed now
     * @throws InterruptedException when interrupted while waiting (a cancelled request)
     */
    public boolean awaitClosed(Collection<Long> inodes, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (long inode : inodes) {
            boolean closed = onFile(inode, false, f -> {
                if (f == null) {
                    return true;
                }
                f.waiters++;
                try {
                    long left = deadline - System.nanoTime();
                    while (f.openOrRemoving() && left > 0) {
                        left = f.changed.awaitNanos(left);
                    }
                    return !f.openOrRemoving();
                } finally {
                    f.waiters--;
                }
            });
            if (!closed) {
                return false;
            }
        }
        return true;
    }

    /** Whether the file is marked for deletion at its last close (SMB delete-on-close, disposition). */
    public boolean deletePending(long inode) {
        return onFile(inode, false, f -> f != null && f.deletePending);
    }

    /** Whether any open of the file denies {@code access} (for I/O that names no open, e.g. NFS anonymous I/O). */
    public boolean denied(long inode, int access) {
        return onFile(inode, false, f -> f != null && f.opens.stream().anyMatch(o -> (o.deny & access) != 0));
    }

    /** The opens of {@code inode} now, a copy. */
    public List<FileOpen> opens(long inode) {
        return onFile(inode, false, f -> f == null ? List.of() : List.copyOf(f.opens));
    }

    /**
     * Locks a range if nothing stands in the way within {@code wait} ({@link Duration#ZERO}: fail at once).
     *
     * @return empty when locked, else the lock in the way
     * @throws InterruptedException when the waiting thread is interrupted (a cancelled blocking lock)
     */
    public Optional<RangeLock> lock(long inode, RangeLock wanted, Duration wait) throws InterruptedException {
        return onFile(inode, true, f -> {
            long left = wait.toNanos();
            RangeLock blocker = f.blocker(wanted);
            if (blocker != null && left > 0) {
                f.waiters++;
                try {
                    while ((blocker = f.blocker(wanted)) != null && left > 0) {
                        left = f.changed.awaitNanos(left);
                    }
                } finally {
                    f.waiters--;
                }
            }
            if (blocker != null) {
                return Optional.of(blocker);
            }
            f.add(wanted);
            return Optional.empty();
        });
    }

    /** The lock that would stand in the way of {@code wanted}, if any; nothing changes (NFSv4 LOCKT). */
    public Optional<RangeLock> test(long inode, RangeLock wanted) {
        return onFile(inode, false, f -> f == null ? Optional.empty() : Optional.ofNullable(f.blocker(wanted)));
    }

    /**
     * Unlocks {@code [start, end)} of {@code owner}: POSIX locks are cut to leave the range unlocked; a WINDOWS
     * unlock removes one lock with exactly that range.
     *
     * @return whether anything was unlocked (SMB answers RANGE_NOT_LOCKED when not)
     */
    public boolean unlock(long inode, StateOwner owner, long start, long end, LockStyle style) {
        return onFile(inode, false, f -> {
            if (f == null) {
                return false;
            }
            boolean removed =
                    style == LockStyle.POSIX ? f.removePosix(owner, start, end) : f.removeWindows(owner, start, end);
            if (removed) {
                f.changed.signalAll();
            }
            return removed;
        });
    }

    /** Drops every lock of {@code owner} on the file. */
    public void unlockAll(long inode, StateOwner owner) {
        onFile(inode, false, f -> {
            if (f != null && f.removeAll(owner)) {
                f.changed.signalAll();
            }
            return null;
        });
    }

    public boolean holdsLocks(long inode, StateOwner owner) {
        return onFile(
                inode,
                false,
                f -> f != null && f.locks.stream().anyMatch(r -> r.owner().equals(owner)));
    }

    /**
     * Checks an I/O of {@code length} bytes at {@code offset} by {@code owner} against other owners' locks:
     * WINDOWS locks bind everyone, POSIX locks bind WINDOWS I/O (see {@link LockStyle}).
     *
     * @throws VolumeException LOCKED when a lock forbids it
     */
    public void checkIo(long inode, StateOwner owner, LockStyle style, long offset, long length, boolean write)
            throws VolumeException {
        if (length == 0) {
            return;
        }
        RangeLock io = RangeLock.of(owner, offset, length, LockMode.SHARED, style);
        onFile(inode, false, f -> {
            if (f == null) {
                return null;
            }
            for (RangeLock r : f.locks) {
                if (r.forbids(owner, style, io.start(), io.end(), write)) {
                    throw new VolumeException(
                            VolumeError.LOCKED,
                            (write ? "write" : "read") + " of " + length + " bytes at " + Long.toUnsignedString(offset)
                                    + " of inode " + inode + " meets " + r);
                }
            }
            return null;
        });
    }

    /** Closes every open and drops every lock of {@code client} (its lease expired, its session ended). */
    public void release(FileProtocol protocol, long client) {
        for (SharedFile candidate : List.copyOf(files.values())) {
            boolean lastOpenWent = onFile(candidate.inode, false, f -> {
                if (f == null) {
                    return false;
                }
                boolean changed = f.locks.removeIf(
                        r -> r.owner().protocol() == protocol && r.owner().client() == client);
                for (Lease l : List.copyOf(f.leases)) {
                    if (l.holder().protocol() == protocol && l.holder().client() == client) {
                        synchronized (l) {
                            settle(f, l, LeaseState.NONE);
                        }
                        changed = true;
                    }
                }
                List<FileOpen> gone = new ArrayList<>();
                for (FileOpen o : f.opens) {
                    if (o.owner().protocol() == protocol && o.owner().client() == client) {
                        gone.add(o);
                    }
                }
                for (FileOpen o : gone) {
                    f.opens.remove(o);
                    o.closed();
                    changed = true;
                }
                if (!gone.isEmpty() && f.opens.isEmpty()) {
                    f.deletePending = false; // nobody deletes it (a close being deleting it keeps it marked)
                }
                if (changed) {
                    f.changed.signalAll();
                }
                return !gone.isEmpty() && f.opens.isEmpty();
            });
            if (lastOpenWent) {
                lastClosed(candidate.inode);
            }
        }
    }

    // ---- leases ---------------------------------------------------------------------------------------

    /**
     * Grants {@code holder} a lease of {@code inode} under {@code key} of as much of {@code wanted} as the
     * file's other opens and leases allow, upgrading the holder's lease under that key (never lowering it):
     * READ and HANDLE beside any open (also another key's writer, as Windows grants them: every write breaks
     * other keys' READ caching first), WRITE only when no open or lease of another key exists, nothing while
     * another key's lease is being broken. Protocols break other leases and open
     * ({@link #openBreakingLeases}), then ask for the lease.
     *
     * @return the lease, whose {@link Lease#state()} says what was granted (possibly {@link LeaseState#NONE})
     */
    public Lease requestLease(long inode, StateOwner holder, ByteBuffer key, int wanted, LeaseBreaker breaker) {
        if (!LeaseState.valid(wanted)) {
            throw new IllegalArgumentException("lease state " + wanted);
        }
        return onFile(inode, true, f -> {
            int grant = wanted;
            boolean breaking = f.leases.stream().anyMatch(l -> !l.key().equals(key) && l.phase == Lease.Phase.BREAKING);
            if (breaking) {
                grant = LeaseState.NONE;
            } else if (f.othersThan(key, false)) {
                grant &= ~LeaseState.WRITE;
            }
            Lease lease = f.lease(holder, key);
            if (lease == null) {
                lease = new Lease(inode, key, holder, grant, breaker);
                if (grant != LeaseState.NONE) {
                    f.leases.add(lease);
                } else {
                    lease.phase = Lease.Phase.RELEASED;
                }
                return lease;
            }
            synchronized (lease) {
                if (lease.phase == Lease.Phase.HELD && (lease.state | grant) != lease.state) {
                    lease.state |= grant;
                    lease.epoch++;
                }
            }
            return lease;
        });
    }

    /**
     * Breaks the leases of {@code inode} that {@code change} conflicts with, but those under {@code exceptKey}
     * (the changer's own; null: none): each holder is told ({@link LeaseBreaker}, outside any lock) and, for
     * breaks that need an acknowledgment, this waits until the holders acknowledged or {@code ackTimeout}
     * passed (then their leases are lowered anyway). Returns once the change may go ahead.
     */
    public void breakLeases(long inode, SharingChange change, ByteBuffer exceptKey, Duration ackTimeout)
            throws InterruptedException {
        record Told(Lease lease, int from, int to, boolean ack) {}
        List<Told> told = onFile(inode, false, f -> {
            List<Told> t = new ArrayList<>();
            if (f == null) {
                return t;
            }
            for (Lease l : List.copyOf(f.leases)) {
                if (exceptKey != null && l.key().equals(exceptKey)) {
                    continue;
                }
                synchronized (l) {
                    int from = l.phase == Lease.Phase.BREAKING ? l.breakingTo : l.state;
                    int to = change.leaves(from);
                    if (to == from) {
                        continue;
                    }
                    boolean ack = (l.state & (LeaseState.WRITE | LeaseState.HANDLE)) != 0;
                    l.epoch++;
                    if (ack) {
                        l.phase = Lease.Phase.BREAKING;
                        l.breakingTo = to;
                    } else {
                        l.state = to;
                        if (to == LeaseState.NONE) {
                            l.phase = Lease.Phase.RELEASED;
                            f.leases.remove(l);
                        }
                    }
                    t.add(new Told(l, from, to, ack));
                }
            }
            return t;
        });
        for (Told t : told) {
            try {
                t.lease().breaker().breakLease(t.lease(), t.from(), t.to(), t.ack());
            } catch (RuntimeException e) {
                LOG.warn("telling {} of its break failed: {}", t.lease(), e.toString());
            }
        }
        if (told.stream().noneMatch(Told::ack)) {
            return;
        }
        awaitBreaks(inode, told.stream().filter(Told::ack).map(Told::lease).toList(), ackTimeout);
    }

    private void awaitBreaks(long inode, List<Lease> breaking, Duration ackTimeout) throws InterruptedException {
        onFile(inode, true, f -> {
            long left = ackTimeout.toNanos();
            f.waiters++;
            try {
                while (left > 0 && breaking.stream().anyMatch(Lease::isBreaking)) {
                    left = f.changed.awaitNanos(left);
                }
            } finally {
                f.waiters--;
            }
            for (Lease l : breaking) {
                synchronized (l) {
                    if (l.phase == Lease.Phase.BREAKING) {
                        LOG.info("{} was not acknowledged in {}; lowered anyway", l, ackTimeout);
                        settle(f, l, l.breakingTo);
                        f.changed.signalAll();
                    }
                }
            }
            return null;
        });
    }

    /**
     * The holder acknowledges a break, keeping {@code state} (at most what the break left).
     *
     * @throws VolumeException INVAL when no break runs or {@code state} is more than it left
     */
    public void acknowledge(Lease lease, int state) throws VolumeException {
        onFile(lease.inode(), false, f -> {
            synchronized (lease) {
                if (f == null || lease.phase != Lease.Phase.BREAKING || (state & ~lease.breakingTo) != 0) {
                    throw new VolumeException(
                            VolumeError.INVAL, "acknowledgment of " + LeaseState.describe(state) + " for " + lease);
                }
                settle(f, lease, state);
            }
            f.changed.signalAll();
            return null;
        });
    }

    /** Gives a lease up (its last open closed, its client went). */
    public void releaseLease(Lease lease) {
        onFile(lease.inode(), false, f -> {
            if (f != null) {
                synchronized (lease) {
                    settle(f, lease, LeaseState.NONE);
                }
                f.changed.signalAll();
            }
            return null;
        });
    }

    /** The leases of {@code inode} now, a copy. */
    public List<Lease> leases(long inode) {
        return onFile(inode, false, f -> f == null ? List.of() : List.copyOf(f.leases));
    }

    private static void settle(SharedFile f, Lease lease, int state) {
        lease.state = state;
        if (state == LeaseState.NONE) {
            lease.phase = Lease.Phase.RELEASED;
            f.leases.remove(lease);
        } else {
            lease.phase = Lease.Phase.HELD;
        }
    }

    /** How many files have state now (for metrics and tests). */
    public int fileCount() {
        return files.size();
    }

    /** How many locks are held on the file now. */
    public int lockCount(long inode) {
        return onFile(inode, false, f -> f == null ? 0 : f.locks.size());
    }

    private static VolumeException sharingViolation(int access, int deny, FileOpen other) {
        return new VolumeException(
                VolumeError.SHARING_VIOLATION,
                "access " + ShareAccess.describe(access) + " with deny " + ShareAccess.describe(deny)
                        + " conflicts with " + other);
    }

    /**
     * Runs {@code action} on the file's state under its lock; with {@code create}, state is made when there
     * is none, else the action gets null. State left empty is dropped.
     */
    private <T, X extends Exception> T onFile(long inode, boolean create, FileAction<T, X> action) throws X {
        while (true) {
            SharedFile f = create ? files.computeIfAbsent(inode, SharedFile::new) : files.get(inode);
            if (f == null) {
                return action.apply(null);
            }
            f.lock.lock();
            try {
                if (f.retired) {
                    continue;
                }
                try {
                    return action.apply(f);
                } finally {
                    if (f.isEmpty()) {
                        f.retired = true;
                        files.remove(inode, f);
                    }
                }
            } finally {
                f.lock.unlock();
            }
        }
    }
}
