package dev.sgw.iscsi.scsi;

import java.nio.ByteBuffer;

/**
 * Takes a command's data-out bytes by the length its CDB asks for, and decides the iSCSI overflow case
 * (RFC 7143 11.4.5.1): when the initiator sent fewer bytes than the CDB needs (Expected Data Transfer Length
 * below the SCSI transfer length), sgw transfers nothing and ends the command with CHECK CONDITION, ILLEGAL
 * REQUEST, INVALID FIELD IN INFORMATION UNIT and the overflow as a negative residual - the choice FCP-4
 * 9.4.2 b) describes and libiscsi's residual tests accept. When it sent more, the command uses the first bytes
 * it needs and the rest is an underflow (positive residual, status GOOD).
 */
final class DataOut {
    private DataOut() {
    }

    /** The first {@code needed} data-out bytes, as a buffer of its own (position 0, limit {@code needed}). */
    static ByteBuffer take(ScsiCommand command, long needed) throws ScsiError {
        ByteBuffer sent = sent(command);
        if (needed > sent.remaining()) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_INFORMATION_UNIT).withResidual(residual(command, needed));
        }
        return sent.slice(sent.position(), (int) needed);
    }

    /**
     * Exactly {@code needed} data-out bytes: for WRITE SAME and COMPARE AND WRITE, whose data-out size follows
     * from the CDB, more data-out than that is an error too (INVALID FIELD IN CDB).
     */
    static ByteBuffer takeExactly(ScsiCommand command, long needed) throws ScsiError {
        ByteBuffer data = take(command, needed);
        if (sent(command).remaining() != needed) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB).withResidual(residual(command, needed));
        }
        return data;
    }

    /** The iSCSI residual of a command that needs {@code needed} data-out bytes. */
    static int residual(ScsiCommand command, long needed) {
        long expected = command.write() ? command.expectedTransferLength() : 0;
        return clamp(expected - needed);
    }

    static int clamp(long residual) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, residual));
    }

    private static ByteBuffer sent(ScsiCommand command) {
        return command.write() ? command.dataOut().duplicate() : ByteBuffer.allocate(0);
    }
}
