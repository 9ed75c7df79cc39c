package dev.sgw.iscsi.scsi;

import java.nio.ByteBuffer;

/**
 * The data-out bytes a command received from the initiator (not the Data-Out PDUs that carried them, see
 * {@link dev.sgw.iscsi.pdu.DataOut}). Takes them by the length the command's CDB asks for, and decides the iSCSI overflow case
 * (RFC 7143 11.4.5.2): the initiator sent fewer bytes than the CDB needs (Expected Data Transfer Length below
 * the SCSI transfer length).
 *
 * <ul>
 *   <li>WRITE and WRITE AND VERIFY ({@link #takeWholeBlocks}) carry out the command on the data that was
 *       transferred: the whole blocks it covers are written, the blocks beyond it are left alone, status GOOD
 *       and the overflow (needed - sent) as a negative residual - what libiscsi's residual tests and the tgt and
 *       Linux targets do.</li>
 *   <li>Parameter lists and compare data ({@link #take}, {@link #takeExactly}) cannot be used in part: nothing
 *       happens and the command ends in CHECK CONDITION, ILLEGAL REQUEST, INVALID FIELD IN INFORMATION UNIT,
 *       with the overflow as a negative residual (FCP-4 9.4.2 b)).</li>
 * </ul>
 *
 * When the initiator sent more, the command uses the first bytes it needs and the rest is an underflow
 * (positive residual, status GOOD).
 */
final class ReceivedData {
    private ReceivedData() {}

    /** The first {@code needed} data-out bytes, as a buffer of its own (position 0, limit {@code needed}). */
    static ByteBuffer take(ScsiCommand command, long needed) throws ScsiError {
        ByteBuffer sent = sent(command);
        if (needed > sent.remaining()) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_INFORMATION_UNIT).withResidual(residual(command, needed));
        }
        return sent.slice(sent.position(), (int) needed);
    }

    /**
     * The first {@code needed} data-out bytes, or, when fewer were sent, the whole blocks of {@code blockSize}
     * that were sent (possibly none): a buffer of its own, position 0, a multiple of {@code blockSize}.
     */
    static ByteBuffer takeWholeBlocks(ScsiCommand command, long needed, int blockSize) {
        ByteBuffer sent = sent(command);
        long usable = Math.min(needed, sent.remaining() / blockSize * (long) blockSize);
        return sent.slice(sent.position(), (int) usable);
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
