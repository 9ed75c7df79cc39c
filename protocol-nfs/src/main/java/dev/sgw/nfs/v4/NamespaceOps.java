package dev.sgw.nfs.v4;

import java.io.IOException;
import java.util.Optional;

import dev.sgw.core.access.CheckedFileVolume;
import dev.sgw.core.volume.DirChange;
import dev.sgw.core.volume.DirChanges;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileType;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.RenameMode;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.nfs.Nfs4Exception;
import dev.sgw.nfs.Nfs4Status;
import dev.sgw.nfs.xdr.XdrEncoder;

/**
 * Operations that change the namespace or attributes (RFC 8881 section 18): SETATTR, CREATE (directories
 * and symbolic links), REMOVE, RENAME, LINK, and READLINK. The pseudo file system is read-only (NFS4ERR_ROFS).
 */
final class NamespaceOps {
    private final ServerState server;

    NamespaceOps(ServerState server) {
        this.server = server;
    }

    /**
     * {@code change_info4} of a directory: its change attribute before and after, and whether they were read
     * atomically with the operation (no other change between them).
     */
    record ChangeInfo(boolean atomic, long before, long after) {
        /** Read apart from the operation: no atomicity promised. */
        ChangeInfo(long before, long after) {
            this(false, before, after);
        }

        /**
         * What the volume reported of {@code dir} (atomic), or, when it reported nothing (nothing changed in
         * it), {@code before} and the change attribute now.
         */
        static ChangeInfo of(DirChanges report, NodeId dir, FileVolume volume, long before) throws IOException {
            Optional<DirChange> c = report.of(dir);
            return c.isPresent()
                    ? new ChangeInfo(
                            true, c.get().before().change(), c.get().after().change())
                    : new ChangeInfo(before, volume.getattr(dir).change());
        }

        void write(XdrEncoder out) {
            out.writeBool(atomic).writeHyper(before).writeHyper(after);
        }
    }

    /** SETATTR (section 18.30): attrsset answers what was set; size needs write access and a writable open. */
    OpResult setAttr(OpArgs.SetAttr a, Compound c) throws Exception {
        Fh.InExport f = c.fileFh(Nfs4Status.NFS4ERR_ROFS);
        CheckedFileVolume volume = c.volume(f);
        volume.requireWritable();
        FileAttributes current = c.attributes(f);
        Attributes.Change change = Attributes.decodeSet(
                a.attrs(), Attributes.SETTABLE, server.settings().idDomain(), server.now());
        if (change.set().size() != null) {
            if (current.isDirectory()) {
                throw new Nfs4Exception(Nfs4Status.NFS4ERR_ISDIR, "size of a directory");
            }
            if (current.type() != FileType.REGULAR) {
                throw new Nfs4Exception(Nfs4Status.NFS4ERR_INVAL, "size of a symbolic link");
            }
            OpenOps.checkIo(c, a.stateid(), f, StateTable.ACCESS_WRITE);
            volume.requireAccess(current, FileVolume.ACCESS_WRITE);
        }
        volume.setattr(f.node(), change.set(), change.serverTime());
        int[] set = change.mask();
        return OpResult.ok(out -> out.writeIntArray(set, OpDecoder.MAX_BITMAP));
    }

    OpResult readLink(Compound c) throws Exception {
        Fh.InExport f = c.fileFh(Nfs4Status.NFS4ERR_INVAL);
        CheckedFileVolume volume = c.volume(f);
        FileAttributes attrs = c.attributes(f);
        if (attrs.type() != FileType.SYMLINK) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_INVAL, "inode " + attrs.inode() + " is not a symbolic link");
        }
        String target = volume.readlink(f.node());
        return OpResult.ok(out -> out.writeString(target, Integer.MAX_VALUE));
    }

    /** CREATE (section 18.4): directories and symbolic links; regular files come from OPEN, devices are refused. */
    OpResult create(OpArgs.Create a, Compound c) throws Exception {
        Fh.InExport dir = c.fileFh(Nfs4Status.NFS4ERR_ROFS);
        CheckedFileVolume volume = writableDir(c, dir);
        FhOps.checkName(a.name());
        if (a.type() != Attributes.NF4DIR && a.type() != Attributes.NF4LNK) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_BADTYPE, "CREATE of type " + a.type());
        }
        Attributes.Change change = Attributes.decodeSet(
                a.attrs(), Attributes.SETTABLE, server.settings().idDomain(), server.now());
        SetAttributes initial = change.set();
        long before = volume.getattr(dir.node()).change();
        DirChanges report = new DirChanges();
        FileAttributes made = a.type() == Attributes.NF4DIR
                ? volume.mkdir(dir.node(), a.name(), initial, report)
                : volume.symlink(dir.node(), a.name(), a.linkData(), initial, report);
        ChangeInfo info = ChangeInfo.of(report, dir.node(), volume, before);
        c.setFh(new Fh.InExport(dir.export(), made.id()));
        int[] set = change.mask();
        return OpResult.ok(out -> {
            info.write(out);
            out.writeIntArray(set, OpDecoder.MAX_BITMAP);
        });
    }

    /** REMOVE (section 18.25) of a file or an empty directory. */
    OpResult remove(OpArgs.Remove a, Compound c) throws Exception {
        Fh.InExport dir = c.fileFh(Nfs4Status.NFS4ERR_ROFS);
        CheckedFileVolume volume = writableDir(c, dir);
        FhOps.checkName(a.name());
        long before = volume.getattr(dir.node()).change();
        FileAttributes target = volume.lookup(dir.node(), a.name());
        DirChanges report = new DirChanges();
        if (target.isDirectory()) {
            volume.rmdir(dir.node(), a.name(), report);
        } else {
            volume.remove(dir.node(), a.name(), report);
        }
        ChangeInfo info = ChangeInfo.of(report, dir.node(), volume, before);
        return OpResult.ok(info::write);
    }

    /** RENAME (section 18.26): from the saved directory to the current one, within one export. */
    OpResult rename(OpArgs.Rename a, Compound c) throws Exception {
        Fh.InExport to = c.fileFh(Nfs4Status.NFS4ERR_ROFS);
        Fh.InExport from = sameExport(c.savedFh(), to);
        writableDir(c, from);
        CheckedFileVolume volume = writableDir(c, to);
        FhOps.checkName(a.from());
        FhOps.checkName(a.to());
        long fromBefore = volume.getattr(from.node()).change();
        long toBefore = volume.getattr(to.node()).change();
        DirChanges report = new DirChanges();
        volume.rename(from.node(), a.from(), to.node(), a.to(), RenameMode.REPLACE, report);
        ChangeInfo source = ChangeInfo.of(report, from.node(), volume, fromBefore);
        ChangeInfo target = ChangeInfo.of(report, to.node(), volume, toBefore);
        return OpResult.ok(out -> {
            source.write(out);
            target.write(out);
        });
    }

    /** LINK (section 18.9): a new name in the current directory for the saved file. */
    OpResult link(OpArgs.Link a, Compound c) throws Exception {
        Fh.InExport dir = c.fileFh(Nfs4Status.NFS4ERR_ROFS);
        Fh.InExport file = sameExport(c.savedFh(), dir);
        CheckedFileVolume volume = writableDir(c, dir);
        FhOps.checkName(a.name());
        if (volume.getattr(file.node()).isDirectory()) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_ISDIR, "hard link to a directory");
        }
        long before = volume.getattr(dir.node()).change();
        DirChanges report = new DirChanges();
        volume.link(file.node(), dir.node(), a.name(), report);
        ChangeInfo info = ChangeInfo.of(report, dir.node(), volume, before);
        return OpResult.ok(info::write);
    }

    /**
     * The volume for changing directory {@code dir}, checked before the operation's own checks: writable
     * export, a directory (NFS4ERR_SYMLINK for a link), write and search permission.
     */
    private static CheckedFileVolume writableDir(Compound c, Fh.InExport dir) throws Exception {
        CheckedFileVolume volume = c.volume(dir);
        volume.requireWritable();
        FileAttributes d = c.attributes(dir);
        FhOps.requireDirectory(d);
        volume.requireAccess(d, FileVolume.ACCESS_WRITE | FileVolume.ACCESS_EXECUTE);
        return volume;
    }

    private static Fh.InExport sameExport(Fh saved, Fh.InExport current) throws Nfs4Exception {
        if (!(saved instanceof Fh.InExport s)
                || s.export().share().id() != current.export().share().id()) {
            throw new Nfs4Exception(
                    Nfs4Status.NFS4ERR_XDEV, "the saved and current filehandles are in different file systems");
        }
        return s;
    }
}
