package dev.sgw.smb.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.sgw.smb.wire.Smb2Command;
import dev.sgw.smb.wire.Smb2Header;
import io.netty.buffer.ByteBuf;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.macs.GMac;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * Signs and verifies SMB2 messages (MS-SMB2 3.1.4.1): the signature covers one message, from its header
 * to the end of the message (for a compounded message: up to the next header), with the header's
 * signature field zeroed. AES-GMAC takes its nonce from the header's MessageId and flags. Thread-safe.
 *
 * <p>What the caller does, per message of a (possibly compounded) packet:
 *
 * <ul>
 *   <li>{@code offset} is where the message's 64-byte header starts; {@code length} is its NextCommand when that
 *       is not 0 (so the padding to the next 8-byte aligned header is signed with the message before it), else
 *       the rest of the packet. Each message of a compound is signed on its own.
 *   <li>Signing: set SMB2_FLAGS_SIGNED (0x8) in the header's Flags first (the flag is covered by the
 *       signature), then call {@link #sign}; it writes the 16-byte signature at header bytes 48..63 and touches
 *       nothing else. Sign a compound's messages after all their NextCommand fields are final.
 *   <li>Verifying: {@link #verify} computes the signature with bytes 48..63 taken as zero and compares it, in
 *       constant time, to what is there. A message too short or reaching past the buffer's writer index simply
 *       fails.
 *   <li>An encrypted message is not signed (MS-SMB2 3.1.4.3: the AEAD tag protects it): its Signature and the
 *       SIGNED flag stay zero.
 * </ul>
 *
 * <p>The algorithms, all giving 16 bytes:
 *
 * <pre>
 * HMAC_SHA256  2.0.2, 2.1     HMAC-SHA256(session key, message), first 16 bytes of the 32
 * AES_CMAC     3.0 .. 3.1.1   AES-128-CMAC(signing key, message) (RFC 4493)
 * AES_GMAC     3.1.1 when SMB2_SIGNING_CAPABILITIES chose it: AES-128-GCM(signing key, nonce) over no
 *              plaintext with the message as additional data; the tag is the signature. nonce (12 bytes) =
 *              MessageId (header bytes 24..31, as on the wire) || u32 LE with bit 0 = SMB2_FLAGS_SERVER_TO_REDIR
 *              of the header's Flags (1 in responses) and bit 1 = Command is CANCEL.
 * </pre>
 */
public final class MessageSigner {
    /** The signature's length, and where it sits in the header. */
    public static final int SIGNATURE_BYTES = 16;

    private static final int SIGNATURE_OFFSET = Smb2Header.SIGNATURE_OFFSET;
    private static final int COMMAND_OFFSET = 12;
    private static final int FLAGS_OFFSET = 16;
    private static final int MESSAGE_ID_OFFSET = 24;
    private static final int GMAC_NONCE_BYTES = 12;
    private static final int CHUNK_BYTES = 16 * 1024;
    private static final byte[] ZERO_SIGNATURE = new byte[SIGNATURE_BYTES];

    private final SigningAlgorithm algorithm;
    private final byte[] key;

    /**
     * @param signingKey the session's {@link SessionKeys#signingKey()} (16 bytes; HMAC-SHA256 takes any
     *     non-empty key)
     */
    public MessageSigner(SigningAlgorithm algorithm, byte[] signingKey) {
        if (signingKey == null || signingKey.length == 0) {
            throw new IllegalArgumentException("no signing key");
        }
        if (algorithm != SigningAlgorithm.HMAC_SHA256 && signingKey.length != 16) {
            throw new IllegalArgumentException(algorithm + " needs a 16-byte key, not " + signingKey.length);
        }
        this.algorithm = algorithm;
        this.key = signingKey.clone();
    }

    public SigningAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * Writes the signature into bytes 48..63 of the message in {@code message} from {@code offset} for
     * {@code length} bytes (the SMB2_FLAGS_SIGNED flag must already be set by the caller).
     *
     * @throws IllegalArgumentException when the range is shorter than a header or not inside the written bytes
     */
    public void sign(ByteBuf message, int offset, int length) {
        if (!fits(message, offset, length)) {
            throw new IllegalArgumentException("cannot sign " + length + " bytes at " + offset + " of a "
                    + message.writerIndex() + "-byte buffer");
        }
        message.setBytes(offset + SIGNATURE_OFFSET, signature(message, offset, length));
    }

    /** Whether the message's signature is right; leaves the buffer as it was. */
    public boolean verify(ByteBuf message, int offset, int length) {
        if (!fits(message, offset, length)) {
            return false;
        }
        byte[] received = new byte[SIGNATURE_BYTES];
        message.getBytes(offset + SIGNATURE_OFFSET, received);
        return MessageDigest.isEqual(signature(message, offset, length), received);
    }

    private static boolean fits(ByteBuf message, int offset, int length) {
        return offset >= 0 && length >= Smb2Header.SIZE && length <= message.writerIndex() - offset;
    }

    private byte[] signature(ByteBuf message, int offset, int length) {
        try {
            return switch (algorithm) {
                case HMAC_SHA256 -> hmacSha256(message, offset, length);
                case AES_CMAC -> aesCmac(message, offset, length);
                case AES_GMAC -> aesGmac(message, offset, length);
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }

    private byte[] hmacSha256(ByteBuf message, int offset, int length) throws GeneralSecurityException {
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(key, "HmacSHA256"));
        feedZeroingSignature(message, offset, length, hmac::update);
        return Arrays.copyOf(hmac.doFinal(), SIGNATURE_BYTES);
    }

    private byte[] aesCmac(ByteBuf message, int offset, int length) {
        CMac cmac = newCmac(key);
        feedZeroingSignature(message, offset, length, cmac::update);
        byte[] out = new byte[SIGNATURE_BYTES];
        cmac.doFinal(out, 0);
        return out;
    }

    /**
     * AES-GMAC by BouncyCastle: the JDK's AES-GCM takes additional data whole at the end and runs below
     * 150 MB/s on a message of megabytes; BouncyCastle's GMAC runs at some 500 MB/s.
     */
    private byte[] aesGmac(ByteBuf message, int offset, int length) {
        GMac gmac = new GMac(GCMBlockCipher.newInstance(AESEngine.newInstance()), SIGNATURE_BYTES * 8);
        gmac.init(new ParametersWithIV(new KeyParameter(key), gmacNonce(message, offset)));
        feedZeroingSignature(message, offset, length, gmac::update);
        byte[] out = new byte[SIGNATURE_BYTES];
        gmac.doFinal(out, 0);
        return out;
    }

    /** The AES-GMAC nonce of the message whose header is at {@code offset} (see the class comment). */
    static byte[] gmacNonce(ByteBuf message, int offset) {
        byte[] nonce = new byte[GMAC_NONCE_BYTES];
        message.getBytes(offset + MESSAGE_ID_OFFSET, nonce, 0, 8);
        int flags = message.getIntLE(offset + FLAGS_OFFSET);
        int command = message.getUnsignedShortLE(offset + COMMAND_OFFSET);
        int role = (flags & Smb2Header.FLAGS_SERVER_TO_REDIR) != 0 ? 1 : 0;
        int cancel = command == Smb2Command.CANCEL.code() ? 2 : 0;
        nonce[8] = (byte) (role | cancel);
        return nonce;
    }

    /** AES-128-CMAC (RFC 4493) of {@code data} under {@code key}: the primitive behind {@code AES_CMAC}. */
    static byte[] aesCmac(byte[] key, byte[] data) {
        CMac cmac = newCmac(key);
        cmac.update(data, 0, data.length);
        byte[] out = new byte[SIGNATURE_BYTES];
        cmac.doFinal(out, 0);
        return out;
    }

    private static CMac newCmac(byte[] key) {
        CMac cmac = new CMac(AESEngine.newInstance());
        cmac.init(new KeyParameter(key));
        return cmac;
    }

    /** Something bytes are fed to: a MAC, or a cipher's additional data. */
    @FunctionalInterface
    private interface ByteSink {
        void update(byte[] bytes, int offset, int length);
    }

    /** Feeds the message to {@code sink} with its signature field replaced by zeros, without copying it whole. */
    private static void feedZeroingSignature(ByteBuf message, int offset, int length, ByteSink sink) {
        feed(message, offset, SIGNATURE_OFFSET, sink);
        sink.update(ZERO_SIGNATURE, 0, SIGNATURE_BYTES);
        int bodyStart = SIGNATURE_OFFSET + SIGNATURE_BYTES;
        feed(message, offset + bodyStart, length - bodyStart, sink);
    }

    private static void feed(ByteBuf message, int index, int length, ByteSink sink) {
        if (message.hasArray()) {
            sink.update(message.array(), message.arrayOffset() + index, length);
            return;
        }
        byte[] chunk = new byte[Math.min(length, CHUNK_BYTES)];
        for (int done = 0; done < length; ) {
            int n = Math.min(chunk.length, length - done);
            message.getBytes(index + done, chunk, 0, n);
            sink.update(chunk, 0, n);
            done += n;
        }
    }
}
