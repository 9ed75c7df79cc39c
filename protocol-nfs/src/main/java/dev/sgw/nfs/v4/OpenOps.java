package dev.sgw.nfs.v4;

import java.nio.ByteBuffer;

import dev.sgw.core.access.CheckedFileVolume;
import dev.sgw.core.sharing.FileProtocol;
import dev.sgw.core.sharing.FileSharing;
import dev.sgw.core.sharing.LockStyle;
import dev.sgw.core.sharing.StateOwner;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.DirChanges;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileType;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.ReadResult;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.Stability;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.core.volume.WriteResult;
import dev.sgw.nfs.Nfs4Exception;
import dev.sgw.nfs.Nfs4Status;
import dev.sgw.nfs.xdr.XdrDecoder;
import dev.sgw.nfs.xdr.XdrEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OPEN, OPEN_DOWNGRADE, CLOSE, READ, WRITE and COMMIT (RFC 8881 sections 18.16-18.22, 18.2-18.3, 18.32).
 * No delegations are given. Exclusive creation hands the client's verifier to the volume, which keeps it
 * on the new file ({@link FileVolume#createExclusive}) and answers a retransmission with that file.
 */
final class OpenOps {
    private static final Logger LOG = LoggerFactory.getLogger(OpenOps.class);
    static final int UNCHECKED4 = 0, GUARDED4 = 1, EXCLUSIVE4 = 2, EXCLUSIVE4_1 = 3;
    static final int CLAIM_NULL = 0,
            CLAIM_PREVIOUS = 1,
            CLAIM_DELEGATE_CUR = 2,
            CLAIM_DELEGATE_PREV = 3,
            CLAIM_FH = 4,
            CLAIM_DELEG_PREV_FH = 5,
            CLAIM_DELEG_CUR_FH = 6;
    static final int OPEN4_RESULT_LOCKTYPE_POSIX = 0x4;
    static final int OPEN_DELEGATE_NONE = 0, OPEN_DELEGATE_NONE_EXT = 3;
    static final int WANT_DELEG_MASK = 0xFF00, WANT_NO_DELEG = 0x0400, WANT_CANCEL = 0x0500;
    static final int WND4_NOT_WANTED = 0, WND4_NOT_SUPP_FTYPE = 3, WND4_CANCELLED = 7;
    static final int UNSTABLE4 = 0, DATA_SYNC4 = 1, FILE_SYNC4 = 2;

    private final ServerState server;

    OpenOps(ServerState server) {
        this.server = server;
    }

    OpResult open(OpArgs.Open a, Compound c) throws Exception {
        Sessions.Client client = c.client();
        int access = a.access() & StateTable.ACCESS_BOTH;
        int deny = a.deny() & StateTable.ACCESS_BOTH;
        if (access == 0
                || (a.access() & ~(StateTable.ACCESS_BOTH | WANT_DELEG_MASK | 0x30000)) != 0
                || (a.deny() & ~3) != 0) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_INVAL, "share access " + a.access() + " deny " + a.deny());
        }
        boolean reclaim = a.claim() == CLAIM_PREVIOUS;
        switch (a.claim()) {
            case CLAIM_NULL, CLAIM_FH, CLAIM_PREVIOUS -> {}
            case CLAIM_DELEGATE_CUR, CLAIM_DELEG_CUR_FH ->
                throw new Nfs4Exception(Nfs4Status.NFS4ERR_BAD_STATEID, "no delegations are given here");
            default -> throw new Nfs4Exception(Nfs4Status.NFS4ERR_NOTSUPP, "open claim " + a.claim());
        }
        if (reclaim && (!server.sessions().inGrace() || client.reclaimComplete)) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_NO_GRACE, "not in the grace period");
        }
        if (!reclaim && server.sessions().inGrace()) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_GRACE, "the grace period runs");
        }
        if (reclaim) {
            LOG.debug("client {} reclaims an open", Long.toHexString(client.id));
        }
        if (reclaim && a.delegateType() != OPEN_DELEGATE_NONE) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_RECLAIM_BAD, "no delegation to reclaim");
        }
        if (c.fh() instanceof Fh.Pseudo p) {
            pseudoOpen(a, p);
        }
        Fh.InExport fh = c.fileFh(Nfs4Status.NFS4ERR_ISDIR);
        CheckedFileVolume volume = c.volume(fh);
        if ((access & StateTable.ACCESS_WRITE) != 0) {
            volume.requireWritable();
        }
        Opened opened = a.claim() == CLAIM_NULL
                ? byName(a, c, fh, volume)
                : new Opened(fh, c.attributes(fh), null, new int[0], false);
        FileAttributes file = opened.attrs();
        if (file.isDirectory()) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_ISDIR, "OPEN of a directory");
        }
        if (file.type() == FileType.SYMLINK) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_SYMLINK, "OPEN of a symbolic link");
        }
        if (!opened.created()) {
            int wanted = ((access & StateTable.ACCESS_READ) != 0 ? FileVolume.ACCESS_READ : 0)
                    | ((access & StateTable.ACCESS_WRITE) != 0 ? FileVolume.ACCESS_WRITE : 0);
            volume.requireAccess(file, wanted);
        }
        FileSharing sharing = opened.fh().export().sharing();
        // an SMB client caching writes lets go first (NFS holds no leases of its own), and none takes write
        // caching again before the open is made
        StateTable.State state = server.states()
                .open(
                        new StateTable.OwnerKey(
                                client.id, ByteBuffer.wrap(a.owner().owner().clone())),
                        key(opened.fh()),
                        sharing,
                        access,
                        deny,
                        sharing.breakTimeout());
        Stateid stateid;
        synchronized (server.states()) {
            stateid = state.stateid();
        }
        c.setFh(opened.fh());
        c.setStateid(stateid);
        NamespaceOps.ChangeInfo info = opened.change() != null ? opened.change() : new NamespaceOps.ChangeInfo(0, 0);
        int[] attrset = opened.attrset();
        int want = a.access() & WANT_DELEG_MASK;
        return OpResult.ok(out -> {
            stateid.write(out); // stateid
            info.write(out); // cinfo
            out.writeInt(OPEN4_RESULT_LOCKTYPE_POSIX); // rflags
            out.writeIntArray(attrset, OpDecoder.MAX_BITMAP); // attrset
            delegation(out, want); // delegation
        });
    }

    /** OPEN in a pseudo directory: only directories are there (ISDIR), nothing can be made (ROFS), else NOENT. */
    private void pseudoOpen(OpArgs.Open a, Fh.Pseudo dir) throws Nfs4Exception {
        if (a.claim() != CLAIM_NULL) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_ISDIR, "OPEN of a pseudo directory");
        }
        FhOps.checkName(a.name());
        if (server.pseudo().lookup(dir.dir(), a.name()).isPresent()) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_ISDIR, "OPEN of a directory");
        }
        throw new Nfs4Exception(
                a.createMode() >= 0 ? Nfs4Status.NFS4ERR_ROFS : Nfs4Status.NFS4ERR_NOENT,
                a.name() + " in the pseudo file system");
    }

    private static void delegation(XdrEncoder out, int want) {
        if (want == 0) {
            out.writeInt(OPEN_DELEGATE_NONE);
            return;
        }
        out.writeInt(OPEN_DELEGATE_NONE_EXT);
        out.writeInt(
                switch (want) {
                    case WANT_NO_DELEG -> WND4_NOT_WANTED;
                    case WANT_CANCEL -> WND4_CANCELLED;
                    default -> WND4_NOT_SUPP_FTYPE;
                });
    }

    /** The file OPEN found or made by name in directory {@code dir}. */
    // the array components are wire fields carried as decoded; the record is never compared or used as a key
    @SuppressWarnings("ArrayRecordComponent")
    private record Opened(
            Fh.InExport fh, FileAttributes attrs, NamespaceOps.ChangeInfo change, int[] attrset, boolean created) {}

    private Opened byName(OpArgs.Open a, Compound c, Fh.InExport dir, CheckedFileVolume volume) throws Exception {
        FhOps.checkName(a.name());
        FileAttributes d = c.attributes(dir);
        FhOps.requireDirectory(d);
        volume.requireAccess(d, FileVolume.ACCESS_EXECUTE);
        long before = d.change();
        FileAttributes existing = lookup(volume, dir, a.name());
        if (a.createMode() < 0) {
            if (existing == null) {
                throw new Nfs4Exception(Nfs4Status.NFS4ERR_NOENT, a.name());
            }
            return new Opened(
                    new Fh.InExport(dir.export(), existing.id()),
                    existing,
                    new NamespaceOps.ChangeInfo(before, before),
                    new int[0],
                    false);
        }
        volume.requireWritable();
        boolean exclusive = a.createMode() == EXCLUSIVE4 || a.createMode() == EXCLUSIVE4_1;
        Attributes.Change change = a.createAttrs() == null
                ? new Attributes.Change(SetAttributes.NONE, new int[0], false)
                : Attributes.decodeSet(
                        a.createAttrs(),
                        exclusive ? Attributes.EXCLCREAT : Attributes.SETTABLE,
                        server.settings().idDomain(),
                        server.now());
        if (existing != null && !exclusive) { // exclusive: the volume tells a retransmission by its verifier
            if (a.createMode() == GUARDED4) {
                throw new Nfs4Exception(Nfs4Status.NFS4ERR_EXIST, a.name());
            }
            FileAttributes now = existing;
            if (existing.type() == FileType.REGULAR && change.mask().length > 0) {
                if (change.set().size() != null) {
                    volume.requireAccess(existing, FileVolume.ACCESS_WRITE);
                }
                now = volume.setattr(existing.id(), change.set(), change.serverTime());
            }
            return new Opened(
                    new Fh.InExport(dir.export(), existing.id()),
                    now,
                    new NamespaceOps.ChangeInfo(before, before),
                    change.mask(),
                    false);
        }
        volume.requireAccess(d, FileVolume.ACCESS_WRITE | FileVolume.ACCESS_EXECUTE);
        SetAttributes initial = change.set();
        FileAttributes made;
        DirChanges report = new DirChanges();
        try {
            // a retransmitted exclusive create (the same verifier) gets the file it made, unchanged
            made = exclusive
                    ? volume.createExclusive(dir.node(), a.name(), a.verifier(), initial, report)
                    : volume.create(dir.node(), a.name(), CreateMode.GUARDED, initial, report);
        } catch (VolumeException e) {
            if (e.error() == VolumeError.EXIST && a.createMode() == UNCHECKED4) {
                made = volume.lookup(dir.node(), a.name()); // created meanwhile: open it
            } else {
                throw e;
            }
        }
        NamespaceOps.ChangeInfo info = NamespaceOps.ChangeInfo.of(report, dir.node(), volume, before);
        return new Opened(new Fh.InExport(dir.export(), made.id()), made, info, change.mask(), true);
    }

    private static FileAttributes lookup(FileVolume volume, Fh.InExport dir, String name) throws Exception {
        try {
            return volume.lookup(dir.node(), name);
        } catch (VolumeException e) {
            if (e.error() == VolumeError.NOENT) {
                return null;
            }
            throw e;
        }
    }

    OpResult downgrade(OpArgs.OpenDowngrade a, Compound c) throws Exception {
        Fh.InExport fh = c.fileFh(Nfs4Status.NFS4ERR_BAD_STATEID);
        StateTable.State s = openState(c, a.stateid(), fh);
        Stateid id;
        synchronized (server.states()) {
            id = server.states()
                    .downgrade(s, a.access() & StateTable.ACCESS_BOTH, a.deny() & 3)
                    .stateid();
        }
        c.setStateid(id);
        return OpResult.ok(id::write);
    }

    /** CLOSE (section 18.2): the open state goes, with its lock states; the answer is the invalid stateid. */
    OpResult close(OpArgs.Close a, Compound c) throws Exception {
        Fh.InExport fh = c.fileFh(Nfs4Status.NFS4ERR_BAD_STATEID);
        server.states().close(openState(c, a.stateid(), fh));
        c.setStateid(Stateid.INVALID);
        return OpResult.ok(Stateid.INVALID::write);
    }

    private StateTable.State openState(Compound c, Stateid given, Fh.InExport fh) throws Nfs4Exception {
        StateTable.State s = server.states().resolve(c.stateid(given), c.clientId(), StateTable.Kind.OPEN);
        if (!s.file.equals(key(fh))) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_BAD_STATEID, "stateid of another file");
        }
        return s;
    }

    OpResult read(OpArgs.Read a, Compound c) throws Exception {
        Fh.InExport fh = c.fileFh(Nfs4Status.NFS4ERR_ISDIR);
        CheckedFileVolume volume = c.volume(fh);
        FileAttributes attrs = regular(c.attributes(fh));
        if (checkIo(c, a.stateid(), fh, StateTable.ACCESS_READ, a.offset(), a.count()) == null) {
            volume.requireAccess(attrs, FileVolume.ACCESS_READ); // no open: checked as one
        }
        // the data and the rest of the reply must fit the session's ca_maxresponsesize
        int limit = c.session != null ? Math.max(0, c.session.fore.maxResponse() - 1024) : Attributes.MAX_READ;
        int count = Math.max(0, Math.min(a.count(), Math.min(Attributes.MAX_READ, limit)));
        ByteBuffer data = ByteBuffer.allocate(count);
        boolean eof;
        if (a.offset() < 0 || Long.compareUnsigned(a.offset(), attrs.size()) >= 0) {
            eof = true;
        } else {
            ReadResult r = volume.readOpened(fh.node(), a.offset(), data);
            eof = r.eof();
        }
        data.flip();
        boolean end = eof;
        return OpResult.ok(out -> {
            out.writeBool(end);
            out.writeInt(data.remaining());
            out.buffer().writeBytes(data.duplicate());
            out.buffer().writeZero(XdrDecoder.padding(data.remaining()));
        });
    }

    OpResult write(OpArgs.Write a, Compound c) throws Exception {
        Fh.InExport fh = c.fileFh(Nfs4Status.NFS4ERR_ISDIR);
        CheckedFileVolume volume = c.volume(fh);
        volume.requireWritable();
        FileAttributes attrs = regular(c.attributes(fh));
        if (checkIo(
                        c,
                        a.stateid(),
                        fh,
                        StateTable.ACCESS_WRITE,
                        a.offset(),
                        a.data().readableBytes())
                == null) {
            volume.requireAccess(attrs, FileVolume.ACCESS_WRITE); // no open: checked as one
        }
        if (a.offset() < 0 || a.offset() + a.data().readableBytes() < 0) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_FBIG, "write beyond 2^63");
        }
        Stability asked = switch (a.stable()) {
            case UNSTABLE4 -> Stability.UNSTABLE;
            case DATA_SYNC4 -> Stability.DATA_SYNC;
            case FILE_SYNC4 -> Stability.FILE_SYNC;
            default -> throw new Nfs4Exception(Nfs4Status.NFS4ERR_INVAL, "stable_how " + a.stable());
        };
        WriteResult w = volume.writeOpened(fh.node(), a.offset(), a.data().nioBuffer(), asked);
        int committed = switch (w.stability()) {
            case UNSTABLE -> UNSTABLE4;
            case DATA_SYNC -> DATA_SYNC4;
            case FILE_SYNC -> FILE_SYNC4;
        };
        long verifier = volume.writeVerifier();
        return OpResult.ok(out -> out.writeInt(w.count()).writeInt(committed).writeHyper(verifier));
    }

    OpResult commit(OpArgs.Commit a, Compound c) throws Exception {
        Fh.InExport fh = c.fileFh(Nfs4Status.NFS4ERR_ISDIR);
        CheckedFileVolume volume = c.volume(fh);
        FileAttributes attrs = c.attributes(fh);
        if (attrs.isDirectory()) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_ISDIR, "COMMIT of a directory");
        }
        volume.commit(fh.node());
        long verifier = volume.writeVerifier();
        return OpResult.ok(out -> out.writeHyper(verifier));
    }

    private static FileAttributes regular(FileAttributes a) throws Nfs4Exception {
        if (a.isDirectory()) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_ISDIR, "inode " + a.inode() + " is a directory");
        }
        if (a.type() != FileType.REGULAR) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_INVAL, "inode " + a.inode() + " is not a regular file");
        }
        return a;
    }

    /**
     * The state behind an I/O stateid (open or lock) of this file, or null for the anonymous stateids, which
     * meet share reservations (NFS4ERR_LOCKED; READ with the all-ones stateid bypasses them) and leave permission
     * checks to the caller. Writing needs an
     * open for writing (NFS4ERR_OPENMODE); reading is allowed with any open.
     */
    static StateTable.State checkIo(Compound c, Stateid given, Fh.InExport fh, int access) throws Exception {
        return checkIo(c, given, fh, access, 0, 0);
    }

    /**
     * As {@link #checkIo(Compound, Stateid, Fh.InExport, int)}, and an I/O of {@code length} bytes at
     * {@code offset} must not meet a mandatory (SMB) byte-range lock of another owner (NFS4ERR_LOCKED); NFS
     * locks stay advisory among NFS clients.
     */
    static StateTable.State checkIo(Compound c, Stateid given, Fh.InExport fh, int access, long offset, long length)
            throws Exception {
        Stateid id = c.stateid(given);
        StateTable states = c.server.states();
        FileSharing sharing = fh.export().sharing();
        long inode = fh.node().inode();
        boolean write = access == StateTable.ACCESS_WRITE;
        if (id.isAnonymous()) {
            boolean bypass = id.equals(Stateid.READ_BYPASS) && !write;
            if (!bypass && sharing.denied(inode, access)) {
                throw new Nfs4Exception(Nfs4Status.NFS4ERR_LOCKED, "a share reservation denies this access");
            }
            StateOwner anonymous = StateOwner.of(FileProtocol.NFS, c.clientId(), new byte[0]);
            sharing.checkIo(inode, anonymous, LockStyle.POSIX, offset, length, write);
            return null;
        }
        StateTable.State s = states.resolve(id, c.clientId(), null);
        if (!s.file.equals(key(fh))) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_BAD_STATEID, "stateid of another file");
        }
        if (write && (s.access() & StateTable.ACCESS_WRITE) == 0) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_OPENMODE, "the file is not open for writing");
        }
        sharing.checkIo(inode, s.owner.sharing(), LockStyle.POSIX, offset, length, write);
        return s;
    }

    static StateTable.FileKey key(Fh.InExport fh) {
        return new StateTable.FileKey(fh.export().share().id(), fh.node().inode());
    }
}
