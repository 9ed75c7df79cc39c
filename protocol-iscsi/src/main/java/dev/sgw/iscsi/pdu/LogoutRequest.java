package dev.sgw.iscsi.pdu;

/**
 * Logout Request (RFC 7143 section 11.14). Byte 1: 0x80 | reason code (0 close the session, 1 close the
 * connection, 2 remove the connection for recovery); 16-19 ITT; 20-21 CID; 24-27 CmdSN; 28-31 ExpStatSN.
 */
public record LogoutRequest(boolean immediate, int reason, int itt, int cid, int cmdSN, int expStatSN)
        implements IscsiPdu {

    public static final int CLOSE_SESSION = 0;
    public static final int CLOSE_CONNECTION = 1;
    public static final int REMOVE_CONNECTION_FOR_RECOVERY = 2;

    public static LogoutRequest decode(IscsiFrame f) {
        Bhs h = f.header();
        return new LogoutRequest(h.immediate(), h.flags() & 0x7f, h.itt(), h.int16(20), h.int32(24), h.int32(28));
    }

    @Override
    public Opcode opcode() {
        return Opcode.LOGOUT_REQUEST;
    }

    @Override
    public IscsiFrame toFrame() {
        Bhs h = Bhs.of(Opcode.LOGOUT_REQUEST)
                .immediate(immediate)
                .flags(0x80 | (reason & 0x7f))
                .itt(itt)
                .int16(20, cid)
                .int32(24, cmdSN)
                .int32(28, expStatSN);
        return IscsiFrame.of(h);
    }
}
