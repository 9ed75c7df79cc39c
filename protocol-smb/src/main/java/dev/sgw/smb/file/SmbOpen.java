package dev.sgw.smb.file;

import dev.sgw.core.sharing.ChangeWatch;
import dev.sgw.core.sharing.FileOpen;
import dev.sgw.core.sharing.StateOwner;
import dev.sgw.core.volume.NodeId;
import dev.sgw.smb.server.FileId;
import dev.sgw.smb.server.SmbTree;

/**
 * One open of a file or directory made by CREATE (MS-SMB2 3.3.1.10 Open): its file id, the tree it belongs
 * to, the file, the share-relative path it was opened by (kept up to date by renames through it), the
 * rights it was granted and its entry in the volume's {@link dev.sgw.core.sharing.FileSharing}.
 *
 * <pre>
 * state        | event                                   | next
 * -------------+-----------------------------------------+--------------------------------------------
 * OPEN         | READ, WRITE, LOCK, QUERY/SET_INFO, ...  | OPEN
 * OPEN         | CLOSE, tree gone                        | CLOSED (sharing closed; deleted if it was the
 *              |                                         |         last open with delete pending)
 * OPEN         | a durable open's session lost           | DISCONNECTED (sharing kept; {@link DurableOpen})
 * DISCONNECTED | reconnected (DHnC, DH2C)                | CLOSED, its sharing state handed over to a new
 *              |                                         |         SmbOpen in the new tree
 * DISCONNECTED | timeout, purged                         | CLOSED (sharing closed, as by CLOSE)
 * CLOSED or    | anything from a client                  | FILE_CLOSED
 * DISCONNECTED |                                         |
 * </pre>
 */
final class SmbOpen {
    enum State {
        OPEN,
        DISCONNECTED,
        CLOSED
    }

    final FileId fileId;
    final TreeKey treeKey;
    final SmbTree tree;
    final NodeId node;
    final boolean directory;
    final int grantedAccess;
    final FileOpen sharingOpen;
    final StateOwner owner;
    final boolean writeThrough;
    /** Open.LockSequenceArray (MS-SMB2 3.3.5.14), kept through durable reconnects. */
    final LockSequences lockSequences;

    private State state = State.OPEN;
    private String path;
    /** FilePositionInformation's CurrentByteOffset, kept for the client. */
    volatile long position;
    /** Whether this open marked its file for deletion at the last close (delete-on-close, disposition). */
    volatile boolean deleteOnClose;
    /** FileModeInformation's mode bits the client set. */
    volatile int mode;
    /** The listing in progress (QUERY_DIRECTORY), guarded by this open. */
    DirectoryScan scan;
    /** The lease or oplock this open caches under, or null. */
    volatile Leases.SmbLease lease;
    /** The change watch of CHANGE_NOTIFY, made at the first one, guarded by this open. */
    ChangeWatch watch;
    /** Its durability, when granted (the same object through reconnects); null for other opens. */
    volatile DurableOpen durable;
    /** Whether the client asked for resiliency (FSCTL_LMR_REQUEST_RESILIENCY): its LOCKs are checked for replays. */
    volatile boolean resilient;
    /** The key of the DH2Q CREATE that made it (a replay may be answered from it), or null. */
    volatile CreateReplay.Key replayKey;
    /** Open.ChannelSequence (MS-SMB2 3.3.5.2.10): the newest ChannelSequence a modifying request came with. */
    private int channelSequence;
    /** The CompletionFilter of the first CHANGE_NOTIFY, which the watch keeps changes for; guarded likewise. */
    int notifyFilter;
    /** The named stream this open is of, or null for an open of a file or directory ({@link StreamOpen}). */
    volatile StreamOpen stream;
    /** Where this open's writes stand for the write time clients see, guarded by {@link WriteTimes}. */
    final WriteTimes.OpenState writeTime = new WriteTimes.OpenState();

    SmbOpen(
            FileId fileId,
            SmbTree tree,
            NodeId node,
            String path,
            boolean directory,
            int grantedAccess,
            FileOpen sharingOpen,
            StateOwner owner,
            boolean writeThrough) {
        this(fileId, tree, node, path, directory, grantedAccess, sharingOpen, owner, writeThrough, new LockSequences());
    }

    private SmbOpen(
            FileId fileId,
            SmbTree tree,
            NodeId node,
            String path,
            boolean directory,
            int grantedAccess,
            FileOpen sharingOpen,
            StateOwner owner,
            boolean writeThrough,
            LockSequences lockSequences) {
        this.fileId = fileId;
        this.treeKey = TreeKey.of(tree);
        this.tree = tree;
        this.node = node;
        this.path = path;
        this.directory = directory;
        this.grantedAccess = grantedAccess;
        this.sharingOpen = sharingOpen;
        this.owner = owner;
        this.writeThrough = writeThrough;
        this.lockSequences = lockSequences;
    }

    synchronized String path() {
        return path;
    }

    synchronized void path(String newPath) {
        path = newPath;
    }

    synchronized boolean isOpen() {
        return state == State.OPEN;
    }

    /** Whether the open still holds sharing state: open, or disconnected waiting for its client. */
    synchronized boolean holdsState() {
        return state != State.CLOSED;
    }

    synchronized boolean isDisconnected() {
        return state == State.DISCONNECTED;
    }

    /** Marks the open closed; false when it already was. */
    synchronized boolean markClosed() {
        if (state == State.CLOSED) {
            return false;
        }
        state = State.CLOSED;
        return true;
    }

    /**
     * Whether a modifying request (WRITE, SET_INFO, IOCTL) with ChannelSequence {@code sequence} may go on
     * (3.3.5.2.10): not when it is older than the newest seen (modulo 2^16), as a request held up on a failed
     * channel is; a newer one becomes the newest.
     */
    synchronized boolean channelSequenceCurrent(int sequence) {
        if ((short) (sequence - channelSequence) < 0) {
            return false;
        }
        channelSequence = sequence & 0xFFFF;
        return true;
    }

    /** OPEN to DISCONNECTED; false when it was not open. */
    synchronized boolean markDisconnected() {
        if (state != State.OPEN) {
            return false;
        }
        state = State.DISCONNECTED;
        return true;
    }

    /**
     * A reconnect takes this disconnected open's place: a new open with file id {@code id} in {@code newTree},
     * holding the same sharing-seam open, locks and lease, with the client's position and mode; this one is
     * CLOSED without releasing anything. Null when this one is not disconnected any more.
     */
    synchronized SmbOpen reattach(FileId id, SmbTree newTree) {
        if (state != State.DISCONNECTED) {
            return null;
        }
        state = State.CLOSED;
        SmbOpen next = new SmbOpen(
                id, newTree, node, path, directory, grantedAccess, sharingOpen, owner, writeThrough, lockSequences);
        next.position = position;
        next.deleteOnClose = deleteOnClose;
        next.mode = mode;
        next.channelSequence = channelSequence;
        next.resilient = resilient;
        next.lease = lease;
        next.durable = durable;
        next.stream = stream;
        return next;
    }

    boolean has(int rights) {
        return (grantedAccess & rights) != 0;
    }

    @Override
    public String toString() {
        StreamOpen s = stream;
        return "open " + fileId.volatileId() + " of '" + path() + (s == null ? "" : s.toString()) + "' (inode "
                + node.inode() + ")";
    }
}
