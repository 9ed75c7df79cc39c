package dev.sgw.nfs.v4;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.sgw.core.sharing.FileOpen;
import dev.sgw.core.sharing.FileProtocol;
import dev.sgw.core.sharing.FileSharing;
import dev.sgw.core.sharing.LockMode;
import dev.sgw.core.sharing.LockStyle;
import dev.sgw.core.sharing.RangeLock;
import dev.sgw.core.sharing.ShareAccess;
import dev.sgw.core.sharing.StateOwner;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.nfs.Nfs4Exception;
import dev.sgw.nfs.Nfs4Status;

/**
 * The NFSv4.1 wire state over the volume's {@link FileSharing}: stateids (RFC 8881 sections 8, 9, 18.16,
 * 18.10-18.12), whose "other" is the server's epoch and a counter, each naming an open or a lock owner's
 * locks on one file. Share reservations and byte-range locks themselves live in the file volume's
 * {@link FileSharing}, where SMB clients of the same files meet them. In memory only: after a restart clients
 * reclaim during the grace period.
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
 * any          | the client expires or is destroyed      | (none)       | opens closed, locks released
 * </pre>
 *
 * The open owner and the lock owners of a client are {@link StateOwner}s of protocol NFS; NFSv4 locks are
 * POSIX-style (advisory among NFS clients, binding SMB I/O). All methods are synchronized, and the sharing
 * calls they make under the monitor never wait; {@link #open} breaks leases (which waits) outside it.
 */
final class StateTable {
    enum Kind {
        OPEN,
        LOCK
    }

    static final int ACCESS_READ = ShareAccess.READ, ACCESS_WRITE = ShareAccess.WRITE, ACCESS_BOTH = 3;

    /** A file: export id and inode. */
    record FileKey(int exportId, long inode) {}

    /** An open owner or lock owner of a client. */
    record OwnerKey(long clientId, ByteBuffer owner) {
        StateOwner sharing() {
            return new StateOwner(FileProtocol.NFS, clientId, owner);
        }
    }

    /** One open or lock state. */
    static final class State {
        final Kind kind;
        final byte[] other;
        final long clientId;
        final OwnerKey owner;
        final FileKey file;
        final FileSharing sharing;
        /** The sharing open of an open state; null for lock states. */
        final FileOpen handle;
        /** The open state a lock state was made from; null for open states. */
        final State open;

        int seqid = 1;

        State(Kind kind, byte[] other, OwnerKey owner, FileKey file, FileSharing sharing, FileOpen handle, State open) {
            this.kind = kind;
            this.other = other;
            this.clientId = owner.clientId();
            this.owner = owner;
            this.file = file;
            this.sharing = sharing;
            this.handle = handle;
            this.open = open;
        }

        Stateid stateid() {
            return new Stateid(seqid, other);
        }

        /** The share access of the open behind this state. */
        int access() {
            return (kind == Kind.OPEN ? handle : open.handle).access();
        }

        int deny() {
            return (kind == Kind.OPEN ? handle : open.handle).deny();
        }
    }

    private record OwnedFile(OwnerKey owner, FileKey file, Kind kind) {}

    private final int epoch;
    private final Map<ByteBuffer, State> states = new HashMap<>();
    /** The open state of each (open owner, file) and the lock state of each (lock owner, file). */
    private final Map<OwnedFile, State> byOwner = new HashMap<>();

    private long counter;

    StateTable(int epoch) {
        this.epoch = epoch;
    }

    /**
     * OPEN: a new open state or the owner's existing one upgraded; SHARE_DENIED (through the volume error) on a
     * conflicting reservation of another owner, from either protocol. A new open first breaks other clients'
     * write caching (SMB leases) and is made in the same step ({@link FileSharing#openBreakingLeases}), outside
     * this table's monitor: the break waits up to {@code breakTimeout} for the holders' acknowledgments. An
     * upgrade never waits: while this owner's open is there, nobody else is granted write caching.
     */
    State open(OwnerKey owner, FileKey file, FileSharing sharing, int access, int deny, Duration breakTimeout)
            throws VolumeException, InterruptedException {
        OwnedFile key = new OwnedFile(owner, file, Kind.OPEN);
        synchronized (this) {
            State mine = byOwner.get(key);
            if (mine != null) {
                return upgrade(mine, access, deny);
            }
        }
        FileOpen handle = sharing.openBreakingLeases(file.inode(), owner.sharing(), null, access, deny, breakTimeout);
        synchronized (this) {
            State mine = byOwner.get(key);
            if (mine == null) {
                State s = new State(Kind.OPEN, newOther(), owner, file, sharing, handle, null);
                add(s);
                return s;
            }
            // an OPEN of the same owner and file made its state meanwhile: this one upgrades that
            try {
                return upgrade(mine, access, deny);
            } finally {
                sharing.close(handle); // the owner's other open stays, and so do its locks
            }
        }
    }

    private State upgrade(State mine, int access, int deny) throws VolumeException {
        mine.sharing.change(mine.handle, mine.handle.access() | access, mine.handle.deny() | deny);
        mine.seqid++;
        return mine;
    }

    /** OPEN_DOWNGRADE: access and deny become subsets of what they were (INVAL otherwise). */
    synchronized State downgrade(State s, int access, int deny) throws Nfs4Exception, VolumeException {
        int had = s.handle.access(), denied = s.handle.deny();
        if ((access & ~had) != 0 || (deny & ~denied) != 0 || (access & ACCESS_BOTH) == 0) {
            throw new Nfs4Exception(
                    Nfs4Status.NFS4ERR_INVAL,
                    "downgrade to access " + access + " deny " + deny + " from " + had + "/" + denied);
        }
        s.sharing.change(s.handle, access, deny);
        s.seqid++;
        return s;
    }

    /** CLOSE: the open state, its lock states and their locks go. */
    synchronized void close(State open) {
        for (State s : List.copyOf(states.values())) {
            if (s.open == open) {
                s.sharing.unlockAll(s.file.inode(), s.owner.sharing());
                remove(s);
            }
        }
        open.sharing.close(open.handle);
        remove(open);
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
        if (s.kind == Kind.OPEN || s.sharing.holdsLocks(s.file.inode(), s.owner.sharing())) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_LOCKS_HELD, "stateid " + id + " still holds an open or locks");
        }
        remove(s);
    }

    /**
     * LOCK: locks for {@code owner} (a lock state made from {@code open} if there is none yet), or answers the
     * lock in the way, of an NFS client or an SMB client.
     */
    synchronized LockOutcome lock(State open, State lockState, OwnerKey owner, long start, long end, LockMode mode)
            throws InterruptedException {
        State from = open != null ? open : lockState;
        OwnerKey who = lockState != null ? lockState.owner : owner;
        RangeLock wanted = new RangeLock(who.sharing(), start, end, mode, LockStyle.POSIX);
        Optional<RangeLock> blocker = from.sharing.lock(from.file.inode(), wanted, Duration.ZERO);
        if (blocker.isPresent()) {
            return new LockOutcome(null, blocker.get());
        }
        State s = lockState;
        if (s == null) {
            s = byOwner.get(new OwnedFile(who, open.file, Kind.LOCK));
            if (s == null) {
                s = new State(Kind.LOCK, newOther(), who, open.file, open.sharing, null, open);
                s.seqid = 0;
                add(s);
            }
        }
        s.seqid++;
        return new LockOutcome(s.stateid(), null);
    }

    /** What LOCK did: the lock stateid, or the lock of another owner in the way. */
    record LockOutcome(Stateid stateid, RangeLock denied) {}

    /** LOCKT: the lock in the way of {@code owner}, if any. */
    Optional<RangeLock> test(FileKey file, FileSharing sharing, OwnerKey owner, long start, long end, LockMode mode) {
        return sharing.test(file.inode(), new RangeLock(owner.sharing(), start, end, mode, LockStyle.POSIX));
    }

    /** LOCKU. */
    synchronized Stateid unlock(State lockState, long start, long end) {
        lockState.sharing.unlock(lockState.file.inode(), lockState.owner.sharing(), start, end, LockStyle.POSIX);
        lockState.seqid++;
        return lockState.stateid();
    }

    /** Everything of a client that expired or was destroyed: its opens closed, its locks released. */
    synchronized void dropClient(long clientId) {
        for (State s : List.copyOf(states.values())) {
            if (s.clientId == clientId && s.kind == Kind.LOCK) {
                s.sharing.unlockAll(s.file.inode(), s.owner.sharing());
                remove(s);
            }
        }
        for (State s : List.copyOf(states.values())) {
            if (s.clientId == clientId) {
                s.sharing.close(s.handle);
                remove(s);
            }
        }
    }

    synchronized int stateCount() {
        return states.size();
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

    private void add(State s) {
        states.put(ByteBuffer.wrap(s.other), s);
        byOwner.put(new OwnedFile(s.owner, s.file, s.kind), s);
    }

    private void remove(State s) {
        states.remove(ByteBuffer.wrap(s.other));
        byOwner.remove(new OwnedFile(s.owner, s.file, s.kind), s);
    }

    private byte[] newOther() {
        return ByteBuffer.allocate(Stateid.OTHER_BYTES)
                .putInt(epoch)
                .putLong(++counter)
                .array();
    }
}
