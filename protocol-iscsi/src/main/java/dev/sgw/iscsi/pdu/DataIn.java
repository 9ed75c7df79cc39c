package dev.sgw.iscsi.pdu;

import java.nio.ByteBuffer;

/**
 * SCSI Data-In (RFC 7143 section 11.7). Byte 1: F (0x80), A (0x40), O (0x04), U (0x02), S (0x01: status
 * present); byte 3 Status (with S); 8-15 LUN; 16-19 ITT; 20-23 Target Transfer Tag; 24-27 StatSN (with S);
 * 28-31 ExpCmdSN; 32-35 MaxCmdSN; 36-39 DataSN; 40-43 Buffer Offset; 44-47 Residual Count (with S).
 */
public record DataIn(
        boolean finalFlag,
        boolean acknowledge,
        boolean overflow,
        boolean underflow,
        boolean statusPresent,
        int status,
        long lun,
        int itt,
        int ttt,
        int statSN,
        int expCmdSN,
        int maxCmdSN,
        int dataSN,
        int bufferOffset,
        int residualCount,
        ByteBuffer data)
        implements IscsiPdu {

    public static DataIn decode(IscsiFrame f) {
        Bhs h = f.header();
        int flags = h.flags();
        return new DataIn(
                (flags & 0x80) != 0,
                (flags & 0x40) != 0,
                (flags & 0x04) != 0,
                (flags & 0x02) != 0,
                (flags & 0x01) != 0,
                h.int8(3),
                h.lun(),
                h.itt(),
                h.int32(20),
                h.int32(24),
                h.int32(28),
                h.int32(32),
                h.int32(36),
                h.int32(40),
                h.int32(44),
                f.data());
    }

    @Override
    public Opcode opcode() {
        return Opcode.DATA_IN;
    }

    @Override
    public IscsiFrame toFrame() {
        Bhs h = Bhs.of(Opcode.DATA_IN)
                .flags((finalFlag ? 0x80 : 0)
                        | (acknowledge ? 0x40 : 0)
                        | (overflow ? 0x04 : 0)
                        | (underflow ? 0x02 : 0)
                        | (statusPresent ? 0x01 : 0))
                .int8(3, statusPresent ? status : 0)
                .lun(lun)
                .itt(itt)
                .int32(20, ttt)
                .int32(24, statSN)
                .int32(28, expCmdSN)
                .int32(32, maxCmdSN)
                .int32(36, dataSN)
                .int32(40, bufferOffset)
                .int32(44, residualCount);
        return IscsiFrame.of(h, data.duplicate());
    }

    @Override
    public String toString() {
        return "DataIn[itt=" + itt + " F=" + finalFlag + " S=" + statusPresent + " dataSN=" + dataSN + " offset="
                + bufferOffset + " length=" + data.remaining() + "]";
    }
}
