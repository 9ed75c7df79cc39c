package dev.sgw.iscsi.pdu;

/**
 * Asynchronous Message (RFC 7143 section 11.9). Byte 1: 0x80; 8-15 LUN; 16-19 0xffffffff; 24-27 StatSN;
 * 28-31 ExpCmdSN; 32-35 MaxCmdSN; 36 AsyncEvent; 37 AsyncVCode; 38-39 Parameter1; 40-41 Parameter2;
 * 42-43 Parameter3; data: sense data and iSCSI event data.
 */
// the array components are wire fields carried as decoded; the record is never compared or used as a key
@SuppressWarnings("ArrayRecordComponent")
public record AsyncMessage(
        long lun,
        int statSN,
        int expCmdSN,
        int maxCmdSN,
        int event,
        int vcode,
        int parameter1,
        int parameter2,
        int parameter3,
        byte[] data)
        implements IscsiPdu {

    public static final int SCSI_EVENT = 0;
    public static final int LOGOUT_REQUESTED = 1;
    public static final int DROPPING_CONNECTION = 2;
    public static final int DROPPING_ALL_CONNECTIONS = 3;
    public static final int RENEGOTIATION_REQUESTED = 4;

    public static AsyncMessage decode(IscsiFrame f) {
        Bhs h = f.header();
        return new AsyncMessage(
                h.lun(),
                h.int32(24),
                h.int32(28),
                h.int32(32),
                h.int8(36),
                h.int8(37),
                h.int16(38),
                h.int16(40),
                h.int16(42),
                f.dataBytes());
    }

    @Override
    public Opcode opcode() {
        return Opcode.ASYNC_MESSAGE;
    }

    @Override
    public IscsiFrame toFrame() {
        Bhs h = Bhs.of(Opcode.ASYNC_MESSAGE)
                .flags(0x80)
                .lun(lun)
                .itt(Bhs.NO_TAG)
                .int32(24, statSN)
                .int32(28, expCmdSN)
                .int32(32, maxCmdSN)
                .int8(36, event)
                .int8(37, vcode)
                .int16(38, parameter1)
                .int16(40, parameter2)
                .int16(42, parameter3);
        return IscsiFrame.of(h, data);
    }
}
