package dev.sgw.iscsi.scsi;

/**
 * RESERVE (6) (16h), RELEASE (6) (17h), RESERVE (10) (56h) and RELEASE (10) (57h) of SPC-2, over
 * {@link LegacyReservation}. Extents (RESERVE (6) byte 1 bit 0), third-party reservations (3RDPTY) and
 * LONGID are INVALID FIELD IN CDB. While a persistent reservation is held, both commands end in RESERVATION
 * CONFLICT.
 */
final class ReserveReleaseCommands {
    private final LegacyReservation legacy;
    private final PersistentReservations persistent;

    ReserveReleaseCommands(LegacyReservation legacy, PersistentReservations persistent) {
        this.legacy = legacy;
        this.persistent = persistent;
    }

    CommandResult reserve(ScsiCommand command, Cdb cdb) throws ScsiError {
        checkFields(cdb);
        if (persistent.reserved() || !legacy.reserve(command.nexus())) {
            throw ScsiError.reservationConflict();
        }
        return CommandResult.good();
    }

    CommandResult release(ScsiCommand command, Cdb cdb) throws ScsiError {
        checkFields(cdb);
        if (persistent.reserved()) {
            throw ScsiError.reservationConflict();
        }
        legacy.release(command.nexus());
        return CommandResult.good();
    }

    private static void checkFields(Cdb cdb) throws ScsiError {
        int invalid = cdb.opcode() < 0x20 ? 0x01 : 0x10 | 0x02;
        if ((cdb.u8(1) & invalid) != 0) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
        }
    }
}
