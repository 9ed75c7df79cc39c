package dev.sgw.iscsi.scsi;

import java.nio.ByteBuffer;

/**
 * PERSISTENT RESERVE OUT (5Fh, SPC-4 6.16): REGISTER, RESERVE, RELEASE, CLEAR, PREEMPT, PREEMPT AND ABORT and
 * REGISTER AND IGNORE EXISTING KEY, with the 24-byte basic parameter list. Not supported: REGISTER AND MOVE,
 * SPEC_I_PT and APTPL (REPORT CAPABILITIES says so), which end in ILLEGAL REQUEST.
 *
 * <pre>
 * CDB: byte 1 service action | byte 2 scope (7-4) type (3-0) | bytes 5-8 parameter list length
 * parameter list: 0-7 reservation key | 8-15 service action reservation key | 20: SPEC_I_PT 08h, ALL_TG_PT 04h,
 * APTPL 01h
 * </pre>
 */
final class PersistentReserveOut {
    static final int REGISTER = 0;
    static final int RESERVE = 1;
    static final int RELEASE = 2;
    static final int CLEAR = 3;
    static final int PREEMPT = 4;
    static final int PREEMPT_AND_ABORT = 5;
    static final int REGISTER_AND_IGNORE_EXISTING_KEY = 6;

    private static final int PARAMETER_LIST_LENGTH = 24;
    private static final int LU_SCOPE = 0;

    private final PersistentReservations reservations;

    PersistentReserveOut(PersistentReservations reservations) {
        this.reservations = reservations;
    }

    CommandResult execute(ScsiCommand command, Cdb cdb) throws ScsiError {
        int action = cdb.serviceAction();
        long length = cdb.u32(5);
        if (length != PARAMETER_LIST_LENGTH) {
            throw ScsiError.check(SenseData.PARAMETER_LIST_LENGTH_ERROR);
        }
        PersistentReservations.Type type = null;
        if (action == RESERVE || action == RELEASE || action == PREEMPT || action == PREEMPT_AND_ABORT) {
            type = PersistentReservations.Type.of(cdb.u8(2) & 0x0f);
            if ((cdb.u8(2) >> 4) != LU_SCOPE || type == null) {
                throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
            }
        }
        ByteBuffer list = ReceivedData.take(command, length);
        long key = list.getLong(0);
        long serviceActionKey = list.getLong(8);
        int flags = list.get(20);
        if ((flags & 0x08) != 0 || (flags & 0x01) != 0) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_PARAMETER_LIST); // SPEC_I_PT, APTPL
        }
        ItNexus nexus = command.nexus();
        boolean allTargetPorts = (flags & 0x04) != 0;
        switch (action) {
            case REGISTER -> reservations.register(nexus, key, serviceActionKey, false, allTargetPorts);
            case REGISTER_AND_IGNORE_EXISTING_KEY ->
                reservations.register(nexus, key, serviceActionKey, true, allTargetPorts);
            case RESERVE -> reservations.reserve(nexus, key, type);
            case RELEASE -> reservations.release(nexus, key, type);
            case CLEAR -> reservations.clear(nexus, key);
            case PREEMPT, PREEMPT_AND_ABORT -> reservations.preempt(nexus, key, serviceActionKey, type);
            default -> throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
        }
        return CommandResult.dataOut(length);
    }
}
