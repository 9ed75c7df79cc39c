package dev.sgw.iscsi.session;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.sgw.iscsi.pdu.ScsiCommandRequest;

/**
 * One SCSI command on a connection, from its SCSI Command PDU to its response (RFC 7143 sections 4.2 and
 * 11.3). Write data is gathered into {@link #buffer} from immediate data, an unsolicited Data-Out sequence
 * and R2T-solicited bursts. Event-loop confined, except {@link #settled} which completes there too.
 *
 * <pre>
 * state      meaning                                           next
 * RECEIVING  waiting for write data (unsolicited or R2T)       EXECUTING once every byte arrived;
 *                                                              DONE on a data sequence error; ABORTED
 * EXECUTING  the logical unit runs it on a virtual thread      DONE when the response is sent; ABORTED
 * ABORTED    aborted by task management or a lost connection:  -
 *            no response is sent; an execution in progress
 *            completes {@link #settled} when it returns
 * DONE       the response was sent                             -
 * </pre>
 */
final class ScsiTask {

    enum State {
        RECEIVING,
        EXECUTING,
        ABORTED,
        DONE
    }

    /** One R2T and the Data-Out PDUs answering it. */
    static final class Burst {
        final int ttt;
        final int offset;
        final int length;
        int received;
        int nextDataSN;

        Burst(int ttt, int offset, int length) {
            this.ttt = ttt;
            this.offset = offset;
            this.length = length;
        }
    }

    final ScsiCommandRequest command;
    final int itt;
    final long lunField;
    final int expectedLength;
    /** Completed when the task no longer runs: answered, aborted while receiving, or its execution returned. */
    final CompletableFuture<Void> settled = new CompletableFuture<>();

    State state = State.RECEIVING;
    ByteBuffer buffer;
    int received;
    /** Whether an unsolicited Data-Out sequence is still to come. */
    boolean awaitingUnsolicited;
    /** The most unsolicited (immediate + Data-Out) data allowed: min(FirstBurstLength, expected length). */
    int unsolicitedLimit;

    int unsolicitedOffset;
    int unsolicitedDataSN;
    /** Where the next R2T starts. */
    int nextR2tOffset;

    int r2tSN;
    final Map<Integer, Burst> bursts = new LinkedHashMap<>();

    ScsiTask(ScsiCommandRequest command) {
        this.command = command;
        this.itt = command.itt();
        this.lunField = command.lun();
        this.expectedLength = command.expectedDataTransferLength();
    }

    boolean immediate() {
        return command.immediate();
    }

    /** Whether every byte of write data is here and no burst is outstanding. */
    boolean dataComplete() {
        return !awaitingUnsolicited && bursts.isEmpty() && received == expectedLength;
    }

    /** The write data for the logical unit. */
    ByteBuffer dataOut() {
        return buffer == null ? ByteBuffer.allocate(0) : buffer.duplicate().clear();
    }
}
