package dev.sgw.nfs.xdr;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Writes XDR (RFC 4506) at the writer index of a growable {@link ByteBuf}. Opaque data and strings are
 * padded with zero bytes to a multiple of 4; declared maximums are checked so that we never send what a
 * peer must reject.
 */
public final class XdrEncoder {
    private static final byte[] ZEROS = new byte[3];
    private final ByteBuf out;

    /** Writes into {@code out}, which grows as needed (up to its maximum capacity). */
    public XdrEncoder(ByteBuf out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Writes into a new unpooled heap buffer. */
    public XdrEncoder() {
        this(Unpooled.buffer(128));
    }

    /** The buffer written so far (the same one, not a copy). */
    public ByteBuf buffer() {
        return out;
    }

    public XdrEncoder writeInt(int v) {
        out.writeInt(v);
        return this;
    }

    /** An unsigned int, 0 to 2^32-1. */
    public XdrEncoder writeUnsignedInt(long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("unsigned int out of range: " + v);
        }
        out.writeInt((int) v);
        return this;
    }

    public XdrEncoder writeHyper(long v) {
        out.writeLong(v);
        return this;
    }

    /** An unsigned hyper: the 64 bits of {@code v} (see {@link XdrDecoder#readUnsignedHyper}). */
    public XdrEncoder writeUnsignedHyper(long v) {
        out.writeLong(v);
        return this;
    }

    public XdrEncoder writeBool(boolean v) {
        out.writeInt(v ? 1 : 0);
        return this;
    }

    public XdrEncoder writeEnum(int v) {
        out.writeInt(v);
        return this;
    }

    /** Fixed-length opaque: the bytes and their padding, no length. */
    public XdrEncoder writeFixedOpaque(byte[] b) {
        out.writeBytes(b);
        return pad(b.length);
    }

    /** Variable-length opaque of at most {@code max} bytes. */
    public XdrEncoder writeOpaque(byte[] b, int max) {
        checkMax(b.length, max);
        out.writeInt(b.length);
        out.writeBytes(b);
        return pad(b.length);
    }

    /** Variable-length opaque from the readable bytes of {@code b} (not consumed). */
    public XdrEncoder writeOpaque(ByteBuf b, int max) {
        int length = b.readableBytes();
        checkMax(length, max);
        out.writeInt(length);
        out.writeBytes(b, b.readerIndex(), length);
        return pad(length);
    }

    /** A string of at most {@code max} bytes in UTF-8. */
    public XdrEncoder writeString(String s, int max) {
        return writeOpaque(s.getBytes(StandardCharsets.UTF_8), max);
    }

    /** A counted array of ints of at most {@code max} elements. */
    public XdrEncoder writeIntArray(int[] a, int max) {
        checkMax(a.length, max);
        out.writeInt(a.length);
        for (int v : a) {
            out.writeInt(v);
        }
        return this;
    }

    /** Writes a value that knows its own XDR. */
    public XdrEncoder write(XdrWritable v) {
        v.writeTo(this);
        return this;
    }

    private XdrEncoder pad(int length) {
        out.writeBytes(ZEROS, 0, XdrDecoder.padding(length));
        return this;
    }

    private static void checkMax(int length, int max) {
        if (length > max) {
            throw new IllegalArgumentException(length + " over the maximum of " + max);
        }
    }
}
