package dev.sgw.iscsi.scsi;

import java.util.Objects;

/**
 * A command ends with a status other than GOOD: CHECK CONDITION with its {@link SenseData}, or RESERVATION
 * CONFLICT. Thrown by the command handlers, turned into a {@link ScsiResponse} by {@link BlockLogicalUnit};
 * carries no stack trace (it is an answer, not a bug).
 */
final class ScsiError extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient SenseData sense;
    private final int residual;

    private ScsiError(int status, SenseData sense, int residual) {
        super(sense == null ? "status 0x" + Integer.toHexString(status) : sense.toString(), null, false, false);
        this.status = status;
        this.sense = sense;
        this.residual = residual;
    }

    /** CHECK CONDITION with {@code sense}. */
    static ScsiError check(SenseData sense) {
        return new ScsiError(ScsiResponse.CHECK_CONDITION, Objects.requireNonNull(sense, "sense"), 0);
    }

    /** RESERVATION CONFLICT (no sense data). */
    static ScsiError reservationConflict() {
        return new ScsiError(ScsiResponse.RESERVATION_CONFLICT, null, 0);
    }

    /** The same error reported with an iSCSI residual (see {@link ScsiResponse#residual()}). */
    ScsiError withResidual(int newResidual) {
        return new ScsiError(status, sense, newResidual);
    }

    int status() {
        return status;
    }

    /** The sense data, or null for RESERVATION CONFLICT. */
    SenseData sense() {
        return sense;
    }

    int residual() {
        return residual;
    }
}
