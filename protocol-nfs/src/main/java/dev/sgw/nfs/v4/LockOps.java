package dev.sgw.nfs.v4;

import java.nio.ByteBuffer;
import java.util.Optional;

import dev.sgw.core.sharing.LockMode;
import dev.sgw.core.sharing.RangeLock;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileType;
import dev.sgw.nfs.Nfs4Exception;
import dev.sgw.nfs.Nfs4Status;
import dev.sgw.nfs.xdr.XdrEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LOCK, LOCKT and LOCKU (RFC 8881 sections 18.10-18.12): byte-range locks of lock owners over
 * {@link StateTable}; a conflict is NFS4ERR_DENIED with the range, type and owner in the way
 * ({@code LOCK4denied}). Blocking lock types are answered like the others (the client polls).
 */
final class LockOps {
    private static final Logger LOG = LoggerFactory.getLogger(LockOps.class);
    static final int READ_LT = 1, WRITE_LT = 2, READW_LT = 3, WRITEW_LT = 4;
    private static final long TO_END = -1L;

    private final ServerState server;

    LockOps(ServerState server) {
        this.server = server;
    }

    OpResult lock(OpArgs.Lock a, Compound c) throws Exception {
        Fh.InExport fh = lockable(c);
        Sessions.Client client = c.client();
        long end = end(a.offset(), a.length());
        LockMode mode = mode(a.type());
        if (a.reclaim()) {
            LOG.debug("client {} reclaims a lock", Long.toHexString(client.id));
        }
        if (a.reclaim() && (!server.sessions().inGrace() || client.reclaimComplete)) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_NO_GRACE, "not in the grace period");
        }
        if (!a.reclaim() && server.sessions().inGrace()) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_GRACE, "the grace period runs");
        }
        StateTable states = server.states();
        StateTable.LockOutcome outcome;
        if (a.newOwner()) {
            StateTable.State open = states.resolve(c.stateid(a.stateid()), client.id, StateTable.Kind.OPEN);
            sameFile(open, fh);
            if (mode == LockMode.EXCLUSIVE && (open.access() & StateTable.ACCESS_WRITE) == 0) {
                throw new Nfs4Exception(Nfs4Status.NFS4ERR_OPENMODE, "write lock on a file not open for writing");
            }
            StateTable.OwnerKey owner = new StateTable.OwnerKey(
                    client.id, ByteBuffer.wrap(a.owner().owner().clone()));
            outcome = states.lock(open, null, owner, a.offset(), end, mode);
        } else {
            StateTable.State lock = states.resolve(c.stateid(a.stateid()), client.id, StateTable.Kind.LOCK);
            sameFile(lock, fh);
            outcome = states.lock(null, lock, null, a.offset(), end, mode);
        }
        if (outcome.denied() != null) {
            RangeLock r = outcome.denied();
            return new OpResult(Nfs4Status.NFS4ERR_DENIED, out -> denied(out, r));
        }
        c.setStateid(outcome.stateid());
        return OpResult.ok(outcome.stateid()::write);
    }

    OpResult lockTest(OpArgs.LockTest a, Compound c) throws Exception {
        Fh.InExport fh = lockable(c);
        long clientId = c.clientId();
        long end = end(a.offset(), a.length());
        StateTable.OwnerKey owner = new StateTable.OwnerKey(
                clientId, ByteBuffer.wrap(a.owner().owner().clone()));
        Optional<RangeLock> r =
                server.states().test(OpenOps.key(fh), fh.export().sharing(), owner, a.offset(), end, mode(a.type()));
        if (r.isPresent()) {
            return new OpResult(Nfs4Status.NFS4ERR_DENIED, out -> denied(out, r.get()));
        }
        return OpResult.OK;
    }

    OpResult unlock(OpArgs.Unlock a, Compound c) throws Exception {
        Fh.InExport fh = lockable(c);
        long end = end(a.offset(), a.length());
        mode(a.type());
        StateTable.State lock = server.states().resolve(c.stateid(a.stateid()), c.clientId(), StateTable.Kind.LOCK);
        sameFile(lock, fh);
        Stateid id = server.states().unlock(lock, a.offset(), end);
        c.setStateid(id);
        return OpResult.ok(id::write);
    }

    private static Fh.InExport lockable(Compound c) throws Exception {
        Fh.InExport fh = c.fileFh(Nfs4Status.NFS4ERR_ISDIR);
        c.volume(fh); // the allow-list
        FileAttributes a = c.attributes(fh);
        if (a.isDirectory()) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_ISDIR, "lock on a directory");
        }
        if (a.type() != FileType.REGULAR) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_INVAL, "lock on a symbolic link");
        }
        return fh;
    }

    private static void sameFile(StateTable.State s, Fh.InExport fh) throws Nfs4Exception {
        if (!s.file.equals(OpenOps.key(fh))) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_BAD_STATEID, "stateid of another file");
        }
    }

    /** The unsigned end of {@code [offset, offset+length)}; INVAL for length 0 or a range past 2^64. */
    static long end(long offset, long length) throws Nfs4Exception {
        if (length == 0) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_INVAL, "lock length 0");
        }
        if (length == TO_END) {
            return TO_END;
        }
        long end = offset + length;
        if (Long.compareUnsigned(end, offset) < 0) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_INVAL, "lock range past 2^64");
        }
        return end;
    }

    private static LockMode mode(int type) throws Nfs4Exception {
        return switch (type) {
            case READ_LT, READW_LT -> LockMode.SHARED;
            case WRITE_LT, WRITEW_LT -> LockMode.EXCLUSIVE;
            default -> throw new Nfs4Exception(Nfs4Status.NFS4ERR_INVAL, "lock type " + type);
        };
    }

    /** {@code LOCK4denied}: offset, length, type and owner of the range in the way. */
    private static void denied(XdrEncoder out, RangeLock r) {
        long length = r.end() == TO_END ? TO_END : r.end() - r.start();
        ByteBuffer owner = r.owner().owner();
        byte[] bytes = new byte[owner.remaining()];
        owner.duplicate().get(bytes);
        out.writeUnsignedHyper(r.start())
                .writeUnsignedHyper(length)
                .writeInt(r.mode() == LockMode.EXCLUSIVE ? WRITE_LT : READ_LT)
                .writeUnsignedHyper(r.owner().client())
                .writeOpaque(bytes, OpDecoder.MAX_OPAQUE);
    }
}
