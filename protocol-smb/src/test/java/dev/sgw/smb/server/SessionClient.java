package dev.sgw.smb.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import dev.sgw.smb.auth.NtlmLogon;
import dev.sgw.smb.crypto.CipherSuite;
import dev.sgw.smb.crypto.MessageSigner;
import dev.sgw.smb.crypto.PreauthIntegrity;
import dev.sgw.smb.crypto.SessionKeys;
import dev.sgw.smb.crypto.SigningAlgorithm;
import dev.sgw.smb.wire.Smb2Command;
import dev.sgw.smb.wire.Smb2Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One client connection speaking SMB2/3 by hand, for the session tests: NEGOTIATE (3.1.1 with chosen
 * signing algorithms and ciphers), SESSION_SETUP with NTLMv2 (new, reauthentication, binding) with the 3.1.1
 * pre-authentication hash and the keys a client derives, signed requests, and the few commands the tests
 * need. Every request asks for plenty of credits; message ids count up.
 */
final class SessionClient implements AutoCloseable {
    static final int SMB2_10 = 0x0210;
    static final int SMB3_02 = 0x0302;
    static final int SMB3_11 = 0x0311;
    static final int HMAC = 0, CMAC = 1, GMAC = 2;
    static final int AES_128_GCM = 2;

    /** A session as the client knows it: its id and the keys of its setup. */
    static final class Logon {
        final long id;
        final int dialect;
        final MessageSigner signer;

        Logon(long id, int dialect, MessageSigner signer) {
            this.id = id;
            this.dialect = dialect;
            this.signer = signer;
        }
    }

    /** A response: its status, header fields and the whole message. */
    record Response(int status, int flags, long sessionId, int treeId, ByteBuffer message) {
        boolean signed() {
            return (flags & Smb2Header.FLAGS_SIGNED) != 0;
        }

        /** Whether {@code signer} verifies the response. */
        boolean signedBy(MessageSigner signer) {
            ByteBuf b = Unpooled.wrappedBuffer(message.array());
            return signed() && signer.verify(b, 0, b.writerIndex());
        }

        byte[] bytes() {
            return message.array().clone();
        }

        /** The security buffer of a SESSION_SETUP response. */
        byte[] securityBuffer() {
            int offset = message.getShort(64 + 4);
            int length = message.getShort(64 + 6) & 0xFFFF;
            return Arrays.copyOfRange(message.array(), offset, offset + length);
        }

        int sessionFlags() {
            return message.getShort(64 + 2) & 0xFFFF;
        }
    }

    private final RawClient raw;
    private final Map<Long, MessageSigner> channelSigners = new HashMap<>();
    private long messageId;
    private int dialect;
    private SigningAlgorithm signing = SigningAlgorithm.HMAC_SHA256;
    private CipherSuite cipher;
    private PreauthIntegrity preauth;

    SessionClient(int port) throws IOException {
        this.raw = new RawClient(port);
    }

    int dialect() {
        return dialect;
    }

    SigningAlgorithm signing() {
        return signing;
    }

    /** NEGOTIATE offering 3.0.2 and 3.1.1 with AES-128-GCM and the {@code signingAlgorithms} (3.1.1 gets it). */
    Response negotiate311(int... signingAlgorithms) throws IOException {
        byte[] request = Messages.negotiate311(messageId++, new int[] {AES_128_GCM}, signingAlgorithms);
        raw.send(request);
        Response r = receive();
        dialect = r.message().getShort(64 + 4) & 0xFFFF;
        signing = SigningAlgorithm.AES_CMAC;
        int count = r.message().getShort(64 + 6);
        int at = r.message().getInt(64 + 60);
        for (int i = 0; i < count; i++) {
            at = (at + 7) & ~7;
            int type = r.message().getShort(at);
            int length = r.message().getShort(at + 2);
            if (type == 2) {
                cipher = CipherSuite.of(r.message().getShort(at + 10));
            } else if (type == 8) {
                signing = SigningAlgorithm.values()[r.message().getShort(at + 10)];
            }
            at += 8 + length;
        }
        preauth = PreauthIntegrity.initial().update(request).update(r.bytes());
        return r;
    }

    /** NEGOTIATE offering only {@code offered} (2.1 or 3.0.2: no contexts). */
    Response negotiate(int offered) throws IOException {
        raw.send(Messages.negotiate(messageId++, offered));
        Response r = receive();
        dialect = r.message().getShort(64 + 4) & 0xFFFF;
        signing = dialect >= 0x0300 ? SigningAlgorithm.AES_CMAC : SigningAlgorithm.HMAC_SHA256;
        return r;
    }

    /** The server's capabilities from the NEGOTIATE response {@code r}. */
    static int capabilities(Response r) {
        return r.message().getInt(64 + 24);
    }

    /** A new session (PreviousSessionId {@code previous}, 0 for none); fails unless it is set up. */
    Logon setup(NtlmLogon logon, long previous) throws IOException {
        PreauthIntegrity hash = preauth;
        byte[] first = setupRequest(0, 0, previous, logon.first(), null);
        hash = hash == null ? null : hash.update(first);
        raw.send(first);
        Response more = receive();
        check(more, 0xC0000016);
        hash = hash == null ? null : hash.update(more.bytes());
        byte[] second = setupRequest(more.sessionId(), 0, previous, logon.next(more.securityBuffer()), null);
        hash = hash == null ? null : hash.update(second);
        raw.send(second);
        Response done = receive();
        check(done, 0);
        MessageSigner signer = logon.sessionKey() == null
                ? null
                : new MessageSigner(
                        signing,
                        SessionKeys.derive(dialect, logon.sessionKey(), hash == null ? null : hash.value(), cipher)
                                .signingKey());
        if (signer != null && dialect >= 0x0300) {
            if (!done.signedBy(signer)) {
                throw new AssertionError("the final SESSION_SETUP response is not signed with the session's key");
            }
        }
        channelSigners.put(done.sessionId(), signer);
        return new Logon(done.sessionId(), dialect, signer);
    }

    /**
     * Binds {@code session} (set up on another connection) to this one, signing with the session's key;
     * answers the last response. On success the channel's key (from this binding's session key and, 3.1.1,
     * this connection's hash) signs this connection's requests of the session and must verify the response.
     */
    Response bind(Logon session, NtlmLogon logon) throws IOException {
        PreauthIntegrity hash = dialect == SMB3_11 ? preauth : null;
        byte[] first = setupRequest(session.id, 1, 0, logon.first(), session.signer);
        hash = hash == null ? null : hash.update(first);
        raw.send(first);
        Response more = receive();
        if (more.status() != 0xC0000016) {
            return more;
        }
        hash = hash == null ? null : hash.update(more.bytes());
        byte[] second = setupRequest(session.id, 1, 0, logon.next(more.securityBuffer()), session.signer);
        hash = hash == null ? null : hash.update(second);
        raw.send(second);
        Response done = receive();
        if (done.status() == 0) {
            MessageSigner channel = new MessageSigner(
                    signing,
                    SessionKeys.derive(dialect, logon.sessionKey(), hash == null ? null : hash.value(), cipher)
                            .signingKey());
            if (!done.signedBy(channel)) {
                throw new AssertionError("the binding's final response is not signed with the channel's key");
            }
            channelSigners.put(session.id, channel);
        }
        return done;
    }

    /** Reauthenticates {@code session} on this connection as {@code logon}; answers the last response. */
    Response reauthenticate(Logon session, NtlmLogon logon) throws IOException {
        raw.send(setupRequest(session.id, 0, 0, logon.first(), signer(session)));
        Response more = receive();
        if (more.status() != 0xC0000016) {
            return more;
        }
        raw.send(setupRequest(session.id, 0, 0, logon.next(more.securityBuffer()), signer(session)));
        return receive();
    }

    /** The key this connection signs {@code session}'s requests with (the channel's once bound). */
    MessageSigner signer(Logon session) {
        return channelSigners.getOrDefault(session.id, session.signer);
    }

    /** A SESSION_SETUP request; signed by {@code signer} when given. */
    private byte[] setupRequest(long sessionId, int flags, long previous, byte[] token, MessageSigner signer) {
        ByteBuffer body = le(24 + token.length);
        body.putShort((short) 25).put((byte) flags).put((byte) 1).putInt(0).putInt(0);
        body.putShort((short) (64 + 24))
                .putShort((short) token.length)
                .putLong(previous)
                .put(token);
        return request(Smb2Command.SESSION_SETUP, sessionId, 0, body.array(), signer);
    }

    /** TREE_CONNECT to {@code \\127.0.0.1\share}; answers the tree id. */
    int treeConnect(Logon session, String share) throws IOException {
        byte[] path = ("\\\\127.0.0.1\\" + share).getBytes(StandardCharsets.UTF_16LE);
        ByteBuffer body = le(8 + path.length);
        body.putShort((short) 9).putShort((short) 0).putShort((short) (64 + 8)).putShort((short) path.length);
        body.put(path);
        Response r = send(session, Smb2Command.TREE_CONNECT, 0, body.array());
        check(r, 0);
        return r.treeId();
    }

    /** CREATE of {@code name} (OPEN_IF, read/write, all sharing); answers the response. */
    Response create(Logon session, int tree, String name, int disposition) throws IOException {
        byte[] n = name.getBytes(StandardCharsets.UTF_16LE);
        ByteBuffer body = le(56 + Math.max(n.length, 8));
        body.putShort((short) 57)
                .put((byte) 0)
                .put((byte) 0)
                .putInt(2)
                .putLong(0)
                .putLong(0);
        body.putInt(0x0012019F).putInt(0x80).putInt(7).putInt(disposition).putInt(0x40);
        body.putShort((short) (64 + 56)).putShort((short) n.length).putInt(0).putInt(0);
        body.put(n);
        return send(session, Smb2Command.CREATE, tree, body.array());
    }

    /** The file id (persistent, volatile) of a CREATE response. */
    static long[] fileId(Response create) {
        return new long[] {create.message().getLong(64 + 64), create.message().getLong(64 + 72)};
    }

    /** QUERY_INFO FilePositionInformation of {@code file}. */
    Response queryPosition(Logon session, int tree, long[] file) throws IOException {
        ByteBuffer body = le(48);
        body.putShort((short) 41)
                .put((byte) 1)
                .put((byte) 14)
                .putInt(8)
                .putShort((short) 0)
                .putShort((short) 0);
        body.putInt(0).putInt(0).putInt(0).putLong(file[0]).putLong(file[1]);
        return send(session, Smb2Command.QUERY_INFO, tree, body.array());
    }

    Response logoff(Logon session) throws IOException {
        return send(session, Smb2Command.LOGOFF, 0, new byte[] {4, 0, 0, 0});
    }

    /** IOCTL {@code ctlCode} on {@code file}, no input, {@code maxOutput} bytes of room. */
    Response ioctl(Logon session, int tree, int ctlCode, long[] file, int maxOutput) throws IOException {
        ByteBuffer body = le(56);
        body.putShort((short) 57)
                .putShort((short) 0)
                .putInt(ctlCode)
                .putLong(file[0])
                .putLong(file[1]);
        body.putInt(0)
                .putInt(0)
                .putInt(0)
                .putInt(0)
                .putInt(0)
                .putInt(maxOutput)
                .putInt(1)
                .putInt(0);
        return send(session, Smb2Command.IOCTL, tree, body.array());
    }

    /** Sends {@code body} as {@code command} of {@code session}, signed with this connection's key for it. */
    Response send(Logon session, Smb2Command command, int tree, byte[] body) throws IOException {
        return send(session.id, command, tree, body, signer(session));
    }

    /** Sends {@code body} as {@code command} of session {@code sessionId}, signed by {@code signer} if given. */
    Response send(long sessionId, Smb2Command command, int tree, byte[] body, MessageSigner signer) throws IOException {
        raw.send(request(command, sessionId, tree, body, signer));
        return receive();
    }

    private byte[] request(Smb2Command command, long sessionId, int tree, byte[] body, MessageSigner signer) {
        ByteBuffer b = le(64 + body.length);
        b.putInt(Smb2Header.PROTOCOL_ID)
                .putShort((short) 64)
                .putShort((short) 1)
                .putInt(0);
        b.putShort((short) command.code()).putShort((short) 32);
        b.putInt(signer == null ? 0 : Smb2Header.FLAGS_SIGNED).putInt(0);
        b.putLong(messageId++).putInt(0).putInt(tree).putLong(sessionId).put(new byte[16]);
        b.put(body);
        byte[] out = b.array();
        if (signer != null) {
            signer.sign(Unpooled.wrappedBuffer(out), 0, out.length);
        }
        return out;
    }

    /** The next response that is not an interim STATUS_PENDING. */
    Response receive() throws IOException {
        while (true) {
            ByteBuffer m = raw.receive();
            Response r = new Response(m.getInt(8), m.getInt(16), m.getLong(40), m.getInt(36), m);
            if (r.status() != 0x00000103) {
                return r;
            }
        }
    }

    boolean closedByServer() throws IOException {
        return raw.closedByServer();
    }

    static void check(Response r, int status) {
        if (r.status() != status) {
            throw new AssertionError(String.format("status %08x, expected %08x", r.status(), status));
        }
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }
}
