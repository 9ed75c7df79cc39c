package dev.sgw.iscsi.pdu;

import java.util.Arrays;

/**
 * The 48-byte Basic Header Segment every iSCSI PDU starts with (RFC 7143 section 11.2.1), as a mutable view
 * over its bytes with big-endian field accessors. Common layout:
 *
 * <pre>
 * byte 0      .|I| opcode (6 bits)
 * byte 1      F bit and opcode-specific flags
 * bytes 2-3   opcode-specific
 * byte 4      TotalAHSLength, in 4-byte words
 * bytes 5-7   DataSegmentLength, in bytes, without padding
 * bytes 8-15  LUN or opcode-specific
 * bytes 16-19 Initiator Task Tag
 * bytes 20-47 opcode-specific
 * </pre>
 */
public final class Bhs {
    /** The length of a basic header segment. */
    public static final int LENGTH = 48;
    /** The reserved tag value: "no task" (ITT) or "no transfer" (TTT). */
    public static final int NO_TAG = 0xffffffff;

    private final byte[] bytes;

    private Bhs(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A zeroed header for {@code opcode}. */
    public static Bhs of(Opcode opcode) {
        Bhs h = new Bhs(new byte[LENGTH]);
        h.bytes[0] = (byte) opcode.code();
        return h;
    }

    /** A view over {@code bytes}, which must hold exactly {@value #LENGTH} bytes (not copied). */
    public static Bhs wrap(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a basic header segment has 48 bytes, got " + bytes.length);
        }
        return new Bhs(bytes);
    }

    /** The header bytes (not copied). */
    public byte[] bytes() {
        return bytes;
    }

    /** A copy of the header bytes. */
    public byte[] copyOfBytes() {
        return Arrays.copyOf(bytes, LENGTH);
    }

    public int opcodeCode() {
        return bytes[0] & 0x3f;
    }

    /** The I bit: immediate delivery. */
    public boolean immediate() {
        return (bytes[0] & 0x40) != 0;
    }

    public Bhs immediate(boolean on) {
        bytes[0] = (byte) (on ? bytes[0] | 0x40 : bytes[0] & ~0x40);
        return this;
    }

    /** Byte 1: the F bit (0x80) and the opcode-specific flags. */
    public int flags() {
        return bytes[1] & 0xff;
    }

    public Bhs flags(int value) {
        bytes[1] = (byte) value;
        return this;
    }

    /** The F (final) bit, 0x80 of byte 1. */
    public boolean finalBit() {
        return (bytes[1] & 0x80) != 0;
    }

    public int totalAhsLengthWords() {
        return bytes[4] & 0xff;
    }

    public Bhs totalAhsLengthWords(int words) {
        bytes[4] = (byte) words;
        return this;
    }

    public int dataSegmentLength() {
        return ((bytes[5] & 0xff) << 16) | ((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff);
    }

    public Bhs dataSegmentLength(int length) {
        if (length < 0 || length > 0xffffff) {
            throw new IllegalArgumentException("data segment length out of range: " + length);
        }
        bytes[5] = (byte) (length >>> 16);
        bytes[6] = (byte) (length >>> 8);
        bytes[7] = (byte) length;
        return this;
    }

    /** The raw 8-byte LUN field (bytes 8-15). */
    public long lun() {
        return int64(8);
    }

    public Bhs lun(long value) {
        return int64(8, value);
    }

    /** The Initiator Task Tag (bytes 16-19). */
    public int itt() {
        return int32(16);
    }

    public Bhs itt(int value) {
        return int32(16, value);
    }

    public int int8(int offset) {
        return bytes[offset] & 0xff;
    }

    public Bhs int8(int offset, int value) {
        bytes[offset] = (byte) value;
        return this;
    }

    public int int16(int offset) {
        return ((bytes[offset] & 0xff) << 8) | (bytes[offset + 1] & 0xff);
    }

    public Bhs int16(int offset, int value) {
        bytes[offset] = (byte) (value >>> 8);
        bytes[offset + 1] = (byte) value;
        return this;
    }

    public int int32(int offset) {
        return ((bytes[offset] & 0xff) << 24)
                | ((bytes[offset + 1] & 0xff) << 16)
                | ((bytes[offset + 2] & 0xff) << 8)
                | (bytes[offset + 3] & 0xff);
    }

    public Bhs int32(int offset, int value) {
        bytes[offset] = (byte) (value >>> 24);
        bytes[offset + 1] = (byte) (value >>> 16);
        bytes[offset + 2] = (byte) (value >>> 8);
        bytes[offset + 3] = (byte) value;
        return this;
    }

    /** A 6-byte big-endian number, e.g. the ISID. */
    public long int48(int offset) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (bytes[offset + i] & 0xff);
        }
        return v;
    }

    public Bhs int48(int offset, long value) {
        for (int i = 5; i >= 0; i--) {
            bytes[offset + i] = (byte) value;
            value >>>= 8;
        }
        return this;
    }

    public long int64(int offset) {
        return ((long) int32(offset) << 32) | (int32(offset + 4) & 0xffffffffL);
    }

    public Bhs int64(int offset, long value) {
        int32(offset, (int) (value >>> 32));
        return int32(offset + 4, (int) value);
    }

    /** Copies {@code length} bytes from {@code offset} (e.g. the CDB). */
    public byte[] slice(int offset, int length) {
        return Arrays.copyOfRange(bytes, offset, offset + length);
    }

    public Bhs put(int offset, byte[] src) {
        System.arraycopy(src, 0, bytes, offset, src.length);
        return this;
    }
}
