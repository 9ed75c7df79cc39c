package dev.sgw.iscsi.pdu;

/**
 * NOP-Out (RFC 7143 section 11.18): a ping from the initiator (ITT set, answered by a NOP-In) or its answer to
 * the target's ping (ITT 0xffffffff, TTT copied from the NOP-In, always immediate). Byte 1: 0x80; 8-15 LUN;
 * 16-19 ITT; 20-23 TTT; 24-27 CmdSN; 28-31 ExpStatSN; data: ping data.
 */
// the array components are wire fields carried as decoded; the record is never compared or used as a key
@SuppressWarnings("ArrayRecordComponent")
public record NopOut(boolean immediate, long lun, int itt, int ttt, int cmdSN, int expStatSN, byte[] data)
        implements IscsiPdu {

    public static NopOut decode(IscsiFrame f) {
        Bhs h = f.header();
        return new NopOut(h.immediate(), h.lun(), h.itt(), h.int32(20), h.int32(24), h.int32(28), f.dataBytes());
    }

    @Override
    public Opcode opcode() {
        return Opcode.NOP_OUT;
    }

    @Override
    public IscsiFrame toFrame() {
        Bhs h = Bhs.of(Opcode.NOP_OUT)
                .immediate(immediate)
                .flags(0x80)
                .lun(lun)
                .itt(itt)
                .int32(20, ttt)
                .int32(24, cmdSN)
                .int32(28, expStatSN);
        return IscsiFrame.of(h, data);
    }
}
