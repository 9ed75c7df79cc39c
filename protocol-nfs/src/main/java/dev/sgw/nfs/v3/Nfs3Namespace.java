package dev.sgw.nfs.v3;

import java.io.IOException;

import dev.sgw.core.access.CheckedFileVolume;
import dev.sgw.core.volume.CreateMode;
import dev.sgw.core.volume.DirChanges;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileType;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.RenameMode;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.nfs.ExportAccess;
import dev.sgw.nfs.Nfs3Exception;
import dev.sgw.nfs.Nfs3Status;
import dev.sgw.nfs.v3.Nfs3Results.Attr;
import dev.sgw.nfs.v3.Nfs3Results.Created;
import dev.sgw.nfs.v3.Nfs3Results.Lookup;
import dev.sgw.nfs.v3.Nfs3Results.WccOnly;

/**
 * The NFSv3 procedures on names and attributes: GETATTR, SETATTR, LOOKUP, ACCESS, READLINK, CREATE,
 * MKDIR, SYMLINK, MKNOD, REMOVE, RMDIR, RENAME, LINK (RFC 1813 sections 3.3.1-3.3.15).
 *
 * <p>Every change goes: resolve the handle(s) through {@link ExportAccess} (STALE, ACCES), read the
 * directory's or file's attributes (the {@code wcc_data} "before"), the volume call through the
 * {@link CheckedFileVolume} (NFS3ERR_ROFS for a read-only client, the mode-bit and owner checks), then the
 * attributes after; where RFC 1813 orders a check before one of NFSv3's own (XDEV, NOT_SYNC, MKNOD's type),
 * the procedure asks the checked volume first. A failure
 * at any point still answers the {@code wcc_data} known so far. A change that succeeds answers the directory's
 * attributes the volume read just before and just after it under its own lock ({@link DirChanges}), so no other
 * change of the directory, from any client or protocol, falls between them.
 *
 * <p>EXCLUSIVE create hands the client's 8-byte verifier to the volume, which keeps it on the new file
 * ({@link FileVolume#createExclusive}), so that a retransmission the duplicate request cache no longer
 * holds still finds its file and succeeds; the client then sets the real attributes with SETATTR.
 */
final class Nfs3Namespace {
    private static final int RWX = FileVolume.ACCESS_WRITE | FileVolume.ACCESS_EXECUTE;
    /** {@code ACCESS3_*} bits. */
    static final int ACCESS3_READ = 0x01,
            ACCESS3_LOOKUP = 0x02,
            ACCESS3_MODIFY = 0x04,
            ACCESS3_EXTEND = 0x08,
            ACCESS3_DELETE = 0x10,
            ACCESS3_EXECUTE = 0x20;

    private final ExportAccess access;

    Nfs3Namespace(ExportAccess access) {
        this.access = access;
    }

    Attr getattr(Nfs3Args.Handle a, Nfs3Request r) {
        ResolvedHandle t = null;
        try {
            t = r.resolve(access, a.handle());
            return new Attr(Nfs3Status.NFS3_OK, t.getattr(), t.fsid());
        } catch (Exception e) {
            return new Attr(Nfs3Program.status(e), null, ResolvedHandle.fsid(t));
        }
    }

    WccOnly setattr(Nfs3Args.Setattr a, Nfs3Request r) {
        ResolvedHandle t;
        try {
            t = r.resolve(access, a.handle());
        } catch (Exception e) {
            return new WccOnly(Nfs3Program.status(e), Wcc.NONE, 0);
        }
        return setattr(a, t);
    }

    private static WccOnly setattr(Nfs3Args.Setattr a, ResolvedHandle t) {
        FileAttributes before = null;
        try {
            before = t.getattr();
            t.volume().requireWritable();
            if (a.guardCtime() != null && Nfs3Xdr.wireTime(before.ctime()) != a.guardCtime()) {
                throw new Nfs3Exception(Nfs3Status.NFS3ERR_NOT_SYNC, "ctime of inode " + before.inode() + " changed");
            }
            SetAttributes change = a.attributes().toSetAttributes(Nfs3Request.now());
            FileAttributes after = change.equals(SetAttributes.NONE)
                    ? before
                    : t.volume().setattr(t.node(), change, a.attributes().serverTimesOnly());
            return new WccOnly(Nfs3Status.NFS3_OK, new Wcc(before, after), t.fsid());
        } catch (Exception e) {
            return new WccOnly(Nfs3Program.status(e), new Wcc(before, after(t)), t.fsid());
        }
    }

    Lookup lookup(Nfs3Args.DirOp a, Nfs3Request r) {
        ResolvedHandle d = null;
        FileAttributes dir = null;
        try {
            d = r.resolve(access, a.dir());
            dir = d.getattr();
            searchable(d, dir);
            FileAttributes object;
            if (a.name().equals(".")) {
                object = dir;
            } else if (a.name().equals("..")) {
                // an export is its volume's root, and ".." of the root stays there
                object = dir.inode() == FileVolume.ROOT_INODE ? dir : d.volume().parent(d.node());
            } else {
                object = d.volume().lookup(d.node(), a.name());
            }
            return new Lookup(Nfs3Status.NFS3_OK, d.handleOf(object.id()), object, dir, d.fsid());
        } catch (Exception e) {
            return new Lookup(Nfs3Program.status(e), null, null, dir, ResolvedHandle.fsid(d));
        }
    }

    Nfs3Results.Access access(Nfs3Args.Access a, Nfs3Request r) {
        ResolvedHandle t = null;
        FileAttributes attributes = null;
        try {
            t = r.resolve(access, a.handle());
            attributes = t.getattr();
            int bits = t.volume()
                    .granted(attributes, FileVolume.ACCESS_READ | FileVolume.ACCESS_WRITE | FileVolume.ACCESS_EXECUTE);
            int allowed = 0;
            if ((bits & FileVolume.ACCESS_READ) != 0) {
                allowed |= ACCESS3_READ;
            }
            if ((bits & FileVolume.ACCESS_WRITE) != 0) {
                allowed |= ACCESS3_MODIFY | ACCESS3_EXTEND | ACCESS3_DELETE;
            }
            if ((bits & FileVolume.ACCESS_EXECUTE) != 0) {
                allowed |= attributes.isDirectory() ? ACCESS3_LOOKUP : ACCESS3_EXECUTE;
            }
            return new Nfs3Results.Access(Nfs3Status.NFS3_OK, attributes, allowed & a.access(), t.fsid());
        } catch (Exception e) {
            return new Nfs3Results.Access(Nfs3Program.status(e), attributes, 0, ResolvedHandle.fsid(t));
        }
    }

    Nfs3Results.Readlink readlink(Nfs3Args.Handle a, Nfs3Request r) {
        ResolvedHandle t = null;
        try {
            t = r.resolve(access, a.handle());
            String target = t.volume().readlink(t.node());
            return new Nfs3Results.Readlink(Nfs3Status.NFS3_OK, t.attributesOrNull(), target, t.fsid());
        } catch (Exception e) {
            return new Nfs3Results.Readlink(Nfs3Program.status(e), after(t), null, ResolvedHandle.fsid(t));
        }
    }

    Created create(Nfs3Args.Create a, Nfs3Request r) {
        return make(a.dir(), r, (d, report) -> switch (a.mode()) {
            case Nfs3Args.EXCLUSIVE -> exclusive(d, a.name(), a.verifier(), report);
            case Nfs3Args.GUARDED ->
                d.volume().create(d.node(), a.name(), CreateMode.GUARDED, initial(a.attributes()), report);
            default -> unchecked(d, a.name(), a.attributes(), report);
        });
    }

    Created mkdir(Nfs3Args.Mkdir a, Nfs3Request r) {
        return make(
                a.dir(),
                r,
                (d, report) -> d.volume().mkdir(d.node(), a.name(), withoutSize(initial(a.attributes())), report));
    }

    Created symlink(Nfs3Args.Symlink a, Nfs3Request r) {
        return make(
                a.dir(),
                r,
                (d, report) -> d.volume()
                        .symlink(d.node(), a.name(), a.target(), withoutSize(initial(a.attributes())), report));
    }

    Created mknod(Nfs3Args.Mknod a, Nfs3Request r) {
        return make(a.dir(), r, (d, report) -> {
            throw switch (a.type()) {
                case Nfs3Xdr.NF3REG, Nfs3Xdr.NF3DIR, Nfs3Xdr.NF3LNK ->
                    new Nfs3Exception(Nfs3Status.NFS3ERR_BADTYPE, "MKNOD of type " + a.type());
                default -> new Nfs3Exception(Nfs3Status.NFS3ERR_NOTSUPP, "no device, socket or fifo files here");
            };
        });
    }

    WccOnly remove(Nfs3Args.DirOp a, Nfs3Request r) {
        return removeName(a, r, false);
    }

    WccOnly rmdir(Nfs3Args.DirOp a, Nfs3Request r) {
        return removeName(a, r, true);
    }

    Nfs3Results.Rename rename(Nfs3Args.Rename a, Nfs3Request r) {
        ResolvedHandle from;
        ResolvedHandle to;
        try {
            from = r.resolve(access, a.fromDir());
            to = r.resolve(access, a.toDir());
        } catch (Exception e) {
            return new Nfs3Results.Rename(Nfs3Program.status(e), Wcc.NONE, Wcc.NONE, 0);
        }
        return rename(a, from, to);
    }

    private static Nfs3Results.Rename rename(Nfs3Args.Rename a, ResolvedHandle from, ResolvedHandle to) {
        FileAttributes fromBefore = null;
        FileAttributes toBefore = null;
        try {
            fromBefore = from.getattr();
            toBefore = to.node().equals(from.node()) && to.fsid() == from.fsid() ? fromBefore : to.getattr();
            from.volume().requireWritable();
            to.volume().requireWritable();
            if (from.fsid() != to.fsid()) {
                throw new Nfs3Exception(Nfs3Status.NFS3ERR_XDEV, "rename between exports");
            }
            writableDir(from, fromBefore);
            writableDir(to, toBefore);
            DirChanges report = new DirChanges();
            from.volume().rename(from.node(), a.fromName(), to.node(), a.toName(), RenameMode.REPLACE, report);
            return new Nfs3Results.Rename(
                    Nfs3Status.NFS3_OK, wcc(report, from, fromBefore), wcc(report, to, toBefore), from.fsid());
        } catch (Exception e) {
            return new Nfs3Results.Rename(
                    Nfs3Program.status(e), new Wcc(fromBefore, after(from)), new Wcc(toBefore, after(to)), from.fsid());
        }
    }

    Nfs3Results.Link link(Nfs3Args.Link a, Nfs3Request r) {
        ResolvedHandle file;
        ResolvedHandle d;
        try {
            file = r.resolve(access, a.handle());
            d = r.resolve(access, a.dir());
        } catch (Exception e) {
            return new Nfs3Results.Link(Nfs3Program.status(e), null, Wcc.NONE, 0);
        }
        return link(a, file, d);
    }

    private static Nfs3Results.Link link(Nfs3Args.Link a, ResolvedHandle file, ResolvedHandle d) {
        FileAttributes before = null;
        try {
            before = d.getattr();
            d.volume().requireWritable();
            if (file.fsid() != d.fsid()) {
                throw new Nfs3Exception(Nfs3Status.NFS3ERR_XDEV, "hard link between exports");
            }
            writableDir(d, before);
            DirChanges report = new DirChanges();
            FileAttributes linked = d.volume().link(file.node(), d.node(), a.name(), report);
            return new Nfs3Results.Link(Nfs3Status.NFS3_OK, linked, wcc(report, d, before), d.fsid());
        } catch (Exception e) {
            return new Nfs3Results.Link(Nfs3Program.status(e), after(file), new Wcc(before, after(d)), file.fsid());
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** A creation in a directory: what it makes in the resolved directory, reporting the directory's change. */
    @FunctionalInterface
    private interface Maker {
        FileAttributes make(ResolvedHandle dir, DirChanges report) throws IOException, Nfs3Exception;
    }

    /** CREATE, MKDIR, SYMLINK, MKNOD: checks, the creation, the new handle and the directory's wcc. */
    private Created make(byte[] dirHandle, Nfs3Request r, Maker maker) {
        ResolvedHandle d;
        try {
            d = r.resolve(access, dirHandle);
        } catch (Exception e) {
            return new Created(Nfs3Program.status(e), null, null, Wcc.NONE, 0);
        }
        return make(d, maker);
    }

    private static Created make(ResolvedHandle d, Maker maker) {
        FileAttributes before = null;
        try {
            before = d.getattr();
            d.volume().requireWritable();
            writableDir(d, before);
            DirChanges report = new DirChanges();
            FileAttributes made = maker.make(d, report);
            return new Created(Nfs3Status.NFS3_OK, d.handleOf(made.id()), made, wcc(report, d, before), d.fsid());
        } catch (Exception e) {
            return new Created(Nfs3Program.status(e), null, null, new Wcc(before, after(d)), d.fsid());
        }
    }

    private WccOnly removeName(Nfs3Args.DirOp a, Nfs3Request r, boolean directory) {
        ResolvedHandle d;
        try {
            d = r.resolve(access, a.dir());
        } catch (Exception e) {
            return new WccOnly(Nfs3Program.status(e), Wcc.NONE, 0);
        }
        return removeName(a, d, directory);
    }

    private static WccOnly removeName(Nfs3Args.DirOp a, ResolvedHandle d, boolean directory) {
        FileAttributes before = null;
        try {
            before = d.getattr();
            DirChanges report = new DirChanges();
            if (directory) {
                d.volume().rmdir(d.node(), a.name(), report);
            } else {
                d.volume().remove(d.node(), a.name(), report);
            }
            return new WccOnly(Nfs3Status.NFS3_OK, wcc(report, d, before), d.fsid());
        } catch (Exception e) {
            return new WccOnly(Nfs3Program.status(e), new Wcc(before, after(d)), d.fsid());
        }
    }

    /** A retransmitted EXCLUSIVE create (the same verifier, kept by the volume) succeeds with the file it made. */
    private static FileAttributes exclusive(ResolvedHandle d, String name, long verifier, DirChanges report)
            throws IOException {
        return d.volume().createExclusive(d.node(), name, verifier, SetAttributes.NONE, report);
    }

    /**
     * UNCHECKED: a new file gets the attributes asked; an existing regular file only the size (a
     * truncation, which needs write access), as a local {@code open(O_CREAT)} of an existing file.
     */
    private static FileAttributes unchecked(ResolvedHandle d, String name, Sattr3 attributes, DirChanges report)
            throws IOException, Nfs3Exception {
        try {
            return d.volume().create(d.node(), name, CreateMode.GUARDED, initial(attributes), report);
        } catch (VolumeException e) {
            if (e.error() != VolumeError.EXIST) {
                throw e;
            }
        }
        FileAttributes existing = d.volume().lookup(d.node(), name);
        if (existing.type() != FileType.REGULAR) {
            throw new Nfs3Exception(Nfs3Status.NFS3ERR_EXIST, "'" + name + "' exists and is not a regular file");
        }
        if (attributes.size() == null) {
            return existing;
        }
        return d.volume().setattr(existing.id(), SetAttributes.size(attributes.size()));
    }

    /** What a new file asks for; the checked volume makes the caller its owner. */
    private static SetAttributes initial(Sattr3 requested) {
        return requested.toSetAttributes(Nfs3Request.now());
    }

    private static SetAttributes withoutSize(SetAttributes s) {
        return new SetAttributes(s.mode(), s.uid(), s.gid(), null, s.atime(), s.mtime());
    }

    /** NOTDIR unless a directory; ACCES unless the caller may search it. */
    private static void searchable(ResolvedHandle d, FileAttributes dir) throws Nfs3Exception, VolumeException {
        if (!dir.isDirectory()) {
            throw new Nfs3Exception(Nfs3Status.NFS3ERR_NOTDIR, "inode " + dir.inode() + " is not a directory");
        }
        d.volume().requireAccess(dir, FileVolume.ACCESS_EXECUTE);
    }

    /** NOTDIR unless a directory; ACCES unless the caller may write and search it. */
    private static void writableDir(ResolvedHandle d, FileAttributes dir) throws Nfs3Exception, VolumeException {
        if (!dir.isDirectory()) {
            throw new Nfs3Exception(Nfs3Status.NFS3ERR_NOTDIR, "inode " + dir.inode() + " is not a directory");
        }
        d.volume().requireAccess(dir, RWX);
    }

    /**
     * The {@code wcc_data} of directory {@code d} after a change that succeeded: what the volume reported, read
     * atomically with the change; else (nothing changed in it, e.g. an existing file) {@code before} and now.
     */
    private static Wcc wcc(DirChanges report, ResolvedHandle d, FileAttributes before) {
        return report.of(d.node()).map(c -> new Wcc(c.before(), c.after())).orElseGet(() -> new Wcc(before, after(d)));
    }

    private static FileAttributes after(ResolvedHandle t) {
        return t == null ? null : t.attributesOrNull();
    }
}
