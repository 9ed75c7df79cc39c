package dev.sgw.smb.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import dev.sgw.core.access.CheckedFileVolume;
import dev.sgw.core.sharing.LockStyle;
import dev.sgw.core.volume.DosAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.core.volume.Stability;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.smb.server.FileId;
import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.server.SmbRequest;
import dev.sgw.smb.server.SmbResponse;
import dev.sgw.smb.server.StatusMapping;
import dev.sgw.smb.wire.NtStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * SMB2 IOCTL (MS-SMB2 3.3.5.15) for files of a disk share (MS-FSCC 2.3).
 *
 * <pre>
 * request:  0 StructureSize = 57  4 CtlCode  8 FileId  24 InputOffset  28 InputCount  32 MaxInputResponse
 *          36 OutputOffset  40 OutputCount  44 MaxOutputResponse  48 Flags (1: FSCTL)  56 Buffer
 * response: 0 StructureSize = 49  4 CtlCode  8 FileId  24 InputOffset  28 InputCount  32 OutputOffset
 *          36 OutputCount  40 Flags  48 Buffer
 *
 * FSCTL                              | does
 * SET_SPARSE                         | sets or clears the file's sparse mark (no buffer: sets it)
 * SET_ZERO_DATA                      | {@link FileVolume#deallocate} of [FileOffset, BeyondFinalZero)
 * QUERY_ALLOCATED_RANGES             | {@link AllocatedRanges}; BUFFER_OVERFLOW with those that fit
 * SRV_REQUEST_RESUME_KEY             | the open's file id as a 24-byte key
 * SRV_COPYCHUNK, SRV_COPYCHUNK_WRITE | copies chunks from the open the key names (server-side copy)
 * GET_COMPRESSION, SET_COMPRESSION   | COMPRESSION_FORMAT_NONE; setting any other format: NOT_SUPPORTED
 * GET_REPARSE_POINT                  | NOT_A_REPARSE_POINT
 * GET_OBJECT_ID, CREATE_OR_GET_...   | FILE_OBJECTID_BUFFER: the id made of the inode and the volume's id
 * LMR_REQUEST_RESILIENCY             | the open checks LOCK replays (MS-SMB2 3.3.5.15.9; it is not kept past
 *                                    | its connection: only durable opens are)
 * VALIDATE_NEGOTIATE_INFO, pipe ones | NOT_SUPPORTED (the server's, not a file's)
 * others                             | INVALID_DEVICE_REQUEST
 * </pre>
 */
final class IoctlCommand {
    static final int FSCTL_SET_SPARSE = 0x000900C4;
    static final int FSCTL_SET_ZERO_DATA = 0x000980C8;
    static final int FSCTL_QUERY_ALLOCATED_RANGES = 0x000940CF;
    static final int FSCTL_SRV_REQUEST_RESUME_KEY = 0x00140078;
    static final int FSCTL_SRV_COPYCHUNK = 0x001440F2;
    static final int FSCTL_SRV_COPYCHUNK_WRITE = 0x001480F2;
    static final int FSCTL_GET_REPARSE_POINT = 0x000900A8;
    static final int FSCTL_GET_OBJECT_ID = 0x0009009C;
    static final int FSCTL_CREATE_OR_GET_OBJECT_ID = 0x000900C0;
    static final int FSCTL_VALIDATE_NEGOTIATE_INFO = 0x00140204;
    static final int FSCTL_GET_COMPRESSION = 0x0009003C;
    static final int FSCTL_SET_COMPRESSION = 0x0009C040;
    static final int FSCTL_LMR_REQUEST_RESILIENCY = 0x001401D4;
    private static final int IOCTL_IS_FSCTL = 1;
    static final int MAX_CHUNKS = 256, MAX_CHUNK_BYTES = 1 << 20, MAX_COPY_BYTES = 16 << 20;

    private final OpenTable opens;

    IoctlCommand(OpenTable opens) {
        this.opens = opens;
    }

    SmbResponse handle(SmbRequest request) throws SmbException, IOException {
        ByteBuf m = request.message();
        int code = m.getIntLE(64 + 4);
        long inputOffset = m.getUnsignedIntLE(64 + 24);
        long inputCount = m.getUnsignedIntLE(64 + 28);
        long maxOutput = m.getUnsignedIntLE(64 + 44);
        int flags = m.getIntLE(64 + 48);
        if (code == FSCTL_VALIDATE_NEGOTIATE_INFO || (code >>> 16) == 0x0011) {
            throw new SmbException(NtStatus.NOT_SUPPORTED, "FSCTL 0x" + Integer.toHexString(code) + " of the server");
        }
        if (flags != IOCTL_IS_FSCTL) {
            throw new SmbException(NtStatus.NOT_SUPPORTED, "IOCTL that is not an FSCTL");
        }
        if (inputCount > 0 && inputOffset + inputCount > m.writerIndex()) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "IOCTL input out of the message");
        }
        SmbOpen open = opens.getForChange(request, FileId.get(m, 64 + 8));
        ByteBuf in = m.slice((int) inputOffset, (int) inputCount);
        ByteBuf out = Unpooled.buffer();
        int status = switch (code) {
            case FSCTL_SET_SPARSE -> setSparse(open, in);
            case FSCTL_GET_COMPRESSION -> {
                out.writeShortLE(0); // COMPRESSION_FORMAT_NONE
                yield NtStatus.SUCCESS;
            }
            case FSCTL_SET_COMPRESSION ->
                in.readableBytes() < 2
                        ? NtStatus.INVALID_PARAMETER
                        : in.getUnsignedShortLE(0) == 0 ? NtStatus.SUCCESS : NtStatus.NOT_SUPPORTED;
            case FSCTL_SET_ZERO_DATA -> zeroData(open, in);
            case FSCTL_QUERY_ALLOCATED_RANGES -> allocatedRanges(open, in, out, maxOutput);
            case FSCTL_SRV_REQUEST_RESUME_KEY -> resumeKey(open, out);
            case FSCTL_SRV_COPYCHUNK, FSCTL_SRV_COPYCHUNK_WRITE ->
                maxOutput < 12 ? NtStatus.INVALID_PARAMETER : copyChunks(request, open, code, in, out);
            case FSCTL_GET_REPARSE_POINT -> NtStatus.NOT_A_REPARSE_POINT;
            case FSCTL_GET_OBJECT_ID, FSCTL_CREATE_OR_GET_OBJECT_ID -> objectId(request, open, out);
            case FSCTL_LMR_REQUEST_RESILIENCY -> resilient(open, in);
            default -> NtStatus.INVALID_DEVICE_REQUEST;
        };
        if (status != NtStatus.SUCCESS && out.readableBytes() == 0) {
            out.release();
            return SmbResponse.error(status);
        }
        if (out.readableBytes() > maxOutput) {
            out.release();
            return SmbResponse.error(NtStatus.BUFFER_TOO_SMALL);
        }
        return SmbResponse.of(status, response(code, open.fileId, out));
    }

    private static ByteBuf response(int code, FileId id, ByteBuf data) {
        ByteBuf out = Unpooled.buffer(48 + data.readableBytes());
        out.writeShortLE(49);
        out.writeShortLE(0);
        out.writeIntLE(code);
        id.write(out);
        out.writeIntLE(64 + 48); // InputOffset
        out.writeIntLE(0);
        out.writeIntLE(64 + 48); // OutputOffset
        out.writeIntLE(data.readableBytes());
        out.writeIntLE(0);
        out.writeIntLE(0);
        out.writeBytes(data);
        data.release();
        return out;
    }

    /**
     * FILE_OBJECTID_BUFFER (MS-FSCC 2.1.3.1): ObjectId (16), BirthVolumeId (16), BirthObjectId (16), DomainId
     * (16). Every file has an id already: its inode and the volume's id, which never change.
     */
    private static int objectId(SmbRequest request, SmbOpen open, ByteBuf out) {
        long volume = VolumeIds.of(request.tree());
        out.writeLongLE(open.node.inode()).writeLongLE(volume);
        out.writeLongLE(volume).writeLongLE(0);
        out.writeLongLE(open.node.inode()).writeLongLE(volume);
        out.writeZero(16);
        return NtStatus.SUCCESS;
    }

    /** NETWORK_RESILIENCY_REQUEST (2.2.31.3): Timeout (4), Reserved (4). */
    private static int resilient(SmbOpen open, ByteBuf in) {
        if (in.readableBytes() < 8 || open.directory) {
            return NtStatus.INVALID_PARAMETER;
        }
        open.resilient = true;
        return NtStatus.SUCCESS;
    }

    private static void requireWrite(SmbOpen open) throws SmbException {
        if (!open.has(AccessMask.FILE_WRITE_DATA)) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "no write access");
        }
    }

    /**
     * FILE_SET_SPARSE_BUFFER: SetSparse (1), absent for TRUE; a longer buffer is read by its first byte. Needs
     * write data, append data or write attributes access (MS-FSA 2.1.5.10.31); a directory is INVALID_PARAMETER.
     */
    private static int setSparse(SmbOpen open, ByteBuf in) throws SmbException, IOException {
        if (open.directory) {
            return NtStatus.INVALID_PARAMETER;
        }
        if (!open.has(AccessMask.FILE_WRITE_DATA | AccessMask.FILE_APPEND_DATA | AccessMask.FILE_WRITE_ATTRIBUTES)) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "SET_SPARSE without write access");
        }
        boolean sparse = in.readableBytes() == 0 || in.getByte(0) != 0;
        FileVolume volume = open.tree.volume();
        DosAttributes dos = volume.getattr(open.node).dosAttributes();
        if (dos.sparse() != sparse) {
            int bits = sparse ? dos.bits() | DosAttributes.SPARSE_FILE : dos.bits() & ~DosAttributes.SPARSE_FILE;
            volume.setattr(open.node, SetAttributes.dos(new DosAttributes(bits)));
        }
        return NtStatus.SUCCESS;
    }

    private static int zeroData(SmbOpen open, ByteBuf in) throws SmbException, IOException {
        if (in.readableBytes() < 16) {
            return NtStatus.INVALID_PARAMETER;
        }
        requireWrite(open);
        long from = in.getLongLE(0);
        long beyond = in.getLongLE(8);
        if (from < 0 || beyond < from) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "zero range");
        }
        if (beyond == from) {
            return NtStatus.SUCCESS;
        }
        open.tree.sharing().checkIo(open.node.inode(), open.owner, LockStyle.WINDOWS, from, beyond - from, true);
        FileVolume volume = open.tree.volume();
        try {
            volume.deallocate(open.node, from, beyond - from);
        } catch (VolumeException e) {
            if (e.error() != VolumeError.NOTSUPP) {
                throw e;
            }
            writeZeros(volume, open, from, beyond);
        }
        return NtStatus.SUCCESS;
    }

    private static void writeZeros(FileVolume volume, SmbOpen open, long from, long beyond) throws IOException {
        long end = Math.min(beyond, volume.getattr(open.node).size());
        byte[] zeros = new byte[64 * 1024];
        for (long at = from; at < end; at += zeros.length) {
            int n = (int) Math.min(zeros.length, end - at);
            volume.write(open.node, at, ByteBuffer.wrap(zeros, 0, n), Stability.FILE_SYNC);
        }
    }

    /**
     * FILE_ALLOCATED_RANGE_BUFFER in (FileOffset 8, Length 8), the ranges out in the same form; the ranges that
     * do not fit MaxOutputResponse are left out with BUFFER_OVERFLOW (BUFFER_TOO_SMALL when none fits).
     */
    private static int allocatedRanges(SmbOpen open, ByteBuf in, ByteBuf out, long maxOutput)
            throws SmbException, IOException {
        if (in.readableBytes() < 16) {
            return NtStatus.INVALID_PARAMETER;
        }
        if (!open.has(AccessMask.FILE_READ_DATA)) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "no read access");
        }
        long offset = in.getLongLE(0);
        long length = in.getLongLE(8);
        if (offset < 0 || length < 0 || offset + length < 0) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "range");
        }
        FileVolume volume = open.tree.volume();
        List<AllocatedRanges.Range> ranges = AllocatedRanges.of(volume, volume.getattr(open.node), offset, length);
        long room = maxOutput / 16;
        if (!ranges.isEmpty() && room == 0) {
            throw new SmbException(NtStatus.BUFFER_TOO_SMALL, "room for no range");
        }
        for (AllocatedRanges.Range r : ranges.subList(0, (int) Math.min(room, ranges.size()))) {
            out.writeLongLE(r.offset());
            out.writeLongLE(r.length());
        }
        return ranges.size() > room ? NtStatus.BUFFER_OVERFLOW : NtStatus.SUCCESS;
    }

    /** SRV_REQUEST_RESUME_KEY: ResumeKey (24: the file id and zeros), ContextLength (4), Context (4). */
    private static int resumeKey(SmbOpen open, ByteBuf out) {
        open.fileId.write(out);
        out.writeZero(8);
        out.writeIntLE(4);
        out.writeIntLE(0);
        return NtStatus.SUCCESS;
    }

    /**
     * SRV_COPYCHUNK_COPY: SourceKey (24), ChunkCount (4), Reserved (4), chunks (SourceOffset 8, TargetOffset 8,
     * Length 4, Reserved 4). Answers SRV_COPYCHUNK_RESPONSE: ChunksWritten, ChunkBytesWritten,
     * TotalBytesWritten; over the limits, INVALID_PARAMETER with the limits in those fields.
     */
    private int copyChunks(SmbRequest request, SmbOpen target, int code, ByteBuf in, ByteBuf out)
            throws SmbException, IOException {
        if (in.readableBytes() < 32) {
            return NtStatus.INVALID_PARAMETER;
        }
        long count = in.getUnsignedIntLE(24);
        if (in.readableBytes() < 32 + 24 * count) {
            return NtStatus.INVALID_PARAMETER;
        }
        long total = 0;
        boolean tooBig = count > MAX_CHUNKS;
        for (int i = 0; i < count && !tooBig; i++) {
            long len = in.getUnsignedIntLE(32 + 24 * i + 16);
            tooBig = len == 0 || len > MAX_CHUNK_BYTES;
            total += len;
        }
        if (tooBig || total > MAX_COPY_BYTES) {
            out.writeIntLE(MAX_CHUNKS);
            out.writeIntLE(MAX_CHUNK_BYTES);
            out.writeIntLE(MAX_COPY_BYTES);
            return NtStatus.INVALID_PARAMETER;
        }
        SmbOpen source = sourceOf(request, in);
        requireWrite(target);
        if (code == FSCTL_SRV_COPYCHUNK && !target.has(AccessMask.FILE_READ_DATA)) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "COPYCHUNK needs read access on the target");
        }
        if (!source.has(AccessMask.FILE_READ_DATA | AccessMask.FILE_EXECUTE)) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "the source lacks read and execute access");
        }
        int written = 0;
        long bytes = 0;
        int status = NtStatus.SUCCESS;
        try {
            for (int i = 0; i < count; i++) {
                int at = 32 + 24 * i;
                bytes += copy(
                        source, target, in.getLongLE(at), in.getLongLE(at + 8), (int) in.getUnsignedIntLE(at + 16));
                written++;
            }
        } catch (SmbException e) {
            status = e.status();
        } catch (VolumeException e) {
            status = StatusMapping.of(e);
        }
        out.writeIntLE(written);
        out.writeIntLE(0);
        out.writeIntLE((int) bytes);
        return status;
    }

    /** The open the resume key names, on this session. */
    private SmbOpen sourceOf(SmbRequest request, ByteBuf in) throws SmbException {
        SmbOpen source = opens.byId(new FileId(in.getLongLE(0), in.getLongLE(8)));
        if (source == null || source.treeKey.session() != request.session().id() || source.directory) {
            throw new SmbException(NtStatus.OBJECT_NAME_NOT_FOUND, "no open for the resume key");
        }
        return source;
    }

    private static long copy(SmbOpen source, SmbOpen target, long from, long to, int length)
            throws SmbException, IOException {
        source.tree.sharing().checkIo(source.node.inode(), source.owner, LockStyle.WINDOWS, from, length, false);
        target.tree.sharing().checkIo(target.node.inode(), target.owner, LockStyle.WINDOWS, to, length, true);
        ByteBuffer data = ByteBuffer.allocate(length);
        FileVolume sv = source.tree.volume();
        int read = source.stream != null
                ? StreamData.read(source, from, data)
                : (sv instanceof CheckedFileVolume c
                                ? c.readOpened(source.node, from, data)
                                : sv.read(source.node, from, data))
                        .count();
        if (read < length) {
            throw new SmbException(NtStatus.INVALID_VIEW_SIZE, "copy source ends before the chunk");
        }
        data.flip();
        FileVolume tv = target.tree.volume();
        if (target.stream != null) {
            StreamData.write(target, to, data, false); // a named stream of either open: its bytes (StreamData)
        } else if (tv instanceof CheckedFileVolume c) {
            c.writeOpened(target.node, to, data, Stability.UNSTABLE);
        } else {
            tv.write(target.node, to, data, Stability.UNSTABLE);
        }
        return length;
    }
}
