package dev.sgw.smb.file;

import dev.sgw.smb.server.SmbTree;

/** Names one tree connect: its connection, session and tree id (the objects the server hands out may differ). */
record TreeKey(long connection, long session, int tree) {
    static TreeKey of(SmbTree tree) {
        return new TreeKey(tree.session().connection().id(), tree.session().id(), tree.id());
    }
}
