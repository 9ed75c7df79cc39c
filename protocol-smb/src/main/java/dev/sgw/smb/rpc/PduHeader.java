package dev.sgw.smb.rpc;

/**
 * The 16-byte common header of a connection-oriented PDU (C706 12.6.3.1), and the PDU type and flag codes.
 *
 * <pre>
 *  0  rpc_vers (5)   1 rpc_vers_minor (0)   2 PTYPE   3 pfc_flags
 *  4  packed_drep[4]: byte 0 bit 0x10 = little-endian integers
 *  8  frag_length u16   10 auth_length u16   12 call_id u32
 * </pre>
 *
 * @param version      rpc_vers, 5 for connection-oriented DCE/RPC
 * @param minorVersion rpc_vers_minor, 0 or 1
 * @param type        PTYPE
 * @param flags       pfc_flags
 * @param littleEndian whether the data representation is little-endian (the only one the pipes accept)
 * @param fragLength  length of the whole fragment, header included
 * @param authLength  length of the auth verifier (the pipes accept none)
 * @param callId      the call this fragment belongs to
 */
record PduHeader(
        int version,
        int minorVersion,
        int type,
        int flags,
        boolean littleEndian,
        int fragLength,
        int authLength,
        int callId) {
    static final int SIZE = 16;

    static final int REQUEST = 0;
    static final int RESPONSE = 2;
    static final int FAULT = 3;
    static final int BIND = 11;
    static final int BIND_ACK = 12;
    static final int BIND_NAK = 13;
    static final int ALTER_CONTEXT = 14;
    static final int ALTER_CONTEXT_RESP = 15;
    static final int AUTH3 = 16;
    static final int SHUTDOWN = 17;
    static final int CO_CANCEL = 18;
    static final int ORPHANED = 19;

    static final int FIRST_FRAG = 0x01;
    static final int LAST_FRAG = 0x02;
    static final int DID_NOT_EXECUTE = 0x20;
    static final int OBJECT_UUID = 0x80;

    /** packed_drep byte 0 for little-endian integers and ASCII characters. */
    static final int DREP_LITTLE_ENDIAN = 0x10;

    /** The header at {@code off}; {@code b} must hold at least {@link #SIZE} bytes from there. */
    static PduHeader read(byte[] b, int off) {
        boolean le = (b[off + 4] & DREP_LITTLE_ENDIAN) != 0;
        return new PduHeader(
                b[off] & 0xFF,
                b[off + 1] & 0xFF,
                b[off + 2] & 0xFF,
                b[off + 3] & 0xFF,
                le,
                u16(b, off + 8, le),
                u16(b, off + 10, le),
                le ? SyntaxId.le32(b, off + 12) : u16(b, off + 12, false) << 16 | u16(b, off + 14, false));
    }

    boolean isVersion5() {
        return version == 5 && minorVersion <= 1;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** Writes a header with frag_length 0, to be patched by {@link #patchLength}. */
    static void write(NdrWriter w, int type, int flags, int callId) {
        w.u8(5).u8(0).u8(type).u8(flags);
        w.u8(DREP_LITTLE_ENDIAN).u8(0).u8(0).u8(0);
        w.u16(0).u16(0).u32(callId);
    }

    static byte[] patchLength(NdrWriter w) {
        w.patchU16(8, w.position());
        return w.toByteArray();
    }

    private static int u16(byte[] b, int off, boolean le) {
        return le ? SyntaxId.le16(b, off) : (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }
}
