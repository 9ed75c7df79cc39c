package dev.sgw.iscsi.pdu;

/**
 * Task Management Function Request (RFC 7143 section 11.5). Byte 1: 0x80 | function (7 bits); 8-15 LUN;
 * 16-19 ITT; 20-23 Referenced Task Tag; 24-27 CmdSN; 28-31 ExpStatSN; 32-35 RefCmdSN; 36-39 ExpDataSN.
 */
public record TaskManagementRequest(
        boolean immediate,
        int function,
        long lun,
        int itt,
        int referencedTaskTag,
        int cmdSN,
        int expStatSN,
        int refCmdSN,
        int expDataSN)
        implements IscsiPdu {

    public static final int ABORT_TASK = 1;
    public static final int ABORT_TASK_SET = 2;
    public static final int CLEAR_ACA = 3;
    public static final int CLEAR_TASK_SET = 4;
    public static final int LOGICAL_UNIT_RESET = 5;
    public static final int TARGET_WARM_RESET = 6;
    public static final int TARGET_COLD_RESET = 7;
    public static final int TASK_REASSIGN = 8;

    public static TaskManagementRequest decode(IscsiFrame f) {
        Bhs h = f.header();
        return new TaskManagementRequest(
                h.immediate(),
                h.flags() & 0x7f,
                h.lun(),
                h.itt(),
                h.int32(20),
                h.int32(24),
                h.int32(28),
                h.int32(32),
                h.int32(36));
    }

    @Override
    public Opcode opcode() {
        return Opcode.TASK_MANAGEMENT_REQUEST;
    }

    @Override
    public IscsiFrame toFrame() {
        Bhs h = Bhs.of(Opcode.TASK_MANAGEMENT_REQUEST)
                .immediate(immediate)
                .flags(0x80 | (function & 0x7f))
                .lun(lun)
                .itt(itt)
                .int32(20, referencedTaskTag)
                .int32(24, cmdSN)
                .int32(28, expStatSN)
                .int32(32, refCmdSN)
                .int32(36, expDataSN);
        return IscsiFrame.of(h);
    }
}
