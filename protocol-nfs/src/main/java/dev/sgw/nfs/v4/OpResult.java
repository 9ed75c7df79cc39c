package dev.sgw.nfs.v4;

import dev.sgw.nfs.Nfs4Status;
import dev.sgw.nfs.xdr.XdrWritable;

/**
 * The outcome of one operation: its status and what follows the status in its {@code nfs_resop4} (the
 * result body when OK, and for a few operations a body on failure too, e.g. LOCK4denied).
 */
record OpResult(Nfs4Status status, XdrWritable body) {
    static final OpResult OK = new OpResult(Nfs4Status.NFS4_OK, XdrWritable.VOID);

    static OpResult ok(XdrWritable body) {
        return new OpResult(Nfs4Status.NFS4_OK, body);
    }

    static OpResult error(Nfs4Status status) {
        return new OpResult(status, XdrWritable.VOID);
    }
}
