package dev.sgw.nfs.v4;

import dev.sgw.core.access.CheckedFileVolume;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.nfs.Nfs4Exception;
import dev.sgw.nfs.Nfs4Status;
import dev.sgw.nfs.rpc.CallContext;
import dev.sgw.nfs.rpc.Credential;

/**
 * The state of one COMPOUND while its operations run (RFC 8881 section 16.2.3): the current and saved
 * filehandles, the current and saved stateids, and the session and client that SEQUENCE established.
 *
 * <pre>
 * filehandle | event                          | next
 * NONE       | PUTFH / PUTROOTFH / PUTPUBFH   | SET (current stateid cleared)
 * SET        | LOOKUP / LOOKUPP / OPEN / ...  | SET (another file)
 * SET        | SAVEFH                         | SET, saved = current
 * any        | RESTOREFH with a saved one     | SET, current = saved
 * SET        | SECINFO / SECINFO_NO_NAME      | NONE
 * </pre>
 */
final class Compound {
    enum FhState {
        NONE,
        SET
    }

    final ServerState server;
    final CallContext context;
    final Credential credential;
    private Fh current;
    private Fh saved;
    private Stateid currentStateid;
    private Stateid savedStateid;
    Sessions.Session session;
    Sessions.Run run;

    Compound(ServerState server, CallContext context, Credential credential) {
        this.server = server;
        this.context = context;
        this.credential = credential;
    }

    FhState fhState() {
        return current == null ? FhState.NONE : FhState.SET;
    }

    /** The current filehandle, or NOFILEHANDLE. */
    Fh fh() throws Nfs4Exception {
        if (fhState() == FhState.NONE) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_NOFILEHANDLE, "no current filehandle");
        }
        return current;
    }

    /** The current filehandle when it must be in an export; a pseudo directory answers {@code pseudoStatus}. */
    Fh.InExport fileFh(Nfs4Status pseudoStatus) throws Nfs4Exception {
        if (fh() instanceof Fh.InExport f) {
            return f;
        }
        throw new Nfs4Exception(pseudoStatus, "the pseudo file system has no such thing");
    }

    void setFh(Fh fh) {
        current = fh;
        currentStateid = null;
    }

    void clearFh() {
        current = null;
        currentStateid = null;
    }

    Fh savedFh() throws Nfs4Exception {
        if (saved == null) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_NOFILEHANDLE, "no saved filehandle");
        }
        return saved;
    }

    void save() throws Nfs4Exception {
        saved = fh();
        savedStateid = currentStateid;
    }

    void restore() throws Nfs4Exception {
        if (saved == null) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_RESTOREFH, "no saved filehandle");
        }
        current = saved;
        currentStateid = savedStateid;
    }

    void setStateid(Stateid id) {
        currentStateid = id;
    }

    /** {@code given}, or the current stateid when {@code given} is the special "current" one. */
    Stateid stateid(Stateid given) throws Nfs4Exception {
        if (!given.isCurrent()) {
            return given;
        }
        if (currentStateid == null) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_BAD_STATEID, "no current stateid");
        }
        return currentStateid;
    }

    /** The client of this compound's session. */
    Sessions.Client client() throws Nfs4Exception {
        if (session == null) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_OP_NOT_IN_SESSION, "no SEQUENCE in this compound");
        }
        return session.client;
    }

    long clientId() throws Nfs4Exception {
        return client().id;
    }

    /** The volume of the export of {@code fh} as this caller may use it (ACCES outside the allow-list). */
    CheckedFileVolume volume(Fh.InExport fh) throws VolumeException {
        return server.access().volume(fh.export(), context, credential);
    }

    FileAttributes attributes(Fh.InExport fh) throws java.io.IOException {
        return fh.export().volume().getattr(fh.node());
    }
}
