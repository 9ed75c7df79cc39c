package dev.sgw.iscsi.session;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.sgw.iscsi.login.KeyValueText;
import dev.sgw.iscsi.login.LoginNegotiation;
import dev.sgw.iscsi.login.LoginStatus;
import dev.sgw.iscsi.login.LoginStep;
import dev.sgw.iscsi.login.SessionParameters;
import dev.sgw.iscsi.pdu.AsyncMessage;
import dev.sgw.iscsi.pdu.Bhs;
import dev.sgw.iscsi.pdu.DataOut;
import dev.sgw.iscsi.pdu.FrameDecoder;
import dev.sgw.iscsi.pdu.FrameEncoder;
import dev.sgw.iscsi.pdu.InvalidPdu;
import dev.sgw.iscsi.pdu.IscsiPdu;
import dev.sgw.iscsi.pdu.LoginRequest;
import dev.sgw.iscsi.pdu.LoginResponse;
import dev.sgw.iscsi.pdu.LogoutRequest;
import dev.sgw.iscsi.pdu.LogoutResponse;
import dev.sgw.iscsi.pdu.NopIn;
import dev.sgw.iscsi.pdu.NopOut;
import dev.sgw.iscsi.pdu.Opcode;
import dev.sgw.iscsi.pdu.Reject;
import dev.sgw.iscsi.pdu.ScsiCommandRequest;
import dev.sgw.iscsi.pdu.SnackRequest;
import dev.sgw.iscsi.pdu.TaskManagementRequest;
import dev.sgw.iscsi.pdu.TextRequest;
import dev.sgw.iscsi.scsi.ItNexus;
import dev.sgw.iscsi.scsi.LogicalUnit;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One iSCSI connection (and its session: sgw negotiates MaxConnections=1), the handler at the end of the
 * pipeline that receives typed PDUs. It runs the login, then dispatches full feature phase PDUs: SCSI
 * commands and Data-Out to {@link TaskSet}, task management to {@link TaskManagement}, text to
 * {@link TextExchange}; it answers NOP-Out, Logout and invalid PDUs itself, pings an idle initiator and
 * closes a dead connection. All its state is confined to the channel's event loop.
 *
 * <pre>
 * phase         on                                         next
 * LOGIN         Login Requests ({@link LoginNegotiation});    FULL_FEATURE when admitted; CLOSED on failure,
 *               any other PDU: status 0x020b, close          timeout ({@link TargetSettings#loginTimeout})
 * FULL_FEATURE  commands, data, NOP, TMF, text, logout        LOGGING_OUT on Logout or when closed from elsewhere
 * LOGGING_OUT   (tasks aborted; the response is flushed)     CLOSED
 * CLOSED        channel inactive: tasks aborted, session     -
 *               forgotten, LogicalUnit.nexusLost once the
 *               aborted executions returned
 * </pre>
 */
public final class IscsiConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(IscsiConnection.class);

    enum Phase {
        LOGIN,
        FULL_FEATURE,
        LOGGING_OUT,
        CLOSED
    }

    private final TargetPortal portal;
    private final SessionTable sessions;
    private final TargetSettings settings;
    private final Executor executor;
    private final FrameDecoder frameDecoder;
    private final FrameEncoder frameEncoder;
    private final LoginNegotiation login;
    private final CommandWindow window;
    private final TaskSet tasks;
    private final TaskManagement taskManagement;
    private final TextExchange text;
    private final Set<LogicalUnit> unitsUsed = Collections.newSetFromMap(new IdentityHashMap<>());
    private ChannelHandlerContext ctx;
    private Phase phase = Phase.LOGIN;
    private boolean firstLogin = true;
    private IscsiSession session;
    private SessionParameters parameters;
    private boolean pingOutstanding;
    private int nextPingTag = 1;
    private ScheduledFuture<?> loginTimer;

    /**
     * @param executor runs logical unit calls (virtual threads); never the event loop
     */
    public IscsiConnection(
            TargetPortal portal,
            SessionTable sessions,
            TargetSettings settings,
            Executor executor,
            SecureRandom random,
            FrameDecoder frameDecoder,
            FrameEncoder frameEncoder) {
        this.portal = portal;
        this.sessions = sessions;
        this.settings = settings;
        this.executor = executor;
        this.frameDecoder = frameDecoder;
        this.frameEncoder = frameEncoder;
        this.login = new LoginNegotiation(portal, settings.limits(), random);
        this.window = new CommandWindow(settings.commandWindow(), random.nextInt());
        this.tasks = new TaskSet(this);
        this.taskManagement = new TaskManagement(this, tasks);
        this.text = new TextExchange(this);
    }

    // ---- channel events ----------------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        loginTimer = context.executor()
                .schedule(
                        () -> {
                            if (phase == Phase.LOGIN) {
                                close("login not completed within " + settings.loginTimeout());
                            }
                        },
                        settings.loginTimeout().toMillis(),
                        TimeUnit.MILLISECONDS);
        context.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        pingOutstanding = false;
        switch (phase) {
            case LOGIN -> loginPhase(msg);
            case FULL_FEATURE -> fullFeaturePhase(msg);
            case LOGGING_OUT, CLOSED -> LOG.debug("ignoring {} while {}", msg, phase);
        }
    }

    // fire and forget: the event loop acts on the channel's state, nothing waits on these futures
    @SuppressWarnings("FutureReturnValueIgnored")
    @Override
    public void channelInactive(ChannelHandlerContext context) {
        Phase was = phase;
        phase = Phase.CLOSED;
        if (loginTimer != null) {
            loginTimer.cancel(false);
        }
        if (session != null) {
            sessions.remove(session);
            LOG.info(
                    "iSCSI session {} of {} ended ({})",
                    session.tsih(),
                    session.identity().initiatorName(),
                    was == Phase.LOGGING_OUT ? "logged out" : "connection lost");
            if (!session.discovery()) {
                ItNexus nexus = session.nexus();
                portal.logicalUnit(nexus.targetName()).ifPresent(unitsUsed::add);
                List<LogicalUnit> units = List.copyOf(unitsUsed);
                tasks.abort(t -> true)
                        .whenComplete((v, e) -> runOnExecutor(() -> units.forEach(lu -> lu.nexusLost(nexus))));
                return;
            }
        }
        tasks.abort(t -> true);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (!(event instanceof IdleStateEvent) || phase != Phase.FULL_FEATURE) {
            context.fireUserEventTriggered(event);
            return;
        }
        if (pingOutstanding) {
            close("no answer to a NOP-In within " + settings.nopInterval());
            return;
        }
        pingOutstanding = true;
        int tag = nextPingTag++;
        if (nextPingTag == Bhs.NO_TAG) {
            nextPingTag = 1;
        }
        send(new NopIn(0, Bhs.NO_TAG, tag, window.currentStatSN(), expCmdSN(), maxCmdSN(), new byte[0]));
        flush();
    }

    // fire and forget: the event loop acts on the channel's state, nothing waits on these futures
    @SuppressWarnings("FutureReturnValueIgnored")
    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (cause instanceof java.io.IOException) {
            LOG.debug("iSCSI connection {}: {}", context.channel().remoteAddress(), cause.toString());
        } else {
            LOG.warn("iSCSI connection {} failed", context.channel().remoteAddress(), cause);
        }
        context.close();
    }

    // ---- login -------------------------------------------------------------------------------------

    private void loginPhase(Object msg) {
        if (msg instanceof LoginRequest request) {
            login(request);
        } else if (msg instanceof InvalidPdu invalid) {
            refuseLogin(invalid.header(), LoginStatus.INITIATOR_ERROR, invalid.detail());
        } else if (msg instanceof IscsiPdu pdu) {
            refuseLogin(pdu.toFrame().header(), LoginStatus.INVALID_DURING_LOGIN, pdu.opcode() + " during login");
        }
    }

    private void login(LoginRequest request) {
        if (firstLogin) {
            firstLogin = false;
            window.start(request.cmdSN());
        }
        LoginStep step = login.process(request);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} -> {} {}", request, step.getClass().getSimpleName(), step.reply());
        }
        switch (step) {
            case LoginStep.Negotiating n -> {
                sendLoginResponse(request, n.reply(), request.tsih());
                flush();
            }
            case LoginStep.Failed f -> {
                LOG.info(
                        "iSCSI login from {} refused ({}): {}",
                        ctx.channel().remoteAddress(),
                        String.format("0x%04x", f.reply().status().code()),
                        f.reason());
                sendLoginResponse(request, f.reply(), request.tsih());
                closeAfterFlush();
            }
            case LoginStep.Completed c -> complete(request, c);
        }
    }

    private void complete(LoginRequest request, LoginStep.Completed step) {
        SessionTable.Admission admission = sessions.admit(
                step.identity(), step.parameters(), settings.limits().portalGroupTag(), this);
        if (admission instanceof SessionTable.Admission.Refused refused) {
            LOG.info(
                    "iSCSI login of {} refused ({}): {}",
                    step.identity().initiatorName(),
                    String.format("0x%04x", refused.status().code()),
                    refused.reason());
            LoginStep.Reply r = step.reply();
            sendLoginResponse(
                    request, new LoginStep.Reply(false, r.csg(), 0, refused.status(), List.of()), request.tsih());
            closeAfterFlush();
            return;
        }
        session = ((SessionTable.Admission.Admitted) admission).session();
        parameters = step.parameters();
        sendLoginResponse(request, step.reply(), session.tsih());
        flush();
        frameEncoder.useDigests(parameters.headerDigest(), parameters.dataDigest());
        frameDecoder.useDigests(parameters.headerDigest(), parameters.dataDigest());
        phase = Phase.FULL_FEATURE;
        loginTimer.cancel(false);
        LOG.info(
                "iSCSI {} session {} of {} from {}{}",
                session.discovery() ? "discovery" : "normal",
                session.tsih(),
                session.identity().initiatorName(),
                ctx.channel().remoteAddress(),
                session.discovery() ? "" : " on " + session.identity().target().name());
    }

    private void sendLoginResponse(LoginRequest request, LoginStep.Reply reply, int tsih) {
        send(new LoginResponse(
                reply.transit(),
                false,
                reply.csg(),
                reply.nsg(),
                0,
                0,
                request.isid(),
                tsih,
                request.itt(),
                window.nextStatSN(),
                expCmdSN(),
                maxCmdSN(),
                reply.status().statusClass(),
                reply.status().detail(),
                KeyValueText.encode(reply.keys())));
    }

    private void refuseLogin(Bhs header, LoginStatus status, String reason) {
        LOG.info("iSCSI login from {} refused: {}", ctx.channel().remoteAddress(), reason);
        send(new LoginResponse(
                false,
                false,
                0,
                0,
                0,
                0,
                0,
                0,
                header.itt(),
                window.nextStatSN(),
                expCmdSN(),
                maxCmdSN(),
                status.statusClass(),
                status.detail(),
                new byte[0]));
        closeAfterFlush();
    }

    // ---- full feature phase ------------------------------------------------------------------------

    private void fullFeaturePhase(Object msg) {
        switch (msg) {
            case ScsiCommandRequest c -> {
                if (admit(c.immediate(), c.cmdSN())) {
                    if (session.discovery()) {
                        rejectAndFlush(Reject.PROTOCOL_ERROR, c);
                    } else {
                        tasks.command(c);
                    }
                }
            }
            case DataOut d -> tasks.dataOut(d);
            case NopOut n -> nop(n);
            case TaskManagementRequest t -> {
                if (admit(t.immediate(), t.cmdSN())) {
                    if (session.discovery()) {
                        rejectAndFlush(Reject.PROTOCOL_ERROR, t);
                    } else {
                        taskManagement.handle(t);
                    }
                }
            }
            case TextRequest t -> {
                if (admit(t.immediate(), t.cmdSN())) {
                    text.handle(t);
                }
            }
            case LogoutRequest l -> {
                if (admit(l.immediate(), l.cmdSN())) {
                    logout(l);
                }
            }
            case SnackRequest s -> rejectAndFlush(Reject.PROTOCOL_ERROR, s);
            case LoginRequest l -> rejectAndFlush(Reject.PROTOCOL_ERROR, l);
            case InvalidPdu i -> invalid(i);
            default -> LOG.debug("ignoring {}", msg);
        }
    }

    private boolean admit(boolean immediate, int cmdSN) {
        boolean ok = window.admit(immediate, cmdSN, tasks.inFlight());
        if (!ok) {
            LOG.debug("ignoring a command with CmdSN {} outside the window [{}, {}]", cmdSN, expCmdSN(), maxCmdSN());
        }
        return ok;
    }

    private void nop(NopOut n) {
        if (!admit(n.immediate(), n.cmdSN()) || n.itt() == Bhs.NO_TAG) {
            return; // an answer to our ping, or a ping that wants no answer
        }
        byte[] data = n.data().length > parameters.initiatorMaxRecvDataSegmentLength()
                ? Arrays.copyOf(n.data(), parameters.initiatorMaxRecvDataSegmentLength())
                : n.data();
        send(new NopIn(n.lun(), n.itt(), Bhs.NO_TAG, nextStatSN(), expCmdSN(), maxCmdSN(), data));
        flush();
    }

    // fire and forget: the event loop acts on the channel's state, nothing waits on these futures
    @SuppressWarnings("FutureReturnValueIgnored")
    private void logout(LogoutRequest request) {
        int reason = request.reason();
        if (reason == LogoutRequest.REMOVE_CONNECTION_FOR_RECOVERY) {
            logoutResponse(request, LogoutResponse.RECOVERY_NOT_SUPPORTED);
        } else if (reason == LogoutRequest.CLOSE_CONNECTION
                && request.cid() != session.identity().cid()) {
            logoutResponse(request, LogoutResponse.CID_NOT_FOUND);
        } else if (reason == LogoutRequest.CLOSE_SESSION || reason == LogoutRequest.CLOSE_CONNECTION) {
            phase = Phase.LOGGING_OUT;
            tasks.abort(t -> true)
                    .whenComplete((v, e) -> onEventLoop(
                            () -> {
                                sessions.remove(
                                        session); // before the answer: the initiator may log in again the moment it has
                                // it
                                logoutResponse(request, LogoutResponse.CLOSED);
                                closeAfterFlush();
                            },
                            () -> {}));
        } else {
            rejectAndFlush(Reject.PROTOCOL_ERROR, request);
        }
    }

    private void logoutResponse(LogoutRequest request, int response) {
        send(new LogoutResponse(response, request.itt(), nextStatSN(), expCmdSN(), maxCmdSN(), 0, 0));
        flush();
    }

    private void invalid(InvalidPdu invalid) {
        Bhs h = invalid.header();
        if (invalid.problem().fatal()) {
            close(invalid.detail());
            return;
        }
        LOG.debug("invalid PDU (opcode 0x{}): {}", Integer.toHexString(invalid.opcodeCode()), invalid.detail());
        int reason = switch (invalid.problem()) {
            case DATA_DIGEST -> Reject.DATA_DIGEST_ERROR;
            case UNKNOWN_OPCODE -> Reject.COMMAND_NOT_SUPPORTED;
            case BAD_FIELD, DATA_TOO_LONG -> Reject.INVALID_PDU_FIELD;
            default -> Reject.PROTOCOL_ERROR;
        };
        boolean numbered = invalid.opcodeCode() == Opcode.SCSI_COMMAND.code()
                || invalid.opcodeCode() == Opcode.NOP_OUT.code()
                || invalid.opcodeCode() == Opcode.TEXT_REQUEST.code()
                || invalid.opcodeCode() == Opcode.LOGOUT_REQUEST.code()
                || invalid.opcodeCode() == Opcode.TASK_MANAGEMENT_REQUEST.code();
        if (numbered) {
            admit(h.immediate(), h.int32(24)); // the command is consumed, not executed
        }
        reject(reason, h.copyOfBytes());
        if (invalid.opcodeCode() == Opcode.DATA_OUT.code()) {
            tasks.dataOutDiscarded(
                    h.itt(),
                    invalid.problem() == InvalidPdu.Problem.DATA_DIGEST
                            ? TransportSense.DATA_DIGEST_ERROR
                            : TransportSense.DATA_PHASE_ERROR);
        }
        flush();
    }

    // ---- what the task, text and task management parts use ------------------------------------------

    // fire and forget: the event loop acts on the channel's state, nothing waits on these futures
    @SuppressWarnings("FutureReturnValueIgnored")
    void send(IscsiPdu pdu) {
        ctx.write(pdu);
    }

    void flush() {
        ctx.flush();
    }

    void reject(int reason, byte[] header) {
        send(new Reject(reason, nextStatSN(), expCmdSN(), maxCmdSN(), 0, header));
    }

    private void rejectAndFlush(int reason, IscsiPdu pdu) {
        reject(reason, pdu.toFrame().header().bytes());
        flush();
    }

    int nextStatSN() {
        return window.nextStatSN();
    }

    int currentStatSN() {
        return window.currentStatSN();
    }

    int expCmdSN() {
        return window.expCmdSN();
    }

    int maxCmdSN() {
        return window.maxCmdSN(tasks.inFlight());
    }

    SessionParameters parameters() {
        return parameters;
    }

    /** A Text Request declared a new MaxRecvDataSegmentLength: Data-In and text are cut to it from now on. */
    void initiatorMaxRecvDataSegmentLength(int length) {
        SessionParameters p = parameters;
        parameters = new SessionParameters(
                p.headerDigest(),
                p.dataDigest(),
                length,
                p.targetMaxRecvDataSegmentLength(),
                p.maxBurstLength(),
                p.firstBurstLength(),
                p.initialR2T(),
                p.immediateData(),
                p.maxOutstandingR2T(),
                p.defaultTime2Wait(),
                p.defaultTime2Retain(),
                p.errorRecoveryLevel());
    }

    TargetSettings settings() {
        return settings;
    }

    TargetPortal portal() {
        return portal;
    }

    IscsiSession session() {
        return session;
    }

    ItNexus nexus() {
        return session.nexus();
    }

    Executor executor() {
        return executor;
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) ctx.channel().localAddress();
    }

    /** The logical unit of this session's target, now. */
    Optional<LogicalUnit> logicalUnit() {
        Optional<LogicalUnit> unit =
                portal.logicalUnit(session.identity().target().name());
        unit.ifPresent(unitsUsed::add);
        return unit;
    }

    // the other sessions, by identity
    @SuppressWarnings("ReferenceEquality")
    List<IscsiSession> otherSessionsOnTarget() {
        return sessions.onTarget(session.identity().target().name()).stream()
                .filter(s -> s != session)
                .toList();
    }

    /** Closes every session on this session's target, this one included (after what is queued is sent). */
    void closeTargetSessions(String reason) {
        for (IscsiSession s : otherSessionsOnTarget()) {
            s.connection().closeFromElsewhere(reason, false);
        }
        phase = Phase.LOGGING_OUT;
        LOG.info("closing iSCSI session {}: {}", session.tsih(), reason);
        closeAfterFlush();
    }

    /** Runs {@code action} on this connection's event loop, or {@code ifStopped} when that loop is gone. */
    void onEventLoop(Runnable action, Runnable ifStopped) {
        try {
            ctx.executor().execute(action);
        } catch (RejectedExecutionException e) {
            ifStopped.run();
        }
    }

    private void runOnExecutor(Runnable action) {
        try {
            executor.execute(action);
        } catch (RejectedExecutionException e) {
            action.run();
        }
    }

    // ---- called from other threads -------------------------------------------------------------------

    /** Aborts every task of this connection, silently (another session cleared the task set or reset). */
    // fire and forget: the event loop acts on the channel's state, nothing waits on these futures
    @SuppressWarnings("FutureReturnValueIgnored")
    public void abortAllFromElsewhere() {
        onEventLoop(() -> tasks.abort(t -> true), () -> {});
    }

    /**
     * Closes this connection from any thread; with {@code announce}, first tells the initiator with an
     * Asynchronous Message that the target drops its connections (the volume was deleted, disabled or its
     * CHAP changed).
     */
    public void closeFromElsewhere(String reason, boolean announce) {
        onEventLoop(
                () -> {
                    if (phase == Phase.CLOSED || phase == Phase.LOGGING_OUT) {
                        return;
                    }
                    if (announce && phase == Phase.FULL_FEATURE) {
                        send(new AsyncMessage(
                                0,
                                nextStatSN(),
                                expCmdSN(),
                                maxCmdSN(),
                                AsyncMessage.DROPPING_ALL_CONNECTIONS,
                                0,
                                0,
                                parameters.defaultTime2Wait(),
                                parameters.defaultTime2Retain(),
                                new byte[0]));
                    }
                    phase = Phase.LOGGING_OUT;
                    LOG.info("closing iSCSI connection {}: {}", ctx.channel().remoteAddress(), reason);
                    closeAfterFlush();
                },
                () -> {});
    }

    // fire and forget: the event loop acts on the channel's state, nothing waits on these futures
    @SuppressWarnings("FutureReturnValueIgnored")
    private void close(String reason) {
        LOG.info("closing iSCSI connection {}: {}", ctx.channel().remoteAddress(), reason);
        ctx.close();
    }

    private void closeAfterFlush() {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
}
