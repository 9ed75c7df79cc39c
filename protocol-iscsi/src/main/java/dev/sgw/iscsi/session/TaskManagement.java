package dev.sgw.iscsi.session;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import dev.sgw.iscsi.pdu.TaskManagementRequest;
import dev.sgw.iscsi.pdu.TaskManagementResponse;
import dev.sgw.iscsi.scsi.LogicalUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static dev.sgw.iscsi.pdu.TaskManagementRequest.ABORT_TASK;
import static dev.sgw.iscsi.pdu.TaskManagementRequest.ABORT_TASK_SET;
import static dev.sgw.iscsi.pdu.TaskManagementRequest.CLEAR_ACA;
import static dev.sgw.iscsi.pdu.TaskManagementRequest.CLEAR_TASK_SET;
import static dev.sgw.iscsi.pdu.TaskManagementRequest.LOGICAL_UNIT_RESET;
import static dev.sgw.iscsi.pdu.TaskManagementRequest.TARGET_COLD_RESET;
import static dev.sgw.iscsi.pdu.TaskManagementRequest.TARGET_WARM_RESET;
import static dev.sgw.iscsi.pdu.TaskManagementRequest.TASK_REASSIGN;

/**
 * Task management functions (RFC 7143 sections 11.5 and 11.6) on a target with one logical unit (LUN 0).
 * The response is sent only once every aborted task that was executing has returned from the logical unit,
 * so that no aborted write lands after the initiator was told it is gone.
 *
 * <pre>
 * function               effect                                                     response
 * ABORT TASK             aborts the referenced task of this session (no response     complete, or task does
 *                        is sent for it)                                             not exist (already answered)
 * ABORT TASK SET         aborts this session's tasks                                complete
 * CLEAR TASK SET         aborts the tasks of every session on the target            complete
 * LOGICAL UNIT RESET     as CLEAR TASK SET, then LogicalUnit.reset                   complete
 * TARGET WARM RESET      as LOGICAL UNIT RESET (one LU per target)                  complete
 * TARGET COLD RESET      as LOGICAL UNIT RESET, then every session on the target     complete
 *                        is closed after the response
 * CLEAR ACA              (no ACA support)                                           not supported
 * TASK REASSIGN          (ErrorRecoveryLevel 0)                                     reassignment not supported
 * other                                                                             function rejected
 * </pre>
 * A LUN-addressed function for a LUN other than 0 is answered "LUN does not exist". Other sessions' tasks
 * are aborted on their own event loops without waiting.
 */
final class TaskManagement {
    private static final Logger LOG = LoggerFactory.getLogger(TaskManagement.class);

    private final IscsiConnection connection;
    private final TaskSet tasks;

    TaskManagement(IscsiConnection connection, TaskSet tasks) {
        this.connection = connection;
        this.tasks = tasks;
    }

    void handle(TaskManagementRequest request) {
        int function = request.function();
        long lun = LunAddress.decode(request.lun());
        boolean lunAddressed =
                function == ABORT_TASK_SET || function == CLEAR_TASK_SET || function == LOGICAL_UNIT_RESET;
        if (lunAddressed && lun != 0) {
            respond(request, TaskManagementResponse.LUN_DOES_NOT_EXIST);
            return;
        }
        switch (function) {
            case ABORT_TASK -> abortTask(request);
            case ABORT_TASK_SET -> whenDone(request, tasks.abort(t -> true), TaskManagementResponse.FUNCTION_COMPLETE);
            case CLEAR_TASK_SET -> {
                abortOtherSessions();
                whenDone(request, tasks.abort(t -> true), TaskManagementResponse.FUNCTION_COMPLETE);
            }
            case LOGICAL_UNIT_RESET, TARGET_WARM_RESET, TARGET_COLD_RESET -> reset(request);
            case CLEAR_ACA -> respond(request, TaskManagementResponse.FUNCTION_NOT_SUPPORTED);
            case TASK_REASSIGN -> respond(request, TaskManagementResponse.REASSIGNMENT_NOT_SUPPORTED);
            default -> respond(request, TaskManagementResponse.FUNCTION_REJECTED);
        }
    }

    private void abortTask(TaskManagementRequest request) {
        Optional<ScsiTask> task = tasks.find(request.referencedTaskTag());
        if (task.isEmpty() || task.get().lunField != request.lun()) {
            respond(request, TaskManagementResponse.TASK_DOES_NOT_EXIST);
            return;
        }
        ScsiTask t = task.get();
        whenDone(request, tasks.abort(x -> x == t), TaskManagementResponse.FUNCTION_COMPLETE);
    }

    // the response is sent from the callback; nothing waits on the future it returns
    @SuppressWarnings("FutureReturnValueIgnored")
    private void reset(TaskManagementRequest request) {
        abortOtherSessions();
        CompletableFuture<Void> aborted = tasks.abort(t -> true);
        Optional<LogicalUnit> unit = connection.logicalUnit();
        CompletableFuture<Void> done =
                aborted.thenRunAsync(() -> unit.ifPresent(lu -> lu.reset(connection.nexus())), connection.executor());
        boolean cold = request.function() == TARGET_COLD_RESET;
        done.whenComplete((v, e) -> connection.onEventLoop(
                () -> {
                    if (e != null) {
                        LOG.error("logical unit reset failed for {}", connection.nexus(), e);
                    }
                    respond(
                            request,
                            e == null
                                    ? TaskManagementResponse.FUNCTION_COMPLETE
                                    : TaskManagementResponse.FUNCTION_REJECTED);
                    if (cold) {
                        connection.closeTargetSessions("target cold reset");
                    }
                },
                () -> {}));
    }

    private void abortOtherSessions() {
        for (IscsiSession other : connection.otherSessionsOnTarget()) {
            other.connection().abortAllFromElsewhere();
        }
    }

    // the response is sent from the callback; nothing waits on the future it returns
    @SuppressWarnings("FutureReturnValueIgnored")
    private void whenDone(TaskManagementRequest request, CompletableFuture<Void> aborted, int response) {
        if (aborted.isDone()) {
            respond(request, response);
            return;
        }
        aborted.whenComplete((v, e) -> connection.onEventLoop(() -> respond(request, response), () -> {}));
    }

    private void respond(TaskManagementRequest request, int response) {
        connection.send(new TaskManagementResponse(
                response, request.itt(), connection.nextStatSN(), connection.expCmdSN(), connection.maxCmdSN()));
        connection.flush();
    }
}
