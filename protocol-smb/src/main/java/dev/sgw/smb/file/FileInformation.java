package dev.sgw.smb.file;

import java.nio.charset.StandardCharsets;

import dev.sgw.core.volume.FileAttributes;
import io.netty.buffer.ByteBuf;

/**
 * The file information classes QUERY_INFO answers (MS-FSCC 2.4), each written at the buffer's writer index.
 *
 * <pre>
 * class                            | bytes     | fields
 * FileBasicInformation (4)         | 40        | 4 times, FileAttributes, Reserved
 * FileStandardInformation (5)      | 24        | AllocationSize, EndOfFile, NumberOfLinks, DeletePending, Directory, Reserved (2)
 * FileInternalInformation (6)      | 8         | IndexNumber
 * FileEaInformation (7)            | 4         | EaSize ({@link ExtendedAttributes#size})
 * FileAccessInformation (8)        | 4         | AccessFlags
 * FileNameInformation (9)          | 4 + name  | FileNameLength, FileName
 *
 * The least OutputBufferLength a class takes ({@link #fixedSize}) is its structure's size with one character
 * of a name, aligned as Windows aligns it (8 for FileNameInformation, 104 for FileAllInformation).
 * FilePositionInformation (14)     | 8         | CurrentByteOffset
 * FileModeInformation (16)         | 4         | Mode
 * FileAlignmentInformation (17)    | 4         | AlignmentRequirement (0: byte)
 * FileAllInformation (18)          | 100 + name| basic, standard, internal, EA, access, position, mode, alignment, name
 * FileStreamInformation (22)       | 24 + name | {@link NamedStreams#writeInformation}
 * FileCompressionInformation (28)  | 16        | CompressedFileSize, CompressionFormat 0, shifts, Reserved (3)
 * FileNetworkOpenInformation (34)  | 56        | 4 times, AllocationSize, EndOfFile, FileAttributes, Reserved
 * FileAttributeTagInformation (35) | 8         | FileAttributes, ReparseTag
 * FileNormalizedNameInformation(48)| 4 + name  | as FileNameInformation, without the leading backslash
 * FileIdInformation (59)           | 24        | VolumeSerialNumber (8), FileId (16)
 * </pre>
 */
final class FileInformation {
    static final int BASIC = 4, STANDARD = 5, INTERNAL = 6, EA = 7, ACCESS = 8, NAME = 9, POSITION = 14, MODE = 16;
    static final int ALIGNMENT = 17, ALL = 18, ALTERNATE_NAME = 21, STREAM = 22, COMPRESSION = 28;
    static final int NETWORK_OPEN = 34, ATTRIBUTE_TAG = 35, NORMALIZED_NAME = 48, ID = 59;

    private FileInformation() {}

    /** The fixed part of a class (what OutputBufferLength must hold at least), or -1 for a class not answered. */
    static int fixedSize(int infoClass) {
        return switch (infoClass) {
            case BASIC -> 40;
            case STANDARD -> 24;
            case INTERNAL, POSITION, ATTRIBUTE_TAG -> 8;
            case EA, ACCESS, MODE, ALIGNMENT -> 4;
            case NAME, NORMALIZED_NAME, ALTERNATE_NAME -> 8; // 4 + one WCHAR, 4-aligned
            case ALL -> 104; // 100 + one WCHAR, 8-aligned
            case STREAM -> 32; // 24 + one WCHAR, 8-aligned
            case COMPRESSION -> 16;
            case NETWORK_OPEN -> 56;
            case ID -> 24;
            default -> -1;
        };
    }

    /** What the open's class needs to know beside the file's attributes. */
    record OpenState(
            String path, int access, long position, int mode, boolean deletePending, long volumeId, int eaSize) {}

    static void write(ByteBuf out, int infoClass, FileAttributes a, OpenState s) {
        switch (infoClass) {
            case BASIC -> basic(out, a);
            case STANDARD -> standard(out, a, s.deletePending());
            case INTERNAL -> out.writeLongLE(FileFields.fileId(a));
            case EA -> out.writeIntLE(s.eaSize());
            case ACCESS -> out.writeIntLE(s.access());
            case NAME -> name(out, "\\" + s.path());
            case NORMALIZED_NAME -> name(out, s.path());
            case POSITION -> out.writeLongLE(s.position());
            case MODE -> out.writeIntLE(s.mode());
            case ALIGNMENT -> out.writeIntLE(0);
            case ALL -> all(out, a, s);
            case COMPRESSION -> {
                out.writeLongLE(FileFields.endOfFile(a));
                out.writeShortLE(0);
                out.writeZero(6);
            }
            case NETWORK_OPEN -> {
                FileFields.writeTimes(out, a);
                out.writeLongLE(FileFields.allocation(a));
                out.writeLongLE(FileFields.endOfFile(a));
                out.writeIntLE(FileFields.attributes(a));
                out.writeIntLE(0);
            }
            case ATTRIBUTE_TAG -> {
                out.writeIntLE(FileFields.attributes(a));
                out.writeIntLE(0);
            }
            case ID -> {
                out.writeLongLE(s.volumeId());
                out.writeLongLE(FileFields.fileId(a));
                out.writeLongLE(0);
            }
            default -> throw new IllegalArgumentException("file information class " + infoClass);
        }
    }

    private static void basic(ByteBuf out, FileAttributes a) {
        FileFields.writeTimes(out, a);
        out.writeIntLE(FileFields.attributes(a));
        out.writeIntLE(0);
    }

    private static void standard(ByteBuf out, FileAttributes a, boolean deletePending) {
        out.writeLongLE(FileFields.allocation(a));
        out.writeLongLE(FileFields.endOfFile(a));
        // a file to be deleted counts its last link as gone already
        out.writeIntLE(Math.max(a.nlink(), 1) - (deletePending ? 1 : 0));
        out.writeByte(deletePending ? 1 : 0);
        out.writeByte(a.isDirectory() ? 1 : 0);
        out.writeShortLE(0);
    }

    private static void name(ByteBuf out, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_16LE);
        out.writeIntLE(n.length);
        out.writeBytes(n);
    }

    private static void all(ByteBuf out, FileAttributes a, OpenState s) {
        basic(out, a);
        standard(out, a, s.deletePending());
        out.writeLongLE(FileFields.fileId(a));
        out.writeIntLE(s.eaSize());
        out.writeIntLE(s.access());
        out.writeLongLE(s.position());
        out.writeIntLE(s.mode());
        out.writeIntLE(0); // AlignmentRequirement
        name(out, "\\" + s.path());
    }
}
