package dev.sgw.smb.server;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import dev.sgw.smb.crypto.CipherSuite;
import dev.sgw.smb.crypto.PreauthIntegrity;
import dev.sgw.smb.crypto.SigningAlgorithm;
import dev.sgw.smb.wire.NtStatus;
import dev.sgw.smb.wire.Smb2Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * NEGOTIATE (MS-SMB2 2.2.3, 2.2.4, 3.3.5.3, 3.3.5.4): picks the highest dialect both sides speak, answers
 * the 3.1.1 negotiate contexts (pre-authentication integrity SHA-512, a cipher, a signing algorithm among
 * those the client offers), offers multichannel to a 3.x client that asks for it, and
 * the SMB1 NEGOTIATE a client starts with to find out whether the server speaks SMB2 (2.2.3 note, 3.3.5.3.1).
 */
final class NegotiateCommand {
    static final int[] DIALECTS = {0x0202, 0x0210, 0x0300, 0x0302, 0x0311};
    static final int WILDCARD = 0x02FF;
    private static final int CONTEXT_PREAUTH = 1;
    private static final int CONTEXT_ENCRYPTION = 2;
    private static final int CONTEXT_SIGNING = 8;
    private static final int HASH_SHA512 = 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SmbSettings settings;
    private final byte[] serverGuid;
    private final Supplier<byte[]> securityToken;

    /** @param securityToken gives the SPNEGO token every NEGOTIATE response carries */
    NegotiateCommand(SmbSettings settings, byte[] serverGuid, Supplier<byte[]> securityToken) {
        this.settings = settings;
        this.serverGuid = serverGuid.clone();
        this.securityToken = securityToken;
    }

    /** What NEGOTIATE answered: the connection's new state and the response body. */
    record Result(Negotiated negotiated, ByteBuf body) {}

    /**
     * The dialect an SMB1 NEGOTIATE (a whole SMB1 message) upgrades to: {@link #WILDCARD} when it offers "SMB
     * 2.???", 0x0202 when it offers only "SMB 2.002", 0 when it offers neither or is not an SMB1 NEGOTIATE.
     */
    static int smb1Upgrade(ByteBuf message) {
        int start = message.readerIndex();
        if (message.readableBytes() < 35
                || message.getUnsignedByte(start) != 0xFF
                || message.getUnsignedByte(start + 4) != 0x72) {
            return 0;
        }
        int wordCount = message.getUnsignedByte(start + 32);
        int bytesAt = start + 33 + 2 * wordCount;
        if (bytesAt + 2 > message.writerIndex()) {
            return 0;
        }
        int byteCount = message.getUnsignedShortLE(bytesAt);
        int end = Math.min(message.writerIndex(), bytesAt + 2 + byteCount);
        String bytes = message.toString(bytesAt + 2, end - bytesAt - 2, StandardCharsets.US_ASCII);
        List<String> dialects = new ArrayList<>();
        int from = 0;
        while (from < bytes.length()) {
            int end0 = bytes.indexOf('\0', from);
            String part = end0 < 0 ? bytes.substring(from) : bytes.substring(from, end0);
            if (!part.isEmpty() && part.charAt(0) == 0x02) {
                dialects.add(part.substring(1));
            }
            from = end0 < 0 ? bytes.length() : end0 + 1;
        }
        if (dialects.contains("SMB 2.???")) {
            return WILDCARD;
        }
        return dialects.contains("SMB 2.002") ? 0x0202 : 0;
    }

    /** The SMB2 NEGOTIATE response to an SMB1 NEGOTIATE offering SMB2 (3.3.5.3.1). */
    Result upgrade(int dialect) {
        int caps = dialect == WILDCARD ? Negotiated.CAP_LEASING | Negotiated.CAP_LARGE_MTU : 0;
        int maxIo = dialect == WILDCARD ? settings.maxIoBytes() : 65536;
        Negotiated n = new Negotiated(
                dialect, new byte[16], 0, 0, securityMode(), caps, null, SigningAlgorithm.HMAC_SHA256, null, maxIo);
        return new Result(n, response(n, List.of()));
    }

    /**
     * Answers an SMB2 NEGOTIATE; {@code message} holds the request from its header on.
     *
     * @throws SmbException NOT_SUPPORTED when no dialect is common, INVALID_PARAMETER when it is malformed
     */
    Result negotiate(ByteBuf message) throws SmbException {
        int body = Smb2Header.SIZE;
        if (message.writerIndex() < body + 36 || message.getUnsignedShortLE(body) != 36) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "NEGOTIATE request too short");
        }
        int count = message.getUnsignedShortLE(body + 2);
        if (count == 0 || body + 36 + 2 * count > message.writerIndex()) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "NEGOTIATE with " + count + " dialects");
        }
        int securityMode = message.getUnsignedShortLE(body + 4);
        int clientCaps = message.getIntLE(body + 8);
        byte[] clientGuid = new byte[16];
        message.getBytes(body + 12, clientGuid);
        int dialect = 0;
        for (int i = 0; i < count; i++) {
            int offered = message.getUnsignedShortLE(body + 36 + 2 * i);
            for (int d : DIALECTS) {
                if (d == offered && d > dialect) {
                    dialect = d;
                }
            }
        }
        if (dialect == 0) {
            throw new SmbException(NtStatus.NOT_SUPPORTED, "no common dialect among " + count + " offered");
        }
        int caps = 0;
        if (dialect >= 0x0210) {
            caps |= Negotiated.CAP_LEASING | Negotiated.CAP_LARGE_MTU;
        }
        if (dialect >= 0x0300 && (clientCaps & Negotiated.CAP_MULTI_CHANNEL) != 0) {
            caps |= Negotiated.CAP_MULTI_CHANNEL; // sessions may be bound to more connections (SessionBinding)
        }
        CipherSuite cipher = null;
        SigningAlgorithm signing = dialect >= 0x0300 ? SigningAlgorithm.AES_CMAC : SigningAlgorithm.HMAC_SHA256;
        List<ByteBuf> contexts = new ArrayList<>();
        if (dialect == 0x0300 || dialect == 0x0302) {
            if ((clientCaps & Negotiated.CAP_ENCRYPTION) != 0) {
                caps |= Negotiated.CAP_ENCRYPTION;
                cipher = CipherSuite.AES_128_CCM;
            }
        } else if (dialect == 0x0311) {
            ContextChoice choice = contexts(message, count);
            cipher = choice.cipher;
            if (choice.signing != null) {
                signing = choice.signing;
            }
            contexts = choice.replies;
        }
        int maxIo = dialect >= 0x0210 ? settings.maxIoBytes() : 65536;
        PreauthIntegrity preauth = dialect == 0x0311 ? PreauthIntegrity.initial() : null;
        Negotiated n = new Negotiated(
                dialect, clientGuid, securityMode, clientCaps, securityMode(), caps, cipher, signing, preauth, maxIo);
        return new Result(n, response(n, contexts));
    }

    private int securityMode() {
        return Negotiated.SIGNING_ENABLED | (settings.signingRequired() ? Negotiated.SIGNING_REQUIRED : 0);
    }

    /** The 3.1.1 contexts chosen and the context replies to send. */
    private record ContextChoice(CipherSuite cipher, SigningAlgorithm signing, List<ByteBuf> replies) {}

    private static ContextChoice contexts(ByteBuf message, int dialectCount) throws SmbException {
        int body = Smb2Header.SIZE;
        int offset = message.getIntLE(body + 28);
        int count = message.getUnsignedShortLE(body + 32);
        boolean preauth = false;
        CipherSuite cipher = null;
        boolean cipherAsked = false;
        SigningAlgorithm signing = null;
        int at = offset;
        for (int i = 0; i < count; i++) {
            at = (at + 7) & ~7;
            if (at < body + 36 + 2 * dialectCount || at + 8 > message.writerIndex()) {
                throw new SmbException(NtStatus.INVALID_PARAMETER, "negotiate context " + i + " outside the message");
            }
            int type = message.getUnsignedShortLE(at);
            int length = message.getUnsignedShortLE(at + 2);
            int data = at + 8;
            if (data + length > message.writerIndex()) {
                throw new SmbException(NtStatus.INVALID_PARAMETER, "negotiate context " + i + " overruns");
            }
            switch (type) {
                case CONTEXT_PREAUTH -> {
                    int n = message.getUnsignedShortLE(data);
                    for (int k = 0; k < n && 4 + 2 * k + 2 <= length; k++) {
                        preauth |= message.getUnsignedShortLE(data + 4 + 2 * k) == HASH_SHA512;
                    }
                }
                case CONTEXT_ENCRYPTION -> {
                    cipherAsked = true;
                    cipher = pickCipher(message, data, length);
                }
                case CONTEXT_SIGNING -> signing = pickSigning(message, data, length);
                default -> {
                    // compression, netname, transport, RDMA: not offered, ignored
                }
            }
            at = data + length;
        }
        if (!preauth) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "3.1.1 NEGOTIATE without SHA-512 preauth integrity");
        }
        List<ByteBuf> replies = new ArrayList<>();
        byte[] salt = new byte[32];
        RANDOM.nextBytes(salt);
        replies.add(context(
                CONTEXT_PREAUTH,
                Unpooled.buffer()
                        .writeShortLE(1)
                        .writeShortLE(salt.length)
                        .writeShortLE(HASH_SHA512)
                        .writeBytes(salt)));
        if (cipherAsked) {
            replies.add(context(
                    CONTEXT_ENCRYPTION,
                    Unpooled.buffer().writeShortLE(1).writeShortLE(cipher == null ? 0 : cipher.id())));
        }
        if (signing != null) {
            replies.add(
                    context(CONTEXT_SIGNING, Unpooled.buffer().writeShortLE(1).writeShortLE(signing.id())));
        }
        return new ContextChoice(cipher, signing, replies);
    }

    /** AES-128-GCM when offered, else the first cipher of the client's list that is known. */
    private static CipherSuite pickCipher(ByteBuf message, int data, int length) {
        int n = message.getUnsignedShortLE(data);
        CipherSuite first = null;
        for (int k = 0; k < n && 2 + 2 * k + 2 <= length; k++) {
            CipherSuite c = CipherSuite.of(message.getUnsignedShortLE(data + 2 + 2 * k));
            if (c == CipherSuite.AES_128_GCM) {
                return c;
            }
            if (first == null) {
                first = c;
            }
        }
        return first;
    }

    /**
     * The algorithm the client offers that the server likes best: AES-GMAC, then AES-CMAC, then HMAC-SHA256
     * (as Samba); null when it offers none of them (no context is answered and AES-CMAC signs).
     */
    private static SigningAlgorithm pickSigning(ByteBuf message, int data, int length) {
        int n = message.getUnsignedShortLE(data);
        SigningAlgorithm best = null;
        for (int k = 0; k < n && 2 + 2 * k + 2 <= length; k++) {
            int offered = message.getUnsignedShortLE(data + 2 + 2 * k);
            for (SigningAlgorithm a : SigningAlgorithm.values()) {
                if (a.id() == offered && (best == null || preference(a) < preference(best))) {
                    best = a;
                }
            }
        }
        return best;
    }

    private static int preference(SigningAlgorithm a) {
        return switch (a) {
            case AES_GMAC -> 0;
            case AES_CMAC -> 1;
            case HMAC_SHA256 -> 2;
        };
    }

    private static ByteBuf context(int type, ByteBuf data) {
        ByteBuf c = Unpooled.buffer(8 + data.readableBytes());
        c.writeShortLE(type).writeShortLE(data.readableBytes()).writeIntLE(0).writeBytes(data);
        data.release();
        return c;
    }

    /** The 65-byte NEGOTIATE response body, its security buffer and its contexts (2.2.4). */
    private ByteBuf response(Negotiated n, List<ByteBuf> contexts) {
        byte[] token = securityToken.get();
        ByteBuf out = Unpooled.buffer(64 + token.length + 64 * contexts.size());
        out.writeShortLE(65);
        out.writeShortLE(n.serverSecurityMode());
        out.writeShortLE(n.dialect());
        out.writeShortLE(contexts.size());
        out.writeBytes(serverGuid);
        out.writeIntLE(n.serverCapabilities());
        out.writeIntLE(n.maxIo());
        out.writeIntLE(n.maxIo());
        out.writeIntLE(n.maxIo());
        out.writeLongLE(fileTime(System.currentTimeMillis()));
        out.writeLongLE(0);
        out.writeShortLE(Smb2Header.SIZE + 64);
        out.writeShortLE(token.length);
        int contextOffset = contexts.isEmpty() ? 0 : align8(Smb2Header.SIZE + 64 + token.length);
        out.writeIntLE(contextOffset);
        out.writeBytes(token);
        for (int i = 0; i < contexts.size(); i++) {
            ByteBuf c = contexts.get(i);
            while ((Smb2Header.SIZE + out.writerIndex()) % 8 != 0) {
                out.writeByte(0);
            }
            out.writeBytes(c);
            c.release();
        }
        if (token.length == 0 && contexts.isEmpty()) {
            out.writeByte(0); // the structure's one byte of buffer
        }
        return out;
    }

    static int align8(int n) {
        return (n + 7) & ~7;
    }

    /** Windows FILETIME: 100 ns ticks since 1601-01-01. */
    static long fileTime(long epochMillis) {
        return epochMillis * 10_000L + 116_444_736_000_000_000L;
    }
}
