package dev.sgw.smb.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.smb.server.FileId;
import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.server.SmbRequest;
import dev.sgw.smb.server.SmbResponse;
import dev.sgw.smb.wire.NtStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * SMB2 QUERY_DIRECTORY (MS-SMB2 3.3.5.18) and the directory information classes (MS-FSCC 2.4).
 *
 * <pre>
 * request:  0 StructureSize = 33 (2)  2 FileInformationClass (1)  3 Flags (1)  4 FileIndex (4)
 *           8 FileId (16)  24 FileNameOffset (2)  26 FileNameLength (2)  28 OutputBufferLength (4)
 * response: 0 StructureSize = 9 (2)  2 OutputBufferOffset (2)  4 OutputBufferLength (4)  8 Buffer
 *
 * class                               | fixed part | after FileNameLength
 * FileDirectoryInformation (1)        | 64         | name
 * FileFullDirectoryInformation (2)    | 68         | EaSize, name
 * FileBothDirectoryInformation (3)    | 94         | EaSize, ShortNameLength, Reserved, ShortName[24], name
 * FileNamesInformation (12)           | 12         | (NextEntryOffset, FileIndex, FileNameLength) name
 * FileIdBothDirectoryInformation (37) | 104        | as 3, Reserved2 (2), FileId (8), name
 * FileIdFullDirectoryInformation (38) | 80         | EaSize, Reserved (4), FileId (8), name
 * </pre>
 *
 * Entries start 8-byte aligned; the last one's NextEntryOffset is 0.
 */
final class DirectoryQuery {
    static final int DIRECTORY = 1, FULL = 2, BOTH = 3, NAMES = 12, ID_BOTH = 37, ID_FULL = 38;
    private static final int RESTART_SCANS = 0x01, RETURN_SINGLE_ENTRY = 0x02, REOPEN = 0x10;

    private final OpenTable opens;
    private final WriteTimes writeTimes;
    private final AllocationSizes allocations;

    DirectoryQuery(OpenTable opens, WriteTimes writeTimes, AllocationSizes allocations) {
        this.opens = opens;
        this.writeTimes = writeTimes;
        this.allocations = allocations;
    }

    static int fixedSize(int infoClass) {
        return switch (infoClass) {
            case DIRECTORY -> 64;
            case FULL -> 68;
            case BOTH -> 94;
            case NAMES -> 12;
            case ID_BOTH -> 104;
            case ID_FULL -> 80;
            default -> -1;
        };
    }

    SmbResponse handle(SmbRequest request) throws SmbException, IOException {
        ByteBuf m = request.message();
        int infoClass = m.getUnsignedByte(64 + 2);
        int flags = m.getUnsignedByte(64 + 3);
        SmbOpen open = opens.get(request, FileId.get(m, 64 + 8));
        int nameOffset = m.getUnsignedShortLE(64 + 24);
        int nameLength = m.getUnsignedShortLE(64 + 26);
        long outputLength = m.getUnsignedIntLE(64 + 28);
        int fixed = fixedSize(infoClass);
        if (fixed < 0) {
            throw new SmbException(NtStatus.INVALID_INFO_CLASS, "directory information class " + infoClass);
        }
        if (!open.directory) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "QUERY_DIRECTORY on a file");
        }
        if (!open.has(AccessMask.FILE_READ_DATA)) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "no FILE_LIST_DIRECTORY access");
        }
        if (outputLength > request.connection().maxTransactSize() || nameOffset + nameLength > m.writerIndex()) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "QUERY_DIRECTORY lengths");
        }
        String pattern = nameLength == 0 ? "" : m.toString(nameOffset, nameLength, StandardCharsets.UTF_16LE);
        synchronized (open) {
            DirectoryScan scan = open.scan;
            boolean restart = (flags & (RESTART_SCANS | REOPEN)) != 0;
            if (scan == null || restart) {
                String p = pattern.isEmpty() ? (scan == null ? "*" : scan.pattern) : pattern;
                scan = DirectoryScan.start(p);
                open.scan = scan;
            } else {
                scan.resume();
            }
            return answer(open, scan, infoClass, (flags & RETURN_SINGLE_ENTRY) != 0, (int) outputLength);
        }
    }

    private SmbResponse answer(SmbOpen open, DirectoryScan scan, int infoClass, boolean single, int outputLength)
            throws IOException {
        FileVolume volume = open.tree.volume();
        FileAttributes dir = volume.getattr(open.node);
        int batch = single ? 1 : Math.min(1024, outputLength / fixedSize(infoClass) + 1);
        boolean first = !scan.answered;
        scan.answered = true;
        DirectoryScan.Entry e = scan.peek(volume, dir, batch);
        if (e == null) {
            return SmbResponse.error(first ? NtStatus.NO_SUCH_FILE : NtStatus.NO_MORE_FILES);
        }
        if (outputLength < fixedSize(infoClass)) {
            return SmbResponse.error(NtStatus.INFO_LENGTH_MISMATCH);
        }
        ByteBuf data = Unpooled.buffer(Math.min(outputLength, 64 * 1024));
        int lastStart = -1;
        while (e != null) {
            int start = align8(data.writerIndex());
            int length = fixedSize(infoClass) + 2 * e.name().length();
            if (start + length > outputLength) {
                break;
            }
            data.writeZero(start - data.writerIndex());
            if (lastStart >= 0) {
                data.setIntLE(lastStart, start - lastStart);
            }
            Object files = open.tree.sharing();
            FileAttributes shown = allocations.shown(files, writeTimes.shown(files, e.attributes()));
            int eaSize =
                    infoClass == NAMES || infoClass == DIRECTORY ? 0 : ExtendedAttributes.sizeOf(volume, shown.id());
            encode(data, infoClass, e.name(), shown, scan.returned + 1, eaSize);
            lastStart = start;
            scan.consume();
            if (single) {
                break;
            }
            e = scan.peek(volume, dir, batch);
        }
        if (lastStart < 0) {
            data.release();
            return SmbResponse.error(NtStatus.BUFFER_OVERFLOW);
        }
        ByteBuf out = Unpooled.buffer(8 + data.readableBytes());
        out.writeShortLE(9);
        out.writeShortLE(64 + 8);
        out.writeIntLE(data.readableBytes());
        out.writeBytes(data);
        data.release();
        return SmbResponse.of(out);
    }

    private static int align8(int n) {
        return (n + 7) & ~7;
    }

    /** One entry at the writer index, NextEntryOffset 0; {@code eaSize} as FileEaInformation says it. */
    static void encode(ByteBuf out, int infoClass, String entryName, FileAttributes a, long index, int eaSize) {
        byte[] name = entryName.getBytes(StandardCharsets.UTF_16LE);
        out.writeIntLE(0);
        out.writeIntLE((int) index);
        if (infoClass == NAMES) {
            out.writeIntLE(name.length);
            out.writeBytes(name);
            return;
        }
        FileFields.writeTimes(out, a);
        out.writeLongLE(FileFields.endOfFile(a));
        out.writeLongLE(FileFields.allocation(a));
        out.writeIntLE(FileFields.attributes(a));
        out.writeIntLE(name.length);
        if (infoClass == DIRECTORY) {
            out.writeBytes(name);
            return;
        }
        out.writeIntLE(eaSize);
        switch (infoClass) {
            case FULL -> {}
            case ID_FULL -> {
                out.writeIntLE(0);
                out.writeLongLE(FileFields.fileId(a));
            }
            case BOTH, ID_BOTH -> {
                // ShortName: only a name that is not an 8.3 name has one
                boolean dots = entryName.equals(".") || entryName.equals("..");
                byte[] shortName = dots || ShortNames.isShortName(entryName)
                        ? new byte[0]
                        : ShortNames.of(entryName).getBytes(StandardCharsets.UTF_16LE);
                out.writeByte(shortName.length);
                out.writeByte(0);
                out.writeBytes(shortName);
                out.writeZero(24 - shortName.length);
                if (infoClass == ID_BOTH) {
                    out.writeShortLE(0);
                    out.writeLongLE(FileFields.fileId(a));
                }
            }
            default -> throw new IllegalArgumentException("class " + infoClass);
        }
        out.writeBytes(name);
    }
}
