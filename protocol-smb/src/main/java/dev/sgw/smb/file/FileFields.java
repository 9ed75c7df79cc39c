package dev.sgw.smb.file;

import dev.sgw.core.volume.DosAttributes;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileType;
import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.wire.NtStatus;
import io.netty.buffer.ByteBuf;

/**
 * The fields many SMB structures share, from a file's attributes: FILE_ATTRIBUTE_* bits (MS-FSCC 2.6), the
 * four times as FILETIMEs, allocation size.
 */
final class FileFields {
    static final int ATTRIBUTE_READONLY = 0x1;
    static final int ATTRIBUTE_DIRECTORY = 0x10;
    static final int ATTRIBUTE_ARCHIVE = 0x20;
    static final int ATTRIBUTE_NORMAL = 0x80;
    static final int ATTRIBUTE_TEMPORARY = 0x100;
    static final int ATTRIBUTE_SPARSE_FILE = 0x200;
    static final int ATTRIBUTE_REPARSE_POINT = 0x400;
    /** The allocation unit sizes are reported in. */
    static final int CLUSTER = 4096;

    private FileFields() {}

    /** The FILE_ATTRIBUTE_* bits of a file: its DOS attributes, DIRECTORY, or NORMAL when none. */
    static int attributes(FileAttributes a) {
        int bits = a.dosAttributes().bits();
        if (a.isDirectory()) {
            bits |= ATTRIBUTE_DIRECTORY;
        }
        if (a.type() == FileType.SYMLINK) {
            bits |= ATTRIBUTE_REPARSE_POINT;
        }
        return bits == 0 ? ATTRIBUTE_NORMAL : bits;
    }

    /**
     * INVALID_PARAMETER for FILE_ATTRIBUTE_DIRECTORY on a file or FILE_ATTRIBUTE_TEMPORARY on a directory
     * (MS-FSA 2.1.5.14.2).
     */
    static void checkAttributes(int attributes, boolean directory) throws SmbException {
        if (!directory && (attributes & ATTRIBUTE_DIRECTORY) != 0) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "the directory attribute on a file");
        }
        if (directory && (attributes & ATTRIBUTE_TEMPORARY) != 0) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "the temporary attribute on a directory");
        }
    }

    /**
     * The DOS attributes a client asks for in CREATE or FileBasicInformation: {@code keptSparse}'s sparse mark
     * instead of the asked one, which only FSCTL_SET_SPARSE changes (MS-FSA 2.1.5.14.2).
     */
    static DosAttributes settable(int fileAttributes, DosAttributes keptSparse) {
        int bits = DosAttributes.of(fileAttributes).bits() & ~DosAttributes.SPARSE_FILE;
        return new DosAttributes(bits | (keptSparse.bits() & DosAttributes.SPARSE_FILE));
    }

    /** Bytes of storage held, in whole clusters (0 for a directory). */
    static long allocation(FileAttributes a) {
        if (a.isDirectory()) {
            return 0;
        }
        long used = Math.max(a.used(), 0);
        return (used + CLUSTER - 1) / CLUSTER * CLUSTER;
    }

    static long endOfFile(FileAttributes a) {
        return a.isDirectory() ? 0 : a.size();
    }

    /** CreationTime, LastAccessTime, LastWriteTime, ChangeTime: 32 bytes. */
    static void writeTimes(ByteBuf out, FileAttributes a) {
        out.writeLongLE(FileTimes.toFiletime(a.btime()));
        out.writeLongLE(FileTimes.toFiletime(a.atime()));
        out.writeLongLE(FileTimes.toFiletime(a.mtime()));
        out.writeLongLE(FileTimes.toFiletime(a.ctime()));
    }

    /** The file's 64-bit id (FileInternalInformation's IndexNumber, directory listings' FileId): its inode. */
    static long fileId(FileAttributes a) {
        return a.inode();
    }
}
