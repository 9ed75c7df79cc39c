package dev.sgw.smb.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.sgw.core.sharing.SharingChange;
import dev.sgw.core.volume.DosAttributes;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.SetAttributes;
import dev.sgw.smb.server.FileId;
import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.server.SmbRequest;
import dev.sgw.smb.server.SmbResponse;
import dev.sgw.smb.wire.NtStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * SMB2 SET_INFO (MS-SMB2 3.3.5.21, MS-FSA 2.1.5.14): file information and security descriptors.
 *
 * <pre>
 * request: 0 StructureSize = 33 (2)  2 InfoType (1)  3 FileInfoClass (1)  4 BufferLength (4)
 *          8 BufferOffset (2)  12 AdditionalInformation (4)  16 FileId (16)  32 Buffer
 *
 * class                          | bytes | needs                 | does
 * FileBasicInformation (4)       | 40    | FILE_WRITE_ATTRIBUTES | times (0, -1, -2: unchanged), DOS attributes (0: unchanged)
 * FileRenameInformation (10)     | 20+n  | DELETE, a writable tree | {@link Renames#rename}
 * FileLinkInformation (11)       | 20+n  | a writable tree       | {@link Renames#link}
 * FileDispositionInformation (13)| 1     | DELETE                | delete at the last close, or not
 * FilePositionInformation (14)   | 8     |                       | kept for the client
 * FileModeInformation (16)       | 4     |                       | kept for the client
 * FileAllocationInformation (19) | 8     | FILE_WRITE_DATA       | a smaller allocation truncates; shown ({@link AllocationSizes})
 * FileFullEaInformation (15)     | 8+n   | FILE_WRITE_EA         | sets or removes EAs ({@link ExtendedAttributes})
 * FileEndOfFileInformation (20)  | 8     | FILE_WRITE_DATA       | size
 *
 * On an open of a named stream ({@link StreamOpen}) the rename, disposition, allocation and end of file are the
 * stream's ({@link StreamRenames}, {@link StreamData}); times and attributes are the base file's.
 * FileDispositionInformationEx(64)| 4    | DELETE                | flags DELETE, ON_CLOSE, IGNORE_READONLY_ATTRIBUTE
 * </pre>
 */
final class SetInfo {
    private static final int BASIC = 4, RENAME = 10, LINK = 11, DISPOSITION = 13, POSITION = 14, MODE = 16;
    private static final int FULL_EA = 15, ALLOCATION = 19, END_OF_FILE = 20, DISPOSITION_EX = 64;
    private static final int DISPOSITION_DELETE = 0x1, DISPOSITION_ON_CLOSE = 0x8, DISPOSITION_IGNORE_READONLY = 0x10;

    private final OpenTable opens;
    private final Renames renames;
    private final StreamRenames streamRenames;
    private final WriteTimes writeTimes;
    private final AllocationSizes allocations;

    SetInfo(OpenTable opens, WriteTimes writeTimes, AllocationSizes allocations) {
        this.opens = opens;
        this.renames = new Renames(opens);
        this.streamRenames = new StreamRenames(opens);
        this.writeTimes = writeTimes;
        this.allocations = allocations;
    }

    SmbResponse handle(SmbRequest request) throws SmbException, IOException {
        ByteBuf m = request.message();
        int infoType = m.getUnsignedByte(64 + 2);
        int infoClass = m.getUnsignedByte(64 + 3);
        long length = m.getUnsignedIntLE(64 + 4);
        int offset = m.getUnsignedShortLE(64 + 8);
        int additional = m.getIntLE(64 + 12);
        SmbOpen open = opens.getForChange(request, FileId.get(m, 64 + 16));
        if (offset + length > m.writerIndex()) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "SET_INFO buffer out of the message");
        }
        ByteBuf buffer = m.slice(offset, (int) length);
        switch (infoType) {
            case QueryInfo.INFO_FILE -> file(open, infoClass, buffer);
            case QueryInfo.INFO_SECURITY -> security(open, additional, buffer);
            case QueryInfo.INFO_FILESYSTEM, QueryInfo.INFO_QUOTA ->
                throw new SmbException(NtStatus.NOT_SUPPORTED, "setting file system information");
            default -> throw new SmbException(NtStatus.INVALID_PARAMETER, "InfoType " + infoType);
        }
        ByteBuf out = Unpooled.buffer(2);
        out.writeShortLE(2);
        return SmbResponse.of(out);
    }

    private void file(SmbOpen open, int infoClass, ByteBuf b) throws SmbException, IOException {
        FileVolume volume = open.tree.volume();
        switch (infoClass) {
            case BASIC -> {
                need(b, 40);
                require(open, AccessMask.FILE_WRITE_ATTRIBUTES);
                basic(open, volume, b);
            }
            case RENAME, LINK -> {
                need(b, 20);
                boolean replace = b.getByte(0) != 0;
                long root = b.getLongLE(8);
                long nameLength = b.getUnsignedIntLE(16);
                if (root != 0 || 20 + nameLength > b.readableBytes() || nameLength % 2 != 0) {
                    throw new SmbException(NtStatus.INVALID_PARAMETER, "rename/link target");
                }
                if (open.tree.readOnly()) {
                    throw new SmbException(NtStatus.ACCESS_DENIED, "the tree is read-only: no new names");
                }
                String target = b.toString(20, (int) nameLength, StandardCharsets.UTF_16LE);
                if (target.startsWith("\\")) {
                    target = target.substring(1); // some clients name the target from the share's root with a backslash
                }
                if (infoClass == RENAME) {
                    require(open, AccessMask.DELETE);
                    if (open.stream != null) {
                        streamRenames.rename(open, target, replace);
                        return;
                    }
                    streamRenames.checkBaseRename(open);
                    renames.rename(open, target, replace);
                } else {
                    renames.link(open, target, replace);
                }
            }
            case DISPOSITION -> {
                need(b, 1);
                disposition(open, b.getByte(0) != 0, false);
            }
            case DISPOSITION_EX -> {
                need(b, 4);
                int flags = b.getIntLE(0);
                disposition(open, (flags & DISPOSITION_DELETE) != 0, (flags & DISPOSITION_IGNORE_READONLY) != 0);
                if ((flags & DISPOSITION_ON_CLOSE) != 0 && (flags & DISPOSITION_DELETE) == 0) {
                    disposition(open, false, false);
                }
            }
            case POSITION -> {
                need(b, 8);
                open.position = b.getLongLE(0);
            }
            case MODE -> {
                need(b, 4);
                int mode = b.getIntLE(0);
                // WRITE_THROUGH, SEQUENTIAL_ONLY, SYNCHRONOUS_IO_ALERT, SYNCHRONOUS_IO_NONALERT (MS-FSA 2.1.5.14.8)
                if ((mode & ~0x36) != 0 || (mode & 0x30) == 0x30) {
                    throw new SmbException(NtStatus.INVALID_PARAMETER, "mode 0x" + Integer.toHexString(mode));
                }
                open.mode = mode;
            }
            case ALLOCATION -> {
                need(b, 8);
                require(open, AccessMask.FILE_WRITE_DATA);
                long allocation = b.getLongLE(0);
                if (open.stream != null) {
                    StreamData.truncate(open, allocation, true);
                    return;
                }
                FileAttributes a = volume.getattr(open.node);
                if (!a.isDirectory() && allocation < a.size()) {
                    volume.setattr(open.node, SetAttributes.size(allocation));
                }
                if (!a.isDirectory()) {
                    allocations.set(open, allocation);
                }
            }
            case END_OF_FILE -> {
                need(b, 8);
                require(open, AccessMask.FILE_WRITE_DATA);
                if (open.directory) {
                    throw new SmbException(NtStatus.INVALID_PARAMETER, "end of file of a directory");
                }
                long size = b.getLongLE(0);
                if (size < 0) {
                    throw new SmbException(NtStatus.INVALID_PARAMETER, "end of file " + size);
                }
                if (open.stream != null) {
                    StreamData.truncate(open, size, false);
                    return;
                }
                Leases.breakFor(open, SharingChange.WRITE);
                writeTimes.settleOnVolume(open);
                volume.setattr(open.node, SetAttributes.size(size));
            }
            case FULL_EA -> {
                require(open, AccessMask.FILE_WRITE_EA);
                ExtendedAttributes.set(volume, open.node, ExtendedAttributes.decodeFull(b));
            }
            default -> throw new SmbException(NtStatus.INVALID_INFO_CLASS, "set file information class " + infoClass);
        }
    }

    /**
     * FileBasicInformation: any of them applies the open's pending write time first (even with every field
     * 0, as Windows does), then the times and attributes given.
     */
    private void basic(SmbOpen open, FileVolume volume, ByteBuf b) throws SmbException, IOException {
        int attributes = b.getIntLE(32);
        FileFields.checkAttributes(attributes, open.directory);
        writeTimes.settleOnVolume(open);
        long lastWrite = b.getLongLE(16);
        writeTimes.lastWriteTimeSet(
                open, lastWrite, lastWrite == -1 ? volume.getattr(open.node).mtime() : 0);
        Long btime = FileTimes.setting(b.getLongLE(0));
        Long atime = FileTimes.setting(b.getLongLE(8));
        Long mtime = FileTimes.setting(b.getLongLE(16));
        Long ctime = FileTimes.setting(b.getLongLE(24));
        SetAttributes change = SetAttributes.NONE.withTimes(atime, mtime, ctime, btime);
        if (attributes != 0) {
            DosAttributes current = volume.getattr(open.node).dosAttributes();
            change = change.withDosAttributes(FileFields.settable(attributes, current));
        }
        if (change.equals(SetAttributes.NONE)) {
            return;
        }
        volume.setattr(open.node, change);
    }

    private void disposition(SmbOpen open, boolean delete, boolean ignoreReadOnly) throws SmbException, IOException {
        require(open, AccessMask.DELETE);
        if (open.stream != null) {
            open.deleteOnClose = delete; // only the stream goes, at its last close (StreamData.closed)
            return;
        }
        FileVolume volume = open.tree.volume();
        if (delete) {
            FileAttributes a = volume.getattr(open.node);
            SharePath path = SharePath.parse(open.path());
            if (path.isRoot()) {
                throw new SmbException(NtStatus.ACCESS_DENIED, "the share's root cannot be deleted");
            }
            if (a.dosAttributes().readOnly() && !ignoreReadOnly) {
                throw new SmbException(NtStatus.CANNOT_DELETE, "read-only " + path);
            }
            DeleteRules.checkEmpty(volume, open.tree.sharing(), a, path);
        }
        open.deleteOnClose = delete;
        open.tree.sharing().markDeleteOnClose(open.sharingOpen, delete);
    }

    private static void security(SmbOpen open, int additional, ByteBuf b) throws SmbException, IOException {
        if ((additional & SecurityDescriptors.SACL) != 0) {
            throw new SmbException(NtStatus.PRIVILEGE_NOT_HELD, "SACL");
        }
        if ((additional & SecurityDescriptors.DACL) != 0) {
            require(open, AccessMask.WRITE_DAC);
        }
        if ((additional & (SecurityDescriptors.OWNER | SecurityDescriptors.GROUP)) != 0) {
            require(open, AccessMask.WRITE_OWNER);
        }
        FileVolume volume = open.tree.volume();
        FileAttributes current = volume.getattr(open.node);
        SecurityDescriptor given;
        try {
            given = SecurityDescriptor.parse(b);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "security descriptor: " + e.getMessage());
        }
        int parts = additional & (SecurityDescriptors.OWNER | SecurityDescriptors.GROUP | SecurityDescriptors.DACL);
        if (parts == 0) {
            return;
        }
        SecurityDescriptor merged = FileSecurity.of(volume, current).merged(given, parts);
        boolean unixOnly = (parts & SecurityDescriptors.DACL) == 0
                && (merged.owner == null || merged.owner.unixUid() != null)
                && (merged.group == null || merged.group.unixGid() != null);
        if (unixOnly && FileSecurity.stored(volume, current) == null) {
            // a chown or chgrp between Unix SIDs of a file whose mode rules: the attributes say it all
            Integer uid = merged.owner == null ? null : merged.owner.unixUid();
            Integer gid = merged.group == null ? null : merged.group.unixGid();
            if ((uid != null && uid != current.uid()) || (gid != null && gid != current.gid())) {
                volume.setattr(open.node, new SetAttributes(null, uid, gid, null, null, null));
            }
            return;
        }
        FileSecurity.store(volume, current, merged);
    }

    private static void need(ByteBuf b, int bytes) throws SmbException {
        if (b.readableBytes() < bytes) {
            throw new SmbException(NtStatus.INFO_LENGTH_MISMATCH, b.readableBytes() + " bytes, " + bytes + " needed");
        }
    }

    private static void require(SmbOpen open, int rights) throws SmbException {
        if ((open.grantedAccess & rights) != rights) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "the open lacks access 0x" + Integer.toHexString(rights));
        }
    }
}
