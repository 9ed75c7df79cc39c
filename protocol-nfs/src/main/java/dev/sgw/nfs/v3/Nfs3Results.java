package dev.sgw.nfs.v3;

import java.util.List;

import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FsStats;
import dev.sgw.nfs.FileHandles;
import dev.sgw.nfs.Nfs3Status;
import dev.sgw.nfs.xdr.XdrEncoder;
import dev.sgw.nfs.xdr.XdrWritable;
import io.netty.buffer.ByteBuf;

/**
 * The results of the NFSv3 procedures (RFC 1813 section 3.3), one record per shape, each writing its own
 * XDR: the {@code nfsstat3}, then the {@code resok} arm when the status is NFS3_OK, else the
 * {@code resfail} arm (which for most procedures still carries attributes or {@code wcc_data}).
 * {@code fsid} is the export's id, written in every {@code fattr3}.
 */
// the array components are wire fields carried as decoded; these records are never compared or used as keys
@SuppressWarnings("ArrayRecordComponent")
final class Nfs3Results {
    private Nfs3Results() {}

    /** GETATTR3res (3.3.1): the attributes on success, nothing else on failure. */
    record Attr(Nfs3Status status, FileAttributes attributes, int fsid) implements XdrWritable {
        @Override
        public void writeTo(XdrEncoder out) {
            out.writeEnum(status.code());
            if (status == Nfs3Status.NFS3_OK) {
                Nfs3Xdr.writeFattr3(out, attributes, fsid);
            }
        }
    }

    /** SETATTR3res, REMOVE3res, RMDIR3res: {@code wcc_data} whatever the status. */
    record WccOnly(Nfs3Status status, Wcc wcc, int fsid) implements XdrWritable {
        @Override
        public void writeTo(XdrEncoder out) {
            out.writeEnum(status.code());
            Nfs3Xdr.writeWcc(out, wcc, fsid);
        }
    }

    /** LOOKUP3res (3.3.3): handle, object and directory attributes; on failure the directory's. */
    record Lookup(Nfs3Status status, byte[] handle, FileAttributes object, FileAttributes dir, int fsid)
            implements XdrWritable {
        @Override
        public void writeTo(XdrEncoder out) {
            out.writeEnum(status.code());
            if (status == Nfs3Status.NFS3_OK) {
                out.writeOpaque(handle, FileHandles.NFS3_MAX_BYTES); // object
                Nfs3Xdr.writePostOpAttr(out, object, fsid); // obj_attributes
            }
            Nfs3Xdr.writePostOpAttr(out, dir, fsid); // dir_attributes
        }
    }

    /** ACCESS3res (3.3.4). */
    record Access(Nfs3Status status, FileAttributes object, int access, int fsid) implements XdrWritable {
        @Override
        public void writeTo(XdrEncoder out) {
            out.writeEnum(status.code());
            Nfs3Xdr.writePostOpAttr(out, object, fsid);
            if (status == Nfs3Status.NFS3_OK) {
                out.writeInt(access);
            }
        }
    }

    /** READLINK3res (3.3.5). */
    record Readlink(Nfs3Status status, FileAttributes object, String target, int fsid) implements XdrWritable {
        @Override
        public void writeTo(XdrEncoder out) {
            out.writeEnum(status.code());
            Nfs3Xdr.writePostOpAttr(out, object, fsid);
            if (status == Nfs3Status.NFS3_OK) {
                out.writeString(target, Nfs3Xdr.MAX_PATH);
            }
        }
    }

    /**
     * READ3res (3.3.6). The data is a (pooled, direct) buffer filled by the volume; it is written into the
     * reply with one copy, after the reply buffer grew once to its final size, and released then.
     */
    record Read(Nfs3Status status, FileAttributes object, boolean eof, ByteBuf data, int fsid) implements XdrWritable {
        @Override
        public void writeTo(XdrEncoder out) {
            try {
                out.writeEnum(status.code());
                Nfs3Xdr.writePostOpAttr(out, object, fsid); // file_attributes
                if (status == Nfs3Status.NFS3_OK) {
                    int count = data == null ? 0 : data.readableBytes();
                    out.buffer().ensureWritable(12 + count + 3);
                    out.writeUnsignedInt(count).writeBool(eof); // count, eof
                    if (data == null) {
                        out.writeOpaque(new byte[0], 0);
                    } else {
                        out.writeOpaque(data, Nfs3Args.MAX_WRITE); // data
                    }
                }
            } finally {
                if (data != null) {
                    data.release();
                }
            }
        }
    }

    /** WRITE3res (3.3.7): {@code committed} is a {@code stable_how}. */
    record Write(Nfs3Status status, Wcc wcc, long count, int committed, long verifier, int fsid)
            implements XdrWritable {
        @Override
        public void writeTo(XdrEncoder out) {
            out.writeEnum(status.code());
            Nfs3Xdr.writeWcc(out, wcc, fsid); // file_wcc
            if (status == Nfs3Status.NFS3_OK) {
                out.writeUnsignedInt(count) // count
                        .writeEnum(committed) // committed
                        .writeUnsignedHyper(verifier); // verf (8)
            }
        }
    }

    /** CREATE3res, MKDIR3res, SYMLINK3res, MKNOD3res (3.3.8-11). */
    record Created(Nfs3Status status, byte[] handle, FileAttributes object, Wcc dir, int fsid) implements XdrWritable {
        @Override
        public void writeTo(XdrEncoder out) {
            out.writeEnum(status.code());
            if (status == Nfs3Status.NFS3_OK) {
                Nfs3Xdr.writePostOpFh(out, handle); // obj
                Nfs3Xdr.writePostOpAttr(out, object, fsid); // obj_attributes
            }
            Nfs3Xdr.writeWcc(out, dir, fsid); // dir_wcc
        }
    }

    /** RENAME3res (3.3.14): both directories' {@code wcc_data} whatever the status. */
    record Rename(Nfs3Status status, Wcc from, Wcc to, int fsid) implements XdrWritable {
        @Override
        public void writeTo(XdrEncoder out) {
            out.writeEnum(status.code());
            Nfs3Xdr.writeWcc(out, from, fsid); // fromdir_wcc
            Nfs3Xdr.writeWcc(out, to, fsid); // todir_wcc
        }
    }

    /** LINK3res (3.3.15): the file's attributes and the directory's {@code wcc_data} whatever the status. */
    record Link(Nfs3Status status, FileAttributes file, Wcc dir, int fsid) implements XdrWritable {
        @Override
        public void writeTo(XdrEncoder out) {
            out.writeEnum(status.code());
            Nfs3Xdr.writePostOpAttr(out, file, fsid); // file_attributes
            Nfs3Xdr.writeWcc(out, dir, fsid); // linkdir_wcc
        }
    }

    /**
     * One entry of READDIR ({@code entry3}) or READDIRPLUS ({@code entryplus3}); the attributes and
     * handle only go out in READDIRPLUS, each may be missing.
     */
    record DirEntry3(long fileid, String name, long cookie, FileAttributes attributes, byte[] handle) {}

    /** READDIR3res and READDIRPLUS3res (3.3.16-17). */
    record Readdir(
            Nfs3Status status,
            boolean plus,
            FileAttributes dir,
            long verifier,
            List<DirEntry3> entries,
            boolean eof,
            int fsid)
            implements XdrWritable {
        @Override
        public void writeTo(XdrEncoder out) {
            out.writeEnum(status.code());
            Nfs3Xdr.writePostOpAttr(out, dir, fsid); // dir_attributes
            if (status != Nfs3Status.NFS3_OK) {
                return;
            }
            out.writeUnsignedHyper(verifier); // cookieverf (8)
            for (DirEntry3 e : entries) {
                out.writeBool(true) // an entry follows (4)
                        .writeUnsignedHyper(e.fileid()) // fileid (8)
                        .writeString(e.name(), Nfs3Xdr.MAX_NAME) // name (4 + padded)
                        .writeUnsignedHyper(e.cookie()); // cookie (8)
                if (plus) {
                    Nfs3Xdr.writePostOpAttr(out, e.attributes(), fsid); // name_attributes
                    Nfs3Xdr.writePostOpFh(out, e.handle()); // name_handle
                }
            }
            out.writeBool(false).writeBool(eof); // no more entries, eof (8)
        }
    }

    /** FSSTAT3res (3.3.18): every count from the volume's statistics; invarsec 0 (they change any time). */
    record Fsstat(Nfs3Status status, FileAttributes root, FsStats stats, int fsid) implements XdrWritable {
        @Override
        public void writeTo(XdrEncoder out) {
            out.writeEnum(status.code());
            Nfs3Xdr.writePostOpAttr(out, root, fsid);
            if (status == Nfs3Status.NFS3_OK) {
                out.writeUnsignedHyper(stats.totalBytes()) // tbytes
                        .writeUnsignedHyper(stats.freeBytes()) // fbytes
                        .writeUnsignedHyper(stats.freeBytes()) // abytes
                        .writeUnsignedHyper(stats.totalFiles()) // tfiles
                        .writeUnsignedHyper(stats.freeFiles()) // ffiles
                        .writeUnsignedHyper(stats.freeFiles()) // afiles
                        .writeUnsignedInt(0); // invarsec
            }
        }
    }

    /** FSINFO3res (3.3.19). */
    record Fsinfo(Nfs3Status status, FileAttributes root, long maxFileSize, int fsid) implements XdrWritable {
        /** Largest and preferred READ and WRITE, their multiple, and the preferred READDIR size. */
        static final int RTMAX = 1 << 20,
                RTPREF = 1 << 20,
                WTMAX = 1 << 20,
                WTPREF = 1 << 20,
                MULT = 4096,
                DTPREF = 64 << 10;
        /** FSF3_LINK | FSF3_SYMLINK | FSF3_HOMOGENEOUS | FSF3_CANSETTIME. */
        static final int PROPERTIES = 0x0001 | 0x0002 | 0x0008 | 0x0010;

        @Override
        public void writeTo(XdrEncoder out) {
            out.writeEnum(status.code());
            Nfs3Xdr.writePostOpAttr(out, root, fsid);
            if (status == Nfs3Status.NFS3_OK) {
                out.writeUnsignedInt(RTMAX)
                        .writeUnsignedInt(RTPREF)
                        .writeUnsignedInt(MULT) // rtmax, rtpref, rtmult
                        .writeUnsignedInt(WTMAX)
                        .writeUnsignedInt(WTPREF)
                        .writeUnsignedInt(MULT) // wtmax, wtpref, wtmult
                        .writeUnsignedInt(DTPREF) // dtpref
                        .writeUnsignedHyper(maxFileSize) // maxfilesize
                        .writeUnsignedInt(0)
                        .writeUnsignedInt(1) // time_delta: 1 ns
                        .writeUnsignedInt(PROPERTIES); // properties
            }
        }
    }

    /** PATHCONF3res (3.3.20). */
    record Pathconf(Nfs3Status status, FileAttributes object, int linkMax, int nameMax, int fsid)
            implements XdrWritable {
        @Override
        public void writeTo(XdrEncoder out) {
            out.writeEnum(status.code());
            Nfs3Xdr.writePostOpAttr(out, object, fsid);
            if (status == Nfs3Status.NFS3_OK) {
                out.writeUnsignedInt(linkMax) // linkmax
                        .writeUnsignedInt(nameMax) // name_max
                        .writeBool(true) // no_trunc: long names are refused
                        .writeBool(true) // chown_restricted: only root gives files away
                        .writeBool(false) // case_insensitive
                        .writeBool(true); // case_preserving
            }
        }
    }

    /** COMMIT3res (3.3.21). */
    record Commit(Nfs3Status status, Wcc wcc, long verifier, int fsid) implements XdrWritable {
        @Override
        public void writeTo(XdrEncoder out) {
            out.writeEnum(status.code());
            Nfs3Xdr.writeWcc(out, wcc, fsid); // file_wcc
            if (status == Nfs3Status.NFS3_OK) {
                out.writeUnsignedHyper(verifier); // verf (8)
            }
        }
    }
}
