package dev.sgw.core.sharing;

import java.util.Objects;

/**
 * One locked byte range {@code [start, end)} of one owner. Offsets are unsigned 64-bit; {@code end == -1}
 * (all ones) reaches the end of any file, its last byte 2^64-1 included (so a range can't stop just before
 * that byte), and {@code [TO_END, TO_END)} is that last byte. Any other empty range ({@code start == end})
 * overlaps nothing.
 */
public record RangeLock(StateOwner owner, long start, long end, LockMode mode, LockStyle style) {
    /** The end of a range that reaches the end of any file. */
    public static final long TO_END = -1L;

    public RangeLock {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(style, "style");
        if (Long.compareUnsigned(start, end) > 0) {
            throw new IllegalArgumentException("range [" + start + ", " + end + ") ends before it starts");
        }
    }

    /**
     * The range of {@code length} bytes at {@code offset}, cut at the end of the 64-bit space. An empty one at
     * the last byte is kept a byte earlier ({@code [TO_END, TO_END)} is that byte): it overlaps nothing either.
     */
    public static RangeLock of(StateOwner owner, long offset, long length, LockMode mode, LockStyle style) {
        if (length == 0 && offset == TO_END) {
            return new RangeLock(owner, TO_END - 1, TO_END - 1, mode, style);
        }
        long end = offset + length;
        if (Long.compareUnsigned(end, offset) < 0) {
            end = TO_END;
        }
        return new RangeLock(owner, offset, end, mode, style);
    }

    public boolean overlaps(long otherStart, long otherEnd) {
        return before(start, otherEnd) && before(otherStart, end);
    }

    /** Whether byte {@code offset} comes before {@code end}: every byte does before {@link #TO_END}. */
    private static boolean before(long offset, long end) {
        return end == TO_END || Long.compareUnsigned(offset, end) < 0;
    }

    boolean overlaps(RangeLock other) {
        return overlaps(other.start, other.end);
    }

    /**
     * Whether this lock, held, stands in the way of {@code wanted}: another owner's overlapping lock when
     * either is exclusive; and, among WINDOWS locks of one owner, an overlapping lock when the wanted one is
     * exclusive (a shared lock stacks on the owner's own exclusive one, as on Windows).
     */
    boolean blocks(RangeLock wanted) {
        if (!overlaps(wanted)) {
            return false;
        }
        if (!owner.equals(wanted.owner)) {
            return mode == LockMode.EXCLUSIVE || wanted.mode == LockMode.EXCLUSIVE;
        }
        return style == LockStyle.WINDOWS && wanted.style == LockStyle.WINDOWS && wanted.mode == LockMode.EXCLUSIVE;
    }

    /**
     * Whether this lock forbids an I/O of {@code owner} on {@code [ioStart, ioEnd)}: a write meets any
     * overlapping lock of another owner, a read an exclusive one; POSIX locks bind only WINDOWS I/O
     * (advisory among POSIX clients, as on a local file system).
     */
    boolean forbids(StateOwner ioOwner, LockStyle ioStyle, long ioStart, long ioEnd, boolean write) {
        if (owner.equals(ioOwner) || !overlaps(ioStart, ioEnd)) {
            return false;
        }
        if (style == LockStyle.POSIX && ioStyle == LockStyle.POSIX) {
            return false;
        }
        return write || mode == LockMode.EXCLUSIVE;
    }

    @Override
    public String toString() {
        String to = end == TO_END ? "end" : Long.toUnsignedString(end);
        return mode + " " + style + " [" + Long.toUnsignedString(start) + ", " + to + ") of " + owner;
    }
}
