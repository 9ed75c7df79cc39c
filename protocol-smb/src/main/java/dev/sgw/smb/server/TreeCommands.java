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
     * The tree is gone (TREE_DISCONNECT, LOGOFF, or its connection closed: {@code connectionLost}): closes
     * its opens, releasing their share modes, locks and leases, except durable opens that a lost connection
     * keeps for reconnect.
     */
    void treeGone(SmbTree tree, boolean connectionLost);
}
