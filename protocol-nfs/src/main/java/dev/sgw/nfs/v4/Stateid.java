package dev.sgw.nfs.v4;

import java.util.Arrays;
import java.util.HexFormat;

import dev.sgw.nfs.xdr.XdrDecoder;
import dev.sgw.nfs.xdr.XdrEncoder;

/**
 * A {@code stateid4} (RFC 8881 section 8.2): a sequence number and 12 opaque bytes naming the state. The
 * special stateids of section 8.2.3 are recognised by their bytes: anonymous (all zero), READ bypass (all
 * one), current (seqid 1, other zero) and invalid (seqid all one, other zero).
 */
// equals and hashCode below compare the array component by content
@SuppressWarnings("ArrayRecordComponent")
record Stateid(int seqid, byte[] other) {
    static final int OTHER_BYTES = 12;
    private static final byte[] ZERO = new byte[OTHER_BYTES];
    private static final byte[] ONES = filled((byte) 0xFF);

    static final Stateid ANONYMOUS = new Stateid(0, ZERO);
    static final Stateid READ_BYPASS = new Stateid(-1, ONES);
    static final Stateid CURRENT = new Stateid(1, ZERO);
    static final Stateid INVALID = new Stateid(-1, ZERO);

    Stateid {
        other = other.clone();
        if (other.length != OTHER_BYTES) {
            throw new IllegalArgumentException("other of " + other.length + " bytes");
        }
    }

    static Stateid read(XdrDecoder in) {
        int seqid = in.readInt(); // seqid4
        return new Stateid(seqid, in.readFixedOpaque(OTHER_BYTES)); // opaque other[12]
    }

    void write(XdrEncoder out) {
        out.writeInt(seqid).writeFixedOpaque(other);
    }

    /** The all-zero or all-one stateid: I/O without an open (section 8.2.3). */
    boolean isAnonymous() {
        return (seqid == 0 && Arrays.equals(other, ZERO)) || (seqid == -1 && Arrays.equals(other, ONES));
    }

    boolean isCurrent() {
        return seqid == 1 && Arrays.equals(other, ZERO);
    }

    /** Whether {@code o} names the same state, whatever the seqids. */
    boolean sameState(Stateid o) {
        return Arrays.equals(other, o.other);
    }

    @Override
    public byte[] other() {
        return other.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Stateid s && s.seqid == seqid && Arrays.equals(s.other, other);
    }

    @Override
    public int hashCode() {
        return 31 * seqid + Arrays.hashCode(other);
    }

    @Override
    public String toString() {
        return Integer.toUnsignedString(seqid) + ":" + HexFormat.of().formatHex(other);
    }

    private static byte[] filled(byte b) {
        byte[] a = new byte[OTHER_BYTES];
        Arrays.fill(a, b);
        return a;
    }
}
