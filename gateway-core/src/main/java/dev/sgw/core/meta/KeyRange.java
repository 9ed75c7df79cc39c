package dev.sgw.core.meta;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A half-open range of keys {@code [start, end)} in one column family, as made by {@link MetaKeys}
 * (all directory entries of a directory, the journal of a volume, ...). Scans walk a range in key
 * order; {@link #resumeAfter(MetaKey)} narrows it to continue a paged scan after the last key seen,
 * which is how a directory listing resumes from a cookie.
 *
 * <p>Immutable.
 */
public final class KeyRange {
    private final MetaFamily family;
    private final byte[] start;
    private final byte[] end;

    /** Takes ownership of both arrays; {@code start <= end} unsigned bytewise (equal: empty). */
    KeyRange(MetaFamily family, byte[] start, byte[] end) {
        if (Arrays.compareUnsigned(start, end) > 0) {
            throw new IllegalArgumentException("key range starts after its end");
        }
        this.family = family;
        this.start = start;
        this.end = end;
    }

    public MetaFamily family() {
        return family;
    }

    /** Whether {@code key} lies in this range. */
    public boolean contains(MetaKey key) {
        return key.family() == family
                && Arrays.compareUnsigned(key.bytes(), start) >= 0
                && Arrays.compareUnsigned(key.bytes(), end) < 0;
    }

    /**
     * The part of this range strictly after {@code key}: scanning it continues a scan whose last
     * returned key was {@code key}. The key need not exist any more (it may have been deleted since).
     *
     * @throws IllegalArgumentException if {@code key} is not in this range
     */
    public KeyRange resumeAfter(MetaKey key) {
        if (!contains(key)) {
            throw new IllegalArgumentException("key " + key + " is outside " + this);
        }
        // key + 0x00 is the smallest key greater than key, and it is <= end because key < end
        byte[] next = Arrays.copyOf(key.bytes(), key.bytes().length + 1);
        return new KeyRange(family, next, end);
    }

    /** Whether no key can lie in this range. */
    public boolean isEmpty() {
        return Arrays.compareUnsigned(start, end) >= 0;
    }

    byte[] start() {
        return start;
    }

    byte[] end() {
        return end;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyRange r
                && family == r.family
                && Arrays.equals(start, r.start)
                && Arrays.equals(end, r.end);
    }

    @Override
    public int hashCode() {
        return (31 * family.hashCode() + Arrays.hashCode(start)) * 31 + Arrays.hashCode(end);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return family.rocksName() + ":[" + hex.formatHex(start) + ", " + hex.formatHex(end) + ")";
    }
}
