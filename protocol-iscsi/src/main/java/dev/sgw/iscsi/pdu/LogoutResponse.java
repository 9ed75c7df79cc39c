package dev.sgw.iscsi.pdu;

/**
 * Logout Response (RFC 7143 section 11.15). Byte 1: 0x80; byte 2 Response (0 closed, 1 CID not found,
 * 2 connection recovery not supported, 3 cleanup failed); 16-19 ITT; 24-27 StatSN; 28-31 ExpCmdSN;
 * 32-35 MaxCmdSN; 40-41 Time2Wait; 42-43 Time2Retain.
 */
public record LogoutResponse(
        int response, int itt, int statSN, int expCmdSN, int maxCmdSN, int time2Wait, int time2Retain)
        implements IscsiPdu {

    public static final int CLOSED = 0;
    public static final int CID_NOT_FOUND = 1;
    public static final int RECOVERY_NOT_SUPPORTED = 2;
    public static final int CLEANUP_FAILED = 3;

    public static LogoutResponse decode(IscsiFrame f) {
        Bhs h = f.header();
        return new LogoutResponse(h.int8(2), h.itt(), h.int32(24), h.int32(28), h.int32(32), h.int16(40), h.int16(42));
    }

    @Override
    public Opcode opcode() {
        return Opcode.LOGOUT_RESPONSE;
    }

    @Override
    public IscsiFrame toFrame() {
        Bhs h = Bhs.of(Opcode.LOGOUT_RESPONSE)
                .flags(0x80)
                .int8(2, response)
                .itt(itt)
                .int32(24, statSN)
                .int32(28, expCmdSN)
                .int32(32, maxCmdSN)
                .int16(40, time2Wait)
                .int16(42, time2Retain);
        return IscsiFrame.of(h);
    }
}
