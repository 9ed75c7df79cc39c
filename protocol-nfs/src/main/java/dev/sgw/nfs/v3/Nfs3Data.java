package dev.sgw.nfs.v3;

import java.nio.ByteBuffer;

import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileType;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.ReadResult;
import dev.sgw.core.volume.Stability;
import dev.sgw.core.volume.WriteResult;
import dev.sgw.nfs.ExportAccess;
import dev.sgw.nfs.Nfs3Exception;
import dev.sgw.nfs.Nfs3Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The NFSv3 procedures on file content: READ, WRITE, COMMIT (RFC 1813 sections 3.3.6, 3.3.7, 3.3.21).
 *
 * <p>READ fills a pooled direct buffer straight from the volume; the result writes it into the reply once
 * and releases it. WRITE hands the volume a view of the call record's own bytes (no copy here). WRITE and
 * COMMIT answer the volume's {@link FileVolume#writeVerifier()}, which changes when the gateway restarts,
 * so that a client resends its UNSTABLE writes not yet committed.
 */
final class Nfs3Data {
    private final ExportAccess access;
    private final ByteBufAllocator allocator;

    Nfs3Data(ExportAccess access, ByteBufAllocator allocator) {
        this.access = access;
        this.allocator = allocator;
    }

    Nfs3Results.Read read(Nfs3Args.Read a, Nfs3Request r) {
        ResolvedHandle t = null;
        ByteBuf buffer = null;
        try {
            t = r.resolve(access, a.handle());
            FileAttributes attributes = regularFile(t.getattr());
            t.volume().requireRead(attributes);
            int count = (int) Math.min(a.count(), Nfs3Results.Fsinfo.RTMAX);
            if (count == 0 || a.offset() >= attributes.size()) {
                return new Nfs3Results.Read(
                        Nfs3Status.NFS3_OK, attributes, a.offset() >= attributes.size(), null, t.fsid());
            }
            t.checkIo(a.offset(), count, false);
            buffer = allocator.directBuffer(count, count);
            ByteBuffer into = buffer.nioBuffer(0, count);
            ReadResult done = t.volume().read(t.node(), a.offset(), into);
            buffer.writerIndex(done.count());
            Nfs3Results.Read result =
                    new Nfs3Results.Read(Nfs3Status.NFS3_OK, attributes, done.eof(), buffer, t.fsid());
            buffer = null; // the result owns it now
            return result;
        } catch (Exception e) {
            return new Nfs3Results.Read(
                    Nfs3Program.status(e),
                    t == null ? null : t.attributesOrNull(),
                    false,
                    null,
                    ResolvedHandle.fsid(t));
        } finally {
            if (buffer != null) {
                buffer.release();
            }
        }
    }

    Nfs3Results.Write write(Nfs3Args.Write a, Nfs3Request r) {
        ResolvedHandle t = null;
        FileAttributes before = null;
        try {
            t = r.resolve(access, a.handle());
            before = t.getattr();
            t.volume().requireWritable();
            regularFile(before);
            t.volume().requireAccess(before, FileVolume.ACCESS_WRITE);
            ByteBuf data = a.data();
            if (a.count() > data.readableBytes()) {
                throw new Nfs3Exception(
                        Nfs3Status.NFS3ERR_INVAL,
                        "WRITE of " + a.count() + " bytes with " + data.readableBytes() + " bytes of data");
            }
            int count = (int) a.count();
            t.checkIo(a.offset(), count, true);
            WriteResult done = t.volume()
                    .write(t.node(), a.offset(), data.nioBuffer(data.readerIndex(), count), stability(a.stable()));
            return new Nfs3Results.Write(
                    Nfs3Status.NFS3_OK,
                    new Wcc(before, done.attributes()),
                    done.count(),
                    stableHow(done.stability()),
                    t.volume().writeVerifier(),
                    t.fsid());
        } catch (Exception e) {
            return new Nfs3Results.Write(
                    Nfs3Program.status(e),
                    new Wcc(before, t == null ? null : t.attributesOrNull()),
                    0,
                    Nfs3Args.UNSTABLE,
                    0,
                    ResolvedHandle.fsid(t));
        }
    }

    Nfs3Results.Commit commit(Nfs3Args.Commit a, Nfs3Request r) {
        ResolvedHandle t = null;
        FileAttributes before = null;
        try {
            t = r.resolve(access, a.handle());
            before = regularFile(t.getattr());
            t.volume().commit(t.node());
            return new Nfs3Results.Commit(
                    Nfs3Status.NFS3_OK,
                    new Wcc(before, t.attributesOrNull()),
                    t.volume().writeVerifier(),
                    t.fsid());
        } catch (Exception e) {
            return new Nfs3Results.Commit(
                    Nfs3Program.status(e),
                    new Wcc(before, t == null ? null : t.attributesOrNull()),
                    0,
                    ResolvedHandle.fsid(t));
        }
    }

    /** ISDIR for a directory, INVAL for a symbolic link. */
    private static FileAttributes regularFile(FileAttributes a) throws Nfs3Exception {
        if (a.type() == FileType.DIRECTORY) {
            throw new Nfs3Exception(Nfs3Status.NFS3ERR_ISDIR, "inode " + a.inode() + " is a directory");
        }
        if (a.type() != FileType.REGULAR) {
            throw new Nfs3Exception(Nfs3Status.NFS3ERR_INVAL, "inode " + a.inode() + " is not a regular file");
        }
        return a;
    }

    private static Stability stability(int stableHow) {
        return switch (stableHow) {
            case Nfs3Args.FILE_SYNC -> Stability.FILE_SYNC;
            case Nfs3Args.DATA_SYNC -> Stability.DATA_SYNC;
            default -> Stability.UNSTABLE;
        };
    }

    private static int stableHow(Stability s) {
        return switch (s) {
            case FILE_SYNC -> Nfs3Args.FILE_SYNC;
            case DATA_SYNC -> Nfs3Args.DATA_SYNC;
            case UNSTABLE -> Nfs3Args.UNSTABLE;
        };
    }
}
