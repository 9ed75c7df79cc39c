package dev.sgw.nfs.v4;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

import dev.sgw.core.access.CheckedFileVolume;
import dev.sgw.core.spi.VolumeDirectory.NfsExport;
import dev.sgw.core.volume.DirEntry;
import dev.sgw.core.volume.DirPage;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileType;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.FsStats;
import dev.sgw.nfs.FileHandles;
import dev.sgw.nfs.Nfs4Exception;
import dev.sgw.nfs.Nfs4Status;
import dev.sgw.nfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Filehandle and read-only namespace operations (RFC 8881 section 18): PUTFH, PUTROOTFH, PUTPUBFH, GETFH,
 * LOOKUP, LOOKUPP, GETATTR, VERIFY, NVERIFY, ACCESS, SECINFO, SECINFO_NO_NAME, READDIR, across the pseudo
 * file system and into the exports.
 */
final class FhOps {
    static final int ACCESS4_READ = 0x1,
            ACCESS4_LOOKUP = 0x2,
            ACCESS4_MODIFY = 0x4,
            ACCESS4_EXTEND = 0x8,
            ACCESS4_DELETE = 0x10,
            ACCESS4_EXECUTE = 0x20;
    static final int AUTH_SYS = 1;
    /** Pseudo-fs "volume" statistics: nothing to hold. */
    private static final FsStats PSEUDO_STATS = new FsStats(0, 0, 0, 0, 255, 0);
    /** The fsid major of an export (its id is the minor); the pseudo file system is 0/0. */
    static final long EXPORT_FSID_MAJOR = 1;

    private final ServerState server;
    private final long startNanos;

    FhOps(ServerState server) {
        this.server = server;
        this.startNanos = server.now();
    }

    OpResult putFh(OpArgs.PutFh a, Compound c) throws Exception {
        OptionalLong pseudo = FileHandles.decodePseudo(a.handle());
        if (pseudo.isPresent()) {
            c.setFh(new Fh.Pseudo(server.pseudo().dir(pseudo.getAsLong())));
            return OpResult.OK;
        }
        FileHandles.FileHandle h = FileHandles.decode(a.handle());
        NfsExport export = FileHandles.export(h, server.access().directory());
        c.setFh(new Fh.InExport(export, h.node()));
        return OpResult.OK;
    }

    OpResult putRootFh(Compound c) {
        c.setFh(new Fh.Pseudo(server.pseudo().root()));
        return OpResult.OK;
    }

    OpResult getFh(Compound c) throws Nfs4Exception {
        byte[] handle = c.fh().bytes();
        return OpResult.ok(out -> out.writeOpaque(handle, FileHandles.NFS4_MAX_BYTES));
    }

    OpResult lookup(OpArgs.Lookup a, Compound c) throws Exception {
        checkName(a.name());
        Fh fh = c.fh();
        if (fh instanceof Fh.Pseudo p) {
            PseudoFs.Child child = server.pseudo()
                    .lookup(p.dir(), a.name())
                    .orElseThrow(() -> new Nfs4Exception(
                            Nfs4Status.NFS4ERR_NOENT,
                            a.name() + " in " + p.dir().path()));
            c.setFh(
                    switch (child) {
                        case PseudoFs.DirChild d -> new Fh.Pseudo(d.dir());
                        case PseudoFs.ExportChild e -> {
                            server.access().volume(e.export(), c.context, c.credential); // the allow-list
                            yield new Fh.InExport(
                                    e.export(), e.export().volume().root());
                        }
                    });
            return OpResult.OK;
        }
        Fh.InExport dir = (Fh.InExport) fh;
        CheckedFileVolume volume = c.volume(dir);
        requireDirectory(c.attributes(dir));
        FileAttributes child = volume.lookup(dir.node(), a.name());
        c.setFh(new Fh.InExport(dir.export(), child.id()));
        return OpResult.OK;
    }

    OpResult lookupParent(Compound c) throws Exception {
        Fh fh = c.fh();
        if (fh instanceof Fh.Pseudo p) {
            if (p.dir().isRoot()) {
                throw new Nfs4Exception(Nfs4Status.NFS4ERR_NOENT, "the root has no parent");
            }
            c.setFh(new Fh.Pseudo(server.pseudo().parentOf(p.dir().path())));
            return OpResult.OK;
        }
        Fh.InExport f = (Fh.InExport) fh;
        if (f.isRoot()) {
            c.setFh(new Fh.Pseudo(server.pseudo().parentOf(f.export().share().path())));
            return OpResult.OK;
        }
        CheckedFileVolume volume = c.volume(f);
        FileAttributes d = c.attributes(f);
        requireDirectory(d);
        volume.requireAccess(d, FileVolume.ACCESS_EXECUTE);
        FileAttributes parent = volume.parent(f.node());
        c.setFh(new Fh.InExport(f.export(), parent.id()));
        return OpResult.OK;
    }

    OpResult getAttr(OpArgs.GetAttr a, Compound c) throws Exception {
        Attributes.FileInfo info = info(c, c.fh());
        int[] mask = Attributes.readable(a.mask());
        int lease = server.settings().leaseSeconds();
        XdrEncoder body = new XdrEncoder(Unpooled.buffer(256));
        Attributes.encode(body, info, mask, lease, Nfs4Status.NFS4_OK);
        ByteBuf bytes = body.buffer();
        return OpResult.ok(out -> out.buffer().writeBytes(bytes, bytes.readerIndex(), bytes.readableBytes()));
    }

    /** VERIFY (section 18.31) and NVERIFY (18.15): compare the values the client sent with ours. */
    OpResult verify(OpArgs.Verify a, Compound c) throws Exception {
        int[] mask = a.attrs().mask();
        if (Attributes.outside(mask, Attributes.SUPPORTED)) {
            throw new Nfs4Exception(
                    Nfs4Status.NFS4ERR_ATTRNOTSUPP, "unsupported attribute in " + Arrays.toString(mask));
        }
        if (Attributes.isSet(mask, Attributes.RDATTR_ERROR)
                || Attributes.isSet(mask, Attributes.TIME_ACCESS_SET)
                || Attributes.isSet(mask, Attributes.TIME_MODIFY_SET)) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_INVAL, "rdattr_error or a write-only attribute in VERIFY");
        }
        byte[] ours = Attributes.values(info(c, c.fh()), mask, server.settings().leaseSeconds());
        boolean same = Arrays.equals(ours, a.attrs().values());
        if (same != a.same()) {
            return OpResult.error(a.same() ? Nfs4Status.NFS4ERR_NOT_SAME : Nfs4Status.NFS4ERR_SAME);
        }
        return OpResult.OK;
    }

    /** ACCESS (section 18.1): what the mode bits allow, never modification on a read-only export or pseudo directory. */
    OpResult access(OpArgs.Access a, Compound c) throws Exception {
        Fh fh = c.fh();
        int wanted = a.access() & 0x3F;
        int allowed;
        if (fh instanceof Fh.InExport f) {
            CheckedFileVolume volume = c.volume(f);
            FileAttributes attrs = c.attributes(f);
            int bits =
                    volume.granted(attrs, FileVolume.ACCESS_READ | FileVolume.ACCESS_WRITE | FileVolume.ACCESS_EXECUTE);
            allowed = 0;
            if ((bits & FileVolume.ACCESS_READ) != 0) {
                allowed |= ACCESS4_READ;
            }
            if ((bits & FileVolume.ACCESS_WRITE) != 0) {
                allowed |= ACCESS4_MODIFY | ACCESS4_EXTEND | (attrs.isDirectory() ? ACCESS4_DELETE : 0);
            }
            if ((bits & FileVolume.ACCESS_EXECUTE) != 0) {
                allowed |= attrs.isDirectory() ? ACCESS4_LOOKUP : ACCESS4_EXECUTE;
            }
        } else {
            allowed = ACCESS4_READ | ACCESS4_LOOKUP;
        }
        int granted = allowed & wanted;
        return OpResult.ok(out -> out.writeInt(wanted).writeInt(granted)); // supported, access
    }

    /** SECINFO / SECINFO_NO_NAME (sections 18.29, 18.45): AUTH_SYS; the current filehandle is consumed. */
    OpResult secInfo(OpArgs.SecInfo a, Compound c) throws Exception {
        c.fh();
        if (a.name() != null) {
            lookup(new OpArgs.Lookup(a.name()), c);
        }
        c.clearFh();
        return OpResult.ok(out -> out.writeInt(1).writeInt(AUTH_SYS));
    }

    /**
     * READDIR (section 18.23): entries from the cookie on, each with the requested attributes, as many as fit
     * {@code maxcount}. Volume cookies are shifted by 2, since cookies 1 and 2 are reserved for "." and "..".
     */
    OpResult readDir(OpArgs.ReadDir a, Compound c) throws Exception {
        Fh fh = c.fh();
        if (a.cookie() == 1 || a.cookie() == 2) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_BAD_COOKIE, "cookie " + a.cookie() + " is reserved");
        }
        int[] mask = Attributes.readable(a.mask());
        int lease = server.settings().leaseSeconds();
        // verifier, then entries, then eof; the whole must fit maxcount
        int budget = a.maxCount() - 16;
        XdrEncoder entries = new XdrEncoder(Unpooled.buffer(1024));
        boolean eof;
        long verifier;
        int count = 0;
        if (fh instanceof Fh.Pseudo p) {
            List<PseudoFs.Child> children = server.pseudo().children(p.dir());
            int skip = a.cookie() == 0 ? 0 : (int) (a.cookie() - 2);
            verifier = 0;
            eof = true;
            for (int i = skip; i < children.size(); i++) {
                PseudoFs.Child child = children.get(i);
                if (!entry(entries, i + 3, child.name(), pseudoEntry(c, child), mask, lease, budget)) {
                    eof = false;
                    break;
                }
                count++;
            }
        } else {
            Fh.InExport dir = (Fh.InExport) fh;
            CheckedFileVolume volume = c.volume(dir);
            requireDirectory(c.attributes(dir));
            long cookie = a.cookie() == 0 ? 0 : a.cookie() - 2;
            int max = Math.max(1, Math.min(1024, a.maxCount() / 48));
            DirPage page = volume.readdir(dir.node(), cookie, a.cookie() == 0 ? 0 : a.verifier(), max);
            verifier = page.verifier();
            eof = page.eof();
            for (DirEntry e : page.entries()) {
                Attributes.FileInfo info = fileInfo(dir.export(), e.attributes());
                if (!entry(entries, e.cookie() + 2, e.name(), info, mask, lease, budget)) {
                    eof = false;
                    break;
                }
                count++;
            }
        }
        if (count == 0 && !eof) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_TOOSMALL, "maxcount " + a.maxCount() + " holds no entry");
        }
        boolean end = eof;
        long verf = verifier;
        ByteBuf list = entries.buffer();
        return OpResult.ok(out -> {
            out.writeHyper(verf); // cookieverf
            out.buffer().writeBytes(list, list.readerIndex(), list.readableBytes()); // entry4 list
            out.writeBool(false).writeBool(end); // no more entries, eof
        });
    }

    /** Appends one entry4 unless it would exceed {@code budget} bytes in all. */
    private static boolean entry(
            XdrEncoder entries, long cookie, String name, Attributes.FileInfo info, int[] mask, int lease, int budget)
            throws IOException {
        XdrEncoder e = new XdrEncoder(Unpooled.buffer(128));
        e.writeBool(true).writeUnsignedHyper(cookie).writeString(name, OpDecoder.MAX_NAME);
        Attributes.encode(e, info, mask, lease, Nfs4Status.NFS4_OK);
        if (entries.buffer().readableBytes() + e.buffer().readableBytes() > budget) {
            return false;
        }
        entries.buffer().writeBytes(e.buffer());
        return true;
    }

    /** A pseudo-fs entry: an export's root (its own fsid, mounted on the pseudo directory) or a pseudo directory. */
    private Attributes.FileInfo pseudoEntry(Compound c, PseudoFs.Child child) {
        if (child instanceof PseudoFs.ExportChild e) {
            try {
                server.access().volume(e.export(), c.context, c.credential); // the allow-list
                Fh.InExport root =
                        new Fh.InExport(e.export(), e.export().volume().root());
                return info(c, root);
            } catch (Exception ex) {
                return pseudoInfo(e.mountedOn()); // not allowed or unavailable: show the pseudo directory
            }
        }
        return pseudoInfo(((PseudoFs.DirChild) child).dir());
    }

    /** What GETATTR says of a filehandle. */
    Attributes.FileInfo info(Compound c, Fh fh) throws Exception {
        if (fh instanceof Fh.Pseudo p) {
            return pseudoInfo(p.dir());
        }
        Fh.InExport f = (Fh.InExport) fh;
        c.volume(f); // the allow-list
        return fileInfo(f.export(), c.attributes(f));
    }

    Attributes.FileInfo fileInfo(NfsExport export, FileAttributes attrs) {
        FileVolume volume = export.volume();
        long mountedOn = attrs.id().equals(volume.root())
                ? server.pseudo().mountedOn(export).id()
                : attrs.inode();
        return Attributes.of(
                attrs,
                EXPORT_FSID_MAJOR,
                export.share().id(),
                mountedOn,
                FileHandles.encode(export.share().id(), attrs.id()),
                volume::statfs);
    }

    private Attributes.FileInfo pseudoInfo(PseudoFs.Dir dir) {
        List<PseudoFs.Child> children = server.pseudo().children(dir);
        long change = children.stream().map(PseudoFs.Child::name).toList().hashCode() & 0xFFFF_FFFFL;
        return new Attributes.FileInfo(
                Attributes.NF4DIR,
                0555,
                2 + children.size(),
                0,
                0,
                4096,
                0,
                startNanos,
                startNanos,
                startNanos,
                change + 1,
                dir.id(),
                dir.id(),
                0,
                0,
                FileHandles.encodePseudo(dir.id()),
                () -> PSEUDO_STATS);
    }

    static void requireDirectory(FileAttributes a) throws Nfs4Exception {
        if (!a.isDirectory()) {
            throw new Nfs4Exception(
                    a.type() == FileType.SYMLINK ? Nfs4Status.NFS4ERR_SYMLINK : Nfs4Status.NFS4ERR_NOTDIR,
                    "inode " + a.inode() + " is not a directory");
        }
    }

    /** A component4 (section 14.2): not empty, no "/" or NUL, not "." or "..", at most 255 bytes. */
    static void checkName(String name) throws Nfs4Exception {
        if (name.isEmpty()) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_INVAL, "empty name");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_BADNAME, "name " + name);
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_BADCHAR, "name with / or NUL");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_NAMETOOLONG, "name of more than 255 bytes");
        }
    }
}
