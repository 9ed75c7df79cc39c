package dev.sgw.nfs.v3;

import dev.sgw.nfs.xdr.XdrDecoder;
import dev.sgw.nfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;

/**
 * The decoded arguments of the NFSv3 procedures (RFC 1813 section 3.3), one record per shape. Decoding
 * only parses: file handles stay opaque bytes (checked by the handler, so a bad one is answered
 * NFS3ERR_BADHANDLE rather than GARBAGE_ARGS) and nothing touches the volume. Malformed input throws
 * {@link XdrException}.
 */
// the array components are wire fields carried as decoded; these records are never compared or used as keys
@SuppressWarnings("ArrayRecordComponent")
sealed interface Nfs3Args {

    /** GETATTR, READLINK, FSSTAT, FSINFO, PATHCONF: {@code nfs_fh3 object}. */
    record Handle(byte[] handle) implements Nfs3Args {}

    /** SETATTR3args (3.3.2); {@code guardCtime} is the {@code nfstime3} as a 64-bit value, or null. */
    record Setattr(byte[] handle, Sattr3 attributes, Long guardCtime) implements Nfs3Args {}

    /** LOOKUP, REMOVE, RMDIR: {@code diropargs3}. */
    record DirOp(byte[] dir, String name) implements Nfs3Args {}

    /** ACCESS3args (3.3.4): the {@code ACCESS3_*} bits asked. */
    record Access(byte[] handle, int access) implements Nfs3Args {}

    /** READ3args (3.3.6). */
    record Read(byte[] handle, long offset, long count) implements Nfs3Args {}

    /** WRITE3args (3.3.7); {@code data} is a slice of the call record, valid while the call runs. */
    record Write(byte[] handle, long offset, long count, int stable, ByteBuf data) implements Nfs3Args {}

    /** CREATE3args (3.3.8): {@code mode} is a {@code createmode3}; EXCLUSIVE carries a verifier instead of attributes. */
    record Create(byte[] dir, String name, int mode, Sattr3 attributes, long verifier) implements Nfs3Args {}

    /** MKDIR3args (3.3.9). */
    record Mkdir(byte[] dir, String name, Sattr3 attributes) implements Nfs3Args {}

    /** SYMLINK3args (3.3.10). */
    record Symlink(byte[] dir, String name, Sattr3 attributes, String target) implements Nfs3Args {}

    /** MKNOD3args (3.3.11): the {@code ftype3} asked (its device data or attributes are read and dropped). */
    record Mknod(byte[] dir, String name, int type) implements Nfs3Args {}

    /** RENAME3args (3.3.14). */
    record Rename(byte[] fromDir, String fromName, byte[] toDir, String toName) implements Nfs3Args {}

    /** LINK3args (3.3.15). */
    record Link(byte[] handle, byte[] dir, String name) implements Nfs3Args {}

    /**
     * READDIR3args (3.3.16) and READDIRPLUS3args (3.3.17); READDIR has only {@code maxcount} (its
     * {@code count}), and {@code dircount} equals it.
     */
    record Readdir(byte[] dir, long cookie, long verifier, long dircount, long maxcount, boolean plus)
            implements Nfs3Args {}

    /** COMMIT3args (3.3.21). */
    record Commit(byte[] handle, long offset, long count) implements Nfs3Args {}

    /** {@code createmode3}. */
    int UNCHECKED = 0, GUARDED = 1, EXCLUSIVE = 2;
    /** {@code stable_how}. */
    int UNSTABLE = 0, DATA_SYNC = 1, FILE_SYNC = 2;
    /** Largest WRITE accepted: the record limit of the RPC server is a little above it. */
    int MAX_WRITE = 1 << 20;

    static Handle handle(XdrDecoder in) {
        return end(in, new Handle(Nfs3Xdr.readHandle(in)));
    }

    static Setattr setattr(XdrDecoder in) {
        byte[] handle = Nfs3Xdr.readHandle(in); // object
        Sattr3 attributes = Nfs3Xdr.readSattr3(in); // new_attributes
        Long guard = in.readBool() ? in.readHyper() : null; // sattrguard3: check, obj_ctime
        return end(in, new Setattr(handle, attributes, guard));
    }

    static DirOp dirOp(XdrDecoder in) {
        return end(in, new DirOp(Nfs3Xdr.readHandle(in), Nfs3Xdr.readName(in)));
    }

    static Access access(XdrDecoder in) {
        return end(in, new Access(Nfs3Xdr.readHandle(in), in.readInt()));
    }

    static Read read(XdrDecoder in) {
        return end(in, new Read(Nfs3Xdr.readHandle(in), offset(in), in.readUnsignedInt()));
    }

    static Write write(XdrDecoder in) {
        byte[] handle = Nfs3Xdr.readHandle(in);
        long offset = offset(in);
        long count = in.readUnsignedInt();
        int stable = in.readEnum();
        if (stable < UNSTABLE || stable > FILE_SYNC) {
            throw new XdrException("stable_how " + stable);
        }
        ByteBuf data = in.readOpaqueSlice(MAX_WRITE);
        return end(in, new Write(handle, offset, count, stable, data));
    }

    static Create create(XdrDecoder in) {
        byte[] dir = Nfs3Xdr.readHandle(in);
        String name = Nfs3Xdr.readName(in);
        int mode = in.readEnum();
        return end(
                in,
                switch (mode) {
                    case UNCHECKED, GUARDED -> new Create(dir, name, mode, Nfs3Xdr.readSattr3(in), 0);
                    case EXCLUSIVE -> new Create(dir, name, mode, Sattr3.NONE, Nfs3Xdr.readVerifier(in));
                    default -> throw new XdrException("createmode3 " + mode);
                });
    }

    static Mkdir mkdir(XdrDecoder in) {
        return end(in, new Mkdir(Nfs3Xdr.readHandle(in), Nfs3Xdr.readName(in), Nfs3Xdr.readSattr3(in)));
    }

    static Symlink symlink(XdrDecoder in) {
        byte[] dir = Nfs3Xdr.readHandle(in);
        String name = Nfs3Xdr.readName(in);
        Sattr3 attributes = Nfs3Xdr.readSattr3(in);
        return end(in, new Symlink(dir, name, attributes, in.readString(Nfs3Xdr.MAX_PATH)));
    }

    static Mknod mknod(XdrDecoder in) {
        byte[] dir = Nfs3Xdr.readHandle(in);
        String name = Nfs3Xdr.readName(in);
        int type = in.readEnum();
        switch (type) {
            case Nfs3Xdr.NF3CHR, Nfs3Xdr.NF3BLK -> {
                Nfs3Xdr.readSattr3(in); // dev_attributes
                in.readUnsignedInt(); // spec: specdata1
                in.readUnsignedInt(); //       specdata2
            }
            case Nfs3Xdr.NF3SOCK, Nfs3Xdr.NF3FIFO -> Nfs3Xdr.readSattr3(in); // pipe_attributes
            case Nfs3Xdr.NF3REG, Nfs3Xdr.NF3DIR, Nfs3Xdr.NF3LNK -> {} // void
            default -> throw new XdrException("ftype3 " + type);
        }
        return end(in, new Mknod(dir, name, type));
    }

    static Rename rename(XdrDecoder in) {
        return end(
                in,
                new Rename(Nfs3Xdr.readHandle(in), Nfs3Xdr.readName(in), Nfs3Xdr.readHandle(in), Nfs3Xdr.readName(in)));
    }

    static Link link(XdrDecoder in) {
        return end(in, new Link(Nfs3Xdr.readHandle(in), Nfs3Xdr.readHandle(in), Nfs3Xdr.readName(in)));
    }

    static Readdir readdir(XdrDecoder in) {
        byte[] dir = Nfs3Xdr.readHandle(in);
        long cookie = in.readUnsignedHyper();
        long verifier = Nfs3Xdr.readVerifier(in);
        long count = in.readUnsignedInt();
        return end(in, new Readdir(dir, cookie, verifier, count, count, false));
    }

    static Readdir readdirplus(XdrDecoder in) {
        byte[] dir = Nfs3Xdr.readHandle(in);
        long cookie = in.readUnsignedHyper();
        long verifier = Nfs3Xdr.readVerifier(in);
        long dircount = in.readUnsignedInt();
        long maxcount = in.readUnsignedInt();
        return end(in, new Readdir(dir, cookie, verifier, dircount, maxcount, true));
    }

    static Commit commit(XdrDecoder in) {
        return end(in, new Commit(Nfs3Xdr.readHandle(in), offset(in), in.readUnsignedInt()));
    }

    /** {@code offset3}: an unsigned 64-bit offset; beyond 2^63 - 1 is not a file offset here. */
    private static long offset(XdrDecoder in) {
        long offset = in.readUnsignedHyper();
        if (offset < 0) {
            throw new XdrException("offset " + Long.toUnsignedString(offset));
        }
        return offset;
    }

    private static <T extends Nfs3Args> T end(XdrDecoder in, T args) {
        in.requireEnd();
        return args;
    }
}
