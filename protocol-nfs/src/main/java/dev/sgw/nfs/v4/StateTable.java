package dev.sgw.nfs.v4;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.sgw.nfs.Nfs4Exception;
import dev.sgw.nfs.Nfs4Status;

/**
 * Open and lock state (RFC 8881 sections 8, 9, 18.16, 18.10-18.12), named by stateids whose "other" is the
 * server's epoch and a counter. In memory only: after a restart clients reclaim during the grace period.
 *
 * <pre>
 * state        | event                                   | next         | stateid seqid
 * -------------+-----------------------------------------+--------------+--------------
 * (none)       | OPEN by an open owner                   | OPEN         | 1
 * OPEN         | OPEN again (same owner, file): upgrade  | OPEN         | +1
 * OPEN         | OPEN_DOWNGRADE                          | OPEN         | +1
 * OPEN         | CLOSE                                   | (none)       | its lock states and locks go too
 * (none)       | LOCK with a new lock owner (open state) | LOCK         | 1
 * LOCK         | LOCK / LOCKU                            | LOCK         | +1
 * LOCK         | FREE_STATEID without locks              | (none)       |
 * any          | the client expires or is destroyed      | (none)       | locks released
 * </pre>
 *
 * Share reservations: an OPEN conflicts with another owner's open of the same file when one's access meets
 * the other's deny. All methods are synchronized.
 */
final class StateTable {
    enum Kind {
        OPEN,
        LOCK
    }

    static final int ACCESS_READ = 1, ACCESS_WRITE = 2, ACCESS_BOTH = 3;

    /** A file: export id and inode. */
    record FileKey(int exportId, long inode) {}

    /** An open owner or lock owner of a client. */
    record OwnerKey(long clientId, ByteBuffer owner) {
        static OwnerKey of(OpArgs.Owner o) {
            return new OwnerKey(o.clientId(), ByteBuffer.wrap(o.owner().clone()));
        }
    }

    /** One open or lock state. */
    static final class State {
        final Kind kind;
        final byte[] other;
        final long clientId;
        final OwnerKey owner;
        final FileKey file;
        /** The open state a lock state was made from; null for open states. */
        final State open;

        int seqid = 1;
        int access;
        int deny;

        State(Kind kind, byte[] other, long clientId, OwnerKey owner, FileKey file, State open) {
            this.kind = kind;
            this.other = other;
            this.clientId = clientId;
            this.owner = owner;
            this.file = file;
            this.open = open;
        }

        Stateid stateid() {
            return new Stateid(seqid, other);
        }
    }

    private final int epoch;
    private final Map<ByteBuffer, State> states = new HashMap<>();
    private final Locks locks = new Locks();
    private long counter;

    StateTable(int epoch) {
        this.epoch = epoch;
    }

    /** OPEN: a new open state or the owner's existing one upgraded; SHARE_DENIED on a conflicting reservation. */
    synchronized State open(long clientId, OwnerKey owner, FileKey file, int access, int deny) throws Nfs4Exception {
        State mine = null;
        for (State s : states.values()) {
            if (s.kind != Kind.OPEN || !s.file.equals(file)) {
                continue;
            }
            if (s.owner.equals(owner)) {
                mine = s;
            } else if ((s.deny & access) != 0 || (s.access & deny) != 0) {
                throw new Nfs4Exception(
                        Nfs4Status.NFS4ERR_SHARE_DENIED,
                        "file " + file + " is open with access " + s.access + " deny " + s.deny + " by another owner");
            }
        }
        if (mine != null) {
            mine.access |= access;
            mine.deny |= deny;
            mine.seqid++;
            return mine;
        }
        State s = new State(Kind.OPEN, newOther(), clientId, owner, file, null);
        s.access = access;
        s.deny = deny;
        states.put(ByteBuffer.wrap(s.other), s);
        return s;
    }

    /** OPEN_DOWNGRADE: access and deny become subsets of what they were (INVAL otherwise). */
    synchronized State downgrade(State s, int access, int deny) throws Nfs4Exception {
        if ((access & ~s.access) != 0 || (deny & ~s.deny) != 0 || (access & ACCESS_BOTH) == 0) {
            throw new Nfs4Exception(
                    Nfs4Status.NFS4ERR_INVAL,
                    "downgrade to access " + access + " deny " + deny + " from " + s.access + "/" + s.deny);
        }
        s.access = access;
        s.deny = deny;
        s.seqid++;
        return s;
    }

    /** CLOSE: the open state, its lock states and their locks go. */
    synchronized void close(State open) {
        for (State s : List.copyOf(states.values())) {
            if (s.open == open) {
                locks.unlockAll(s.file, s.owner);
                states.remove(ByteBuffer.wrap(s.other));
            }
        }
        states.remove(ByteBuffer.wrap(open.other));
    }

    /**
     * The state a stateid names, checked against its client and kind (section 8.2.2): seqid 0 means any,
     * an older seqid is OLD_STATEID, a newer one or an unknown state BAD_STATEID, and so is one of an earlier run
     * (NFS4ERR_STALE_STATEID is moot in minor version 1, section 15.1.16.5: sessions detect restarts).
     */
    synchronized State resolve(Stateid id, long clientId, Kind kind) throws Nfs4Exception {
        State s = find(id);
        if (s.clientId != clientId || (kind != null && s.kind != kind)) {
            throw new Nfs4Exception(
                    Nfs4Status.NFS4ERR_BAD_STATEID, "stateid " + id + " is not a " + kind + " state of this client");
        }
        return s;
    }

    private State find(Stateid id) throws Nfs4Exception {
        ByteBuffer other = ByteBuffer.wrap(id.other());
        State s = states.get(other);
        if (s == null) {
            String run = other.getInt(0) != epoch ? " (of an earlier run)" : "";
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_BAD_STATEID, "no state " + id + run);
        }
        if (id.seqid() != 0 && id.seqid() != s.seqid) {
            boolean old = Integer.compareUnsigned(id.seqid(), s.seqid) < 0;
            throw new Nfs4Exception(
                    old ? Nfs4Status.NFS4ERR_OLD_STATEID : Nfs4Status.NFS4ERR_BAD_STATEID,
                    "stateid " + id + ", current seqid " + s.seqid);
        }
        return s;
    }

    /** TEST_STATEID of one stateid: OK or why not. */
    synchronized Nfs4Status test(Stateid id, long clientId) {
        try {
            resolve(id, clientId, null);
            return Nfs4Status.NFS4_OK;
        } catch (Nfs4Exception e) {
            return e.status();
        }
    }

    /** FREE_STATEID: a lock state without locks goes; an open state or one holding locks is LOCKS_HELD. */
    synchronized void free(Stateid id, long clientId) throws Nfs4Exception {
        State s = resolve(id, clientId, null);
        if (s.kind == Kind.OPEN || locks.holds(s.file, s.owner)) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_LOCKS_HELD, "stateid " + id + " still holds an open or locks");
        }
        states.remove(ByteBuffer.wrap(s.other));
    }

    /**
     * LOCK: locks for {@code owner} (a lock state made from {@code open} if there is none yet), or answers the
     * conflicting range.
     */
    synchronized LockOutcome lock(State open, State lockState, OwnerKey owner, long start, long end, Locks.Mode mode) {
        FileKey file = open != null ? open.file : lockState.file;
        OwnerKey who = lockState != null ? lockState.owner : owner;
        Optional<Locks.Range> conflict = locks.conflict(file, who, start, end, mode);
        if (conflict.isPresent()) {
            return new LockOutcome(null, conflict.get());
        }
        State s = lockState;
        if (s == null) {
            s = states.values().stream()
                    .filter(x -> x.kind == Kind.LOCK && x.owner.equals(who) && x.file.equals(file))
                    .findFirst()
                    .orElse(null);
            if (s == null) {
                s = new State(Kind.LOCK, newOther(), open.clientId, who, file, open);
                s.seqid = 0;
                states.put(ByteBuffer.wrap(s.other), s);
            }
        }
        s.seqid++;
        locks.lock(file, who, start, end, mode);
        return new LockOutcome(s.stateid(), null);
    }

    /** What LOCK did: the lock stateid, or the range of another owner in the way. */
    record LockOutcome(Stateid stateid, Locks.Range denied) {}

    /** LOCKT: the range in the way of {@code owner}, if any. */
    synchronized Optional<Locks.Range> test(FileKey file, OwnerKey owner, long start, long end, Locks.Mode mode) {
        return locks.conflict(file, owner, start, end, mode);
    }

    /** LOCKU. */
    synchronized Stateid unlock(State lockState, long start, long end) {
        locks.unlock(lockState.file, lockState.owner, start, end);
        lockState.seqid++;
        return lockState.stateid();
    }

    /** Whether an I/O by anyone but {@code holder} on {@code [start,end)} meets a share deny (for anonymous I/O). */
    synchronized boolean denied(FileKey file, int access) {
        return states.values().stream()
                .anyMatch(s -> s.kind == Kind.OPEN && s.file.equals(file) && (s.deny & access) != 0);
    }

    /** Everything of a client that expired or was destroyed. */
    synchronized void dropClient(long clientId) {
        for (State s : List.copyOf(states.values())) {
            if (s.clientId == clientId) {
                if (s.kind == Kind.LOCK) {
                    locks.unlockAll(s.file, s.owner);
                }
                states.remove(ByteBuffer.wrap(s.other));
            }
        }
    }

    synchronized int stateCount() {
        return states.size();
    }

    synchronized int lockCount() {
        return locks.count();
    }

    synchronized List<State> opens(long clientId) {
        List<State> r = new ArrayList<>();
        for (State s : states.values()) {
            if (s.clientId == clientId && s.kind == Kind.OPEN) {
                r.add(s);
            }
        }
        return r;
    }

    private byte[] newOther() {
        return ByteBuffer.allocate(Stateid.OTHER_BYTES)
                .putInt(epoch)
                .putLong(++counter)
                .array();
    }
}
