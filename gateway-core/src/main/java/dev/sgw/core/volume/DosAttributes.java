package dev.sgw.core.volume;

/**
 * The DOS attributes a file keeps beside its POSIX ones (what SMB clients see and set): read-only,
 * hidden, system, archive and sparse. The bits are those of MS-FSCC 2.6 {@code FILE_ATTRIBUTE_*}, so an SMB
 * server passes them through; a volume stores them as they are set and does not derive them from the
 * mode bits (a read-only DOS attribute does not remove write permission, nor the reverse).
 *
 * <p>Defaults: a new regular file or symbolic link has {@link #ARCHIVE}, a new directory none.
 *
 * <p>{@link #SPARSE_FILE} is a mark only (an SMB client's FSCTL_SET_SPARSE): every file of a volume may hold
 * holes whether or not it carries it.
 *
 * @param bits an OR of {@link #READ_ONLY}, {@link #HIDDEN}, {@link #SYSTEM}, {@link #ARCHIVE} and
 *     {@link #SPARSE_FILE}
 */
public record DosAttributes(int bits) {
    /** {@code FILE_ATTRIBUTE_READONLY}. */
    public static final int READ_ONLY = 0x01;
    /** {@code FILE_ATTRIBUTE_HIDDEN}. */
    public static final int HIDDEN = 0x02;
    /** {@code FILE_ATTRIBUTE_SYSTEM}. */
    public static final int SYSTEM = 0x04;
    /** {@code FILE_ATTRIBUTE_ARCHIVE}. */
    public static final int ARCHIVE = 0x20;
    /** {@code FILE_ATTRIBUTE_SPARSE_FILE}. */
    public static final int SPARSE_FILE = 0x200;
    /** Every bit a volume keeps. */
    public static final int ALL = READ_ONLY | HIDDEN | SYSTEM | ARCHIVE | SPARSE_FILE;

    /** No attribute set. */
    public static final DosAttributes NONE = new DosAttributes(0);

    /** @throws IllegalArgumentException for a bit other than the four kept */
    public DosAttributes {
        if ((bits & ~ALL) != 0) {
            throw new IllegalArgumentException("DOS attribute bits 0x" + Integer.toHexString(bits & ~ALL)
                    + " are not kept (only read-only, hidden, system, archive, sparse)");
        }
    }

    /** The attributes among {@code bits} that a volume keeps; other bits (directory, normal, ...) are dropped. */
    public static DosAttributes of(int bits) {
        return new DosAttributes(bits & ALL);
    }

    /** What a new file of {@code type} gets: archive for files and links, nothing for directories. */
    public static DosAttributes defaultFor(FileType type) {
        return type == FileType.DIRECTORY ? NONE : new DosAttributes(ARCHIVE);
    }

    public boolean readOnly() {
        return (bits & READ_ONLY) != 0;
    }

    public boolean hidden() {
        return (bits & HIDDEN) != 0;
    }

    public boolean system() {
        return (bits & SYSTEM) != 0;
    }

    public boolean archive() {
        return (bits & ARCHIVE) != 0;
    }

    public boolean sparse() {
        return (bits & SPARSE_FILE) != 0;
    }
}
