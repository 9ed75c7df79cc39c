package dev.sgw.iscsi.session;

import java.nio.ByteBuffer;

import dev.sgw.iscsi.login.SessionParameters;
import dev.sgw.iscsi.pdu.Bhs;
import dev.sgw.iscsi.pdu.DataIn;
import dev.sgw.iscsi.pdu.ScsiCommandResponse;
import dev.sgw.iscsi.scsi.ScsiResponse;

/**
 * Sends a task's answer (RFC 7143 sections 11.4 and 11.7): the data-in split into Data-In PDUs of at most the
 * initiator's MaxRecvDataSegmentLength, in sequences of at most MaxBurstLength (F bit on the last PDU of
 * each); the status rides in the last Data-In (S bit) when it is GOOD or CONDITION MET without sense data,
 * otherwise a SCSI Response follows with the sense data. Residual overflow/underflow flags and the count
 * come from {@link ScsiResponse#residual()}.
 */
final class ResponseWriter {
    private final IscsiConnection connection;

    ResponseWriter(IscsiConnection connection) {
        this.connection = connection;
    }

    /** Writes the answer to {@code task}; a {@code null} response is a target failure. */
    void write(ScsiTask task, ScsiResponse response) {
        if (response == null) {
            connection.send(new ScsiCommandResponse(
                    false,
                    false,
                    false,
                    false,
                    ScsiCommandResponse.TARGET_FAILURE,
                    0,
                    task.itt,
                    connection.nextStatSN(),
                    connection.expCmdSN(),
                    connection.maxCmdSN(),
                    0,
                    0,
                    0,
                    new byte[0]));
            return;
        }
        ByteBuffer data = response.dataIn().duplicate();
        if (!task.command.read()) {
            data.limit(data.position());
        } else if (data.remaining() > task.expectedLength) {
            data.limit(data.position() + task.expectedLength);
        }
        int status = response.status();
        boolean noSense = response.sense().remaining() == 0;
        boolean statusInData =
                data.hasRemaining() && noSense && (status == ScsiResponse.GOOD || status == ScsiResponse.CONDITION_MET);
        int residual = response.residual();
        int dataPdus = sendDataIn(task, data, statusInData, status, residual);
        if (!statusInData) {
            connection.send(new ScsiCommandResponse(
                    false,
                    false,
                    residual < 0,
                    residual > 0,
                    ScsiCommandResponse.COMPLETED,
                    status,
                    task.itt,
                    connection.nextStatSN(),
                    connection.expCmdSN(),
                    connection.maxCmdSN(),
                    dataPdus + task.r2tSN,
                    0,
                    Math.abs(residual),
                    ScsiCommandResponse.senseSegment(response.sense())));
        }
    }

    /** Writes CHECK CONDITION with {@code sense} for a task that ended before reaching the logical unit. */
    void writeCheckCondition(ScsiTask task, ByteBuffer sense) {
        connection.send(new ScsiCommandResponse(
                false,
                false,
                false,
                false,
                ScsiCommandResponse.COMPLETED,
                ScsiResponse.CHECK_CONDITION,
                task.itt,
                connection.nextStatSN(),
                connection.expCmdSN(),
                connection.maxCmdSN(),
                task.r2tSN,
                0,
                0,
                ScsiCommandResponse.senseSegment(sense)));
    }

    /** Sends {@code data} as Data-In PDUs; returns how many. */
    private int sendDataIn(ScsiTask task, ByteBuffer data, boolean statusInData, int status, int residual) {
        SessionParameters p = connection.parameters();
        int total = data.remaining();
        int base = data.position();
        int dataSN = 0;
        int offset = 0;
        int inBurst = 0;
        while (offset < total) {
            int length = Math.min(
                    Math.min(p.initiatorMaxRecvDataSegmentLength(), total - offset), p.maxBurstLength() - inBurst);
            boolean last = offset + length == total;
            inBurst += length;
            boolean endOfSequence = last || inBurst == p.maxBurstLength();
            if (endOfSequence) {
                inBurst = 0;
            }
            boolean withStatus = last && statusInData;
            ByteBuffer slice = data.duplicate()
                    .position(base + offset)
                    .limit(base + offset + length)
                    .slice();
            connection.send(new DataIn(
                    endOfSequence,
                    false,
                    withStatus && residual < 0,
                    withStatus && residual > 0,
                    withStatus,
                    withStatus ? status : 0,
                    task.lunField,
                    task.itt,
                    Bhs.NO_TAG,
                    withStatus ? connection.nextStatSN() : 0,
                    connection.expCmdSN(),
                    connection.maxCmdSN(),
                    dataSN++,
                    offset,
                    withStatus ? Math.abs(residual) : 0,
                    slice));
            offset += length;
        }
        return dataSN;
    }
}
