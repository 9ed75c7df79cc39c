package dev.sgw.iscsi.pdu;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * SCSI Command (RFC 7143 section 11.3). Byte 1: F (0x80: no unsolicited Data-Out follows), R (0x40), W (0x20),
 * ATTR (bits 2-0); 8-15 LUN; 16-19 ITT; 20-23 Expected Data Transfer Length; 24-27 CmdSN; 28-31 ExpStatSN;
 * 32-47 CDB. An Extended CDB AHS (type 1) carries the bytes of a CDB longer than 16; a Bidirectional Read
 * Expected Data Transfer Length AHS (type 2) is parsed and kept. Data: immediate data.
 *
 * @param cdb                  the CDB, cut to the length its group code implies (16 bytes for variable-length
 *                             and vendor groups), extended by the AHS if present
 * @param bidiReadLength       the bidirectional read length from a type 2 AHS, or -1
 * @param immediateData        the data segment: the first bytes of the data-out
 */
// the array components are wire fields carried as decoded; the record is never compared or used as a key
@SuppressWarnings("ArrayRecordComponent")
public record ScsiCommandRequest(
        boolean immediate,
        boolean finalFlag,
        boolean read,
        boolean write,
        int attributes,
        long lun,
        int itt,
        int expectedDataTransferLength,
        int cmdSN,
        int expStatSN,
        byte[] cdb,
        int bidiReadLength,
        ByteBuffer immediateData)
        implements IscsiPdu {

    private static final int AHS_EXTENDED_CDB = 1;
    private static final int AHS_BIDI_READ_LENGTH = 2;

    public static ScsiCommandRequest decode(IscsiFrame f) {
        Bhs h = f.header();
        int flags = h.flags();
        byte[] base = h.slice(32, 16);
        byte[] cdb = Arrays.copyOf(base, cdbLength(base[0] & 0xff));
        int bidi = -1;
        byte[] ahs = f.ahs();
        int pos = 0;
        while (pos + 3 <= ahs.length) {
            int len = ((ahs[pos] & 0xff) << 8) | (ahs[pos + 1] & 0xff);
            int type = ahs[pos + 2] & 0xff;
            int body = pos + 3; // the type-specific byte (reserved for both types) then the payload
            if (body + len > ahs.length || len < 1) {
                throw new PduFormatException("AHS length " + len + " runs past the header segments");
            }
            if (type == AHS_EXTENDED_CDB) {
                cdb = new byte[16 + len - 1];
                System.arraycopy(base, 0, cdb, 0, 16);
                System.arraycopy(ahs, body + 1, cdb, 16, len - 1);
            } else if (type == AHS_BIDI_READ_LENGTH && len == 5) {
                bidi = ByteBuffer.wrap(ahs, body + 1, 4).getInt();
            }
            pos = body + len;
            pos += (4 - (pos & 3)) & 3;
        }
        return new ScsiCommandRequest(
                h.immediate(),
                (flags & 0x80) != 0,
                (flags & 0x40) != 0,
                (flags & 0x20) != 0,
                flags & 7,
                h.lun(),
                h.itt(),
                h.int32(20),
                h.int32(24),
                h.int32(28),
                cdb,
                bidi,
                f.data());
    }

    /** The CDB length implied by the group code (the top 3 bits of the opcode), SPC-4 section 4.2.5.1. */
    static int cdbLength(int opcode) {
        return switch (opcode >>> 5) {
            case 0 -> 6;
            case 1, 2 -> 10;
            case 4 -> 16;
            case 5 -> 12;
            default -> 16;
        };
    }

    @Override
    public Opcode opcode() {
        return Opcode.SCSI_COMMAND;
    }

    @Override
    public IscsiFrame toFrame() {
        Bhs h = Bhs.of(Opcode.SCSI_COMMAND)
                .immediate(immediate)
                .flags((finalFlag ? 0x80 : 0) | (read ? 0x40 : 0) | (write ? 0x20 : 0) | (attributes & 7))
                .lun(lun)
                .itt(itt)
                .int32(20, expectedDataTransferLength)
                .int32(24, cmdSN)
                .int32(28, expStatSN)
                .put(32, Arrays.copyOf(cdb, Math.min(16, cdb.length)));
        if (cdb.length <= 16) {
            return IscsiFrame.of(h, immediateData.duplicate());
        }
        int len = cdb.length - 16 + 1;
        byte[] ahs = new byte[(3 + len + 3) & ~3];
        ahs[0] = (byte) (len >>> 8);
        ahs[1] = (byte) len;
        ahs[2] = AHS_EXTENDED_CDB;
        System.arraycopy(cdb, 16, ahs, 4, cdb.length - 16);
        return IscsiFrame.withAhs(h, ahs, immediateData.duplicate());
    }

    @Override
    public String toString() {
        return "ScsiCommand[itt=" + itt + " op=0x" + Integer.toHexString(cdb.length == 0 ? 0 : cdb[0] & 0xff)
                + " R=" + read + " W=" + write + " F=" + finalFlag + " I=" + immediate + " edtl="
                + expectedDataTransferLength
                + " cmdSN=" + cmdSN + " immediateData=" + immediateData.remaining() + "]";
    }
}
