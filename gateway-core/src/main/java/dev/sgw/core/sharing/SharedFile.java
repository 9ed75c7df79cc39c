package dev.sgw.core.sharing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sharing state of one file while anyone holds it: its opens, its locks, the number of lock waiters and
 * whether it is to be deleted at its last close (which stays set after that close until the file is removed). Guarded by {@link #lock}; {@link #changed} is signalled when
 * a lock or open goes, so that waiters look again. Once empty it is {@link #retired} and removed from the
 * volume's index; whoever finds a retired file looks it up again.
 */
final class SharedFile {
    final long inode;
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    final List<FileOpen> opens = new ArrayList<>();
    final List<RangeLock> locks = new ArrayList<>();
    final List<Lease> leases = new ArrayList<>();
    int waiters;
    boolean deletePending;
    boolean retired;

    SharedFile(long inode) {
        this.inode = inode;
    }

    boolean isEmpty() {
        return opens.isEmpty() && locks.isEmpty() && leases.isEmpty() && waiters == 0 && !deletePending;
    }

    /** Whether the file is open, or its last open closed and it is being removed (delete pending). */
    boolean openOrRemoving() {
        return !opens.isEmpty() || deletePending;
    }

    /** The first lock in the way of {@code wanted}, or null. */
    RangeLock blocker(RangeLock wanted) {
        for (RangeLock held : locks) {
            if (held.blocks(wanted)) {
                return held;
            }
        }
        return null;
    }

    /** The first open of another owner whose share mode conflicts with {@code access}/{@code deny}, or null. */
    FileOpen conflictingOpen(StateOwner owner, FileOpen except, int access, int deny) {
        for (FileOpen o : opens) {
            if (o != except && !o.owner().equals(owner) && ShareAccess.conflict(access, deny, o.access, o.deny)) {
                return o;
            }
        }
        return null;
    }

    /** Adds {@code wanted}, first taking out the owner's own POSIX locks on those bytes. */
    void add(RangeLock wanted) {
        if (wanted.style() == LockStyle.POSIX) {
            removePosix(wanted.owner(), wanted.start(), wanted.end());
        }
        locks.add(wanted);
    }

    /** Takes {@code [start, end)} out of the owner's POSIX locks, splitting those that stick out. */
    boolean removePosix(StateOwner owner, long start, long end) {
        List<RangeLock> kept = new ArrayList<>(locks.size() + 1);
        boolean removed = false;
        for (RangeLock r : locks) {
            if (r.style() != LockStyle.POSIX || !r.owner().equals(owner) || !r.overlaps(start, end)) {
                kept.add(r);
                continue;
            }
            removed = true;
            if (Long.compareUnsigned(r.start(), start) < 0) {
                kept.add(new RangeLock(owner, r.start(), start, r.mode(), LockStyle.POSIX));
            }
            if (Long.compareUnsigned(end, r.end()) < 0) {
                kept.add(new RangeLock(owner, end, r.end(), r.mode(), LockStyle.POSIX));
            }
        }
        locks.clear();
        locks.addAll(kept);
        return removed;
    }

    /**
     * Removes one WINDOWS lock of the owner with exactly this range, an exclusive one before any shared one (as
     * Windows unlocks stacked locks), else the newest; whether there was one.
     */
    boolean removeWindows(StateOwner owner, long start, long end) {
        int found = -1;
        for (int i = locks.size() - 1; i >= 0; i--) {
            RangeLock r = locks.get(i);
            if (r.style() == LockStyle.WINDOWS && r.owner().equals(owner) && r.start() == start && r.end() == end) {
                if (r.mode() == LockMode.EXCLUSIVE) {
                    found = i;
                    break;
                }
                found = found < 0 ? i : found;
            }
        }
        if (found < 0) {
            return false;
        }
        locks.remove(found);
        return true;
    }

    /** The lease of {@code holder} under {@code key} on this file, or null. */
    Lease lease(StateOwner holder, ByteBuffer key) {
        for (Lease l : leases) {
            if (l.holder().client() == holder.client()
                    && l.holder().protocol() == holder.protocol()
                    && l.key().equals(key)) {
                return l;
            }
        }
        return null;
    }

    /** Whether an open or a lease not under {@code key} exists, and whether one of those opens may write. */
    boolean othersThan(ByteBuffer key, boolean writersOnly) {
        for (FileOpen o : opens) {
            if (!key.equals(o.leaseKey()) && (!writersOnly || (o.access & ShareAccess.WRITE) != 0)) {
                return true;
            }
        }
        if (writersOnly) {
            return false;
        }
        for (Lease l : leases) {
            if (!l.key().equals(key) && l.state != LeaseState.NONE) {
                return true;
            }
        }
        return false;
    }

    /** Whether a lease not under {@code key} (null: any) caches writes and no running break takes that away. */
    boolean writeCachedBeside(ByteBuffer key) {
        for (Lease l : leases) {
            int after = l.phase == Lease.Phase.BREAKING ? l.breakingTo : l.state;
            if (!l.key().equals(key) && (after & LeaseState.WRITE) != 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether another key's lease is being broken away from write caching it still has. */
    boolean writeBreakRunningBeside(ByteBuffer key) {
        for (Lease l : leases) {
            if (!l.key().equals(key) && l.phase == Lease.Phase.BREAKING && (l.state & LeaseState.WRITE) != 0) {
                return true;
            }
        }
        return false;
    }

    boolean removeAll(StateOwner owner) {
        return locks.removeIf(r -> r.owner().equals(owner));
    }

    boolean ownerHasOpen(StateOwner owner) {
        for (FileOpen o : opens) {
            if (o.owner().equals(owner)) {
                return true;
            }
        }
        return false;
    }
}
