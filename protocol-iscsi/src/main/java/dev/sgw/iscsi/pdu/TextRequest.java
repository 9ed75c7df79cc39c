package dev.sgw.iscsi.pdu;

/**
 * Text Request (RFC 7143 section 11.10). Byte 1: F (0x80), C (0x40); 8-15 LUN; 16-19 ITT; 20-23 Target
 * Transfer Tag (0xffffffff, or the tag of a Text Response being continued); 24-27 CmdSN; 28-31 ExpStatSN;
 * data: text keys.
 */
// the array components are wire fields carried as decoded; the record is never compared or used as a key
@SuppressWarnings("ArrayRecordComponent")
public record TextRequest(
        boolean immediate,
        boolean finalFlag,
        boolean cont,
        long lun,
        int itt,
        int ttt,
        int cmdSN,
        int expStatSN,
        byte[] data)
        implements IscsiPdu {

    public static TextRequest decode(IscsiFrame f) {
        Bhs h = f.header();
        boolean fin = h.finalBit();
        boolean cont = (h.flags() & 0x40) != 0;
        if (fin && cont) {
            throw new PduFormatException("text request with both F and C bits set");
        }
        return new TextRequest(
                h.immediate(), fin, cont, h.lun(), h.itt(), h.int32(20), h.int32(24), h.int32(28), f.dataBytes());
    }

    @Override
    public Opcode opcode() {
        return Opcode.TEXT_REQUEST;
    }

    @Override
    public IscsiFrame toFrame() {
        Bhs h = Bhs.of(Opcode.TEXT_REQUEST)
                .immediate(immediate)
                .flags((finalFlag ? 0x80 : 0) | (cont ? 0x40 : 0))
                .lun(lun)
                .itt(itt)
                .int32(20, ttt)
                .int32(24, cmdSN)
                .int32(28, expStatSN);
        return IscsiFrame.of(h, data);
    }
}
