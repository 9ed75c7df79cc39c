package dev.sgw.smb.server;

import java.util.function.Supplier;

import dev.sgw.smb.auth.SecurityExchange;
import dev.sgw.smb.crypto.MessageSigner;
import dev.sgw.smb.crypto.SessionKeys;
import dev.sgw.smb.crypto.SigningAlgorithm;
import dev.sgw.smb.wire.NtStatus;
import io.netty.buffer.ByteBufUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SESSION_SETUP with SMB2_SESSION_FLAG_BINDING (MS-SMB2 3.3.5.5, 3.3.5.5.3): binds a session set up on
 * another connection to this one (multichannel), so that its trees and opens are used from here too. The
 * dispatcher has found the session in the {@link SessionTable} and verified the request's signature with
 * the session's key. The binding's own authentication must be the session's user's; its session key gives
 * the channel's signing key (with this connection's signing algorithm and, 3.1.1, the binding's
 * pre-authentication hash). A refused or failed binding leaves the session as it was.
 *
 * <p>The refusals, checked in this order on the first request (smbtorture's smb2.session.bind_negative_*
 * expects these statuses, which are Windows' and Samba's):
 *
 * <pre>
 * condition                                                                 | status
 * --------------------------------------------------------------------------+------------------------
 * the request is not signed                                                 | INVALID_PARAMETER
 * the session signs with AES-GMAC, this connection with another algorithm   | REQUEST_OUT_OF_SEQUENCE
 * this connection signs with AES-GMAC, the session with another algorithm   | NOT_SUPPORTED
 * this connection's dialect is 2.0.2 or 2.1                                 | REQUEST_NOT_ACCEPTED
 * the session's dialect, or (3.1.1) its cipher, is not this connection's    | INVALID_PARAMETER
 * this connection did not negotiate SMB2_GLOBAL_CAP_MULTI_CHANNEL           | REQUEST_NOT_ACCEPTED
 * the session is still being set up                                         | REQUEST_NOT_ACCEPTED
 * the session is anonymous                                                  | NOT_SUPPORTED
 * the session is bound to this connection already                           | REQUEST_NOT_ACCEPTED
 * the session has {@value #MAX_CHANNELS} channels                           | INSUFFICIENT_RESOURCES
 * the binding authenticates another user (or anonymous)                     | ACCESS_DENIED
 * </pre>
 */
final class SessionBinding {
    private static final Logger LOG = LoggerFactory.getLogger(SessionBinding.class);
    static final int MAX_CHANNELS = 32;

    private final SessionTable sessions;
    private final Supplier<SecurityExchange> exchanges;
    private final LogonThrottle throttle;

    SessionBinding(SessionTable sessions, Supplier<SecurityExchange> exchanges, LogonThrottle throttle) {
        this.sessions = sessions;
        this.exchanges = exchanges;
        this.throttle = throttle;
    }

    /** The next step of binding {@code s} to {@code c}; the caller holds the session's lock. */
    SmbResponse step(Request r, Connection c, Session s, byte[] token) {
        r.responseSessionId = s.id();
        Session.Channel ch = s.channel(c);
        if (ch == null) {
            int refusal = refusal(r, c, s);
            if (refusal != 0) {
                return SmbResponse.error(refusal);
            }
            Negotiated n = c.negotiated();
            ch = s.beginBinding(c, exchanges.get(), n.dialect() == 0x0311 ? n.preauth() : null);
            if (ch == null) {
                return SmbResponse.error(NtStatus.REQUEST_NOT_ACCEPTED);
            }
            c.binding(s);
        } else if (ch.bound()) {
            return SmbResponse.error(NtStatus.REQUEST_NOT_ACCEPTED);
        }
        return authenticate(r, c, s, ch, token);
    }

    /** Why {@code s} may not be bound to {@code c}; 0 when it may. */
    private static int refusal(Request r, Connection c, Session s) {
        Negotiated here = c.negotiated();
        Negotiated there = s.connection().negotiated();
        SigningAlgorithm sessionSigning = there.signing();
        if (!r.header().isSigned()) {
            return NtStatus.INVALID_PARAMETER;
        }
        if (sessionSigning == SigningAlgorithm.AES_GMAC && here.signing() != sessionSigning) {
            return NtStatus.REQUEST_OUT_OF_SEQUENCE;
        }
        if (here.signing() == SigningAlgorithm.AES_GMAC && sessionSigning != SigningAlgorithm.AES_GMAC) {
            return NtStatus.NOT_SUPPORTED;
        }
        if (!here.smb3()) {
            return NtStatus.REQUEST_NOT_ACCEPTED;
        }
        if (here.dialect() != there.dialect() || (here.dialect() == 0x0311 && here.cipher() != there.cipher())) {
            return NtStatus.INVALID_PARAMETER;
        }
        if (!here.multiChannel()) {
            return NtStatus.REQUEST_NOT_ACCEPTED;
        }
        if (!s.valid()) {
            return NtStatus.REQUEST_NOT_ACCEPTED;
        }
        if (s.anonymous() || s.signer() == null) {
            return NtStatus.NOT_SUPPORTED;
        }
        if (s.boundChannels() >= MAX_CHANNELS) {
            return NtStatus.INSUFFICIENT_RESOURCES;
        }
        return 0;
    }

    private SmbResponse authenticate(Request r, Connection c, Session s, Session.Channel ch, byte[] token) {
        if (ch.preauth != null) {
            ch.preauth = ch.preauth.update(r.bytes());
        }
        throttle.pause(c.remote());
        SecurityExchange.Step step = ch.exchange.step(token);
        return switch (step) {
            case SecurityExchange.Step.More more -> {
                if (ch.preauth != null) {
                    r.afterEncode = response -> ch.preauth = ch.preauth.update(ByteBufUtil.getBytes(response));
                }
                yield SmbResponse.of(NtStatus.MORE_PROCESSING_REQUIRED, SessionSetupCommand.body(0, more.token()));
            }
            case SecurityExchange.Step.Done done -> bound(c, s, ch, done);
            case SecurityExchange.Step.Failed failed -> {
                abandon(c, s);
                throttle.failed(c.remote());
                LOG.warn(
                        "SMB binding of session {} to {} failed: {} ({})",
                        SessionTable.hex(s.id()),
                        c,
                        failed.reason(),
                        failed.detail());
                yield SmbResponse.error(failed.reason().status());
            }
        };
    }

    private SmbResponse bound(Connection c, Session s, Session.Channel ch, SecurityExchange.Step.Done done) {
        SecurityExchange.Identity id = done.identity();
        throttle.succeeded(c.remote());
        if (id.anonymous() || !id.user().equalsIgnoreCase(s.user()) || s.state() != Session.State.VALID) {
            abandon(c, s);
            LOG.warn(
                    "SMB binding of {}'s session {} to {} refused: it authenticated {}",
                    s.user(),
                    SessionTable.hex(s.id()),
                    c,
                    id.anonymous() ? "an anonymous user" : id.user());
            return SmbResponse.error(NtStatus.ACCESS_DENIED);
        }
        Negotiated n = c.negotiated();
        byte[] key = SessionKeys.derive(
                        n.dialect(), done.sessionKey(), ch.preauth == null ? null : ch.preauth.value(), n.cipher())
                .signingKey();
        s.bound(ch, new MessageSigner(n.signing(), key));
        c.add(s);
        LOG.info(
                "SMB session {} of {} bound to {} ({} channels)",
                SessionTable.hex(s.id()),
                s.user(),
                c,
                s.boundChannels());
        int flags = s.encryptData() ? SessionSetupCommand.SESSION_FLAG_ENCRYPT_DATA : 0;
        return SmbResponse.of(SessionSetupCommand.body(flags, done.token()));
    }

    /** Drops the binding to {@code c}; the session goes on on its other channels. */
    private void abandon(Connection c, Session s) {
        s.drop(c);
        c.remove(s);
        if (s.boundChannels() == 0) {
            sessions.end(s, true); // its connections closed while the binding ran
        }
    }
}
