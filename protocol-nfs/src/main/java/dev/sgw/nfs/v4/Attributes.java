package dev.sgw.nfs.v4;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FsStats;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.nfs.Nfs4Exception;
import dev.sgw.nfs.Nfs4Status;
import dev.sgw.nfs.v4.OpArgs.Fattr;
import dev.sgw.nfs.xdr.XdrDecoder;
import dev.sgw.nfs.xdr.XdrEncoder;
import dev.sgw.nfs.xdr.XdrException;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * The {@code fattr4} codec (RFC 8881 section 5): which attributes we support, their values for a file
 * ({@link #encode}) and the settable ones decoded for SETATTR, OPEN and CREATE ({@link #decodeSet}). Owners
 * are numeric strings; SETATTR also takes {@code name@domain} for the configured domain (numeric names,
 * {@code root} and {@code nobody}).
 */
final class Attributes {
    static final int NF4REG = 1, NF4DIR = 2, NF4BLK = 3, NF4CHR = 4, NF4LNK = 5, NF4SOCK = 6, NF4FIFO = 7;
    static final int SUPPORTED_ATTRS = 0,
            TYPE = 1,
            FH_EXPIRE_TYPE = 2,
            CHANGE = 3,
            SIZE = 4,
            LINK_SUPPORT = 5,
            SYMLINK_SUPPORT = 6,
            NAMED_ATTR = 7,
            FSID = 8,
            UNIQUE_HANDLES = 9,
            LEASE_TIME = 10,
            RDATTR_ERROR = 11,
            CANSETTIME = 15,
            CASE_INSENSITIVE = 16,
            CASE_PRESERVING = 17,
            CHOWN_RESTRICTED = 18,
            FILEHANDLE = 19,
            FILEID = 20,
            FILES_AVAIL = 21,
            FILES_FREE = 22,
            FILES_TOTAL = 23,
            HOMOGENEOUS = 26,
            MAXFILESIZE = 27,
            MAXLINK = 28,
            MAXNAME = 29,
            MAXREAD = 30,
            MAXWRITE = 31,
            MODE = 33,
            NO_TRUNC = 34,
            NUMLINKS = 35,
            OWNER = 36,
            OWNER_GROUP = 37,
            RAWDEV = 41,
            SPACE_AVAIL = 42,
            SPACE_FREE = 43,
            SPACE_TOTAL = 44,
            SPACE_USED = 45,
            TIME_ACCESS = 47,
            TIME_ACCESS_SET = 48,
            TIME_DELTA = 51,
            TIME_METADATA = 52,
            TIME_MODIFY = 53,
            TIME_MODIFY_SET = 54,
            MOUNTED_ON_FILEID = 55,
            FS_LAYOUT_TYPE = 62,
            SUPPATTR_EXCLCREAT = 75;

    static final int[] SUPPORTED = bitmap(
            SUPPORTED_ATTRS,
            TYPE,
            FH_EXPIRE_TYPE,
            CHANGE,
            SIZE,
            LINK_SUPPORT,
            SYMLINK_SUPPORT,
            NAMED_ATTR,
            FSID,
            UNIQUE_HANDLES,
            LEASE_TIME,
            RDATTR_ERROR,
            CANSETTIME,
            CASE_INSENSITIVE,
            CASE_PRESERVING,
            CHOWN_RESTRICTED,
            FILEHANDLE,
            FILEID,
            FILES_AVAIL,
            FILES_FREE,
            FILES_TOTAL,
            HOMOGENEOUS,
            MAXFILESIZE,
            MAXLINK,
            MAXNAME,
            MAXREAD,
            MAXWRITE,
            MODE,
            NO_TRUNC,
            NUMLINKS,
            OWNER,
            OWNER_GROUP,
            RAWDEV,
            SPACE_AVAIL,
            SPACE_FREE,
            SPACE_TOTAL,
            SPACE_USED,
            TIME_ACCESS,
            TIME_ACCESS_SET,
            TIME_DELTA,
            TIME_METADATA,
            TIME_MODIFY,
            TIME_MODIFY_SET,
            MOUNTED_ON_FILEID,
            FS_LAYOUT_TYPE,
            SUPPATTR_EXCLCREAT);
    /** What SETATTR may change. */
    static final int[] SETTABLE = bitmap(SIZE, MODE, OWNER, OWNER_GROUP, TIME_ACCESS_SET, TIME_MODIFY_SET);
    /**
     * What EXCLUSIVE4_1 takes with its verifier: everything SETATTR takes, times included (the volume keeps
     * the verifier apart from the file's times).
     */
    static final int[] EXCLCREAT = SETTABLE;

    static final int MAX_READ = 1024 * 1024;
    static final long MAX_LINKS = 65_000;

    /** What GETATTR describes about one file; {@code stats} is asked only when a space or file count is wanted. */
    // the array components are wire fields carried as decoded; the record is never compared or used as a key
    @SuppressWarnings("ArrayRecordComponent")
    record FileInfo(
            int type,
            int mode,
            int nlink,
            int uid,
            int gid,
            long size,
            long used,
            long atime,
            long mtime,
            long ctime,
            long change,
            long fileId,
            long mountedOnFileId,
            long fsidMajor,
            long fsidMinor,
            byte[] handle,
            StatsSource stats) {}

    /** The volume's statistics, fetched on demand. */
    @FunctionalInterface
    interface StatsSource {
        FsStats get() throws IOException;
    }

    /** An attribute change decoded from {@code fattr4}: the change and the mask of what it sets. */
    // the array components are wire fields carried as decoded; the record is never compared or used as a key
    @SuppressWarnings("ArrayRecordComponent")
    record Change(SetAttributes set, int[] mask, boolean serverTime) {}

    private Attributes() {}

    static int nf4Type(FileAttributes a) {
        return switch (a.type()) {
            case REGULAR -> NF4REG;
            case DIRECTORY -> NF4DIR;
            case SYMLINK -> NF4LNK;
        };
    }

    /** The file info of a volume file. */
    static FileInfo of(
            FileAttributes a, long fsidMajor, long fsidMinor, long mountedOnFileId, byte[] handle, StatsSource stats) {
        return new FileInfo(
                nf4Type(a),
                a.mode(),
                a.nlink(),
                a.uid(),
                a.gid(),
                a.size(),
                a.used(),
                a.atime(),
                a.mtime(),
                a.ctime(),
                a.change(),
                a.inode(),
                mountedOnFileId,
                fsidMajor,
                fsidMinor,
                handle,
                stats);
    }

    static int[] bitmap(int... attrs) {
        int words = 0;
        for (int a : attrs) {
            words = Math.max(words, a / 32 + 1);
        }
        int[] mask = new int[words];
        for (int a : attrs) {
            mask[a / 32] |= 1 << (a % 32);
        }
        return mask;
    }

    static boolean isSet(int[] mask, int attr) {
        return attr / 32 < mask.length && (mask[attr / 32] & (1 << (attr % 32))) != 0;
    }

    /** {@code a & b}, trimmed of trailing zero words. */
    static int[] and(int[] a, int[] b) {
        int[] r = new int[Math.min(a.length, b.length)];
        for (int i = 0; i < r.length; i++) {
            r[i] = a[i] & b[i];
        }
        int n = r.length;
        while (n > 0 && r[n - 1] == 0) {
            n--;
        }
        return Arrays.copyOf(r, n);
    }

    /** Whether {@code mask} has a bit outside {@code allowed}. */
    static boolean outside(int[] mask, int[] allowed) {
        for (int i = 0; i < mask.length; i++) {
            int ok = i < allowed.length ? allowed[i] : 0;
            if ((mask[i] & ~ok) != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes the {@code fattr4} of {@code file} for the {@code wanted} attributes we support; {@code rdattrError}
     * is the value of rdattr_error (READDIR).
     */
    static void encode(XdrEncoder out, FileInfo file, int[] wanted, int leaseSeconds, Nfs4Status rdattrError)
            throws IOException {
        int[] mask = and(wanted, SUPPORTED);
        XdrEncoder v = new XdrEncoder(Unpooled.buffer(256));
        FsStats stats = null;
        for (int attr = 0; attr < mask.length * 32; attr++) {
            if (!isSet(mask, attr)) {
                continue;
            }
            if (stats == null && needsStats(attr)) {
                stats = file.stats().get();
            }
            value(v, attr, file, stats, leaseSeconds, rdattrError);
        }
        out.writeIntArray(mask, OpDecoder.MAX_BITMAP);
        out.writeOpaque(v.buffer(), Integer.MAX_VALUE);
    }

    /** The attribute values alone (for VERIFY), as {@link #encode} would send them for {@code mask}. */
    static byte[] values(FileInfo file, int[] mask, int leaseSeconds) throws IOException {
        XdrEncoder out = new XdrEncoder();
        encode(out, file, mask, leaseSeconds, Nfs4Status.NFS4_OK);
        XdrDecoder in = new XdrDecoder(out.buffer());
        OpDecoder.bitmap(in);
        return in.readOpaque(Integer.MAX_VALUE);
    }

    private static boolean needsStats(int attr) {
        return (attr >= FILES_AVAIL && attr <= FILES_TOTAL)
                || attr == MAXFILESIZE
                || attr == MAXNAME
                || (attr >= SPACE_AVAIL && attr <= SPACE_TOTAL);
    }

    private static void value(XdrEncoder v, int attr, FileInfo f, FsStats s, int lease, Nfs4Status rdattrError) {
        switch (attr) {
            case SUPPORTED_ATTRS -> v.writeIntArray(SUPPORTED, OpDecoder.MAX_BITMAP);
            case TYPE -> v.writeInt(f.type());
            case FH_EXPIRE_TYPE -> v.writeInt(0); // FH4_PERSISTENT
            case CHANGE -> v.writeHyper(f.change());
            case SIZE -> v.writeHyper(f.size());
            case LINK_SUPPORT,
                    SYMLINK_SUPPORT,
                    UNIQUE_HANDLES,
                    CANSETTIME,
                    CASE_PRESERVING,
                    CHOWN_RESTRICTED,
                    HOMOGENEOUS,
                    NO_TRUNC -> v.writeBool(true);
            case NAMED_ATTR, CASE_INSENSITIVE -> v.writeBool(false);
            case FSID -> v.writeHyper(f.fsidMajor()).writeHyper(f.fsidMinor());
            case LEASE_TIME -> v.writeInt(lease);
            case RDATTR_ERROR -> v.writeInt(rdattrError.code());
            case FILEHANDLE -> v.writeOpaque(f.handle(), 128);
            case FILEID -> v.writeHyper(f.fileId());
            case FILES_AVAIL, FILES_FREE -> v.writeHyper(s.freeFiles());
            case FILES_TOTAL -> v.writeHyper(s.totalFiles());
            case MAXFILESIZE -> v.writeHyper(s.maxFileBytes());
            case MAXLINK -> v.writeInt((int) MAX_LINKS);
            case MAXNAME -> v.writeInt(s.maxNameBytes());
            case MAXREAD, MAXWRITE -> v.writeHyper(MAX_READ);
            case MODE -> v.writeInt(f.mode() & 07777);
            case NUMLINKS -> v.writeInt(f.nlink());
            case OWNER -> v.writeString(Integer.toUnsignedString(f.uid()), 64);
            case OWNER_GROUP -> v.writeString(Integer.toUnsignedString(f.gid()), 64);
            case RAWDEV -> v.writeInt(0).writeInt(0);
            case SPACE_AVAIL, SPACE_FREE -> v.writeHyper(s.freeBytes());
            case SPACE_TOTAL -> v.writeHyper(s.totalBytes());
            case SPACE_USED -> v.writeHyper(f.used());
            case TIME_ACCESS -> time(v, f.atime());
            case TIME_DELTA -> v.writeHyper(0).writeInt(1);
            case TIME_METADATA -> time(v, f.ctime());
            case TIME_MODIFY -> time(v, f.mtime());
            case MOUNTED_ON_FILEID -> v.writeHyper(f.mountedOnFileId());
            case FS_LAYOUT_TYPE -> v.writeInt(0); // no layout types
            case SUPPATTR_EXCLCREAT -> v.writeIntArray(EXCLCREAT, OpDecoder.MAX_BITMAP);
            // write-only attributes (TIME_*_SET) are never returned
            default -> throw new IllegalStateException("attribute " + attr + " has no value");
        }
    }

    private static void time(XdrEncoder v, long nanos) {
        v.writeHyper(Math.floorDiv(nanos, 1_000_000_000L)).writeInt((int) Math.floorMod(nanos, 1_000_000_000L));
    }

    /** Removes the write-only attributes from a GETATTR mask (they are never returned). */
    static int[] readable(int[] mask) {
        int[] r = mask.clone();
        if (r.length > 1) {
            r[1] &= ~((1 << (TIME_ACCESS_SET - 32)) | (1 << (TIME_MODIFY_SET - 32)));
        }
        return r;
    }

    /**
     * The change an {@code fattr4} asks for: ATTRNOTSUPP for an attribute we do not have, INVAL for one that
     * cannot be set (or is outside {@code allowed}), BADOWNER for an owner we cannot map, BADXDR for a value
     * that does not decode.
     */
    static Change decodeSet(Fattr attrs, int[] allowed, String domain, long now) throws Nfs4Exception {
        int[] mask = attrs.mask();
        if (outside(mask, SUPPORTED)) {
            throw new Nfs4Exception(
                    Nfs4Status.NFS4ERR_ATTRNOTSUPP, "unsupported attribute in " + Arrays.toString(mask));
        }
        if (outside(mask, allowed)) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_INVAL, "read-only attribute in " + Arrays.toString(mask));
        }
        XdrDecoder in = new XdrDecoder(Unpooled.wrappedBuffer(attrs.values()));
        Integer mode = null, uid = null, gid = null;
        Long size = null, atime = null, mtime = null;
        boolean serverTime = false;
        try {
            if (isSet(mask, SIZE)) {
                size = in.readUnsignedHyper();
                if (size < 0) {
                    throw new Nfs4Exception(Nfs4Status.NFS4ERR_FBIG, "size " + Long.toUnsignedString(size));
                }
            }
            if (isSet(mask, MODE)) {
                mode = in.readInt() & 07777;
            }
            if (isSet(mask, OWNER)) {
                uid = id(in.readString(1024), domain, "owner");
            }
            if (isSet(mask, OWNER_GROUP)) {
                gid = id(in.readString(1024), domain, "group");
            }
            if (isSet(mask, TIME_ACCESS_SET)) {
                atime = setTime(in, now);
                serverTime |= atime == now;
            }
            if (isSet(mask, TIME_MODIFY_SET)) {
                mtime = setTime(in, now);
                serverTime |= mtime == now;
            }
            in.requireEnd();
        } catch (XdrException e) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_BADXDR, "attributes: " + e.getMessage());
        }
        return new Change(new SetAttributes(mode, uid, gid, size, atime, mtime), and(mask, SETTABLE), serverTime);
    }

    private static long setTime(XdrDecoder in, long now) throws Nfs4Exception {
        int how = in.readInt(); // time_how4
        if (how == 0) {
            return now; // SET_TO_SERVER_TIME4
        }
        if (how != 1) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_INVAL, "time_how4 " + how);
        }
        long seconds = in.readHyper();
        long nanos = in.readUnsignedInt();
        if (nanos >= 1_000_000_000L) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_INVAL, "nseconds " + nanos);
        }
        return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nanos);
    }

    /** A numeric id from an owner string: {@code 1000}, or {@code 1000@domain}, {@code root@domain}, {@code nobody@domain}. */
    static int id(String owner, String domain, String what) throws Nfs4Exception {
        String name = owner;
        int at = owner.lastIndexOf('@');
        if (at >= 0) {
            if (!owner.substring(at + 1).toLowerCase(Locale.ROOT).equals(domain.toLowerCase(Locale.ROOT))) {
                throw new Nfs4Exception(
                        Nfs4Status.NFS4ERR_BADOWNER, what + " " + owner + " is not of domain " + domain);
            }
            name = owner.substring(0, at);
        }
        if (name.equals("root")) {
            return 0;
        }
        if (name.equals("nobody") || name.equals("nogroup")) {
            return 65534;
        }
        try {
            long id = Long.parseLong(name);
            if (id < 0 || id > 0xFFFF_FFFFL) {
                throw new NumberFormatException();
            }
            return (int) id;
        } catch (NumberFormatException e) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_BADOWNER, what + " " + owner + " is not a numeric id");
        }
    }

    /** The bytes of an {@code fattr4} for tests and VERIFY: mask and values. */
    static byte[] toBytes(int[] mask, byte[] values) {
        return ByteBufUtil.getBytes(new XdrEncoder()
                .writeIntArray(mask, OpDecoder.MAX_BITMAP)
                .writeOpaque(values, Integer.MAX_VALUE)
                .buffer());
    }
}
