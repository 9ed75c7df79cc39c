package dev.sgw.smb.rpc;

import java.util.UUID;

/**
 * An abstract or transfer syntax identifier (C706 12.6.3.1 p_syntax_id_t): an interface or transfer syntax
 * UUID and its version, 20 bytes on the wire (UUID in little-endian field order, major then minor as u16).
 */
record SyntaxId(UUID uuid, int major, int minor) {
    static final int WIRE_SIZE = 20;

    /** NDR 2.0, the only transfer syntax the pipes speak. */
    static final SyntaxId NDR = new SyntaxId(UUID.fromString("8a885d04-1ceb-11c9-9fe8-08002b104860"), 2, 0);
    /** NDR64 (MS-RPCE 2.2.5), refused. */
    static final SyntaxId NDR64 = new SyntaxId(UUID.fromString("71710533-beba-4937-8319-b5dbef9ccc36"), 1, 0);
    /** The zero syntax a rejected presentation context result carries. */
    static final SyntaxId NONE = new SyntaxId(new UUID(0, 0), 0, 0);

    /** Whether this is the bind time feature negotiation syntax (MS-RPCE 3.3.1.5.3), 6cb71c2c-9812-4540-xxxx-0. */
    boolean isBindTimeFeatureNegotiation() {
        return uuid.getMostSignificantBits() == 0x6cb71c2c98124540L
                && (uuid.getLeastSignificantBits() & 0x0000FFFFFFFFFFFFL) == 0;
    }

    /** Whether an interface offered as {@code this} is served by {@code served}: same UUID and major, minor not newer. */
    boolean compatibleWith(SyntaxId served) {
        return uuid.equals(served.uuid) && major == served.major && minor <= served.minor;
    }

    static SyntaxId read(byte[] b, int off) {
        long msb = (Integer.toUnsignedLong(le32(b, off)) << 32) | (long) le16(b, off + 4) << 16 | le16(b, off + 6);
        long lsb = 0;
        for (int i = 8; i < 16; i++) {
            lsb = lsb << 8 | (b[off + i] & 0xFF);
        }
        return new SyntaxId(new UUID(msb, lsb), le16(b, off + 16), le16(b, off + 18));
    }

    void write(NdrWriter w) {
        long msb = uuid.getMostSignificantBits();
        long lsb = uuid.getLeastSignificantBits();
        w.u32((int) (msb >>> 32)).u16((int) (msb >>> 16) & 0xFFFF).u16((int) msb & 0xFFFF);
        for (int i = 7; i >= 0; i--) {
            w.u8((int) (lsb >>> (8 * i)));
        }
        w.u16(major).u16(minor);
    }

    static int le16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    static int le32(byte[] b, int off) {
        return le16(b, off) | le16(b, off + 2) << 16;
    }
}
