package dev.sgw.nfs.xdr;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import io.netty.buffer.ByteBuf;

/**
 * Reads XDR (RFC 4506) from a {@link ByteBuf}, from its reader index on. Every read checks that the bytes
 * are there and that a declared length is within the caller's maximum, and throws {@link XdrException}
 * otherwise; it never reads past the buffer and never allocates more than the maximum it was given.
 *
 * <p>Items are 4-byte aligned: opaque data and strings are followed by zero to three padding bytes, which
 * are skipped (their value is not checked, as RFC 4506 section 3 lets readers be lenient).
 */
public final class XdrDecoder {
    private final ByteBuf in;

    public XdrDecoder(ByteBuf in) {
        this.in = Objects.requireNonNull(in, "in");
    }

    /** Bytes not yet read. */
    public int remaining() {
        return in.readableBytes();
    }

    /** Section 4.1: a signed 32-bit integer. */
    public int readInt() {
        need(4, "int");
        return in.readInt();
    }

    /** Section 4.2: an unsigned 32-bit integer, as a non-negative long. */
    public long readUnsignedInt() {
        need(4, "unsigned int");
        return in.readUnsignedInt();
    }

    /** Section 4.5: a signed 64-bit integer. */
    public long readHyper() {
        need(8, "hyper");
        return in.readLong();
    }

    /**
     * Section 4.5: an unsigned 64-bit integer. Its 64 bits are returned as a long; values of 2^63 and more
     * come back negative (use {@link Long#compareUnsigned} and friends).
     */
    public long readUnsignedHyper() {
        need(8, "unsigned hyper");
        return in.readLong();
    }

    /** Section 4.4: a boolean, which must be 0 or 1. */
    public boolean readBool() {
        int v = readInt();
        return switch (v) {
            case 0 -> false;
            case 1 -> true;
            default -> throw new XdrException("bool is " + v + ", not 0 or 1");
        };
    }

    /** Section 4.3: an enum; the caller checks it is one of the type's values. */
    public int readEnum() {
        return readInt();
    }

    /** Section 4.9: fixed-length opaque data of {@code length} bytes, then its padding. */
    public byte[] readFixedOpaque(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length " + length);
        }
        need(padded(length), "fixed opaque of " + length + " bytes");
        byte[] b = new byte[length];
        in.readBytes(b);
        in.skipBytes(padding(length));
        return b;
    }

    /** Section 4.10: variable-length opaque data of at most {@code max} bytes, then its padding. */
    public byte[] readOpaque(int max) {
        int length = readLength(max, "opaque");
        byte[] b = new byte[length];
        in.readBytes(b);
        in.skipBytes(padding(length));
        return b;
    }

    /**
     * Section 4.10, without copying: the opaque data as a slice of the input (not retained; valid as long
     * as the input is).
     */
    public ByteBuf readOpaqueSlice(int max) {
        int length = readLength(max, "opaque");
        ByteBuf slice = in.readSlice(length);
        in.skipBytes(padding(length));
        return slice;
    }

    /** Section 4.11: a string of at most {@code max} bytes, decoded as UTF-8. */
    public String readString(int max) {
        return new String(readOpaque(max), StandardCharsets.UTF_8);
    }

    /** Section 4.12: a fixed-length array of ints, e.g. for small counted arrays read by hand. */
    public int[] readIntArray(int max) {
        long count = readUnsignedInt();
        if (count > max) {
            throw new XdrException("array of " + count + " elements, at most " + max + " allowed");
        }
        need(4L * count, "array of " + count + " ints");
        int[] a = new int[(int) count];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readInt();
        }
        return a;
    }

    /** Fails unless every byte was read (for messages whose length is fixed by their type). */
    public void requireEnd() {
        if (in.isReadable()) {
            throw new XdrException(in.readableBytes() + " bytes after the end of the message");
        }
    }

    private int readLength(int max, String what) {
        long length = readUnsignedInt();
        if (length > max) {
            throw new XdrException(what + " of " + length + " bytes, at most " + max + " allowed");
        }
        need(padded((int) length), what + " of " + length + " bytes");
        return (int) length;
    }

    private void need(long bytes, String what) {
        if (in.readableBytes() < bytes) {
            throw new XdrException(
                    "short input: " + what + " needs " + bytes + " bytes, " + in.readableBytes() + " left");
        }
    }

    /** Bytes of padding after {@code length} bytes of data to reach a multiple of 4. */
    public static int padding(int length) {
        return (4 - (length & 3)) & 3;
    }

    /** {@code length} rounded up to a multiple of 4. */
    public static long padded(int length) {
        return (long) length + padding(length);
    }
}
