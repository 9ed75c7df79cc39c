package dev.sgw.smb.server;

import java.util.function.Supplier;

import dev.sgw.smb.auth.SecurityExchange;
import dev.sgw.smb.crypto.MessageSealer;
import dev.sgw.smb.crypto.MessageSigner;
import dev.sgw.smb.crypto.SessionKeys;
import dev.sgw.smb.wire.NtStatus;
import dev.sgw.smb.wire.Smb2Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SESSION_SETUP (MS-SMB2 2.2.5, 2.2.6, 3.3.5.5): runs a session's {@link SecurityExchange} one step per
 * request, keeps the 3.1.1 pre-authentication hash, and on success derives the session's keys, signer and
 * sealer.
 *
 * <pre>
 * request                                  | what happens
 * -----------------------------------------+------------------------------------------------------------
 * SessionId 0                              | a new session (its id from the {@link SessionTable})
 * a session of this connection, IN_PROGRESS| the next step of its authentication
 * a session of this connection, VALID      | reauthentication: any user (or anonymous) may take the session
 *                                          | over; keys, channels, trees and opens are kept; a failure ends it
 * SMB2_SESSION_FLAG_BINDING                | {@link SessionBinding}: the session bound to this connection
 * success with PreviousSessionId           | that session, when it is the same user's, ends (MS-SMB2 3.3.5.5.3):
 *                                          | the client reconnected; its durable opens are kept for reclaim
 * </pre>
 */
final class SessionSetupCommand {
    private static final Logger LOG = LoggerFactory.getLogger(SessionSetupCommand.class);
    static final int FLAG_BINDING = 0x01;
    static final int SESSION_FLAG_IS_NULL = 0x0002;
    static final int SESSION_FLAG_ENCRYPT_DATA = 0x0004;
    private static final int BODY = Smb2Header.SIZE;

    private final SmbSettings settings;
    private final Supplier<SecurityExchange> exchanges;
    private final LogonThrottle throttle;
    private final SessionTable sessions = new SessionTable();
    private final SessionBinding binding;

    SessionSetupCommand(SmbSettings settings, Supplier<SecurityExchange> exchanges, LogonThrottle throttle) {
        this.settings = settings;
        this.exchanges = exchanges;
        this.throttle = throttle;
        this.binding = new SessionBinding(sessions, exchanges, throttle);
    }

    /** The server's sessions. */
    SessionTable sessions() {
        return sessions;
    }

    /** The fields of a SESSION_SETUP request (2.2.5) the server uses. */
    @SuppressWarnings("ArrayRecordComponent") // the security buffer, read once
    record Setup(int flags, long previousSessionId, byte[] token) {
        boolean binding() {
            return (flags & FLAG_BINDING) != 0;
        }
    }

    /** Whether {@code m} (a SESSION_SETUP request from its header on) asks to bind a session. */
    static boolean asksBinding(ByteBuf m) {
        return m.writerIndex() > BODY + 2 && (m.getUnsignedByte(BODY + 2) & FLAG_BINDING) != 0;
    }

    static Setup decode(ByteBuf m) throws SmbException {
        if (m.writerIndex() < BODY + 24 || m.getUnsignedShortLE(BODY) != 25) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "SESSION_SETUP request too short");
        }
        int offset = m.getUnsignedShortLE(BODY + 12);
        int length = m.getUnsignedShortLE(BODY + 14);
        if (length > 0 && (offset < BODY + 24 || offset + length > m.writerIndex())) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "security buffer outside the request");
        }
        return new Setup(m.getUnsignedByte(BODY + 2), m.getLongLE(BODY + 16), ByteBufUtil.getBytes(m, offset, length));
    }

    SmbResponse handle(Request r) throws SmbException {
        Setup setup = decode(r.message());
        Connection c = r.connection();
        if (setup.binding()) {
            if (r.header().sessionId() == 0) {
                throw new SmbException(NtStatus.INVALID_PARAMETER, "a binding names no session");
            }
            Session s = r.session(); // found in the SessionTable by the dispatcher
            synchronized (s) {
                return binding.step(r, c, s, setup.token());
            }
        }
        Session s = session(r, c);
        synchronized (s) {
            if (s.state() == Session.State.ENDED) {
                return SmbResponse.error(NtStatus.USER_SESSION_DELETED);
            }
            return step(r, c, s, setup);
        }
    }

    private Session session(Request r, Connection c) throws SmbException {
        if (r.header().sessionId() != 0) {
            return r.session(); // the dispatcher found it on this connection
        }
        if (c.sessionCount() >= settings.maxSessions()) {
            throw new SmbException(
                    NtStatus.INSUFFICIENT_RESOURCES, "connection has " + settings.maxSessions() + " sessions already");
        }
        Session s = sessions.create(c);
        s.preauth = c.negotiated().preauth();
        return s;
    }

    private SmbResponse step(Request r, Connection c, Session s, Setup setup) {
        Negotiated n = c.negotiated();
        if (s.exchange == null) {
            s.exchange = exchanges.get();
        }
        boolean hashing = n.dialect() == 0x0311 && !s.valid();
        if (hashing) {
            s.preauth = s.preauth.update(r.bytes());
        }
        throttle.pause(c.remote());
        r.responseSessionId = s.id();
        SecurityExchange.Step step = s.exchange.step(setup.token());
        return switch (step) {
            case SecurityExchange.Step.More more -> {
                if (hashing) {
                    r.afterEncode = response -> s.preauth = s.preauth.update(ByteBufUtil.getBytes(response));
                }
                yield SmbResponse.of(NtStatus.MORE_PROCESSING_REQUIRED, body(0, more.token()));
            }
            case SecurityExchange.Step.Done done -> {
                s.exchange = null;
                SmbResponse response = s.valid() ? reauthenticated(c, s, done) : established(c, n, s, done);
                if (response.status() == NtStatus.SUCCESS) {
                    endPrevious(c, s, setup.previousSessionId());
                }
                yield response;
            }
            case SecurityExchange.Step.Failed failed -> {
                s.exchange = null;
                boolean wasValid = s.valid();
                sessions.end(s, false);
                throttle.failed(c.remote());
                LOG.warn(
                        "SMB logon from {} failed: {} ({}){}",
                        c.remote(),
                        failed.reason(),
                        failed.detail(),
                        wasValid ? "; reauthentication failed, session " + SessionTable.hex(s.id()) + " ended" : "");
                yield SmbResponse.error(failed.reason().status());
            }
        };
    }

    /**
     * A reauthentication succeeded: the session goes on as the new identity (another user, or anonymous, as
     * Windows and Samba allow) with the keys it has; its trees stay, what they may do follows the new user.
     */
    private SmbResponse reauthenticated(Connection c, Session s, SecurityExchange.Step.Done done) {
        SecurityExchange.Identity id = done.identity();
        throttle.succeeded(c.remote());
        if (!id.anonymous() && !s.anonymous() && !s.user().equalsIgnoreCase(id.user())) {
            LOG.info(
                    "SMB session {} from {} reauthenticated as {} (was {})",
                    SessionTable.hex(s.id()),
                    c.remote(),
                    id.user(),
                    s.user());
        }
        s.reauthenticated(id.anonymous() ? "" : id.user(), id.anonymous());
        int flags = id.anonymous() ? SESSION_FLAG_IS_NULL : s.encryptData() ? SESSION_FLAG_ENCRYPT_DATA : 0;
        return SmbResponse.of(body(flags, done.token()));
    }

    private SmbResponse established(Connection c, Negotiated n, Session s, SecurityExchange.Step.Done done) {
        SecurityExchange.Identity id = done.identity();
        throttle.succeeded(c.remote());
        if (id.anonymous()) {
            s.established("", true, null, null, false, false);
            LOG.info("SMB anonymous session {} from {}", SessionTable.hex(s.id()), c.remote());
            return SmbResponse.of(body(SESSION_FLAG_IS_NULL, done.token()));
        }
        SessionKeys keys = SessionKeys.derive(
                n.dialect(), done.sessionKey(), n.dialect() == 0x0311 ? s.preauth.value() : null, n.cipher());
        MessageSigner signer = new MessageSigner(n.signing(), keys.signingKey());
        MessageSealer sealer = n.smb3() && n.cipher() != null
                ? new MessageSealer(n.cipher(), n.dialect(), keys.encryptionKey(), keys.decryptionKey())
                : null;
        boolean sign = settings.signingRequired() || n.clientRequiresSigning();
        if (settings.encryptionRequired() && sealer == null) {
            sessions.end(s, false);
            LOG.warn(
                    "SMB session for {} from {} refused: encryption is required and dialect {} cannot encrypt",
                    id.user(),
                    c.remote(),
                    String.format("%04x", n.dialect()));
            return SmbResponse.error(NtStatus.ACCESS_DENIED);
        }
        boolean encrypt = settings.encryptionRequired();
        s.established(id.user(), false, signer, sealer, sign, encrypt);
        LOG.info(
                "SMB session {} for {} from {} (dialect {}{}{})",
                SessionTable.hex(s.id()),
                id.user(),
                c.remote(),
                String.format("%04x", n.dialect()),
                sign ? ", signed" : "",
                encrypt ? ", encrypted" : "");
        return SmbResponse.of(body(encrypt ? SESSION_FLAG_ENCRYPT_DATA : 0, done.token()));
    }

    /**
     * The client set up {@code s} naming {@code previous} as the session it had before (it lost its
     * connection, or restarted): that session ends when it is the same user's (MS-SMB2 3.3.5.5.3), its opens
     * closed but its durable ones kept for the client to reclaim.
     */
    private void endPrevious(Connection c, Session s, long previous) {
        if (previous == 0 || previous == s.id() || s.anonymous()) {
            return;
        }
        Session old = sessions.find(previous);
        if (old == null || !old.valid() || old.anonymous() || !old.user().equalsIgnoreCase(s.user())) {
            return;
        }
        sessions.end(old, true);
        LOG.info(
                "SMB session {} from {} replaces session {} of {}",
                SessionTable.hex(s.id()),
                c.remote(),
                SessionTable.hex(previous),
                old.connection().remote());
    }

    /** The SESSION_SETUP response body (2.2.6): flags and the security buffer at offset 72. */
    static ByteBuf body(int sessionFlags, byte[] token) {
        ByteBuf out = Unpooled.buffer(8 + token.length);
        out.writeShortLE(9)
                .writeShortLE(sessionFlags)
                .writeShortLE(Smb2Header.SIZE + 8)
                .writeShortLE(token.length);
        out.writeBytes(token);
        if (token.length == 0) {
            out.writeByte(0);
        }
        return out;
    }
}
