package dev.sgw.iscsi.session;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import dev.sgw.iscsi.login.SessionParameters;
import dev.sgw.iscsi.pdu.Bhs;
import dev.sgw.iscsi.pdu.DataOut;
import dev.sgw.iscsi.pdu.ReadyToTransfer;
import dev.sgw.iscsi.pdu.Reject;
import dev.sgw.iscsi.pdu.ScsiCommandRequest;
import dev.sgw.iscsi.scsi.LogicalUnit;
import dev.sgw.iscsi.scsi.ScsiCommand;
import dev.sgw.iscsi.scsi.ScsiResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SCSI tasks of one connection: takes SCSI Command PDUs, gathers their write data (immediate data, an
 * unsolicited Data-Out sequence when InitialR2T=No, then R2Ts of at most MaxBurstLength, MaxOutstandingR2T at
 * a time), runs each command on a virtual thread and hands the response to {@link ResponseWriter}. Data-Out
 * PDUs must come in order (DataPDUInOrder=Yes): a wrong DataSN, offset or tag ends the task with CHECK
 * CONDITION (ABORTED COMMAND, DATA PHASE ERROR), as ErrorRecoveryLevel 0 has no retransmission. Event-loop
 * confined; the logical unit never runs on the event loop.
 */
final class TaskSet {
    private static final Logger LOG = LoggerFactory.getLogger(TaskSet.class);

    private final IscsiConnection connection;
    private final ResponseWriter responses;
    private final Map<Integer, ScsiTask> byItt = new HashMap<>();
    private int nonImmediateInFlight;
    private int nextTtt = 1;

    TaskSet(IscsiConnection connection) {
        this.connection = connection;
        this.responses = new ResponseWriter(connection);
    }

    /** Non-immediate commands not yet answered: they hold slots of the command window. */
    int inFlight() {
        return nonImmediateInFlight;
    }

    Optional<ScsiTask> find(int itt) {
        return Optional.ofNullable(byItt.get(itt));
    }

    /** A SCSI Command PDU whose CmdSN the window accepted. */
    void command(ScsiCommandRequest request) {
        SessionParameters p = connection.parameters();
        int immediateLength = request.immediateData().remaining();
        int expected = request.expectedDataTransferLength();
        String problem = null;
        if (byItt.containsKey(request.itt()) || request.itt() == Bhs.NO_TAG) {
            problem = "initiator task tag " + request.itt() + " is already in use";
        } else if (immediateLength > 0
                && (!request.write()
                        || !p.immediateData()
                        || immediateLength > p.firstBurstLength()
                        || immediateLength > expected)) {
            problem = "immediate data of " + immediateLength + " bytes not allowed";
        } else if (expected < 0) {
            problem = "expected data transfer length " + Integer.toUnsignedString(expected);
        }
        if (problem != null) {
            LOG.debug("rejecting {}: {}", request, problem);
            connection.reject(Reject.PROTOCOL_ERROR, request.toFrame().header().bytes());
            connection.flush();
            return;
        }
        ScsiTask task = new ScsiTask(request);
        track(task);
        if (request.write() && expected > connection.settings().maxTransferLength()) {
            fail(task, TransportSense.TRANSFER_TOO_LONG, "write of " + expected + " bytes exceeds the transfer limit");
            return;
        }
        if (!request.write() || expected == 0) {
            execute(task);
            return;
        }
        task.buffer = ByteBuffer.allocate(expected);
        task.buffer.put(request.immediateData().duplicate());
        task.received = immediateLength;
        task.unsolicitedOffset = immediateLength;
        task.unsolicitedLimit = p.initialR2T() ? immediateLength : Math.min(p.firstBurstLength(), expected);
        task.awaitingUnsolicited = !request.finalFlag() && task.unsolicitedOffset < task.unsolicitedLimit;
        if (!task.awaitingUnsolicited) {
            task.nextR2tOffset = task.unsolicitedOffset;
            requestData(task);
        }
        if (task.dataComplete()) {
            execute(task);
        }
        connection.flush();
    }

    /** A Data-Out PDU: write data for a task, unsolicited (TTT 0xffffffff) or answering an R2T. */
    void dataOut(DataOut pdu) {
        ScsiTask task = byItt.get(pdu.itt());
        if (task == null || task.state != ScsiTask.State.RECEIVING) {
            LOG.debug("dropping {}: no task receiving data", pdu);
            return;
        }
        int length = pdu.data().remaining();
        int offset = pdu.bufferOffset();
        if (pdu.ttt() == Bhs.NO_TAG) {
            if (!task.awaitingUnsolicited
                    || pdu.dataSN() != task.unsolicitedDataSN
                    || offset != task.unsolicitedOffset) {
                fail(task, TransportSense.DATA_PHASE_ERROR, "unexpected unsolicited " + pdu);
                return;
            }
            if (offset + length > task.unsolicitedLimit) {
                fail(task, TransportSense.TOO_MUCH_WRITE_DATA, "unsolicited data beyond FirstBurstLength: " + pdu);
                return;
            }
            task.buffer.put(offset, pdu.data(), pdu.data().position(), length);
            task.unsolicitedOffset += length;
            task.unsolicitedDataSN++;
            task.received += length;
            if (pdu.finalFlag() || task.unsolicitedOffset == task.unsolicitedLimit) {
                task.awaitingUnsolicited = false;
                task.nextR2tOffset = task.unsolicitedOffset;
                requestData(task);
            }
        } else {
            ScsiTask.Burst burst = task.bursts.get(pdu.ttt());
            if (burst == null || pdu.dataSN() != burst.nextDataSN || offset != burst.offset + burst.received) {
                fail(task, TransportSense.DATA_PHASE_ERROR, "out of sequence " + pdu);
                return;
            }
            if (burst.received + length > burst.length) {
                fail(task, TransportSense.TOO_MUCH_WRITE_DATA, "more data than the R2T asked for: " + pdu);
                return;
            }
            task.buffer.put(offset, pdu.data(), pdu.data().position(), length);
            burst.received += length;
            burst.nextDataSN++;
            task.received += length;
            if (burst.received == burst.length) {
                task.bursts.remove(burst.ttt);
                requestData(task);
            } else if (pdu.finalFlag()) {
                fail(task, TransportSense.DATA_PHASE_ERROR, "burst ended short: " + pdu);
                return;
            }
        }
        if (task.dataComplete()) {
            execute(task);
        }
        connection.flush();
    }

    /** Sends R2Ts for the data still missing, up to MaxOutstandingR2T at a time. */
    private void requestData(ScsiTask task) {
        SessionParameters p = connection.parameters();
        while (task.bursts.size() < p.maxOutstandingR2T() && task.nextR2tOffset < task.expectedLength) {
            int length = Math.min(p.maxBurstLength(), task.expectedLength - task.nextR2tOffset);
            int ttt = nextTargetTransferTag();
            task.bursts.put(ttt, new ScsiTask.Burst(ttt, task.nextR2tOffset, length));
            connection.send(new ReadyToTransfer(
                    task.lunField,
                    task.itt,
                    ttt,
                    connection.currentStatSN(),
                    connection.expCmdSN(),
                    connection.maxCmdSN(),
                    task.r2tSN++,
                    task.nextR2tOffset,
                    length));
            task.nextR2tOffset += length;
        }
    }

    private int nextTargetTransferTag() {
        int ttt = nextTtt++;
        if (nextTtt == Bhs.NO_TAG) {
            nextTtt = 1;
        }
        return ttt;
    }

    private void execute(ScsiTask task) {
        task.state = ScsiTask.State.EXECUTING;
        Optional<LogicalUnit> unit = connection.logicalUnit();
        if (unit.isEmpty()) {
            completed(task, null);
            return;
        }
        ScsiCommandRequest r = task.command;
        ScsiCommand command = new ScsiCommand(
                connection.nexus(),
                LunAddress.decode(r.lun()),
                r.cdb(),
                r.read(),
                r.write(),
                r.expectedDataTransferLength(),
                r.write() ? task.dataOut() : ByteBuffer.allocate(0));
        LogicalUnit lu = unit.get();
        connection.executor().execute(() -> {
            ScsiResponse response = null;
            try {
                response = lu.execute(command);
            } catch (RuntimeException | Error e) {
                LOG.error("logical unit failed on {} for {}", r, connection.nexus(), e);
            }
            ScsiResponse done = response;
            connection.onEventLoop(() -> completed(task, done), () -> task.settled.complete(null));
        });
    }

    /** The logical unit answered (a {@code null} response: it failed, or the target is gone). */
    private void completed(ScsiTask task, ScsiResponse response) {
        task.settled.complete(null);
        if (task.state == ScsiTask.State.ABORTED) {
            return;
        }
        untrack(task);
        task.state = ScsiTask.State.DONE;
        responses.write(task, response);
        connection.flush();
    }

    /** Ends a task whose data went wrong with CHECK CONDITION and {@code sense}. */
    void fail(ScsiTask task, TransportSense sense, String reason) {
        LOG.debug("task {} fails: {}", task.itt, reason);
        untrack(task);
        task.state = ScsiTask.State.DONE;
        task.settled.complete(null);
        responses.writeCheckCondition(task, sense.bytes());
        connection.flush();
    }

    /** Ends the task of a Data-Out that had to be discarded (it cannot be resent at ERL 0). */
    void dataOutDiscarded(int itt, TransportSense sense) {
        ScsiTask task = byItt.get(itt);
        if (task != null && task.state == ScsiTask.State.RECEIVING) {
            fail(task, sense, "a Data-Out was discarded");
        }
    }

    /**
     * Aborts the tasks {@code which} selects: no response will be sent for them. The future completes once
     * every one of them that was executing has returned from the logical unit.
     */
    CompletableFuture<Void> abort(Predicate<ScsiTask> which) {
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (ScsiTask task : List.copyOf(byItt.values())) {
            if (which.test(task)) {
                untrack(task);
                if (task.state == ScsiTask.State.RECEIVING) {
                    task.settled.complete(null);
                }
                task.state = ScsiTask.State.ABORTED;
                running.add(task.settled);
            }
        }
        return CompletableFuture.allOf(running.toArray(CompletableFuture[]::new));
    }

    private void track(ScsiTask task) {
        byItt.put(task.itt, task);
        if (!task.immediate()) {
            nonImmediateInFlight++;
        }
    }

    private void untrack(ScsiTask task) {
        if (byItt.remove(task.itt, task) && !task.immediate()) {
            nonImmediateInFlight--;
        }
    }
}
