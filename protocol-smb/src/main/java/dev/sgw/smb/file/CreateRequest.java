package dev.sgw.smb.file;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.wire.NtStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * An SMB2 CREATE request (MS-SMB2 2.2.13), decoded.
 *
 * <pre>
 *  0 StructureSize = 57 (2)   24 DesiredAccess (4)       44 NameOffset (2), from the header
 *  2 SecurityFlags (1)        28 FileAttributes (4)      46 NameLength (2)
 *  3 RequestedOplockLevel (1) 32 ShareAccess (4)         48 CreateContextsOffset (4)
 *  4 ImpersonationLevel (4)   36 CreateDisposition (4)   52 CreateContextsLength (4)
 *  8 SmbCreateFlags (8)       40 CreateOptions (4)       56 Buffer
 * 16 Reserved (8)
 * </pre>
 */
record CreateRequest(
        int oplockLevel,
        int impersonationLevel,
        int desiredAccess,
        int fileAttributes,
        int shareAccess,
        int disposition,
        int options,
        String name,
        List<CreateContext> contexts) {

    static final int SUPERSEDE = 0, OPEN = 1, CREATE = 2, OPEN_IF = 3, OVERWRITE = 4, OVERWRITE_IF = 5;
    static final int DIRECTORY_FILE = 0x1, WRITE_THROUGH = 0x2, NON_DIRECTORY_FILE = 0x40;
    static final int DELETE_ON_CLOSE = 0x1000, OPEN_BY_FILE_ID = 0x2000;
    /** Options a client may not send: the reserved high byte. */
    static final int INVALID_OPTIONS = 0xFF000000;
    /** Options the server does not do (NOT_SUPPORTED): CREATE_TREE_CONNECTION, OPEN_BY_FILE_ID, RESERVE_OPFILTER. */
    static final int UNSUPPORTED_OPTIONS = 0x80 | OPEN_BY_FILE_ID | 0x100000;
    /** FILE_ATTRIBUTE_VOLUME, DEVICE, INTEGRITY_STREAM and undefined bits: INVALID_PARAMETER in a CREATE. */
    static final int INVALID_ATTRIBUTES = 0xFFFF8048;
    /** FILE_ATTRIBUTE_ENCRYPTED: ACCESS_DENIED, as from a server that does not encrypt files. */
    static final int ENCRYPTED = 0x4000;

    CreateRequest {
        contexts = List.copyOf(contexts);
    }

    /** One create context (MS-SMB2 2.2.13.2): a 4-character name and its data. */
    @SuppressWarnings("ArrayRecordComponent")
    record CreateContext(String name, byte[] data) {}

    static CreateRequest decode(ByteBuf m) throws SmbException {
        int b = 64;
        if (m.writerIndex() < b + 56 || m.getUnsignedShortLE(b) != 57) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "CREATE structure size");
        }
        int nameOffset = m.getUnsignedShortLE(b + 44);
        int nameLength = m.getUnsignedShortLE(b + 46);
        long ctxOffset = m.getUnsignedIntLE(b + 48);
        long ctxLength = m.getUnsignedIntLE(b + 52);
        String name = "";
        if (nameLength > 0) {
            if (nameLength % 2 != 0 || nameOffset + nameLength > m.writerIndex()) {
                throw new SmbException(NtStatus.INVALID_PARAMETER, "CREATE name out of the message");
            }
            name = m.toString(nameOffset, nameLength, StandardCharsets.UTF_16LE);
        }
        List<CreateContext> contexts = new ArrayList<>();
        if (ctxLength > 0) {
            if (ctxOffset + ctxLength > m.writerIndex()) {
                throw new SmbException(NtStatus.INVALID_PARAMETER, "CREATE contexts out of the message");
            }
            decodeContexts(m, (int) ctxOffset, (int) ctxLength, contexts);
        }
        return new CreateRequest(
                m.getUnsignedByte(b + 3),
                m.getIntLE(b + 4),
                m.getIntLE(b + 24),
                m.getIntLE(b + 28),
                m.getIntLE(b + 32),
                m.getIntLE(b + 36),
                m.getIntLE(b + 40),
                name,
                contexts);
    }

    private static void decodeContexts(ByteBuf m, int start, int length, List<CreateContext> out) throws SmbException {
        int at = start;
        int end = start + length;
        while (true) {
            if (at + 16 > end) {
                throw new SmbException(NtStatus.INVALID_PARAMETER, "create context header out of range");
            }
            int next = m.getIntLE(at);
            int nameOff = m.getUnsignedShortLE(at + 4);
            int nameLen = m.getUnsignedShortLE(at + 6);
            int dataOff = m.getUnsignedShortLE(at + 10);
            int dataLen = m.getIntLE(at + 12);
            if (at + nameOff + nameLen > end || dataLen < 0 || (dataLen > 0 && at + dataOff + dataLen > end)) {
                throw new SmbException(NtStatus.INVALID_PARAMETER, "create context out of range");
            }
            String name = m.toString(at + nameOff, nameLen, StandardCharsets.ISO_8859_1);
            byte[] data = dataLen == 0 ? new byte[0] : ByteBufUtil.getBytes(m, at + dataOff, dataLen);
            out.add(new CreateContext(name, data));
            if (next == 0) {
                return;
            }
            if (next < 0 || next % 8 != 0) {
                throw new SmbException(NtStatus.INVALID_PARAMETER, "create context Next " + next);
            }
            at += next;
        }
    }

    boolean has(int option) {
        return (options & option) != 0;
    }

    CreateContext context(String contextName) {
        return contexts.stream()
                .filter(c -> c.name().equals(contextName))
                .findFirst()
                .orElse(null);
    }
}
