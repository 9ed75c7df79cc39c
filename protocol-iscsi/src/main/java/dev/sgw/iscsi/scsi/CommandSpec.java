package dev.sgw.iscsi.scsi;

import java.io.IOException;

/**
 * One command of the {@link OpcodeTable}: where it sits (opcode and, for the opcodes that have them, service
 * action), how it relates to reservations, its CDB usage data (REPORT SUPPORTED OPERATION CODES: the CDB bits
 * the logical unit looks at, with the opcode in byte 0 and the service action in byte 1; its length is the
 * CDB length) and the handler that executes it.
 *
 * @param opcode        byte 0 of the CDB
 * @param serviceAction the service action, or -1 for an opcode without service actions
 * @param name          the command's name in SPC-4/SBC-3, for logs
 * @param access        how reservations treat it
 * @param usage         the CDB usage data
 * @param handler       executes it
 */
// the array components are wire fields carried as decoded; the record is never compared or used as a key
@SuppressWarnings("ArrayRecordComponent")
record CommandSpec(int opcode, int serviceAction, String name, Access access, byte[] usage, Handler handler) {

    /** Executes one command; errors are {@link ScsiError}s, or {@link IOException}s from the volume. */
    @FunctionalInterface
    interface Handler {
        CommandResult execute(ScsiCommand command, Cdb cdb) throws ScsiError, IOException;
    }

    int cdbLength() {
        return usage.length;
    }

    boolean hasServiceAction() {
        return serviceAction >= 0;
    }

    /** Whether the command changes the medium (chooses read or write medium errors). */
    boolean writes() {
        return access == Access.WRITE;
    }
}
