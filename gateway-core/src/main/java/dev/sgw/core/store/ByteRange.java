package dev.sgw.core.store;

/**
 * A byte range of an object: {@code length} bytes from {@code offset}. A range that runs past the end
 * of the object is cut at the end, as HTTP range requests are.
 */
public record ByteRange(long offset, long length) {

    public ByteRange {
        if (offset < 0 || length <= 0) {
            throw new IllegalArgumentException("bad range: offset " + offset + ", length " + length);
        }
    }

    public static ByteRange of(long offset, long length) {
        return new ByteRange(offset, length);
    }

    /** The offset of the last byte in the range. */
    public long lastByte() {
        return offset + length - 1;
    }
}
