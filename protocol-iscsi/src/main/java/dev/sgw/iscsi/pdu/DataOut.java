package dev.sgw.iscsi.pdu;

import java.nio.ByteBuffer;

/**
 * SCSI Data-Out (RFC 7143 section 11.7). Byte 1: F (0x80, last PDU of the sequence); 8-15 LUN; 16-19 ITT;
 * 20-23 Target Transfer Tag (0xffffffff for unsolicited data, else the R2T's tag); 28-31 ExpStatSN;
 * 36-39 DataSN; 40-43 Buffer Offset; data: the bytes at that offset.
 */
public record DataOut(
        boolean finalFlag, long lun, int itt, int ttt, int expStatSN, int dataSN, int bufferOffset, ByteBuffer data)
        implements IscsiPdu {

    public static DataOut decode(IscsiFrame f) {
        Bhs h = f.header();
        return new DataOut(
                h.finalBit(), h.lun(), h.itt(), h.int32(20), h.int32(28), h.int32(36), h.int32(40), f.data());
    }

    @Override
    public Opcode opcode() {
        return Opcode.DATA_OUT;
    }

    @Override
    public IscsiFrame toFrame() {
        Bhs h = Bhs.of(Opcode.DATA_OUT)
                .flags(finalFlag ? 0x80 : 0)
                .lun(lun)
                .itt(itt)
                .int32(20, ttt)
                .int32(28, expStatSN)
                .int32(36, dataSN)
                .int32(40, bufferOffset);
        return IscsiFrame.of(h, data.duplicate());
    }

    @Override
    public String toString() {
        return "DataOut[itt=" + itt + " ttt=" + ttt + " F=" + finalFlag + " dataSN=" + dataSN + " offset="
                + bufferOffset + " length=" + data.remaining() + "]";
    }
}
