package dev.sgw.iscsi.scsi;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * TEST UNIT READY (00h) and REQUEST SENSE (03h) of SPC-4, START STOP UNIT (1Bh) and PREVENT ALLOW MEDIUM
 * REMOVAL (1Eh) of SBC-3.
 *
 * <p>The unit is always ready. REQUEST SENSE returns (and clears) the nexus's oldest unit attention, or NO
 * SENSE; sense is otherwise delivered with each CHECK CONDITION (autosense), so there is nothing else to
 * report. DESC=1 (descriptor format) is INVALID FIELD IN CDB. The medium is not removable: START STOP UNIT
 * with LOEJ is INVALID FIELD IN CDB; a stop (START=0, NO_FLUSH=0) flushes the volume and the unit stays
 * ready; power conditions are accepted and ignored. PREVENT ALLOW MEDIUM REMOVAL is accepted.
 */
final class UnitCommands {
    private final Medium medium;
    private final UnitAttentions attentions;

    UnitCommands(Medium medium, UnitAttentions attentions) {
        this.medium = medium;
        this.attentions = attentions;
    }

    CommandResult testUnitReady(ScsiCommand command, Cdb cdb) {
        return CommandResult.good();
    }

    CommandResult requestSense(ScsiCommand command, Cdb cdb) throws ScsiError {
        if (cdb.bit(1, 0x01)) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
        }
        SenseData pending = attentions.take(command.nexus());
        ByteBuffer sense = (pending != null ? pending : SenseData.NO_ADDITIONAL_SENSE).toFixedFormat();
        return CommandResult.dataIn(PersistentReserveIn.truncate(sense, cdb.u8(4)));
    }

    CommandResult startStopUnit(ScsiCommand command, Cdb cdb) throws ScsiError, IOException {
        int flags = cdb.u8(4);
        if ((flags & 0x02) != 0) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
        }
        boolean stop = (flags & 0x01) == 0 && (flags & 0xf0) == 0;
        if (stop && (flags & 0x04) == 0) {
            medium.flush();
        }
        return CommandResult.good();
    }

    CommandResult preventAllowMediumRemoval(ScsiCommand command, Cdb cdb) {
        return CommandResult.good();
    }
}
