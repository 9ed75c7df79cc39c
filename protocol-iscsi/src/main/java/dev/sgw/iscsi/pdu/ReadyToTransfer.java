package dev.sgw.iscsi.pdu;

/**
 * Ready To Transfer, R2T (RFC 7143 section 11.8): the target asks for a burst of write data. Byte 1: 0x80;
 * 8-15 LUN; 16-19 ITT; 20-23 Target Transfer Tag; 24-27 StatSN (the next one, not advanced); 28-31 ExpCmdSN;
 * 32-35 MaxCmdSN; 36-39 R2TSN; 40-43 Buffer Offset; 44-47 Desired Data Transfer Length.
 */
public record ReadyToTransfer(
        long lun,
        int itt,
        int ttt,
        int statSN,
        int expCmdSN,
        int maxCmdSN,
        int r2tSN,
        int bufferOffset,
        int desiredLength)
        implements IscsiPdu {

    public static ReadyToTransfer decode(IscsiFrame f) {
        Bhs h = f.header();
        return new ReadyToTransfer(
                h.lun(),
                h.itt(),
                h.int32(20),
                h.int32(24),
                h.int32(28),
                h.int32(32),
                h.int32(36),
                h.int32(40),
                h.int32(44));
    }

    @Override
    public Opcode opcode() {
        return Opcode.READY_TO_TRANSFER;
    }

    @Override
    public IscsiFrame toFrame() {
        Bhs h = Bhs.of(Opcode.READY_TO_TRANSFER)
                .flags(0x80)
                .lun(lun)
                .itt(itt)
                .int32(20, ttt)
                .int32(24, statSN)
                .int32(28, expCmdSN)
                .int32(32, maxCmdSN)
                .int32(36, r2tSN)
                .int32(40, bufferOffset)
                .int32(44, desiredLength);
        return IscsiFrame.of(h);
    }
}
