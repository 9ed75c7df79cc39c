package dev.sgw.smb.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.sgw.core.manage.NtHash;
import dev.sgw.smb.crypto.CipherSuite;
import dev.sgw.smb.crypto.MessageSealer;
import dev.sgw.smb.crypto.MessageSigner;
import dev.sgw.smb.crypto.SessionKeys;
import dev.sgw.smb.crypto.SigningAlgorithm;
import dev.sgw.smb.wire.Smb2Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * An SMB 2.1 or 3.0 client session over a real socket, built by hand so that a test can send what no real
 * client sends: a request unsigned on a session that must sign, or in plaintext on a share that must be
 * encrypted. It logs on with NTLMv2 in raw NTLMSSP (MS-NLMP 3.1.5: no key exchange, so the session key is
 * the session base key) and derives the session's keys as MS-SMB2 3.2.5.3 says.
 */
final class RawSession implements AutoCloseable {
    static final int SESSION_SETUP = 1;
    static final int TREE_CONNECT = 3;
    static final int CREATE = 5;
    /** UNICODE, REQUEST_TARGET, SIGN, NTLM, EXTENDED_SESSIONSECURITY, 128, 56. */
    private static final int NTLM_FLAGS = 0x1 | 0x4 | 0x10 | 0x200 | 0x80000 | 0x20000000 | 0x80000000;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** How a request goes out. */
    enum Protection {
        PLAIN,
        SIGNED,
        SEALED
    }

    /** A response: its status and its whole plaintext message (header first), little-endian. */
    record Answer(int status, ByteBuffer message) {
        int treeId() {
            return message.getInt(36);
        }

        int body(int offset) {
            return message.getInt(Smb2Header.SIZE + offset);
        }
    }

    private final RawClient client;
    private final int dialect;
    private long messageId;
    private long sessionId;
    private MessageSigner signer;
    private MessageSealer sealer;
    private int logonStatus;

    private RawSession(int port, int dialect) throws IOException {
        this.client = new RawClient(port);
        this.dialect = dialect;
    }

    /**
     * A connection that negotiated {@code dialect} (0x0210 or 0x0300) and tried to log on as {@code user};
     * {@link #logonStatus} tells how that went.
     */
    static RawSession logOn(int port, int dialect, String user, String password) throws IOException {
        RawSession s = new RawSession(port, dialect);
        s.negotiate();
        s.logonStatus = s.setup(user, password);
        return s;
    }

    /** The status of the last SESSION_SETUP: 0 when the session is set up. */
    int logonStatus() {
        return logonStatus;
    }

    private void negotiate() throws IOException {
        client.send(Messages.negotiate(messageId++, dialect));
        ByteBuffer r = client.receive();
        if (r.getInt(8) != 0 || (r.getShort(64 + 4) & 0xFFFF) != dialect) {
            throw new IOException(String.format("NEGOTIATE of %04x answered %08x", dialect, r.getInt(8)));
        }
    }

    private int setup(String user, String password) throws IOException {
        byte[] negotiate = ByteBuffer.allocate(32)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put("NTLMSSP\0".getBytes(StandardCharsets.US_ASCII))
                .putInt(1)
                .putInt(NTLM_FLAGS)
                .array();
        Answer challenge = send(SESSION_SETUP, 0, setupBody(negotiate), Protection.PLAIN);
        if (challenge.status() != 0xC0000016) { // MORE_PROCESSING_REQUIRED
            return challenge.status();
        }
        sessionId = challenge.message().getLong(40);
        byte[] token = securityBuffer(challenge.message());
        ByteBuffer c = ByteBuffer.wrap(token).order(ByteOrder.LITTLE_ENDIAN);
        byte[] serverChallenge = Arrays.copyOfRange(token, 24, 32);
        int infoLength = c.getShort(40) & 0xFFFF;
        int infoOffset = c.getInt(44);
        byte[] targetInfo = Arrays.copyOfRange(token, infoOffset, infoOffset + infoLength);

        byte[] ntowf = hmacMd5(NtHash.ofPassword(password).bytes(), utf16(user.toUpperCase(Locale.ROOT)));
        byte[] clientChallenge = new byte[8];
        RANDOM.nextBytes(clientChallenge);
        long now = (System.currentTimeMillis() + 11_644_473_600_000L) * 10_000;
        byte[] blob = ByteBuffer.allocate(28 + targetInfo.length + 4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put(new byte[] {1, 1, 0, 0, 0, 0, 0, 0})
                .putLong(now)
                .put(clientChallenge)
                .putInt(0)
                .put(targetInfo)
                .putInt(0)
                .array();
        byte[] proof = hmacMd5(ntowf, serverChallenge, blob);
        byte[] ntResponse =
                ByteBuffer.allocate(16 + blob.length).put(proof).put(blob).array();
        byte[] authenticate = authenticate(user, ntResponse);
        Answer done = send(SESSION_SETUP, 0, setupBody(authenticate), Protection.PLAIN);
        if (done.status() == 0) {
            byte[] sessionKey = hmacMd5(ntowf, proof);
            SessionKeys keys = SessionKeys.derive(dialect, sessionKey, null, null);
            signer = new MessageSigner(
                    dialect >= 0x0300 ? SigningAlgorithm.AES_CMAC : SigningAlgorithm.HMAC_SHA256, keys.signingKey());
            if (dialect >= 0x0300) { // the client encrypts with the server's decryption key, and the other way
                sealer =
                        new MessageSealer(CipherSuite.AES_128_CCM, dialect, keys.decryptionKey(), keys.encryptionKey());
            }
        }
        return done.status();
    }

    /** An AUTHENTICATE_MESSAGE (MS-NLMP 2.2.1.3) without version or MIC: the payload starts at 64. */
    private static byte[] authenticate(String user, byte[] ntResponse) {
        byte[] lm = new byte[24];
        byte[] name = utf16(user);
        int at = 64;
        ByteBuffer b = ByteBuffer.allocate(at + lm.length + ntResponse.length + name.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put("NTLMSSP\0".getBytes(StandardCharsets.US_ASCII)).putInt(3);
        b.putShort((short) lm.length).putShort((short) lm.length).putInt(at);
        b.putShort((short) ntResponse.length)
                .putShort((short) ntResponse.length)
                .putInt(at + lm.length);
        int nameAt = at + lm.length + ntResponse.length;
        b.putShort((short) 0).putShort((short) 0).putInt(nameAt); // domain: empty
        b.putShort((short) name.length).putShort((short) name.length).putInt(nameAt);
        b.putShort((short) 0).putShort((short) 0).putInt(nameAt + name.length); // workstation
        b.putShort((short) 0).putShort((short) 0).putInt(nameAt + name.length); // no session key exchange
        b.putInt(NTLM_FLAGS);
        b.put(lm).put(ntResponse).put(name);
        return b.array();
    }

    private static byte[] setupBody(byte[] token) {
        return ByteBuffer.allocate(24 + token.length)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 25)
                .put((byte) 0)
                .put((byte) 1) // SecurityMode: signing enabled
                .putInt(0)
                .putInt(0)
                .putShort((short) (Smb2Header.SIZE + 24))
                .putShort((short) token.length)
                .putLong(0)
                .put(token)
                .array();
    }

    private static byte[] securityBuffer(ByteBuffer response) {
        int offset = response.getShort(Smb2Header.SIZE + 4) & 0xFFFF;
        int length = response.getShort(Smb2Header.SIZE + 6) & 0xFFFF;
        return Arrays.copyOfRange(response.array(), offset, offset + length);
    }

    /** TREE_CONNECT to {@code \\127.0.0.1\share}. */
    Answer treeConnect(String share, Protection protection) throws IOException {
        byte[] path = utf16("\\\\127.0.0.1\\" + share);
        byte[] body = ByteBuffer.allocate(8 + path.length)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 9)
                .putShort((short) 0)
                .putShort((short) (Smb2Header.SIZE + 8))
                .putShort((short) path.length)
                .put(path)
                .array();
        return send(TREE_CONNECT, 0, body, protection);
    }

    /** CREATE opening the share's root for its attributes (OPEN, FILE_READ_ATTRIBUTES). */
    Answer openRoot(int treeId, Protection protection) throws IOException {
        return create(treeId, "", 0x80, 1, protection);
    }

    /** CREATE of {@code name} asking for {@code access} with {@code disposition} (MS-SMB2 2.2.13). */
    Answer create(int treeId, String name, int access, int disposition, Protection protection) throws IOException {
        byte[] n = utf16(name);
        ByteBuffer b = ByteBuffer.allocate(56 + Math.max(1, n.length)).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 57).put((byte) 0).put((byte) 0).putInt(2).putLong(0).putLong(0);
        b.putInt(access).putInt(0).putInt(7).putInt(disposition).putInt(0);
        b.putShort((short) (Smb2Header.SIZE + 56))
                .putShort((short) n.length)
                .putInt(0)
                .putInt(0);
        b.put(n);
        return send(CREATE, treeId, b.array(), protection);
    }

    /** Sends one request of this session on {@code treeId} and reads its answer. */
    Answer send(int command, int treeId, byte[] body, Protection protection) throws IOException {
        ByteBuffer b = Messages.le(Smb2Header.SIZE + body.length);
        Messages.header(b, command, messageId++, 1, 10, protection == Protection.SIGNED ? Smb2Header.FLAGS_SIGNED : 0);
        b.putInt(36, treeId).putLong(40, sessionId);
        b.put(body);
        ByteBuf message = Unpooled.wrappedBuffer(b.array());
        if (protection == Protection.SIGNED) {
            signer.sign(message, 0, message.writerIndex());
        }
        if (protection == Protection.SEALED) {
            message = sealer.seal(message, sessionId);
        }
        client.send(ByteBufUtil.getBytes(message));
        ByteBuffer r = client.receive();
        if (r.getInt(0) == MessageSealer.PROTOCOL_ID) {
            ByteBuf plain = sealer.unseal(Unpooled.wrappedBuffer(r.array()));
            r = ByteBuffer.wrap(ByteBufUtil.getBytes(plain)).order(ByteOrder.LITTLE_ENDIAN);
        }
        return new Answer(r.getInt(8), r);
    }

    private static byte[] utf16(String s) {
        return s.getBytes(StandardCharsets.UTF_16LE);
    }

    private static byte[] hmacMd5(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(key, "HmacMD5"));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
