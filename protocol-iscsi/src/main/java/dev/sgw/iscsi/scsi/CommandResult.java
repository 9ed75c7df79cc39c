package dev.sgw.iscsi.scsi;

import java.nio.ByteBuffer;

/**
 * What a command handler produced when it succeeded; {@link BlockLogicalUnit} turns it into a
 * {@link ScsiResponse} and works out the residual from it.
 *
 * @param status      GOOD or CONDITION MET
 * @param dataIn      the data-in bytes, already cut to the CDB's allocation length; null for a command
 *                    without data-in
 * @param produced    how many data-in bytes the command transferred in full (may exceed
 *                    {@code dataIn.remaining()} when a READ stopped reading at the expected transfer length)
 * @param dataOutUsed the data-out bytes the command needed, or -1 for a command without data-out
 */
record CommandResult(int status, ByteBuffer dataIn, long produced, long dataOutUsed) {

    /** GOOD, no data either way. */
    static CommandResult good() {
        return new CommandResult(ScsiResponse.GOOD, null, 0, -1);
    }

    /** GOOD with all of {@code data} (position to limit) as data-in. */
    static CommandResult dataIn(ByteBuffer data) {
        return new CommandResult(ScsiResponse.GOOD, data, data.remaining(), -1);
    }

    /** GOOD with data-in of which only the first {@code data.remaining()} of {@code produced} bytes were read. */
    static CommandResult dataIn(ByteBuffer data, long produced) {
        return new CommandResult(ScsiResponse.GOOD, data, produced, -1);
    }

    /** GOOD after consuming {@code used} data-out bytes. */
    static CommandResult dataOut(long used) {
        return new CommandResult(ScsiResponse.GOOD, null, 0, used);
    }
}
