package dev.sgw.core.sharing;

import java.nio.ByteBuffer;

/**
 * One open of a file, made by {@link FileSharing#open}: its owner, the access it has and the access it
 * denies others. Changed only through {@link FileSharing}, under the file's lock.
 *
 * <pre>
 * state  | event                                 | next
 * -------+---------------------------------------+-------
 * OPEN   | FileSharing.change (up- or downgrade) | OPEN
 * OPEN   | FileSharing.markDeleteOnClose         | OPEN   (the file refuses new opens: DELETE_PENDING)
 * OPEN   | FileSharing.close, release(client)    | CLOSED (its locks go when no other open of its owner remains)
 * </pre>
 */
public final class FileOpen {
    enum State {
        OPEN,
        CLOSED
    }

    private final long inode;
    private final StateOwner owner;
    private final ByteBuffer leaseKey;
    int access;
    int deny;
    boolean deleteOnClose;
    State state = State.OPEN;

    FileOpen(long inode, StateOwner owner, ByteBuffer leaseKey, int access, int deny) {
        this.inode = inode;
        this.owner = owner;
        this.leaseKey = leaseKey == null ? null : leaseKey.asReadOnlyBuffer();
        this.access = access;
        this.deny = deny;
    }

    public long inode() {
        return inode;
    }

    public StateOwner owner() {
        return owner;
    }

    /** The key of the lease this open caches under (an SMB2 lease key), or null. */
    public ByteBuffer leaseKey() {
        return leaseKey == null ? null : leaseKey.duplicate();
    }

    /** The {@link ShareAccess} bits this open has. */
    public synchronized int access() {
        return access;
    }

    /** The {@link ShareAccess} bits this open denies to other owners. */
    public synchronized int deny() {
        return deny;
    }

    public synchronized boolean isOpen() {
        return state == State.OPEN;
    }

    synchronized void set(int newAccess, int newDeny) {
        access = newAccess;
        deny = newDeny;
    }

    synchronized void closed() {
        state = State.CLOSED;
    }

    @Override
    public synchronized String toString() {
        return "open of inode " + inode + " by " + owner + " (access " + ShareAccess.describe(access) + ", deny "
                + ShareAccess.describe(deny) + ", " + state + ")";
    }
}
