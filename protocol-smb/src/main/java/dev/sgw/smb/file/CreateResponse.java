package dev.sgw.smb.file;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.sgw.core.volume.FileAttributes;
import dev.sgw.smb.server.SmbRequest;
import dev.sgw.smb.server.SmbResponse;
import dev.sgw.smb.wire.NtStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The SMB2 CREATE response (MS-SMB2 2.2.14) of a new open, a durable reconnect or a replayed CREATE, with its
 * create contexts (2.2.14.2): MxAc and QFid when asked, then those the caller adds (RqLs, DHnQ, DH2Q).
 *
 * <pre>
 *  0 StructureSize = 89 (2)  2 OplockLevel (1)  3 Flags (1)  4 CreateAction (4)  8 CreationTime (8)
 * 16 LastAccessTime (8)  24 LastWriteTime (8)  32 ChangeTime (8)  40 AllocationSize (8)  48 EndofFile (8)
 * 56 FileAttributes (4)  60 Reserved2 (4)  64 FileId (16)  80 CreateContextsOffset (4)
 * 84 CreateContextsLength (4)  88 Buffer
 * </pre>
 */
final class CreateResponse {
    static final int ACTION_SUPERSEDED = 0, ACTION_OPENED = 1, ACTION_CREATED = 2, ACTION_OVERWRITTEN = 3;

    /** One response create context to add: its 4-character name and data. */
    record Context(String name, ByteBuf data) {}

    private CreateResponse() {}

    static SmbResponse of(
            SmbRequest request,
            CreateRequest c,
            SmbOpen open,
            FileAttributes file,
            int action,
            int oplockLevel,
            List<Context> added) {
        ByteBuf out = Unpooled.buffer(160);
        out.writeShortLE(89);
        out.writeByte(oplockLevel);
        out.writeByte(0); // Flags
        out.writeIntLE(action);
        FileFields.writeTimes(out, file);
        out.writeLongLE(FileFields.allocation(file));
        out.writeLongLE(FileFields.endOfFile(file));
        out.writeIntLE(FileFields.attributes(file));
        out.writeIntLE(0);
        open.fileId.write(out);
        int offsetsAt = out.writerIndex();
        out.writeIntLE(0);
        out.writeIntLE(0);
        List<byte[]> contexts = asked(request, c, file);
        for (Context ctx : added) {
            contexts.add(context(ctx.name(), ctx.data()));
        }
        if (contexts.isEmpty()) {
            out.writeByte(0); // the odd StructureSize's byte of Buffer
            return SmbResponse.of(out);
        }
        int start = out.writerIndex();
        for (int i = 0; i < contexts.size(); i++) {
            byte[] ctx = contexts.get(i);
            int at = out.writerIndex();
            out.writeBytes(ctx);
            if (i < contexts.size() - 1) {
                while (out.writerIndex() % 8 != 0) {
                    out.writeByte(0);
                }
                out.setIntLE(at, out.writerIndex() - at);
            }
        }
        out.setIntLE(offsetsAt, 64 + start);
        out.setIntLE(offsetsAt + 4, out.writerIndex() - start);
        return SmbResponse.of(out);
    }

    /** MxAc and QFid, when the request asks for them. */
    private static List<byte[]> asked(SmbRequest request, CreateRequest c, FileAttributes file) {
        List<byte[]> out = new ArrayList<>();
        if (c.context("MxAc") != null) {
            ByteBuf data = Unpooled.buffer(8);
            data.writeIntLE(NtStatus.SUCCESS);
            data.writeIntLE(CreateCommand.maximalAccess(request.tree(), file));
            out.add(context("MxAc", data));
        }
        if (c.context("QFid") != null) {
            ByteBuf data = Unpooled.buffer(32);
            data.writeLongLE(file.inode());
            data.writeLongLE(VolumeIds.of(request.tree()));
            data.writeZero(16);
            out.add(context("QFid", data));
        }
        return out;
    }

    /** One response create context: 16-byte header, the 4-byte name padded to 8, the data. */
    private static byte[] context(String name, ByteBuf data) {
        ByteBuf ctx = Unpooled.buffer(24 + data.readableBytes());
        ctx.writeIntLE(0); // Next, set when another follows
        ctx.writeShortLE(16); // NameOffset
        ctx.writeShortLE(4); // NameLength
        ctx.writeShortLE(0);
        ctx.writeShortLE(24); // DataOffset
        ctx.writeIntLE(data.readableBytes());
        ctx.writeBytes(name.getBytes(StandardCharsets.ISO_8859_1));
        ctx.writeZero(4);
        ctx.writeBytes(data);
        data.release();
        byte[] bytes = new byte[ctx.readableBytes()];
        ctx.readBytes(bytes);
        return bytes;
    }
}
