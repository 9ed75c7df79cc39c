package dev.sgw.smb.server;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import dev.sgw.core.sharing.FileProtocol;
import dev.sgw.core.sharing.FileSharing;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.smb.crypto.MessageSealer;
import dev.sgw.smb.crypto.MessageSigner;
import dev.sgw.smb.wire.NtStatus;
import dev.sgw.smb.wire.Smb2Command;
import dev.sgw.smb.wire.Smb2Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one whole message of a connection and answers it (MS-SMB2 3.3.5): an SMB1 NEGOTIATE that upgrades
 * to SMB2, an encrypted message (decrypted with its session's sealer, answered encrypted), or SMB2 requests,
 * compounded or not. For each request: credits (3.3.5.2.3), session and signature (3.3.5.2.4, 3.3.5.2.9),
 * tree, then the command; responses of a compound go back together. Runs on a request thread.
 *
 * <pre>
 * command                                  | served by
 * -----------------------------------------+----------------------------------------------
 * NEGOTIATE                                | {@link NegotiateCommand}
 * SESSION_SETUP                            | {@link SessionSetupCommand} ({@link SessionBinding})
 * LOGOFF, TREE_DISCONNECT, ECHO, CANCEL    | here
 * TREE_CONNECT                             | {@link TreeConnectCommand}
 * IOCTL FSCTL_VALIDATE_NEGOTIATE_INFO      | {@link ValidateNegotiate}
 * IOCTL FSCTL_QUERY_NETWORK_INTERFACE_INFO | {@link NetworkInterfaces}
 * every other command in a tree            | the tree's {@link TreeCommands}
 * </pre>
 *
 * A session is found on the request's connection (set up or bound there, 3.3.5.2.9) and its signature checked
 * with the key of its channel there; a binding SESSION_SETUP finds its session in the server's {@link
 * SessionTable} instead.
 *
 * A request answered asynchronously gets an interim STATUS_PENDING response and its final response later
 * when it is the last of its message; inside a compound the dispatcher waits for it (a CREATE breaking a
 * lease), except CHANGE_NOTIFY, which may wait forever and fails with INTERNAL_ERROR as on Windows.
 *
 * <p>A message that cannot be parsed, or an abuse of the protocol, closes its connection ({@link Malformed}).
 */
final class MessageDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(MessageDispatcher.class);
    private static final int SMB1 = 0x424D53FF;
    private static final int TRANSFORM = 0x424D53FD;
    private static final byte[] NO_SIGNATURE = new byte[16];
    /** Response bodies up to this size are copied behind their header; larger ones are sent as they are. */
    private static final int COPIED_BODY_BYTES = 4096;

    /** The connection must be closed: a message that cannot be parsed, or a client abusing the protocol. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** How long a CLOSE waits for the requests sent before it on its open (beyond a lease break's wait). */
    private static final Duration CLOSE_WAITS_FOR_EARLIER = FileSharing.BREAK_TIMEOUT.plusSeconds(5);

    private final NegotiateCommand negotiate;
    private final SessionSetupCommand sessionSetup;
    private final TreeConnectCommand treeConnect;
    private final SessionTable sessions;

    MessageDispatcher(NegotiateCommand negotiate, SessionSetupCommand sessionSetup, TreeConnectCommand treeConnect) {
        this.negotiate = negotiate;
        this.sessionSetup = sessionSetup;
        this.treeConnect = treeConnect;
        this.sessions = sessionSetup.sessions();
    }

    /**
     * Answers {@code frame} (one direct-TCP message) taken in order already (on the event loop), releasing it.
     */
    void process(Connection c, ByteBuf frame) {
        process(c, frame, Arrivals.IN_ORDER);
    }

    /**
     * Answers {@code frame} (one direct-TCP message), releasing it; closes the connection when it must. Its
     * intake (decryption, registration of its requests, its CANCELs) waits for the messages that arrived before
     * it ({@code ticket}, {@link Arrivals}); then its requests run.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // closing is fire and forget
    void process(Connection c, ByteBuf frame, long ticket) {
        Taken taken = null;
        try {
            c.arrivals().awaitTurn(ticket);
            try {
                taken = take(c, frame);
            } finally {
                c.arrivals().pass(ticket);
            }
            if (taken != null) {
                compound(c, taken);
            }
        } catch (Malformed e) {
            LOG.warn("{}: {}; closing the connection", c, e.getMessage());
            c.channel().close();
        } catch (ValidateNegotiate.Mismatch e) {
            LOG.warn("{}: {}; terminating the connection", c, e.getMessage());
            c.channel().close();
        } catch (RuntimeException e) {
            LOG.warn("{}: failed to answer a message; closing the connection", c, e);
            c.channel().close();
        } finally {
            frame.release();
            if (taken != null && taken.sealedBy() != null) {
                taken.plain().release(); // decrypted into a buffer of its own
            }
        }
    }

    /** A message taken in: its SMB2 requests (decrypted), the session that decrypted them, their registrations. */
    private record Taken(ByteBuf plain, Session sealedBy, List<RequestsInProgress.Entry> requests) {}

    /** The intake of {@code frame}; null when it was answered already (SMB1). */
    private Taken take(Connection c, ByteBuf frame) throws Malformed {
        if (frame.readableBytes() < 4) {
            throw new Malformed("message of " + frame.readableBytes() + " bytes");
        }
        int protocol = frame.getIntLE(frame.readerIndex());
        return switch (protocol) {
            case SMB1 -> {
                smb1(c, frame);
                yield null;
            }
            case TRANSFORM -> encrypted(c, frame);
            case Smb2Header.PROTOCOL_ID -> new Taken(frame, null, Intake.admit(c, frame));
            default -> throw new Malformed(String.format("protocol id %08x", protocol));
        };
    }

    private void smb1(Connection c, ByteBuf frame) throws Malformed {
        int dialect = NegotiateCommand.smb1Upgrade(frame);
        if (c.negotiated().dialect() != 0 || dialect == 0) {
            throw new Malformed("SMB1 message (command " + frame.getUnsignedByte(frame.readerIndex() + 4)
                    + ") after negotiation or without an SMB2 dialect");
        }
        c.credits().take(0, 1);
        NegotiateCommand.Result result = negotiate.upgrade(dialect);
        c.negotiated(result.negotiated());
        ByteBuf out = Unpooled.buffer();
        new Smb2Header(0, 0, 0, c.credits().grant(1), Smb2Header.FLAGS_SERVER_TO_REDIR, 0, 0, 0, 0, 0, NO_SIGNATURE)
                .encode(out);
        out.writeBytes(result.body());
        result.body().release();
        Outgoing.send(c, List.of(new Outgoing(out, null)), null);
    }

    private static Taken encrypted(Connection c, ByteBuf frame) throws Malformed {
        if (frame.readableBytes() < 52 + Smb2Header.SIZE) {
            throw new Malformed("transform message of " + frame.readableBytes() + " bytes");
        }
        long sid = MessageSealer.sessionIdOf(frame);
        Session s = c.session(sid);
        if (s == null || s.sealer() == null) {
            throw new Malformed("encrypted message for session " + Long.toHexString(sid) + " that cannot decrypt");
        }
        ByteBuf plain;
        try {
            plain = s.sealer().unseal(frame);
        } catch (SecurityException e) {
            throw new Malformed("encrypted message does not decrypt: " + e.getMessage());
        }
        if (plain.readableBytes() < Smb2Header.SIZE || plain.getIntLE(plain.readerIndex()) != Smb2Header.PROTOCOL_ID) {
            plain.release();
            throw new Malformed("decrypted message is not SMB2");
        }
        return new Taken(plain, s, Intake.admit(c, plain));
    }

    /** The requests of one message, chained by NextCommand, answered together. */
    private void compound(Connection c, Taken taken) throws Malformed {
        try {
            compound(c, taken.plain(), taken.sealedBy(), taken.requests());
        } finally {
            taken.requests().stream().filter(e -> e != null).forEach(c.requests()::settle);
        }
    }

    private void compound(Connection c, ByteBuf frame, Session sealedBy, List<RequestsInProgress.Entry> admitted)
            throws Malformed {
        List<Outgoing> out = new ArrayList<>();
        List<Runnable> afterSend = new ArrayList<>();
        Request.Compound compound = new Request.Compound();
        int base = frame.readerIndex();
        int total = frame.readableBytes();
        int offset = 0;
        int index = 0;
        boolean first = true;
        while (true) {
            if (total - offset < Smb2Header.SIZE) {
                throw new Malformed("compounded request at " + offset + " shorter than a header");
            }
            Smb2Header header;
            try {
                header = Smb2Header.decode(frame.slice(base + offset, Smb2Header.SIZE));
            } catch (IllegalArgumentException e) {
                throw new Malformed(e.getMessage());
            }
            int next = header.nextCommand();
            if (next != 0
                    && (next % 8 != 0 || next < Smb2Header.SIZE || (long) offset + next + Smb2Header.SIZE > total)) {
                throw new Malformed("NextCommand " + next + " at " + offset + " of a " + total + "-byte message");
            }
            if ((header.flags() & Smb2Header.FLAGS_SERVER_TO_REDIR) != 0) {
                throw new Malformed("a response sent to the server");
            }
            if (!first && !header.isRelated()) {
                compound.file = null;
                compound.createFailed = false;
                compound.failedCreate = 0;
            }
            int length = next == 0 ? total - offset : next;
            ByteBuf message = frame.slice(base + offset, length);
            message.readerIndex(Smb2Header.SIZE);
            RequestsInProgress.Entry entry = index < admitted.size() ? admitted.get(index) : null;
            index++;
            Answer answer;
            try {
                answer = one(c, header, message, compound, sealedBy, next == 0, first, entry);
            } finally {
                if (entry != null) {
                    c.requests().settle(entry);
                }
            }
            if (answer != null) {
                out.add(answer.out());
                if (answer.afterSend() != null) {
                    afterSend.add(answer.afterSend());
                }
            }
            if (next == 0) {
                break;
            }
            offset += next;
            first = false;
        }
        if (!out.isEmpty()) {
            Outgoing.send(c, out, sealedBy);
        }
        afterSend.forEach(Runnable::run);
    }

    /** A response to send, and what to do once it is sent (the final response of an async request). */
    private record Answer(Outgoing out, Runnable afterSend) {}

    /**
     * What {@link #one} worked out about a request before running its command.
     *
     * @param errorSigner signs the answer to a signed request when it is an error or a SESSION_SETUP step: the
     *     key that verified the request, or the key of the session it names on another connection
     */
    private record Checked(Session session, Tree tree, int refusal, MessageSigner errorSigner) {
        Checked(Session session, Tree tree, int refusal) {
            this(session, tree, refusal, null);
        }
    }

    private Answer one(
            Connection c,
            Smb2Header header,
            ByteBuf message,
            Request.Compound compound,
            Session sealedBy,
            boolean last,
            boolean first,
            RequestsInProgress.Entry entry)
            throws Malformed {
        Smb2Command command = Smb2Command.of(header.command());
        if (command == Smb2Command.CANCEL) {
            return null; // cancelled what it names at its intake (Intake); never answered itself
        }
        Negotiated n = c.negotiated();
        int charge = n.largeMtu() ? Math.max(1, header.creditCharge()) : 1;
        if (!c.credits().take(header.messageId(), charge)) {
            if (c.creditAbused()) {
                throw new Malformed("message ids outside the credit window, again (" + header.messageId() + ")");
            }
            LOG.debug("{}: message id {} (charge {}) outside the credit window", c, header.messageId(), charge);
            return answer(c, header, 0, null, SmbResponse.error(NtStatus.INVALID_PARAMETER), null, sealedBy, null);
        }
        if (command == Smb2Command.NEGOTIATE) {
            return negotiate(c, header, message);
        }
        if (!n.done()) {
            throw new Malformed("command " + header.command() + " before NEGOTIATE");
        }
        long sid = header.isRelated() && !first ? compound.sessionId : header.sessionId();
        int tid = header.isRelated() && !first ? compound.treeId : header.treeId();
        Checked checked = check(c, command, header, message, sid, tid, sealedBy);
        Request r = new Request(header, message, c, checked.session(), checked.tree(), compound, sealedBy != null);
        r.errorSigner = checked.errorSigner();
        if (!first && header.isRelated()) {
            r.responseSessionId = sid;
            r.responseTreeId = tid;
        }
        SmbResponse response;
        boolean related = header.isRelated() && !first;
        if (first && header.isRelated()) {
            response = SmbResponse.error(NtStatus.INVALID_PARAMETER); // the first request cannot be related
            compound.failedCreate = NtStatus.INVALID_PARAMETER; // nor the ones related to it
        } else if (related && compound.sessionInvalid) {
            response = SmbResponse.error(NtStatus.INVALID_PARAMETER);
        } else if (checked.refusal() != 0) {
            response = SmbResponse.error(checked.refusal());
        } else if (related && compound.failedCreate != 0) {
            response = SmbResponse.error(compound.failedCreate);
        } else {
            if (command == Smb2Command.CLOSE && entry != null) {
                awaitEarlier(c, entry);
            }
            response = run(command, r);
        }
        if (response.isAsync()) {
            if (!last && command == Smb2Command.CHANGE_NOTIFY) {
                // may wait forever: failed like Windows does (MS-SMB2 <159>, smbtorture smb2.compound.interim2)
                response.later().cancel(false);
                response = SmbResponse.error(NtStatus.INTERNAL_ERROR);
            } else if (!last) {
                response = await(response);
            } else {
                return async(c, header, r, response, sealedBy);
            }
        }
        if (command == Smb2Command.CREATE && isError(response.status())) {
            compound.failedCreate = response.status();
            compound.createFailed = true;
        }
        compound.sessionInvalid = checked.refusal() == NtStatus.USER_SESSION_DELETED;
        compound.sessionId = r.responseSessionId;
        compound.treeId = r.responseTreeId;
        return answer(c, header, c.credits().grant(header.credits()), r, response, null, sealedBy, checked.session());
    }

    /** Session, signature, encryption and tree checks; a refusal status when they fail. */
    private Checked check(
            Connection c,
            Smb2Command command,
            Smb2Header header,
            ByteBuf message,
            long sid,
            int tid,
            Session sealedBy) {
        if (command == null) {
            return new Checked(null, null, NtStatus.INVALID_PARAMETER);
        }
        if (command == Smb2Command.SESSION_SETUP) {
            return checkSetup(c, header, message, sid, sealedBy);
        }
        Session s = sid == 0 ? null : c.session(sid);
        if (command == Smb2Command.ECHO) {
            return new Checked(s != null && s.valid() ? s : null, null, 0);
        }
        if (s == null || !s.valid()) {
            return sessionDeleted(header, sid);
        }
        if (sealedBy == null) {
            MessageSigner signer = s.signerOn(c);
            if (signer != null && header.isSigned() && !signer.verify(message, 0, message.writerIndex())) {
                LOG.warn("{}: bad signature on {} of session {}", c, command, Long.toHexString(sid));
                return new Checked(null, null, NtStatus.ACCESS_DENIED);
            }
            if (signer != null && !header.isSigned() && s.signingRequired()) {
                return new Checked(null, null, NtStatus.ACCESS_DENIED);
            }
            if (s.encryptData()) {
                return new Checked(null, null, NtStatus.ACCESS_DENIED);
            }
        }
        if (command == Smb2Command.LOGOFF || command == Smb2Command.TREE_CONNECT) {
            return new Checked(s, null, 0);
        }
        Tree t = s.tree(tid);
        if (t == null) {
            return new Checked(s, null, NtStatus.NETWORK_NAME_DELETED);
        }
        if (sealedBy == null && t.encryptData()) { // 3.3.5.2.11: the share must be reached encrypted
            LOG.warn(
                    "{}: plaintext {} on tree {} of share {}, which must be encrypted", c, command, tid, t.shareName());
            return new Checked(s, t, NtStatus.ACCESS_DENIED);
        }
        int needed = CreditCharges.needed(command, message);
        int charge = Math.max(1, header.creditCharge());
        if (c.negotiated().largeMtu() && charge < needed) {
            return new Checked(s, t, NtStatus.INVALID_PARAMETER);
        }
        return new Checked(s, t, 0);
    }

    /**
     * SESSION_SETUP's session and signature checks (MS-SMB2 3.3.5.2.4, 3.3.5.5): a binding request names a
     * session of any connection (the {@link SessionTable}), any other a session of this connection. A signed
     * request is verified with the key of the session's channel on this connection, else the session's own
     * key (a binding); one that only the session's own key verifies while the session is bound here is
     * refused (the client lost the channel's key). Refusals of signed requests go back signed with the key
     * that verified them, or the named session's key, as clients expect (Samba bug 14512).
     */
    private Checked checkSetup(Connection c, Smb2Header header, ByteBuf message, long sid, Session sealedBy) {
        if (sid == 0) {
            return new Checked(null, null, 0);
        }
        boolean binding = SessionSetupCommand.asksBinding(message);
        Session s = binding ? sessions.find(sid) : c.session(sid);
        if (s == null || s.state() == Session.State.ENDED) {
            return sessionDeleted(header, sid);
        }
        if (sealedBy != null) {
            return new Checked(s, null, 0);
        }
        MessageSigner here = s.signerOn(c);
        if (!header.isSigned()) {
            boolean mustProtect = !binding && here != null && s.valid() && (s.signingRequired() || s.encryptData());
            return new Checked(s, null, mustProtect ? NtStatus.ACCESS_DENIED : 0);
        }
        if (here == null || here.verify(message, 0, message.writerIndex())) {
            return new Checked(s, null, 0, here);
        }
        MessageSigner own = s.signer();
        if (own != here && own.verify(message, 0, message.writerIndex())) {
            return new Checked(s, null, NtStatus.ACCESS_DENIED, own);
        }
        LOG.warn("{}: bad signature on SESSION_SETUP of session {}", c, Long.toHexString(sid));
        return new Checked(s, null, NtStatus.ACCESS_DENIED, null);
    }

    /**
     * USER_SESSION_DELETED for a request naming no session of this connection. Clients skip the signature of
     * that answer but want it marked signed when they signed the request (smbtorture smb2.session.bind2):
     * it is signed with the key of the session when it lives on another connection, else only marked.
     */
    private Checked sessionDeleted(Smb2Header header, long sid) {
        Session elsewhere = header.isSigned() && sid != 0 ? sessions.find(sid) : null;
        return new Checked(null, null, NtStatus.USER_SESSION_DELETED, elsewhere == null ? null : elsewhere.signer());
    }

    private Answer negotiate(Connection c, Smb2Header header, ByteBuf message) throws Malformed {
        if (c.negotiated().done()) {
            throw new Malformed("a second NEGOTIATE");
        }
        NegotiateCommand.Result result;
        try {
            result = negotiate.negotiate(message);
        } catch (SmbException e) {
            LOG.info("{}: NEGOTIATE refused: {}", c, e.getMessage());
            return answer(
                    c,
                    header,
                    c.credits().grant(header.credits()),
                    null,
                    SmbResponse.error(e.status()),
                    null,
                    null,
                    null);
        }
        Negotiated n = result.negotiated();
        c.negotiated(n);
        Request r = new Request(header, message, c, null, null, new Request.Compound(), false);
        if (n.preauth() != null) {
            byte[] request = r.bytes();
            r.afterEncode = response -> c.negotiated(
                    n.withPreauth(n.preauth().update(request).update(io.netty.buffer.ByteBufUtil.getBytes(response))));
        }
        return answer(
                c, header, c.credits().grant(header.credits()), r, SmbResponse.of(result.body()), null, null, null);
    }

    /** Runs {@code command}, turning every failure into an error response. */
    private SmbResponse run(Smb2Command command, Request r) {
        try {
            return switch (command) {
                case SESSION_SETUP -> sessionSetup.handle(r);
                case LOGOFF -> logoff(r);
                case TREE_CONNECT -> treeConnect.handle(r);
                case TREE_DISCONNECT -> treeDisconnect(r);
                case ECHO -> SmbResponse.of(Unpooled.buffer(4).writeShortLE(4).writeShortLE(0));
                case IOCTL -> ioctl(r);
                default -> r.tree().commands().handle(command, r);
            };
        } catch (SmbException e) {
            LOG.debug("{}: {} failed: {}", r.connection(), command, e.getMessage());
            return SmbResponse.error(e.status());
        } catch (VolumeException e) {
            LOG.debug("{}: {} failed: {}", r.connection(), command, e.getMessage());
            return SmbResponse.error(StatusMapping.of(e));
        } catch (IOException e) {
            LOG.warn("{}: {} failed", r.connection(), command, e);
            return SmbResponse.error(NtStatus.UNEXPECTED_IO_ERROR);
        } catch (ValidateNegotiate.Mismatch e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("{}: {} failed", r.connection(), command, e);
            return SmbResponse.error(NtStatus.INTERNAL_ERROR);
        }
    }

    /** IOCTL: the server's own FSCTLs here, the rest by the tree's commands. */
    private static SmbResponse ioctl(Request r) throws SmbException, IOException {
        if (ValidateNegotiate.asks(r.message())) {
            return ValidateNegotiate.answer(r);
        }
        if (NetworkInterfaces.asks(r.message())) {
            return NetworkInterfaces.answer(r);
        }
        return r.tree().commands().handle(Smb2Command.IOCTL, r);
    }

    /**
     * LOGOFF (3.3.5.6): ends the session on every channel, its trees and opens with it, but durable opens,
     * which outlive a LOGOFF (smbtorture durable-open.reopen4).
     */
    private SmbResponse logoff(Request r) {
        sessions.end(r.session(), true);
        return SmbResponse.of(Unpooled.buffer(4).writeShortLE(4).writeShortLE(0));
    }

    private static SmbResponse treeDisconnect(Request r) {
        Tree t = r.session().remove(r.tree().id());
        if (t != null) {
            t.commands().treeGone(t, false);
        }
        return SmbResponse.of(Unpooled.buffer(4).writeShortLE(4).writeShortLE(0));
    }

    /**
     * A CLOSE first waits for the requests sent before it on its open to be answered (or to go async: the close
     * answers those), as Windows and Samba process a handle's requests in arrival order; other opens go on.
     */
    private static void awaitEarlier(Connection c, RequestsInProgress.Entry close) {
        try {
            if (!c.requests().awaitEarlier(close, CLOSE_WAITS_FOR_EARLIER)) {
                LOG.info(
                        "{}: a CLOSE waited {} for earlier requests on its open; closing anyway",
                        c,
                        CLOSE_WAITS_FOR_EARLIER);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The interim STATUS_PENDING response now, the final one when the handler's future completes. */
    @SuppressWarnings("FutureReturnValueIgnored") // the final response is sent by the callback itself
    private Answer async(Connection c, Smb2Header header, Request r, SmbResponse response, Session sealedBy) {
        RequestsInProgress.Pending p = c.pending(header.messageId(), response.later());
        Session signing = r.session();
        Outgoing interim = encode(
                header,
                c.credits().grant(header.credits()),
                NtStatus.PENDING,
                errorBody(),
                Smb2Header.FLAGS_ASYNC_COMMAND,
                p.asyncId(),
                r,
                null); // the server SHOULD NOT sign an interim response (MS-SMB2 3.3.4.2)
        Runnable afterSend = () -> response.later().whenComplete((done, failure) -> {
            c.done(p);
            SmbResponse fin = failure == null ? done : failed(failure);
            Smb2Command command = Smb2Command.of(header.command());
            Outgoing out = encode(
                    header,
                    0,
                    fin.status(),
                    fin.body() == null ? errorBody() : fin.body(),
                    Smb2Header.FLAGS_ASYNC_COMMAND,
                    p.asyncId(),
                    r,
                    signerFor(c, header, command, fin.status(), r, sealedBy, signing));
            if (c.channel().isActive()) {
                Outgoing.send(c, List.of(out), sealedBy);
            } else {
                out.message().release();
            }
        });
        return new Answer(interim, afterSend);
    }

    /** Waits for an async answer in the middle of a compound. */
    private static SmbResponse await(SmbResponse response) {
        try {
            return response.later().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.later().cancel(false);
            return SmbResponse.error(NtStatus.CANCELLED);
        } catch (ExecutionException | CancellationException e) {
            return failed(e);
        }
    }

    /** The response of a future that failed. */
    private static SmbResponse failed(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof CancellationException) {
            return SmbResponse.error(NtStatus.CANCELLED);
        }
        if (t instanceof SmbException e) {
            return SmbResponse.error(e.status());
        }
        if (t instanceof VolumeException e) {
            return SmbResponse.error(StatusMapping.of(e));
        }
        LOG.warn("an asynchronous SMB request failed", t);
        return SmbResponse.error(NtStatus.INTERNAL_ERROR);
    }

    private Answer answer(
            Connection c,
            Smb2Header header,
            int credits,
            Request r,
            SmbResponse response,
            Runnable afterSend,
            Session sealedBy,
            Session session) {
        ByteBuf body = response.body() == null ? errorBody() : response.body();
        Smb2Command command = Smb2Command.of(header.command());
        MessageSigner signer =
                r == null ? null : signerFor(c, header, command, response.status(), r, sealedBy, session);
        boolean markSigned = signer == null
                && sealedBy == null
                && header.isSigned()
                && response.status() == NtStatus.USER_SESSION_DELETED;
        int flags = markSigned ? Smb2Header.FLAGS_SIGNED : 0;
        return new Answer(encode(header, credits, response.status(), body, flags, 0, r, signer), afterSend);
    }

    /**
     * Who signs a response (3.3.4.1.1), with the key of the session's channel on this connection: nobody when
     * it goes encrypted; the final SESSION_SETUP success of a 3.x session (or of a session that must sign);
     * any other SESSION_SETUP response, and USER_SESSION_DELETED, to a signed request with {@link
     * Request#errorSigner}; any response to a signed request or of a session that must sign.
     */
    private MessageSigner signerFor(
            Connection c, Smb2Header header, Smb2Command command, int status, Request r, Session sealedBy, Session s) {
        if (sealedBy != null) {
            return null;
        }
        if (status == NtStatus.USER_SESSION_DELETED || (command == Smb2Command.SESSION_SETUP && status != 0)) {
            return header.isSigned() ? r.errorSigner : null;
        }
        if (command == Smb2Command.SESSION_SETUP) {
            Session setUp = r.session() != null ? r.session() : sessions.find(r.responseSessionId);
            MessageSigner signer = setUp == null ? null : setUp.signerOn(c);
            boolean sign = signer != null && (c.negotiated().smb3() || setUp.signingRequired() || header.isSigned());
            return sign ? signer : null;
        }
        MessageSigner signer = s == null ? null : s.signerOn(c);
        if (signer == null) {
            return null;
        }
        return header.isSigned() || s.signingRequired() ? signer : null;
    }

    private static Outgoing encode(
            Smb2Header request,
            int credits,
            int status,
            ByteBuf body,
            int extraFlags,
            long asyncId,
            Request r,
            MessageSigner signer) {
        int flags = Smb2Header.FLAGS_SERVER_TO_REDIR
                | extraFlags
                | (request.flags() & (Smb2Header.FLAGS_RELATED_OPERATIONS | Smb2Header.FLAGS_PRIORITY_MASK));
        long sessionId = r == null ? request.sessionId() : r.responseSessionId;
        int treeId = r == null ? request.treeId() : r.responseTreeId;
        boolean composed = body.readableBytes() > COPIED_BODY_BYTES;
        ByteBuf out = composed ? headerFor(body) : Unpooled.buffer(Smb2Header.SIZE + body.readableBytes() + 8);
        new Smb2Header(
                        request.creditCharge(),
                        status,
                        request.command(),
                        credits,
                        flags,
                        0,
                        request.messageId(),
                        asyncId,
                        treeId,
                        sessionId,
                        NO_SIGNATURE)
                .encode(out);
        if (composed) {
            out = Unpooled.compositeBuffer(2).addComponents(true, out, body);
        } else {
            out.writeBytes(body);
            body.release();
        }
        return new Outgoing(out, signer, r != null && extraFlags == 0 ? r.afterEncode : null);
    }

    /**
     * A buffer for the header of a response whose large body is sent behind it without being copied: direct
     * when the body is, so that the message reaches the socket as it is.
     */
    private static ByteBuf headerFor(ByteBuf body) {
        return body.isDirect() ? body.alloc().directBuffer(Smb2Header.SIZE) : Unpooled.buffer(Smb2Header.SIZE);
    }

    /** The SMB2 ERROR response body (2.2.2): StructureSize 9, no error data. */
    static ByteBuf errorBody() {
        return Unpooled.buffer(9)
                .writeShortLE(9)
                .writeByte(0)
                .writeByte(0)
                .writeIntLE(0)
                .writeByte(0);
    }

    static boolean isError(int status) {
        return (status >>> 30) == 3;
    }

    /**
     * The connection is gone: cancels its pending requests and drops its channels. A session with no channel
     * left ends (its trees end, their opens closed, durable ones kept by the tree commands); one still bound
     * to another connection goes on there. What the sharing seam still holds for the connection is released,
     * unless a session bound to it goes on (the opens it made here stay in that session's trees).
     */
    void connectionGone(Connection c) {
        c.cancelPending();
        Set<FileSharing> sharings = new LinkedHashSet<>();
        boolean survivors = false;
        for (Session s : c.allSessions()) {
            Session.Channel ch = s.channel(c);
            boolean wasBound = ch != null && ch.bound();
            c.remove(s);
            if (s.drop(c)) {
                for (Tree t : sessions.end(s, true)) {
                    if (t.sharing() != null) {
                        sharings.add(t.sharing());
                    }
                }
            } else if (wasBound) {
                survivors = true;
                LOG.debug("{}: session {} goes on on its other channels", c, Long.toHexString(s.id()));
            }
        }
        if (survivors) {
            return;
        }
        for (FileSharing sharing : sharings) {
            sharing.release(FileProtocol.SMB, c.id());
        }
    }
}
