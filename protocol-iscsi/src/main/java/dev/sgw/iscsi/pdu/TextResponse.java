package dev.sgw.iscsi.pdu;

/**
 * Text Response (RFC 7143 section 11.11). Byte 1: F (0x80), C (0x40); 8-15 LUN; 16-19 ITT; 20-23 Target
 * Transfer Tag (0xffffffff on the final response, otherwise the tag to continue with); 24-27 StatSN;
 * 28-31 ExpCmdSN; 32-35 MaxCmdSN; data: text keys.
 */
// the array components are wire fields carried as decoded; the record is never compared or used as a key
@SuppressWarnings("ArrayRecordComponent")
public record TextResponse(
        boolean finalFlag,
        boolean cont,
        long lun,
        int itt,
        int ttt,
        int statSN,
        int expCmdSN,
        int maxCmdSN,
        byte[] data)
        implements IscsiPdu {

    public static TextResponse decode(IscsiFrame f) {
        Bhs h = f.header();
        return new TextResponse(
                h.finalBit(),
                (h.flags() & 0x40) != 0,
                h.lun(),
                h.itt(),
                h.int32(20),
                h.int32(24),
                h.int32(28),
                h.int32(32),
                f.dataBytes());
    }

    @Override
    public Opcode opcode() {
        return Opcode.TEXT_RESPONSE;
    }

    @Override
    public IscsiFrame toFrame() {
        Bhs h = Bhs.of(Opcode.TEXT_RESPONSE)
                .flags((finalFlag ? 0x80 : 0) | (cont ? 0x40 : 0))
                .lun(lun)
                .itt(itt)
                .int32(20, ttt)
                .int32(24, statSN)
                .int32(28, expCmdSN)
                .int32(32, maxCmdSN);
        return IscsiFrame.of(h, data);
    }
}
