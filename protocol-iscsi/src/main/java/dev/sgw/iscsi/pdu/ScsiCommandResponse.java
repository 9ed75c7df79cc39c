package dev.sgw.iscsi.pdu;

import java.nio.ByteBuffer;

/**
 * SCSI Response (RFC 7143 section 11.4). Byte 1: 0x80 | o (0x10) u (0x08) bidirectional read residual
 * overflow/underflow, O (0x04) U (0x02) residual overflow/underflow; byte 2 Response (0x00 command completed at
 * target, 0x01 target failure); byte 3 Status; 16-19 ITT; 24-27 StatSN; 28-31 ExpCmdSN; 32-35 MaxCmdSN;
 * 36-39 ExpDataSN; 40-43 Bidirectional Read Residual Count; 44-47 Residual Count. Data: SenseLength (2 bytes)
 * then the sense data, or nothing.
 */
// the array components are wire fields carried as decoded; the record is never compared or used as a key
@SuppressWarnings("ArrayRecordComponent")
public record ScsiCommandResponse(
        boolean bidiOverflow,
        boolean bidiUnderflow,
        boolean overflow,
        boolean underflow,
        int response,
        int status,
        int itt,
        int statSN,
        int expCmdSN,
        int maxCmdSN,
        int expDataSN,
        int bidiResidualCount,
        int residualCount,
        byte[] data)
        implements IscsiPdu {

    /** Response code: command completed at target. */
    public static final int COMPLETED = 0x00;
    /** Response code: target failure. */
    public static final int TARGET_FAILURE = 0x01;

    public static ScsiCommandResponse decode(IscsiFrame f) {
        Bhs h = f.header();
        int flags = h.flags();
        return new ScsiCommandResponse(
                (flags & 0x10) != 0,
                (flags & 0x08) != 0,
                (flags & 0x04) != 0,
                (flags & 0x02) != 0,
                h.int8(2),
                h.int8(3),
                h.itt(),
                h.int32(24),
                h.int32(28),
                h.int32(32),
                h.int32(36),
                h.int32(40),
                h.int32(44),
                f.dataBytes());
    }

    /** The data segment for {@code sense}: its length in 2 bytes, then the sense bytes; empty without sense. */
    public static byte[] senseSegment(ByteBuffer sense) {
        int n = sense.remaining();
        if (n == 0) {
            return new byte[0];
        }
        byte[] out = new byte[2 + n];
        out[0] = (byte) (n >>> 8);
        out[1] = (byte) n;
        sense.duplicate().get(out, 2, n);
        return out;
    }

    /** The sense data carried in the data segment (empty when there is none). */
    public byte[] sense() {
        if (data.length < 2) {
            return new byte[0];
        }
        int n = Math.min(((data[0] & 0xff) << 8) | (data[1] & 0xff), data.length - 2);
        byte[] out = new byte[n];
        System.arraycopy(data, 2, out, 0, n);
        return out;
    }

    @Override
    public Opcode opcode() {
        return Opcode.SCSI_RESPONSE;
    }

    @Override
    public IscsiFrame toFrame() {
        Bhs h = Bhs.of(Opcode.SCSI_RESPONSE)
                .flags(0x80
                        | (bidiOverflow ? 0x10 : 0)
                        | (bidiUnderflow ? 0x08 : 0)
                        | (overflow ? 0x04 : 0)
                        | (underflow ? 0x02 : 0))
                .int8(2, response)
                .int8(3, status)
                .itt(itt)
                .int32(24, statSN)
                .int32(28, expCmdSN)
                .int32(32, maxCmdSN)
                .int32(36, expDataSN)
                .int32(40, bidiResidualCount)
                .int32(44, residualCount);
        return IscsiFrame.of(h, data);
    }

    @Override
    public String toString() {
        return "ScsiResponse[itt=" + itt + " response=" + response + " status=0x" + Integer.toHexString(status)
                + " statSN=" + statSN + " O=" + overflow + " U=" + underflow + " residual=" + residualCount
                + " sense=" + sense().length + "B]";
    }
}
