package dev.sgw.iscsi.pdu;

/**
 * SNACK Request (RFC 7143 section 11.16): asks for retransmission. sgw runs at ErrorRecoveryLevel 0 and
 * rejects it; it is decoded only to be answered. Byte 1: 0x80 | type; 8-15 LUN; 16-19 ITT; 20-23 TTT;
 * 28-31 ExpStatSN; 40-43 BegRun; 44-47 RunLength.
 */
public record SnackRequest(int type, long lun, int itt, int ttt, int expStatSN, int begRun, int runLength)
        implements IscsiPdu {

    public static SnackRequest decode(IscsiFrame f) {
        Bhs h = f.header();
        return new SnackRequest(h.flags() & 0x0f, h.lun(), h.itt(), h.int32(20), h.int32(28), h.int32(40), h.int32(44));
    }

    @Override
    public Opcode opcode() {
        return Opcode.SNACK_REQUEST;
    }

    @Override
    public IscsiFrame toFrame() {
        Bhs h = Bhs.of(Opcode.SNACK_REQUEST)
                .flags(0x80 | (type & 0x0f))
                .lun(lun)
                .itt(itt)
                .int32(20, ttt)
                .int32(28, expStatSN)
                .int32(40, begRun)
                .int32(44, runLength);
        return IscsiFrame.of(h);
    }
}
