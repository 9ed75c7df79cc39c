package dev.sgw.iscsi.scsi;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * What a {@link LogicalUnit} answers to one {@link ScsiCommand}.
 *
 * @param status   the SCSI status byte (GOOD 0x00, CHECK CONDITION 0x02, CONDITION MET 0x04, BUSY 0x08,
 *                 RESERVATION CONFLICT 0x18, TASK SET FULL 0x28)
 * @param sense    fixed-format sense data for CHECK CONDITION, otherwise empty
 * @param dataIn   the data-in bytes, never more than the command's expected transfer length allows
 *                 (the transport sends {@code dataIn.remaining()} bytes)
 * @param residual the iSCSI residual: positive = underflow (the command transferred fewer bytes than
 *                 the expected transfer length, by that many), negative = overflow (the command wanted
 *                 more than the expected transfer length, by that many), 0 = exact. It may be non-zero with
 *                 CHECK CONDITION too: a command that needs its whole data-out (a parameter list, compare
 *                 data) and got less ends in CHECK CONDITION (ILLEGAL REQUEST, INVALID FIELD IN INFORMATION
 *                 UNIT) with the overflow as a negative residual; see {@link BlockLogicalUnit} for the rules
 */
public record ScsiResponse(int status, ByteBuffer sense, ByteBuffer dataIn, int residual) {

    public static final int GOOD = 0x00;
    public static final int CHECK_CONDITION = 0x02;
    public static final int CONDITION_MET = 0x04;
    public static final int BUSY = 0x08;
    public static final int RESERVATION_CONFLICT = 0x18;
    public static final int TASK_SET_FULL = 0x28;

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    public ScsiResponse {
        Objects.requireNonNull(sense, "sense");
        Objects.requireNonNull(dataIn, "dataIn");
    }

    /** GOOD with no data. */
    public static ScsiResponse good() {
        return new ScsiResponse(GOOD, EMPTY.duplicate(), EMPTY.duplicate(), 0);
    }
}
