package dev.sgw.smb.server;

import dev.sgw.core.manage.SmbShare;
import dev.sgw.core.sharing.FileSharing;
import dev.sgw.core.volume.FileVolume;

/** A tree connect, as handlers see it. Implemented by the server. */
public interface SmbTree {
    int id();

    SmbSession session();

    /** The share name as the client asked for it. */
    String shareName();

    /** IPC$: named pipes, no volume. */
    boolean ipc();

    /** The share's configuration; null for IPC$. */
    SmbShare share();

    /**
     * The share's volume as this session's user may use it: a {@link dev.sgw.core.access.CheckedFileVolume}
     * with the user's uid/gid, read-only for a read-only user. Null for IPC$.
     */
    FileVolume volume();

    /** The volume's open/lock/lease/change state, shared with NFS on the same location. Null for IPC$. */
    FileSharing sharing();

    /**
     * Whether the tree makes no new files, overwrites or names: the share is read-only, or the session's user
     * (as it is now, after a reauthentication) may not use it.
     */
    boolean readOnly();

    /** The access mask a CREATE may grant at most on this tree (MaximalAccess of TREE_CONNECT). */
    int maximalAccess();
}
