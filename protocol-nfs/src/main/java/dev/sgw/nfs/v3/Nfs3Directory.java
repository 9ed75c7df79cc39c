package dev.sgw.nfs.v3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.sgw.core.volume.DirEntry;
import dev.sgw.core.volume.DirPage;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.nfs.ExportAccess;
import dev.sgw.nfs.Nfs3Exception;
import dev.sgw.nfs.Nfs3Status;
import dev.sgw.nfs.v3.Nfs3Results.DirEntry3;
import dev.sgw.nfs.xdr.XdrDecoder;

/**
 * READDIR and READDIRPLUS (RFC 1813 sections 3.3.16 and 3.3.17) over {@link FileVolume#readdir}.
 *
 * <p>Cookies: the volume's listing has no {@code .} and {@code ..}, so they are added here with cookies 1
 * and 2, and a volume cookie {@code c} (never 0) is sent as {@code c + 2}:
 *
 * <pre>
 * client cookie | next entry sent
 * 0             | "."
 * 1             | ".."
 * 2             | the volume's first entry (volume cookie 0)
 * c >= 3        | the entry after volume cookie c - 2 (checked against the cookie verifier)
 * </pre>
 *
 * <p>Byte budgets, counted exactly as the reply is written: the whole result ({@code nfsstat3} included)
 * stays within READDIR's {@code count} and READDIRPLUS's {@code maxcount} (each capped at 1 MiB); for
 * READDIRPLUS the entries' directory part ({@code entry3}'s bytes: 24 + the padded name) stays within
 * {@code dircount}. When not even one entry fits the answer is NFS3ERR_TOOSMALL.
 */
final class Nfs3Directory {
    /** nfsstat3 (4), post_op_attr (88), cookieverf (8), the end of the list (4) and eof (4). */
    static final int FIXED_BYTES = 4 + Nfs3Xdr.POST_OP_ATTR_BYTES + 8 + 4 + 4;
    /** Largest reply built, whatever the client allows. */
    static final int MAX_REPLY = 1 << 20;
    /** Entries asked from the volume at once, at most. */
    private static final int MAX_PAGE = 1024;

    private static final long DOT = 1, DOT_DOT = 2;

    private final ExportAccess access;

    Nfs3Directory(ExportAccess access) {
        this.access = access;
    }

    Nfs3Results.Readdir readdir(Nfs3Args.Readdir a, Nfs3Request r) {
        ResolvedHandle d = null;
        FileAttributes dir = null;
        try {
            d = r.resolve(access, a.dir());
            dir = d.getattr();
            if (!dir.isDirectory()) {
                throw new Nfs3Exception(Nfs3Status.NFS3ERR_NOTDIR, "inode " + dir.inode() + " is not a directory");
            }
            d.volume().requireAccess(dir, FileVolume.ACCESS_READ);
            return list(a, d, dir);
        } catch (Exception e) {
            return new Nfs3Results.Readdir(
                    Nfs3Program.status(e), a.plus(), dir, 0, List.of(), false, ResolvedHandle.fsid(d));
        }
    }

    private Nfs3Results.Readdir list(Nfs3Args.Readdir a, ResolvedHandle d, FileAttributes dir) throws Exception {
        Budget budget = new Budget(a.plus(), Math.min(a.maxcount(), MAX_REPLY), Math.min(a.dircount(), MAX_REPLY));
        if (budget.used > budget.max) {
            throw new Nfs3Exception(Nfs3Status.NFS3ERR_TOOSMALL, "count " + a.maxcount() + " is below " + FIXED_BYTES);
        }
        List<DirEntry3> entries = new ArrayList<>();
        long cookie = a.cookie();
        if (cookie == 0 && !budget.add(entries, new DirEntry3(dir.inode(), ".", DOT, dir, d.handleOf(dir.id())))) {
            return tooSmallOrPartial(entries, a, dir, 0, d);
        }
        if (cookie <= DOT && !budget.add(entries, dotDot(d, dir))) {
            return tooSmallOrPartial(entries, a, dir, 0, d);
        }
        long volumeCookie = cookie <= DOT_DOT ? 0 : cookie - DOT_DOT;
        long verifier = cookie <= DOT_DOT ? 0 : a.verifier();
        while (true) {
            DirPage page = d.volume().readdir(d.node(), volumeCookie, verifier, budget.entriesThatMayFit());
            verifier = page.verifier();
            for (DirEntry e : page.entries()) {
                DirEntry3 entry = new DirEntry3(
                        e.attributes().inode(),
                        e.name(),
                        e.cookie() + DOT_DOT,
                        e.attributes(),
                        d.handleOf(e.attributes().id()));
                if (!budget.add(entries, entry)) {
                    return tooSmallOrPartial(entries, a, dir, verifier, d);
                }
                volumeCookie = e.cookie();
            }
            if (page.eof() || page.entries().isEmpty()) {
                return new Nfs3Results.Readdir(Nfs3Status.NFS3_OK, a.plus(), dir, verifier, entries, true, d.fsid());
            }
        }
    }

    /** A listing cut by the budget: what fit, not at eof, or TOOSMALL if nothing did. */
    private static Nfs3Results.Readdir tooSmallOrPartial(
            List<DirEntry3> entries, Nfs3Args.Readdir a, FileAttributes dir, long verifier, ResolvedHandle d)
            throws Nfs3Exception {
        if (entries.isEmpty()) {
            throw new Nfs3Exception(
                    Nfs3Status.NFS3ERR_TOOSMALL,
                    "not one entry fits in " + a.maxcount() + " / " + a.dircount() + " bytes");
        }
        return new Nfs3Results.Readdir(Nfs3Status.NFS3_OK, a.plus(), dir, verifier, entries, false, d.fsid());
    }

    /**
     * ".." : the parent directory's entry, with its file id, attributes and handle; at the root (an
     * export is its volume's root) the root's own entry, as ".." of the root stays there.
     */
    private static DirEntry3 dotDot(ResolvedHandle d, FileAttributes dir) throws IOException {
        FileAttributes parent =
                dir.inode() == FileVolume.ROOT_INODE ? dir : d.volume().parent(d.node());
        return new DirEntry3(parent.inode(), "..", DOT_DOT, parent, d.handleOf(parent.id()));
    }

    /** Bytes of an entry's directory part ({@code entry3}): follows flag, fileid, name, cookie. */
    static int dirBytes(String name) {
        return 4 + 8 + 4 + (int) XdrDecoder.padded(name.getBytes(StandardCharsets.UTF_8).length) + 8;
    }

    /** Bytes of an entry as written: {@code entry3}, or {@code entryplus3} with its attributes and handle. */
    static int entryBytes(DirEntry3 e, boolean plus) {
        int bytes = dirBytes(e.name());
        if (plus) {
            bytes += e.attributes() != null ? Nfs3Xdr.POST_OP_ATTR_BYTES : 4;
            bytes += e.handle() != null ? Nfs3Xdr.POST_OP_FH_BYTES : 4;
        }
        return bytes;
    }

    /** What is left of the client's byte budgets. */
    private static final class Budget {
        final boolean plus;
        final long max;
        final long dirMax;
        long used = FIXED_BYTES;
        long dirUsed;

        Budget(boolean plus, long max, long dirMax) {
            this.plus = plus;
            this.max = max;
            this.dirMax = plus ? dirMax : max;
        }

        /** Adds the entry if it fits in both budgets. */
        boolean add(List<DirEntry3> entries, DirEntry3 e) {
            long bytes = entryBytes(e, plus);
            long dirBytes = dirBytes(e.name());
            if (used + bytes > max || dirUsed + dirBytes > dirMax) {
                return false;
            }
            used += bytes;
            dirUsed += dirBytes;
            entries.add(e);
            return true;
        }

        /** How many more entries of the shortest name could fit, plus one to learn whether more follow. */
        int entriesThatMayFit() {
            int smallest = dirBytes("x") + (plus ? Nfs3Xdr.POST_OP_ATTR_BYTES + Nfs3Xdr.POST_OP_FH_BYTES : 0);
            long byMax = (max - used) / smallest;
            long byDir = (dirMax - dirUsed) / dirBytes("x");
            return (int) Math.max(1, Math.min(MAX_PAGE, Math.min(byMax, byDir) + 1));
        }
    }
}
