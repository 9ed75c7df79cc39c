package dev.sgw.smb.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

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
 * SMB2 QUERY_INFO (MS-SMB2 3.3.5.20): file ({@link FileInformation}), file system
 * ({@link FilesystemInformation}) and security ({@link SecurityDescriptors}) information. An output buffer
 * smaller than a class's fixed part is INFO_LENGTH_MISMATCH; a variable part that does not fit is cut and
 * answered with BUFFER_OVERFLOW; a security descriptor that does not fit is BUFFER_TOO_SMALL with the size it
 * needs as error data.
 *
 * <pre>
 * request:  0 StructureSize = 41 (2)  2 InfoType (1)  3 FileInfoClass (1)  4 OutputBufferLength (4)
 *           8 InputBufferOffset (2)  12 InputBufferLength (4)  16 AdditionalInformation (4)  20 Flags (4)
 *          24 FileId (16)
 * response: 0 StructureSize = 9 (2)  2 OutputBufferOffset (2)  4 OutputBufferLength (4)  8 Buffer
 * </pre>
 */
final class QueryInfo {
    static final int INFO_FILE = 1, INFO_FILESYSTEM = 2, INFO_SECURITY = 3, INFO_QUOTA = 4;
    /** FileFullEaInformation ({@link ExtendedAttributes}): needs FILE_READ_EA; NO_EAS_ON_FILE for a file without EAs. */
    private static final int FULL_EA = 15;

    private final OpenTable opens;
    private final WriteTimes writeTimes;
    private final AllocationSizes allocations;
    private final ShortNames shortNames;

    QueryInfo(OpenTable opens, WriteTimes writeTimes, AllocationSizes allocations, ShortNames shortNames) {
        this.opens = opens;
        this.writeTimes = writeTimes;
        this.allocations = allocations;
        this.shortNames = shortNames;
    }

    SmbResponse handle(SmbRequest request) throws SmbException, IOException {
        ByteBuf m = request.message();
        int infoType = m.getUnsignedByte(64 + 2);
        int infoClass = m.getUnsignedByte(64 + 3);
        long outputLength = m.getUnsignedIntLE(64 + 4);
        int additional = m.getIntLE(64 + 16);
        SmbOpen open = opens.get(request, FileId.get(m, 64 + 24));
        if (outputLength > request.connection().maxTransactSize()) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "OutputBufferLength " + outputLength);
        }
        return switch (infoType) {
            case INFO_FILE ->
                infoClass == FULL_EA ? fullEa(m, open, (int) outputLength) : file(open, infoClass, (int) outputLength);
            case INFO_FILESYSTEM -> filesystem(request, open, infoClass, (int) outputLength);
            case INFO_SECURITY -> security(open, additional, (int) outputLength);
            case INFO_QUOTA -> SmbResponse.error(NtStatus.NOT_SUPPORTED);
            default -> throw new SmbException(NtStatus.INVALID_PARAMETER, "InfoType " + infoType);
        };
    }

    private SmbResponse file(SmbOpen open, int infoClass, int outputLength) throws SmbException, IOException {
        if (infoClass == FileInformation.ALTERNATE_NAME) {
            return alternateName(open, outputLength);
        }
        int fixed = FileInformation.fixedSize(infoClass);
        if (fixed < 0) {
            throw new SmbException(NtStatus.INVALID_INFO_CLASS, "file information class " + infoClass);
        }
        if (needsAttributeAccess(infoClass) && !open.has(AccessMask.FILE_READ_ATTRIBUTES)) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "no FILE_READ_ATTRIBUTES access");
        }
        FileAttributes a = allocations.shown(
                open.tree.sharing(),
                writeTimes.shown(open.tree.sharing(), open.tree.volume().getattr(open.node)));
        ByteBuf data = Unpooled.buffer(128);
        if (infoClass == FileInformation.STREAM) {
            NamedStreams.writeInformation(data, a, NamedStreams.list(open.tree.volume(), open.node));
            return answer(data, fixed, outputLength);
        }
        StreamOpen stream = open.stream;
        String path = open.path();
        if (infoClass == FileInformation.NORMALIZED_NAME) {
            if (open.node.equals(open.tree.volume().root())) {
                throw new SmbException(NtStatus.NOT_SUPPORTED, "the share's root has no normalized name");
            }
            // the names as kept, whatever case the open gave them in (one place of a file with hard links)
            String given = path;
            path = open.tree
                    .sharing()
                    .storedPath(open.node.inode(), '\\')
                    .filter(given::equalsIgnoreCase)
                    .orElse(given);
        }
        if (stream != null) {
            a = StreamData.asStream(a, StreamData.size(open));
            path = stream.name().isDefault() ? path : path + ":" + stream.name().name();
        }
        boolean deletePending = deletePending(opens, open);
        int eaSize = infoClass == FileInformation.EA || infoClass == FileInformation.ALL
                ? ExtendedAttributes.size(ExtendedAttributes.of(open.tree.volume(), open.node))
                : 0;
        FileInformation.OpenState state = new FileInformation.OpenState(
                path, open.grantedAccess, open.position, open.mode, deletePending, VolumeIds.of(open.tree), eaSize);
        FileInformation.write(data, infoClass, a, state);
        return answer(data, fixed, outputLength);
    }

    /**
     * FileAlternateNameInformation: the name's 8.3 name ({@link ShortNames}), remembered for a later CREATE by
     * it; the share's root has none (OBJECT_NAME_NOT_FOUND).
     */
    private SmbResponse alternateName(SmbOpen open, int outputLength) throws SmbException, IOException {
        SharePath path = SharePath.parse(open.path());
        if (path.isRoot()) {
            throw new SmbException(NtStatus.OBJECT_NAME_NOT_FOUND, "the share's root has no 8.3 name");
        }
        FileAttributes dir = path.resolveParent(open.tree.volume());
        shortNames.remember(open.tree.sharing(), dir.inode(), path.name());
        String name = ShortNames.of(path.name());
        ByteBuf data = Unpooled.buffer(4 + 2 * name.length());
        byte[] n = name.getBytes(StandardCharsets.UTF_16LE);
        data.writeIntLE(n.length);
        data.writeBytes(n);
        return answer(data, FileInformation.fixedSize(FileInformation.ALTERNATE_NAME), outputLength);
    }

    private static boolean needsAttributeAccess(int infoClass) {
        return infoClass == FileInformation.BASIC
                || infoClass == FileInformation.ALL
                || infoClass == FileInformation.NETWORK_OPEN
                || infoClass == FileInformation.ATTRIBUTE_TAG;
    }

    /**
     * Whether the file (for an open of a stream: the stream) is marked for deletion by any of its opens
     * (FileStandardInformation's DeletePending).
     */
    static boolean deletePending(OpenTable opens, SmbOpen open) {
        return opens.ofInode(open.tree, open.node.inode()).stream()
                .anyMatch(o ->
                        o.deleteOnClose && (open.stream == null ? o.stream == null : StreamOpen.sameStream(open, o)));
    }

    /**
     * FileFullEaInformation: the file's EAs, or those the request's FILE_GET_EA_INFORMATION list names
     * (InputBufferOffset at 8, InputBufferLength at 12); NO_EAS_ON_FILE when it has none and none were named.
     */
    private static SmbResponse fullEa(ByteBuf m, SmbOpen open, int outputLength) throws SmbException, IOException {
        if (!open.has(AccessMask.FILE_READ_EA)) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "no FILE_READ_EA access");
        }
        int inputOffset = m.getUnsignedShortLE(64 + 8);
        long inputLength = m.getUnsignedIntLE(64 + 12);
        List<String> asked = null;
        if (inputLength > 0) {
            if (inputOffset + inputLength > m.writerIndex()) {
                throw new SmbException(NtStatus.INVALID_PARAMETER, "QUERY_INFO input buffer out of the message");
            }
            asked = ExtendedAttributes.decodeNames(m.slice(inputOffset, (int) inputLength));
        }
        Map<String, byte[]> eas =
                ExtendedAttributes.select(ExtendedAttributes.of(open.tree.volume(), open.node), asked);
        if (eas.isEmpty()) {
            throw new SmbException(NtStatus.NO_EAS_ON_FILE, open + " has no extended attributes");
        }
        ByteBuf data = Unpooled.buffer(64);
        ExtendedAttributes.writeFull(data, eas);
        if (data.readableBytes() > outputLength) {
            data.release();
            throw new SmbException(NtStatus.BUFFER_TOO_SMALL, "the EAs take more than " + outputLength + " bytes");
        }
        return answer(data, 0, outputLength);
    }

    private SmbResponse filesystem(SmbRequest request, SmbOpen open, int infoClass, int outputLength)
            throws SmbException, IOException {
        int fixed = FilesystemInformation.fixedSize(infoClass);
        if (fixed < 0) {
            throw new SmbException(NtStatus.INVALID_INFO_CLASS, "file system information class " + infoClass);
        }
        FileAttributes root = open.tree.volume().getattr(open.tree.volume().root());
        FilesystemInformation.Volume v = new FilesystemInformation.Volume(
                request.tree().shareName(),
                VolumeIds.serial(open.tree),
                FileTimes.toFiletime(root.btime()),
                VolumeIds.of(open.tree),
                infoClass == FilesystemInformation.ATTRIBUTE && NamedStreams.supported(open.tree.volume()));
        ByteBuf data = Unpooled.buffer(64);
        FilesystemInformation.write(data, infoClass, open.tree.volume().statfs(), v);
        return answer(data, fixed, outputLength);
    }

    private SmbResponse security(SmbOpen open, int additional, int outputLength) throws SmbException, IOException {
        if ((additional & SecurityDescriptors.SACL) != 0) {
            throw new SmbException(NtStatus.PRIVILEGE_NOT_HELD, "SACL");
        }
        int parts = additional & (SecurityDescriptors.OWNER | SecurityDescriptors.GROUP | SecurityDescriptors.DACL);
        if (parts != 0 && !open.has(AccessMask.READ_CONTROL)) { // asking for no part needs no right (MS-SMB2)
            throw new SmbException(NtStatus.ACCESS_DENIED, "no READ_CONTROL access");
        }
        FileVolume volume = open.tree.volume();
        byte[] sd = FileSecurity.of(volume, volume.getattr(open.node)).encode(additional);
        if (sd.length > outputLength) {
            ByteBuf error = Unpooled.buffer(12);
            error.writeShortLE(9);
            error.writeByte(0);
            error.writeByte(0);
            error.writeIntLE(4);
            error.writeIntLE(sd.length);
            return SmbResponse.of(NtStatus.BUFFER_TOO_SMALL, error);
        }
        return answer(Unpooled.wrappedBuffer(sd), sd.length, outputLength);
    }

    /** The response body with {@code data}, cut to {@code outputLength} (BUFFER_OVERFLOW) if longer. */
    private static SmbResponse answer(ByteBuf data, int fixed, int outputLength) {
        if (outputLength < fixed) {
            data.release();
            return SmbResponse.error(NtStatus.INFO_LENGTH_MISMATCH);
        }
        int length = Math.min(data.readableBytes(), outputLength);
        ByteBuf out = Unpooled.buffer(8 + length);
        out.writeShortLE(9);
        out.writeShortLE(64 + 8);
        out.writeIntLE(length);
        out.writeBytes(data, data.readerIndex(), length);
        if (length == 0) {
            out.writeByte(0);
        }
        boolean cut = length < data.readableBytes();
        data.release();
        return cut ? SmbResponse.of(NtStatus.BUFFER_OVERFLOW, out) : SmbResponse.of(out);
    }
}
