package dev.sgw.smb.server;

import java.util.concurrent.atomic.AtomicLong;
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
 * sealer. Session binding (multichannel) is refused; a setup on a valid session reauthenticates it.
 */
final class SessionSetupCommand {
    private static final Logger LOG = LoggerFactory.getLogger(SessionSetupCommand.class);
    private static final int FLAG_BINDING = 0x01;
    static final int SESSION_FLAG_IS_NULL = 0x0002;
    static final int SESSION_FLAG_ENCRYPT_DATA = 0x0004;

    private final SmbSettings settings;
    private final Supplier<SecurityExchange> exchanges;
    private final LogonThrottle throttle;
    private final AtomicLong sessionIds = new AtomicLong(0x0000_1000_0000_0001L);

    SessionSetupCommand(SmbSettings settings, Supplier<SecurityExchange> exchanges, LogonThrottle throttle) {
        this.settings = settings;
        this.exchanges = exchanges;
        this.throttle = throttle;
    }

    SmbResponse handle(Request r) throws SmbException {
        ByteBuf m = r.message();
        int body = Smb2Header.SIZE;
        if (m.writerIndex() < body + 24 || m.getUnsignedShortLE(body) != 25) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "SESSION_SETUP request too short");
        }
        if ((m.getUnsignedByte(body + 2) & FLAG_BINDING) != 0) {
            throw new SmbException(NtStatus.REQUEST_NOT_ACCEPTED, "session binding (multichannel) is not offered");
        }
        int offset = m.getUnsignedShortLE(body + 12);
        int length = m.getUnsignedShortLE(body + 14);
        if (length > 0 && (offset < body + 24 || offset + length > m.writerIndex())) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "security buffer outside the request");
        }
        byte[] token = ByteBufUtil.getBytes(m, offset, length);
        Connection c = r.connection();
        Session s = session(r, c);
        synchronized (s) {
            return step(r, c, s, token);
        }
    }

    private Session session(Request r, Connection c) throws SmbException {
        long sid = r.header().sessionId();
        if (sid == 0) {
            if (c.sessionCount() >= settings.maxSessions()) {
                throw new SmbException(
                        NtStatus.INSUFFICIENT_RESOURCES,
                        "connection has " + settings.maxSessions() + " sessions already");
            }
            Session s = c.newSession(sessionIds.getAndIncrement());
            s.preauth = c.negotiated().preauth();
            return s;
        }
        Session s = c.session(sid);
        if (s == null) {
            throw new SmbException(NtStatus.USER_SESSION_DELETED, "no session " + Long.toHexString(sid));
        }
        return s;
    }

    private SmbResponse step(Request r, Connection c, Session s, byte[] token) {
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
        SecurityExchange.Step step = s.exchange.step(token);
        return switch (step) {
            case SecurityExchange.Step.More more -> {
                if (hashing) {
                    r.afterEncode = response -> s.preauth = s.preauth.update(ByteBufUtil.getBytes(response));
                }
                yield SmbResponse.of(NtStatus.MORE_PROCESSING_REQUIRED, body(0, more.token()));
            }
            case SecurityExchange.Step.Done done -> {
                s.exchange = null;
                yield done(c, n, s, done);
            }
            case SecurityExchange.Step.Failed failed -> {
                s.exchange = null;
                c.removeSession(s.id());
                for (Tree t : s.removeAll()) {
                    t.commands().treeGone(t, false);
                }
                throttle.failed(c.remote());
                LOG.warn(
                        "SMB logon from {} failed: {} ({}){}",
                        c.remote(),
                        failed.reason(),
                        failed.detail(),
                        s.valid() ? "; reauthentication failed, session " + Long.toHexString(s.id()) + " ended" : "");
                yield SmbResponse.error(failed.reason().status());
            }
        };
    }

    private SmbResponse done(Connection c, Negotiated n, Session s, SecurityExchange.Step.Done done) {
        SecurityExchange.Identity id = done.identity();
        throttle.succeeded(c.remote());
        if (s.valid()) {
            if (!s.user().equalsIgnoreCase(id.user())) {
                LOG.warn("SMB reauthentication from {} as {} on {}'s session refused", c.remote(), id.user(), s.user());
                return SmbResponse.error(NtStatus.ACCESS_DENIED);
            }
            return SmbResponse.of(body(s.encryptData() ? SESSION_FLAG_ENCRYPT_DATA : 0, done.token()));
        }
        if (id.anonymous()) {
            s.established("", true, null, null, false, false);
            LOG.info("SMB anonymous session {} from {}", Long.toHexString(s.id()), c.remote());
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
            c.removeSession(s.id());
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
                Long.toHexString(s.id()),
                id.user(),
                c.remote(),
                String.format("%04x", n.dialect()),
                sign ? ", signed" : "",
                encrypt ? ", encrypted" : "");
        return SmbResponse.of(body(encrypt ? SESSION_FLAG_ENCRYPT_DATA : 0, done.token()));
    }

    /** The SESSION_SETUP response body (2.2.6): flags and the security buffer at offset 72. */
    private static ByteBuf body(int sessionFlags, byte[] token) {
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
