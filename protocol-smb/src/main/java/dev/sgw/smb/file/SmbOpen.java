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
 * state  | event                                   | next
 * -------+-----------------------------------------+--------------------------------------------
 * OPEN   | READ, WRITE, LOCK, QUERY/SET_INFO, ...  | OPEN
 * OPEN   | CLOSE, tree gone                        | CLOSED (sharing closed; deleted if it was the
 *        |                                         |         last open with delete pending)
 * CLOSED | anything                                | FILE_CLOSED
 * </pre>
 */
final class SmbOpen {
    enum State {
        OPEN,
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
    /** The CompletionFilter of the first CHANGE_NOTIFY, which the watch keeps changes for; guarded likewise. */
    int notifyFilter;
    /** The lock sequence buckets LOCK replays are told by (MS-SMB2 3.3.5.14). */
    final LockSequences lockSequences = new LockSequences();
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

    /** Marks the open closed; false when it already was. */
    synchronized boolean markClosed() {
        if (state == State.CLOSED) {
            return false;
        }
        state = State.CLOSED;
        return true;
    }

    boolean has(int rights) {
        return (grantedAccess & rights) != 0;
    }

    @Override
    public String toString() {
        return "open " + fileId.volatileId() + " of '" + path() + "' (inode " + node.inode() + ")";
    }
}
