package dev.sgw.smb.server;

import java.io.IOException;

import dev.sgw.smb.wire.Smb2Command;

/**
 * The commands served inside a tree connect (CREATE, CLOSE, FLUSH, READ, WRITE, LOCK, IOCTL,
 * QUERY_DIRECTORY, CHANGE_NOTIFY, QUERY_INFO, SET_INFO, OPLOCK_BREAK), one implementation for disk shares
 * and one for IPC$. The dispatcher checks session and tree, then calls {@link #handle}.
 */
public interface TreeCommands {
    SmbResponse handle(Smb2Command command, SmbRequest request) throws SmbException, IOException;

    /**
     * The tree is gone: closes its opens, releasing their share modes, locks and leases. With {@code
     * keepDurable} (its session ended without the client closing the tree: the connection closed, LOGOFF, the
     * session replaced by a reconnecting client) durable opens are kept for their client to reconnect
     * (MS-SMB2 3.3.7.1); TREE_DISCONNECT closes them too.
     */
    void treeGone(SmbTree tree, boolean keepDurable);
}
