package dev.sgw.iscsi.session;

import java.nio.ByteBuffer;

/**
 * The few sense data the transport itself returns, for commands that fail before reaching the logical unit
 * (fixed format, SPC-4 section 4.5.3). Everything the logical unit decides has its sense from the SCSI layer.
 */
enum TransportSense {
    /** ABORTED COMMAND, DATA PHASE ERROR: a Data-Out out of sequence (DataSN, offset, tag). */
    DATA_PHASE_ERROR(0x0b, 0x4b, 0x00),
    /** ABORTED COMMAND, PROTOCOL SERVICE CRC ERROR: a Data-Out with a bad data digest. */
    DATA_DIGEST_ERROR(0x0b, 0x47, 0x05),
    /** ABORTED COMMAND, TOO MUCH WRITE DATA: a Data-Out beyond the expected transfer length. */
    TOO_MUCH_WRITE_DATA(0x0b, 0x4b, 0x02),
    /** ILLEGAL REQUEST, INVALID FIELD IN CDB: a transfer longer than the target accepts. */
    TRANSFER_TOO_LONG(0x05, 0x24, 0x00);

    private final int key;
    private final int asc;
    private final int ascq;

    TransportSense(int key, int asc, int ascq) {
        this.key = key;
        this.asc = asc;
        this.ascq = ascq;
    }

    /** 18 bytes of fixed-format sense data. */
    ByteBuffer bytes() {
        byte[] b = new byte[18];
        b[0] = 0x70;
        b[2] = (byte) key;
        b[7] = 10;
        b[12] = (byte) asc;
        b[13] = (byte) ascq;
        return ByteBuffer.wrap(b);
    }
}
