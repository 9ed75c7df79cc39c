package dev.sgw.iscsi.pdu;

/**
 * NOP-In (RFC 7143 section 11.19): the answer to a NOP-Out (ITT copied, TTT 0xffffffff, StatSN advanced) or
 * the target's own ping (ITT 0xffffffff, TTT set when an answer is wanted, StatSN not advanced). Byte 1: 0x80;
 * 8-15 LUN; 16-19 ITT; 20-23 TTT; 24-27 StatSN; 28-31 ExpCmdSN; 32-35 MaxCmdSN; data: the ping data.
 */
// the array components are wire fields carried as decoded; the record is never compared or used as a key
@SuppressWarnings("ArrayRecordComponent")
public record NopIn(long lun, int itt, int ttt, int statSN, int expCmdSN, int maxCmdSN, byte[] data)
        implements IscsiPdu {

    public static NopIn decode(IscsiFrame f) {
        Bhs h = f.header();
        return new NopIn(h.lun(), h.itt(), h.int32(20), h.int32(24), h.int32(28), h.int32(32), f.dataBytes());
    }

    @Override
    public Opcode opcode() {
        return Opcode.NOP_IN;
    }

    @Override
    public IscsiFrame toFrame() {
        Bhs h = Bhs.of(Opcode.NOP_IN)
                .flags(0x80)
                .lun(lun)
                .itt(itt)
                .int32(20, ttt)
                .int32(24, statSN)
                .int32(28, expCmdSN)
                .int32(32, maxCmdSN);
        return IscsiFrame.of(h, data);
    }
}
