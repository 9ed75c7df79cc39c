package dev.sgw.nfs.v3;

import dev.sgw.core.volume.FileAttributes;
import dev.sgw.nfs.FileHandles;
import dev.sgw.nfs.xdr.XdrDecoder;
import dev.sgw.nfs.xdr.XdrEncoder;
import dev.sgw.nfs.xdr.XdrException;

/**
 * The XDR of the NFSv3 types shared by many procedures (RFC 1813 section 2.6 and 2.5): {@code fattr3},
 * {@code post_op_attr}, {@code wcc_data}, {@code nfstime3}, {@code nfs_fh3}, {@code post_op_fh3},
 * {@code sattr3}. Stateless; the handlers never call it, the argument and result types do.
 */
final class Nfs3Xdr {
    /** {@code ftype3}. */
    static final int NF3REG = 1, NF3DIR = 2, NF3BLK = 3, NF3CHR = 4, NF3LNK = 5, NF3SOCK = 6, NF3FIFO = 7;
    /** Bytes of a {@code fattr3} and of a {@code post_op_attr} that holds one. */
    static final int FATTR3_BYTES = 84, POST_OP_ATTR_BYTES = 4 + FATTR3_BYTES;
    /** Bytes of a {@code post_op_fh3} holding one of our handles. */
    static final int POST_OP_FH_BYTES = 4 + 4 + FileHandles.LENGTH;
    /** Longest name and path decoded (longer is GARBAGE_ARGS; the volume's own limit gives NAMETOOLONG first). */
    static final int MAX_NAME = 4096, MAX_PATH = 4096;
    /** {@code time_how}. */
    static final int DONT_CHANGE = 0, SET_TO_SERVER_TIME = 1, SET_TO_CLIENT_TIME = 2;

    private static final long NANOS = 1_000_000_000L;

    private Nfs3Xdr() {}

    /** {@code nfs_fh3}: opaque of at most 64 bytes (decoded later, so a bad one is BADHANDLE, not garbage). */
    static byte[] readHandle(XdrDecoder in) {
        return in.readOpaque(FileHandles.NFS3_MAX_BYTES);
    }

    static String readName(XdrDecoder in) {
        return in.readString(MAX_NAME);
    }

    /** {@code nfstime3} as nanoseconds since the epoch. */
    static long readTime(XdrDecoder in) {
        long seconds = in.readUnsignedInt();
        long nanos = in.readUnsignedInt();
        if (nanos >= NANOS) {
            throw new XdrException("nfstime3 with " + nanos + " nanoseconds");
        }
        return seconds * NANOS + nanos;
    }

    /** {@code nfstime3} (8 bytes): unsigned seconds and nanoseconds. */
    static void writeTime(XdrEncoder out, long nanosSinceEpoch) {
        out.writeHyper(wireTime(nanosSinceEpoch));
    }

    /**
     * A time as its {@code nfstime3} reads as a big-endian 64-bit value (seconds in the high half), to
     * compare with a client's (SETATTR's guard); times before 1970 or after 2106 are clamped.
     */
    static long wireTime(long nanosSinceEpoch) {
        long seconds = Math.floorDiv(nanosSinceEpoch, NANOS);
        long nanos = Math.floorMod(nanosSinceEpoch, NANOS);
        if (seconds < 0) {
            return 0;
        }
        if (seconds > 0xFFFF_FFFFL) {
            return 0xFFFF_FFFFL << 32 | (NANOS - 1);
        }
        return seconds << 32 | nanos;
    }

    static int ftype(FileAttributes a) {
        return switch (a.type()) {
            case REGULAR -> NF3REG;
            case DIRECTORY -> NF3DIR;
            case SYMLINK -> NF3LNK;
        };
    }

    /** {@code fattr3} (84 bytes); {@code fsid} is the export's id, {@code fileid} the inode. */
    static void writeFattr3(XdrEncoder out, FileAttributes a, int fsid) {
        out.writeEnum(ftype(a)) // type (4)
                .writeUnsignedInt(a.mode() & 07777) // mode (4)
                .writeUnsignedInt(a.nlink() & 0xFFFF_FFFFL) // nlink (4)
                .writeUnsignedInt(a.uid() & 0xFFFF_FFFFL) // uid (4)
                .writeUnsignedInt(a.gid() & 0xFFFF_FFFFL) // gid (4)
                .writeUnsignedHyper(a.size()) // size (8)
                .writeUnsignedHyper(a.used()) // used (8)
                .writeInt(0)
                .writeInt(0) // rdev: specdata1, specdata2 (8)
                .writeUnsignedHyper(fsid & 0xFFFF_FFFFL) // fsid (8)
                .writeUnsignedHyper(a.inode()); // fileid (8)
        writeTime(out, a.atime()); // atime (8)
        writeTime(out, a.mtime()); // mtime (8)
        writeTime(out, a.ctime()); // ctime (8)
    }

    /** {@code post_op_attr}: 4 bytes, plus the {@code fattr3} when known ({@code a != null}). */
    static void writePostOpAttr(XdrEncoder out, FileAttributes a, int fsid) {
        out.writeBool(a != null);
        if (a != null) {
            writeFattr3(out, a, fsid);
        }
    }

    /** {@code wcc_data}: {@code pre_op_attr} (bool + size, mtime, ctime) and {@code post_op_attr}. */
    static void writeWcc(XdrEncoder out, Wcc wcc, int fsid) {
        FileAttributes before = wcc == null ? null : wcc.before();
        out.writeBool(before != null);
        if (before != null) {
            out.writeUnsignedHyper(before.size()); // size (8)
            writeTime(out, before.mtime()); // mtime (8)
            writeTime(out, before.ctime()); // ctime (8)
        }
        writePostOpAttr(out, wcc == null ? null : wcc.after(), fsid);
    }

    /** {@code post_op_fh3}: 4 bytes, plus the handle when known. */
    static void writePostOpFh(XdrEncoder out, byte[] handle) {
        out.writeBool(handle != null);
        if (handle != null) {
            out.writeOpaque(handle, FileHandles.NFS3_MAX_BYTES);
        }
    }

    /** {@code sattr3}: each field is a switch on whether (or, for times, how) to set it. */
    static Sattr3 readSattr3(XdrDecoder in) {
        Integer mode = in.readBool() ? (int) (in.readUnsignedInt() & 07777) : null; // set_mode3
        Integer uid = in.readBool() ? in.readInt() : null; // set_uid3
        Integer gid = in.readBool() ? in.readInt() : null; // set_gid3
        Long size = in.readBool() ? in.readUnsignedHyper() : null; // set_size3
        if (size != null && size < 0) {
            throw new XdrException("size " + Long.toUnsignedString(size));
        }
        int atimeHow = readTimeHow(in); // set_atime
        long atime = atimeHow == SET_TO_CLIENT_TIME ? readTime(in) : 0;
        int mtimeHow = readTimeHow(in); // set_mtime
        long mtime = mtimeHow == SET_TO_CLIENT_TIME ? readTime(in) : 0;
        return new Sattr3(mode, uid, gid, size, atimeHow, atime, mtimeHow, mtime);
    }

    private static int readTimeHow(XdrDecoder in) {
        int how = in.readEnum();
        if (how < DONT_CHANGE || how > SET_TO_CLIENT_TIME) {
            throw new XdrException("time_how " + how);
        }
        return how;
    }

    /** {@code createverf3} / {@code writeverf3} / {@code cookieverf3}: 8 opaque bytes, here a long. */
    static long readVerifier(XdrDecoder in) {
        return in.readUnsignedHyper();
    }
}
