package dev.sgw.iscsi.scsi;

import java.io.IOException;
import java.nio.ByteBuffer;

import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;

/**
 * Sense data (SPC-4 4.5): sense key, additional sense code and qualifier, and the optional INFORMATION
 * field. The one place where sgw's errors become SCSI errors: every condition the logical unit reports is
 * a constant or factory here, and {@link #fromVolume} maps the volume layer's {@link VolumeError} codes:
 *
 * <pre>
 * VolumeError          | sense key        | ASC/ASCQ | meaning
 * ---------------------+------------------+----------+------------------------------------------------
 * INVAL, FBIG          | ILLEGAL REQUEST  | 21h/00h  | LOGICAL BLOCK ADDRESS OUT OF RANGE
 * NOSPC                | DATA PROTECT     | 27h/07h  | SPACE ALLOCATION FAILED WRITE PROTECT (SBC-3 thin provisioning)
 * ROFS                 | DATA PROTECT     | 27h/00h  | WRITE PROTECTED
 * ACCES, PERM          | ILLEGAL REQUEST  | 20h/02h  | ACCESS DENIED - NO ACCESS RIGHTS
 * NOTSUPP              | ILLEGAL REQUEST  | 24h/00h  | INVALID FIELD IN CDB
 * UNAVAILABLE          | NOT READY        | 04h/01h  | LOGICAL UNIT IS IN PROCESS OF BECOMING READY (initiators retry)
 * IO, reading          | MEDIUM ERROR     | 11h/00h  | UNRECOVERED READ ERROR
 * IO, writing          | MEDIUM ERROR     | 0Ch/00h  | WRITE ERROR
 * anything else        | HARDWARE ERROR   | 44h/00h  | INTERNAL TARGET FAILURE
 * </pre>
 *
 * <p>Encoded in fixed format (response code 70h, 18 bytes): the control mode page reports D_SENSE=0.
 *
 * @param key         the sense key (byte 2, bits 3-0)
 * @param asc         the additional sense code
 * @param ascq        the additional sense code qualifier
 * @param information the INFORMATION field (VALID bit set), or -1 for none
 */
record SenseData(int key, int asc, int ascq, long information) {

    static final int NO_SENSE = 0x0;
    static final int NOT_READY = 0x2;
    static final int MEDIUM_ERROR = 0x3;
    static final int HARDWARE_ERROR = 0x4;
    static final int ILLEGAL_REQUEST = 0x5;
    static final int UNIT_ATTENTION = 0x6;
    static final int DATA_PROTECT = 0x7;
    static final int MISCOMPARE = 0xe;

    /** The length of fixed-format sense data with no additional bytes. */
    static final int FIXED_LENGTH = 18;

    static final SenseData NO_ADDITIONAL_SENSE = of(NO_SENSE, 0x00, 0x00);
    static final SenseData INVALID_COMMAND_OPERATION_CODE = of(ILLEGAL_REQUEST, 0x20, 0x00);
    static final SenseData ACCESS_DENIED = of(ILLEGAL_REQUEST, 0x20, 0x02);
    static final SenseData LBA_OUT_OF_RANGE = of(ILLEGAL_REQUEST, 0x21, 0x00);
    static final SenseData INVALID_FIELD_IN_CDB = of(ILLEGAL_REQUEST, 0x24, 0x00);
    static final SenseData LOGICAL_UNIT_NOT_SUPPORTED = of(ILLEGAL_REQUEST, 0x25, 0x00);
    static final SenseData INVALID_FIELD_IN_PARAMETER_LIST = of(ILLEGAL_REQUEST, 0x26, 0x00);
    static final SenseData INVALID_RELEASE_OF_PERSISTENT_RESERVATION = of(ILLEGAL_REQUEST, 0x26, 0x04);
    static final SenseData PARAMETER_LIST_LENGTH_ERROR = of(ILLEGAL_REQUEST, 0x1a, 0x00);
    static final SenseData SAVING_PARAMETERS_NOT_SUPPORTED = of(ILLEGAL_REQUEST, 0x39, 0x00);
    /** The data-out the initiator sent is shorter than the CDB asks for (iSCSI overflow; FCP-4 9.4.2 b). */
    static final SenseData INVALID_FIELD_IN_INFORMATION_UNIT = of(ILLEGAL_REQUEST, 0x0e, 0x03);

    static final SenseData WRITE_PROTECTED = of(DATA_PROTECT, 0x27, 0x00);
    static final SenseData SPACE_ALLOCATION_FAILED = of(DATA_PROTECT, 0x27, 0x07);
    static final SenseData BECOMING_READY = of(NOT_READY, 0x04, 0x01);
    static final SenseData UNRECOVERED_READ_ERROR = of(MEDIUM_ERROR, 0x11, 0x00);
    static final SenseData WRITE_ERROR = of(MEDIUM_ERROR, 0x0c, 0x00);
    static final SenseData INTERNAL_TARGET_FAILURE = of(HARDWARE_ERROR, 0x44, 0x00);

    static final SenseData POWER_ON_RESET = of(UNIT_ATTENTION, 0x29, 0x00);
    static final SenseData MODE_PARAMETERS_CHANGED = of(UNIT_ATTENTION, 0x2a, 0x01);
    static final SenseData CAPACITY_DATA_HAS_CHANGED = of(UNIT_ATTENTION, 0x2a, 0x09);
    static final SenseData RESERVATIONS_PREEMPTED = of(UNIT_ATTENTION, 0x2a, 0x03);
    static final SenseData RESERVATIONS_RELEASED = of(UNIT_ATTENTION, 0x2a, 0x04);
    static final SenseData REGISTRATIONS_PREEMPTED = of(UNIT_ATTENTION, 0x2a, 0x05);

    static SenseData of(int key, int asc, int ascq) {
        return new SenseData(key, asc, ascq, -1);
    }

    /** MISCOMPARE DURING VERIFY OPERATION; {@code offset} is the first differing byte of the data-out buffer. */
    static SenseData miscompare(long offset) {
        return new SenseData(MISCOMPARE, 0x1d, 0x00, offset);
    }

    /**
     * The sense data for a failed volume call.
     *
     * @param writing whether the command was changing the medium (chooses between read and write errors)
     */
    static SenseData fromVolume(IOException failure, boolean writing) {
        VolumeError error = failure instanceof VolumeException ve ? ve.error() : VolumeError.IO;
        return switch (error) {
            case INVAL, FBIG -> LBA_OUT_OF_RANGE;
            case NOSPC -> SPACE_ALLOCATION_FAILED;
            case ROFS -> WRITE_PROTECTED;
            case ACCES, PERM -> ACCESS_DENIED;
            case NOTSUPP -> INVALID_FIELD_IN_CDB;
            case UNAVAILABLE -> BECOMING_READY;
            case IO -> writing ? WRITE_ERROR : UNRECOVERED_READ_ERROR;
            default -> INTERNAL_TARGET_FAILURE;
        };
    }

    /** Fixed-format sense data (SPC-4 4.5.3), 18 bytes. */
    ByteBuffer toFixedFormat() {
        ByteBuffer b = ByteBuffer.allocate(FIXED_LENGTH);
        boolean valid = information >= 0 && information <= 0xffffffffL;
        b.put(0, (byte) (0x70 | (valid ? 0x80 : 0)));
        b.put(2, (byte) (key & 0x0f));
        if (valid) {
            b.putInt(3, (int) information);
        }
        b.put(7, (byte) (FIXED_LENGTH - 8));
        b.put(12, (byte) asc);
        b.put(13, (byte) ascq);
        return b;
    }

    @Override
    public String toString() {
        return String.format("sense %x/%02x/%02x", key, asc, ascq) + (information >= 0 ? " info " + information : "");
    }
}
