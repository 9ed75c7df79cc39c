package dev.sgw.iscsi.pdu;

/**
 * Task Management Function Response (RFC 7143 section 11.6). Byte 1: 0x80; byte 2 Response; 16-19 ITT;
 * 24-27 StatSN; 28-31 ExpCmdSN; 32-35 MaxCmdSN.
 */
public record TaskManagementResponse(int response, int itt, int statSN, int expCmdSN, int maxCmdSN)
        implements IscsiPdu {

    public static final int FUNCTION_COMPLETE = 0;
    public static final int TASK_DOES_NOT_EXIST = 1;
    public static final int LUN_DOES_NOT_EXIST = 2;
    public static final int TASK_STILL_ALLEGIANT = 3;
    public static final int REASSIGNMENT_NOT_SUPPORTED = 4;
    public static final int FUNCTION_NOT_SUPPORTED = 5;
    public static final int AUTHORIZATION_FAILED = 6;
    public static final int FUNCTION_REJECTED = 255;

    public static TaskManagementResponse decode(IscsiFrame f) {
        Bhs h = f.header();
        return new TaskManagementResponse(h.int8(2), h.itt(), h.int32(24), h.int32(28), h.int32(32));
    }

    @Override
    public Opcode opcode() {
        return Opcode.TASK_MANAGEMENT_RESPONSE;
    }

    @Override
    public IscsiFrame toFrame() {
        Bhs h = Bhs.of(Opcode.TASK_MANAGEMENT_RESPONSE)
                .flags(0x80)
                .int8(2, response)
                .itt(itt)
                .int32(24, statSN)
                .int32(28, expCmdSN)
                .int32(32, maxCmdSN);
        return IscsiFrame.of(h);
    }
}
