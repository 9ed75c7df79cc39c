package dev.sgw.smb.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.sgw.smb.rpc.NamedPipe;
import dev.sgw.smb.rpc.RpcPipes;
import dev.sgw.smb.wire.NtStatus;
import dev.sgw.smb.wire.Smb2Command;
import dev.sgw.smb.wire.Smb2Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * The commands of IPC$ trees: named pipes (srvsvc, wkssvc) from {@link RpcPipes}. CREATE opens a pipe,
 * WRITE/READ or IOCTL FSCTL_PIPE_TRANSCEIVE carry DCE/RPC PDUs, QUERY_INFO answers FileStandardInformation,
 * CLOSE ends the open; a DFS referral request is FS_DRIVER_REQUIRED (no DFS). Everything else is
 * NOT_SUPPORTED. Thread-safe; one instance serves all IPC$ trees.
 */
final class PipeTreeCommands implements TreeCommands {
    static final int FSCTL_PIPE_TRANSCEIVE = 0x0011C017;
    static final int FSCTL_DFS_GET_REFERRALS = 0x00060194;
    static final int FSCTL_DFS_GET_REFERRALS_EX = 0x000601B0;
    /** STATUS_FS_DRIVER_REQUIRED: the answer to a DFS referral request of a server without DFS. */
    static final int FS_DRIVER_REQUIRED = 0xC000019C;

    private static final int FILE_ATTRIBUTE_NORMAL = 0x80;
    private static final int FILE_OPENED = 1;
    private static final int INFO_FILE = 1;
    private static final int FILE_STANDARD_INFORMATION = 5;

    /** One open of a pipe, in one tree. */
    private record PipeOpen(Tree tree, NamedPipe pipe) {}

    private final Supplier<RpcPipes> pipes;
    private final Map<Long, PipeOpen> opens = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1);

    /** @param pipes gives the server's pipes (made when first needed) */
    PipeTreeCommands(Supplier<RpcPipes> pipes) {
        this.pipes = pipes;
    }

    @Override
    public SmbResponse handle(Smb2Command command, SmbRequest request) throws SmbException, IOException {
        return switch (command) {
            case CREATE -> create(request);
            case CLOSE -> close(request);
            case READ -> read(request);
            case WRITE -> write(request);
            case IOCTL -> ioctl(request);
            case QUERY_INFO -> queryInfo(request);
            default -> throw new SmbException(NtStatus.NOT_SUPPORTED, command + " on a named pipe");
        };
    }

    @Override
    public void treeGone(SmbTree tree, boolean keepDurable) {
        opens.values().removeIf(o -> o.tree() == tree);
    }

    /** Opens of named pipes right now (for tests and status). */
    int openCount() {
        return opens.size();
    }

    private SmbResponse create(SmbRequest r) throws SmbException {
        ByteBuf m = r.message();
        int body = Smb2Header.SIZE;
        need(m, body + 56, "CREATE");
        int offset = m.getUnsignedShortLE(body + 44);
        int length = m.getUnsignedShortLE(body + 46);
        if (offset + length > m.writerIndex() || length % 2 != 0) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "CREATE name outside the request");
        }
        String name = m.toString(offset, length, StandardCharsets.UTF_16LE);
        Optional<NamedPipe> pipe = pipes.get().open(name);
        if (pipe.isEmpty()) {
            throw new SmbException(NtStatus.OBJECT_NAME_NOT_FOUND, "no pipe '" + name + "'");
        }
        long id = ids.getAndIncrement();
        opens.put(id, new PipeOpen((Tree) r.tree(), pipe.get()));
        FileId fileId = new FileId(id, id);
        r.use(fileId);
        ByteBuf out = Unpooled.buffer(89);
        out.writeShortLE(89).writeByte(0).writeByte(0).writeIntLE(FILE_OPENED);
        out.writeZero(32); // creation, last access, last write, change times
        out.writeLongLE(4096).writeLongLE(0); // allocation size, end of file
        out.writeIntLE(FILE_ATTRIBUTE_NORMAL).writeIntLE(0);
        fileId.write(out);
        out.writeIntLE(0).writeIntLE(0).writeByte(0);
        return SmbResponse.of(out);
    }

    private SmbResponse close(SmbRequest r) throws SmbException {
        ByteBuf m = r.message();
        need(m, Smb2Header.SIZE + 24, "CLOSE");
        FileId id = r.resolve(FileId.get(m, Smb2Header.SIZE + 8));
        if (opens.remove(id.volatileId()) == null) {
            throw new SmbException(NtStatus.FILE_CLOSED, "no pipe open " + id.volatileId());
        }
        ByteBuf out = Unpooled.buffer(60);
        out.writeShortLE(60).writeShortLE(0).writeIntLE(0).writeZero(52);
        return SmbResponse.of(out);
    }

    private SmbResponse read(SmbRequest r) throws SmbException {
        ByteBuf m = r.message();
        int body = Smb2Header.SIZE;
        need(m, body + 48, "READ");
        int length = m.getIntLE(body + 4);
        PipeOpen open = open(r, FileId.get(m, body + 16));
        NamedPipe.ReadResult result =
                open.pipe().read(Math.min(Math.max(0, length), r.connection().maxReadSize()));
        if (result.data().length == 0) {
            throw new SmbException(NtStatus.END_OF_FILE, "nothing to read on the pipe");
        }
        ByteBuf out = Unpooled.buffer(16 + result.data().length);
        out.writeShortLE(17).writeByte(Smb2Header.SIZE + 16).writeByte(0);
        out.writeIntLE(result.data().length).writeIntLE(0).writeIntLE(0);
        out.writeBytes(result.data());
        return SmbResponse.of(result.moreData() ? NtStatus.BUFFER_OVERFLOW : NtStatus.SUCCESS, out);
    }

    private SmbResponse write(SmbRequest r) throws SmbException {
        ByteBuf m = r.message();
        int body = Smb2Header.SIZE;
        need(m, body + 48, "WRITE");
        int dataOffset = m.getUnsignedShortLE(body + 2);
        int length = m.getIntLE(body + 4);
        if (length < 0 || dataOffset < body + 48 || (long) dataOffset + length > m.writerIndex()) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "WRITE data outside the request");
        }
        PipeOpen open = open(r, FileId.get(m, body + 16));
        open.pipe().write(ByteBufUtil.getBytes(m, dataOffset, length));
        ByteBuf out = Unpooled.buffer(17);
        out.writeShortLE(17)
                .writeShortLE(0)
                .writeIntLE(length)
                .writeIntLE(0)
                .writeShortLE(0)
                .writeShortLE(0);
        out.writeByte(0);
        return SmbResponse.of(out);
    }

    private SmbResponse ioctl(SmbRequest r) throws SmbException {
        ByteBuf m = r.message();
        int body = Smb2Header.SIZE;
        need(m, body + 56, "IOCTL");
        int ctl = m.getIntLE(body + 4);
        if (ctl == FSCTL_DFS_GET_REFERRALS || ctl == FSCTL_DFS_GET_REFERRALS_EX) {
            throw new SmbException(FS_DRIVER_REQUIRED, "no DFS");
        }
        if (ctl != FSCTL_PIPE_TRANSCEIVE) {
            throw new SmbException(NtStatus.NOT_SUPPORTED, String.format("FSCTL %08x on a named pipe", ctl));
        }
        FileId sent = FileId.get(m, body + 8);
        PipeOpen open = open(r, sent);
        int inputOffset = m.getIntLE(body + 24);
        int inputCount = m.getIntLE(body + 28);
        int maxOutput = m.getIntLE(body + 44);
        if (inputCount < 0
                || (inputCount > 0 && inputOffset < body)
                || (long) inputOffset + inputCount > m.writerIndex()) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "IOCTL input outside the request");
        }
        NamedPipe.ReadResult result = open.pipe()
                .transceive(
                        ByteBufUtil.getBytes(m, inputOffset, inputCount),
                        Math.min(Math.max(0, maxOutput), r.connection().maxTransactSize()));
        int outputOffset = Smb2Header.SIZE + 48;
        ByteBuf out = Unpooled.buffer(48 + result.data().length);
        out.writeShortLE(49).writeShortLE(0).writeIntLE(ctl);
        r.resolve(sent).write(out);
        out.writeIntLE(outputOffset).writeIntLE(0);
        out.writeIntLE(outputOffset).writeIntLE(result.data().length);
        out.writeIntLE(0).writeIntLE(0);
        out.writeBytes(result.data());
        return SmbResponse.of(result.moreData() ? NtStatus.BUFFER_OVERFLOW : NtStatus.SUCCESS, out);
    }

    private SmbResponse queryInfo(SmbRequest r) throws SmbException {
        ByteBuf m = r.message();
        int body = Smb2Header.SIZE;
        need(m, body + 40, "QUERY_INFO");
        int type = m.getUnsignedByte(body + 2);
        int infoClass = m.getUnsignedByte(body + 3);
        int room = m.getIntLE(body + 4);
        open(r, FileId.get(m, body + 24));
        if (type != INFO_FILE || infoClass != FILE_STANDARD_INFORMATION) {
            throw new SmbException(NtStatus.INVALID_INFO_CLASS, "info " + type + "/" + infoClass + " of a pipe");
        }
        if (room < 24) {
            throw new SmbException(NtStatus.INFO_LENGTH_MISMATCH, "FileStandardInformation needs 24 bytes");
        }
        ByteBuf out = Unpooled.buffer(8 + 24);
        out.writeShortLE(9).writeShortLE(Smb2Header.SIZE + 8).writeIntLE(24);
        out.writeLongLE(4096)
                .writeLongLE(0)
                .writeIntLE(1)
                .writeByte(1)
                .writeByte(0)
                .writeShortLE(0);
        return SmbResponse.of(out);
    }

    private PipeOpen open(SmbRequest r, FileId sent) throws SmbException {
        FileId id = r.resolve(sent);
        PipeOpen open = opens.get(id.volatileId());
        if (open == null || open.tree() != r.tree()) {
            throw new SmbException(NtStatus.FILE_CLOSED, "no pipe open " + id.volatileId());
        }
        return open;
    }

    private static void need(ByteBuf m, int bytes, String what) throws SmbException {
        if (m.writerIndex() < bytes) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, what + " request too short");
        }
    }
}
