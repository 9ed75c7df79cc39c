package dev.sgw.smb.file;

import dev.sgw.core.sharing.ShareAccess;
import dev.sgw.core.volume.FileVolume;

/**
 * File access rights (MS-SMB2 2.2.13.1.1, MS-DTYP 2.4.3): the generic rights mapped to specific ones, and what
 * an open's rights mean for the volume's permission bits and for share modes.
 */
final class AccessMask {
    static final int FILE_READ_DATA = 0x1;
    static final int FILE_WRITE_DATA = 0x2;
    static final int FILE_APPEND_DATA = 0x4;
    static final int FILE_READ_EA = 0x8;
    static final int FILE_WRITE_EA = 0x10;
    static final int FILE_EXECUTE = 0x20;
    static final int FILE_DELETE_CHILD = 0x40;
    static final int FILE_READ_ATTRIBUTES = 0x80;
    static final int FILE_WRITE_ATTRIBUTES = 0x100;
    static final int DELETE = 0x10000;
    static final int READ_CONTROL = 0x20000;
    static final int WRITE_DAC = 0x40000;
    static final int WRITE_OWNER = 0x80000;
    static final int SYNCHRONIZE = 0x100000;
    static final int ACCESS_SYSTEM_SECURITY = 0x1000000;
    static final int MAXIMUM_ALLOWED = 0x2000000;
    static final int GENERIC_ALL = 0x10000000;
    static final int GENERIC_EXECUTE = 0x20000000;
    static final int GENERIC_WRITE = 0x40000000;
    static final int GENERIC_READ = 0x80000000;

    /** Bits no access mask may hold (MS-SMB2 3.3.5.9): a CREATE asking any is ACCESS_DENIED. */
    static final int RESERVED = 0x0CE0FE00;

    static final int FILE_GENERIC_READ = 0x120089;
    static final int FILE_GENERIC_WRITE = 0x120116;
    static final int FILE_GENERIC_EXECUTE = 0x1200A0;
    static final int FILE_ALL_ACCESS = 0x1F01FF;

    /** Rights that change data or attributes (refused on a read-only tree). */
    static final int MODIFYING = FILE_WRITE_DATA
            | FILE_APPEND_DATA
            | FILE_WRITE_EA
            | FILE_DELETE_CHILD
            | FILE_WRITE_ATTRIBUTES
            | DELETE
            | WRITE_DAC
            | WRITE_OWNER;

    private AccessMask() {}

    /** {@code mask} with its generic rights replaced by the specific ones they stand for. */
    static int mapGeneric(int mask) {
        int m = mask & ~(GENERIC_ALL | GENERIC_EXECUTE | GENERIC_WRITE | GENERIC_READ);
        if ((mask & GENERIC_READ) != 0) {
            m |= FILE_GENERIC_READ;
        }
        if ((mask & GENERIC_WRITE) != 0) {
            m |= FILE_GENERIC_WRITE;
        }
        if ((mask & GENERIC_EXECUTE) != 0) {
            m |= FILE_GENERIC_EXECUTE;
        }
        if ((mask & GENERIC_ALL) != 0) {
            m |= FILE_ALL_ACCESS;
        }
        return m;
    }

    /** The volume's permission bits ({@link FileVolume#ACCESS_READ} ...) an open with {@code mask} needs. */
    static int volumeBits(int mask, boolean directory) {
        int bits = 0;
        if ((mask & FILE_READ_DATA) != 0) {
            bits |= FileVolume.ACCESS_READ;
        }
        if (!directory && (mask & (FILE_WRITE_DATA | FILE_APPEND_DATA)) != 0) {
            bits |= FileVolume.ACCESS_WRITE;
        }
        if (directory && (mask & (FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_DELETE_CHILD)) != 0) {
            bits |= FileVolume.ACCESS_WRITE;
        }
        return bits;
    }

    /**
     * The rights the volume's permission bits {@code bits} give (for MAXIMUM_ALLOWED and MxAc). FILE_EXECUTE on a
     * file reads its data ({@link #volumeBits} asks nothing more for it), so whoever may read a file has it.
     */
    static int fromVolumeBits(int bits, boolean owner, boolean directory) {
        int m = READ_CONTROL | SYNCHRONIZE | FILE_READ_ATTRIBUTES | FILE_READ_EA;
        if ((bits & FileVolume.ACCESS_READ) != 0) {
            m |= FILE_READ_DATA | (directory ? 0 : FILE_EXECUTE);
        }
        if ((bits & FileVolume.ACCESS_WRITE) != 0) {
            m |= FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_EA | FILE_WRITE_ATTRIBUTES | FILE_DELETE_CHILD;
        }
        if ((bits & FileVolume.ACCESS_EXECUTE) != 0) {
            m |= FILE_EXECUTE;
        }
        if (owner) {
            m |= FILE_WRITE_ATTRIBUTES | WRITE_DAC | WRITE_OWNER;
        }
        return m | DELETE;
    }

    /** The {@link ShareAccess} bits an open with {@code mask} takes. */
    static int shareAccess(int mask) {
        int a = 0;
        if ((mask & (FILE_READ_DATA | FILE_EXECUTE)) != 0) {
            a |= ShareAccess.READ;
        }
        if ((mask & (FILE_WRITE_DATA | FILE_APPEND_DATA)) != 0) {
            a |= ShareAccess.WRITE;
        }
        if ((mask & DELETE) != 0) {
            a |= ShareAccess.DELETE;
        }
        return a;
    }

    /** The {@link ShareAccess} bits denied by SMB's ShareAccess (FILE_SHARE_READ 1, WRITE 2, DELETE 4). */
    static int deny(int smbShareAccess) {
        return ShareAccess.ALL & ~smbShareAccess;
    }
}
