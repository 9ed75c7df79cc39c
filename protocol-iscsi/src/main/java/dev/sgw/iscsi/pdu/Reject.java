package dev.sgw.iscsi.pdu;

/**
 * Reject (RFC 7143 section 11.17): the target could not accept a PDU. Byte 1: 0x80; byte 2 Reason; 16-19
 * 0xffffffff; 24-27 StatSN (advanced); 28-31 ExpCmdSN; 32-35 MaxCmdSN; 36-39 DataSN/R2TSN; data: the complete
 * header of the rejected PDU.
 */
// the array components are wire fields carried as decoded; the record is never compared or used as a key
@SuppressWarnings("ArrayRecordComponent")
public record Reject(int reason, int statSN, int expCmdSN, int maxCmdSN, int dataSN, byte[] rejectedHeader)
        implements IscsiPdu {

    public static final int DATA_DIGEST_ERROR = 0x02;
    public static final int SNACK_REJECT = 0x03;
    public static final int PROTOCOL_ERROR = 0x04;
    public static final int COMMAND_NOT_SUPPORTED = 0x05;
    public static final int IMMEDIATE_COMMAND_REJECT = 0x06;
    public static final int TASK_IN_PROGRESS = 0x07;
    public static final int INVALID_DATA_ACK = 0x08;
    public static final int INVALID_PDU_FIELD = 0x09;
    public static final int LONG_OPERATION_REJECT = 0x0a;
    public static final int WAITING_FOR_LOGOUT = 0x0c;

    public static Reject decode(IscsiFrame f) {
        Bhs h = f.header();
        return new Reject(h.int8(2), h.int32(24), h.int32(28), h.int32(32), h.int32(36), f.dataBytes());
    }

    @Override
    public Opcode opcode() {
        return Opcode.REJECT;
    }

    @Override
    public IscsiFrame toFrame() {
        Bhs h = Bhs.of(Opcode.REJECT)
                .flags(0x80)
                .int8(2, reason)
                .itt(Bhs.NO_TAG)
                .int32(24, statSN)
                .int32(28, expCmdSN)
                .int32(32, maxCmdSN)
                .int32(36, dataSN);
        return IscsiFrame.of(h, rejectedHeader);
    }

    @Override
    public String toString() {
        return "Reject[reason=0x" + Integer.toHexString(reason) + " statSN=" + statSN + " header="
                + rejectedHeader.length + "B]";
    }
}
