package dev.sgw.smb.file;

import java.nio.charset.StandardCharsets;

import dev.sgw.core.volume.FsStats;
import io.netty.buffer.ByteBuf;

/**
 * The file system information classes QUERY_INFO answers (MS-FSCC 2.5), each written at the writer index.
 * Allocation units are 4 KiB of eight 512-byte sectors.
 *
 * <pre>
 * class                             | bytes      | fields
 * FileFsVolumeInformation (1)       | 18 + label | VolumeCreationTime, VolumeSerialNumber, VolumeLabelLength,
 *                                   |            | SupportsObjects (0), Reserved, VolumeLabel (the share's name)
 * FileFsSizeInformation (3)         | 24         | TotalAllocationUnits, AvailableAllocationUnits, SectorsPerAllocationUnit, BytesPerSector
 * FileFsDeviceInformation (4)       | 8          | DeviceType (FILE_DEVICE_DISK), Characteristics (0)
 * FileFsAttributeInformation (5)    | 12 + name  | FileSystemAttributes, MaximumComponentNameLength, FileSystemNameLength, "NTFS"
 * FileFsControlInformation (6)      | 48         | no filtering, no quotas (default threshold and limit all ones)
 * FileFsFullSizeInformation (7)     | 32         | Total, CallerAvailable, ActualAvailable units, SectorsPerAllocationUnit, BytesPerSector
 * FileFsObjectIdInformation (8)     | 64         | ObjectId (the volume id and "sgw" as a GUID), ExtendedInfo (48 zeros)
 * FileFsSectorSizeInformation (11)  | 28         | five sector sizes (512 / 4096), Flags, two alignment offsets (0)
 * </pre>
 */
final class FilesystemInformation {
    static final int CONTROL = 6;
    static final int VOLUME = 1, SIZE = 3, DEVICE = 4, ATTRIBUTE = 5, FULL_SIZE = 7, OBJECT_ID = 8, SECTOR_SIZE = 11;
    static final int FILE_CASE_PRESERVED_NAMES = 0x2;
    static final int FILE_UNICODE_ON_DISK = 0x4;
    static final int FILE_SUPPORTS_SPARSE_FILES = 0x40;
    static final int FILE_SUPPORTS_HARD_LINKS = 0x400000;
    /** Named streams and extended attributes: said only when the volume keeps named attributes. */
    static final int FILE_NAMED_STREAMS = 0x40000, FILE_SUPPORTS_EXTENDED_ATTRIBUTES = 0x800000;

    private static final int FILE_DEVICE_DISK = 0x7;
    private static final int SECTOR = 512;
    private static final int SECTORS_PER_UNIT = FileFields.CLUSTER / SECTOR;

    private FilesystemInformation() {}

    static int fixedSize(int infoClass) {
        return switch (infoClass) {
            case VOLUME -> 24; // 18 + one WCHAR, 8-aligned
            case CONTROL -> 48;
            case SIZE -> 24;
            case DEVICE -> 8;
            case ATTRIBUTE -> 16; // 12 + one WCHAR, 4-aligned
            case FULL_SIZE -> 32;
            case OBJECT_ID -> 64;
            case SECTOR_SIZE -> 28;
            default -> -1;
        };
    }

    /**
     * What the classes say about the volume beside its {@link FsStats}; {@code namedAttributes}: whether it keeps
     * named attributes, where {@link NamedStreams} and {@link ExtendedAttributes} live.
     */
    record Volume(String label, int serial, long creationFiletime, long id, boolean namedAttributes) {}

    static void write(ByteBuf out, int infoClass, FsStats stats, Volume v) {
        long total = stats.totalBytes() / FileFields.CLUSTER;
        long free = stats.freeBytes() / FileFields.CLUSTER;
        switch (infoClass) {
            case VOLUME -> {
                byte[] label = v.label().getBytes(StandardCharsets.UTF_16LE);
                out.writeLongLE(v.creationFiletime());
                out.writeIntLE(v.serial());
                out.writeIntLE(label.length);
                out.writeByte(0);
                out.writeByte(0);
                out.writeBytes(label);
            }
            case SIZE -> {
                out.writeLongLE(total);
                out.writeLongLE(free);
                out.writeIntLE(SECTORS_PER_UNIT);
                out.writeIntLE(SECTOR);
            }
            case DEVICE -> {
                out.writeIntLE(FILE_DEVICE_DISK);
                out.writeIntLE(0);
            }
            case ATTRIBUTE -> {
                byte[] name = "NTFS".getBytes(StandardCharsets.UTF_16LE);
                out.writeIntLE(FILE_CASE_PRESERVED_NAMES
                        | FILE_UNICODE_ON_DISK
                        | FILE_SUPPORTS_SPARSE_FILES
                        | FILE_SUPPORTS_HARD_LINKS
                        | (v.namedAttributes() ? FILE_NAMED_STREAMS | FILE_SUPPORTS_EXTENDED_ATTRIBUTES : 0));
                out.writeIntLE(stats.maxNameBytes());
                out.writeIntLE(name.length);
                out.writeBytes(name);
            }
            case CONTROL -> {
                out.writeZero(24);
                out.writeLongLE(-1);
                out.writeLongLE(-1);
                out.writeIntLE(0);
                out.writeIntLE(0);
            }
            case FULL_SIZE -> {
                out.writeLongLE(total);
                out.writeLongLE(free);
                out.writeLongLE(free);
                out.writeIntLE(SECTORS_PER_UNIT);
                out.writeIntLE(SECTOR);
            }
            case OBJECT_ID -> {
                out.writeLongLE(v.id());
                out.writeBytes("sgw-vol\0".getBytes(StandardCharsets.US_ASCII));
                out.writeZero(48);
            }
            case SECTOR_SIZE -> {
                out.writeIntLE(SECTOR); // LogicalBytesPerSector
                out.writeIntLE(FileFields.CLUSTER); // PhysicalBytesPerSectorForAtomicity
                out.writeIntLE(FileFields.CLUSTER); // PhysicalBytesPerSectorForPerformance
                out.writeIntLE(FileFields.CLUSTER); // FileSystemEffectivePhysicalBytesPerSectorForAtomicity
                out.writeIntLE(0x3); // ALIGNED_DEVICE | PARTITION_ALIGNED_ON_DEVICE
                out.writeIntLE(0);
                out.writeIntLE(0);
            }
            default -> throw new IllegalArgumentException("file system information class " + infoClass);
        }
    }
}
