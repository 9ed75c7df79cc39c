package dev.sgw.smb.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.CCMBlockCipher;
import org.bouncycastle.crypto.modes.CCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * SMB 3.x encryption (MS-SMB2 2.2.41 SMB2 TRANSFORM_HEADER, 3.1.4.3): wraps a whole (possibly compounded)
 * message into a transform header + ciphertext, and unwraps one. AES-CCM from BouncyCastle, AES-GCM from
 * the JDK. Thread-safe.
 *
 * <p>A transform message (little-endian), as it follows the 4-byte transport length:
 *
 * <pre>
 *  0 ProtocolId           0xFD 'S' 'M' 'B'
 *  4 Signature (16)       the AEAD tag (AES-CCM or AES-GCM, 16 bytes)
 * 20 Nonce (16)           CCM: 11 bytes used, GCM: 12 bytes; this class writes zeros after them
 * 36 OriginalMessageSize  (u32) the plaintext's length = the ciphertext's length
 * 40 Reserved             (u16) 0
 * 42 Flags (3.1.1) / EncryptionAlgorithm (3.0, 3.0.2)  (u16) 1 in both
 * 44 SessionId            (u64)
 * 52 ciphertext of the SMB2 message(s), OriginalMessageSize bytes
 * </pre>
 *
 * The additional authenticated data is bytes 20..51 (Nonce to SessionId, 32 bytes, the whole nonce field as
 * sent); the key is the session's {@link SessionKeys#encryptionKey()} to send and {@link
 * SessionKeys#decryptionKey()} to receive. A sealed message's SMB2 headers are not signed (Signature and
 * SMB2_FLAGS_SIGNED zero). Compounded messages go into one transform message, all on its session.
 *
 * <p>Nonces: each sealer draws a random prefix (3 bytes for CCM, 4 for GCM) and a random 64-bit counter start,
 * then counts up, so that no two messages it seals share a nonce. Keep one sealer per session (shared by its
 * channels) rather than one per message.
 *
 * <p>{@link #unseal} throws {@link SecurityException} for anything not a well-formed transform message that
 * authenticates under the decryption key (short, wrong protocol id, wrong flags, size mismatch, bad tag);
 * whether its SessionId is the right session is for the caller to check ({@link #sessionIdOf}) before.
 */
public final class MessageSealer {
    /** The transform header's length. */
    public static final int HEADER_BYTES = 52;

    /** 0xFD 'S' 'M' 'B' read as a little-endian u32. */
    public static final int PROTOCOL_ID = 0x424D53FD;

    private static final int TAG_BYTES = 16;
    private static final int SIGNATURE_OFFSET = 4;
    private static final int NONCE_OFFSET = 20;
    private static final int NONCE_FIELD_BYTES = 16;
    private static final int SIZE_OFFSET = 36;
    private static final int FLAGS_OFFSET = 42;
    private static final int SESSION_ID_OFFSET = 44;
    private static final int AAD_BYTES = HEADER_BYTES - NONCE_OFFSET;
    private static final int FLAGS_ENCRYPTED = 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CipherSuite cipher;
    private final byte[] encryptionKey;
    private final byte[] decryptionKey;
    private final byte[] noncePrefix;
    private final AtomicLong nonceCounter;

    /**
     * @param dialect       0x0300, 0x0302 or 0x0311 (3.0/3.0.2 write Flags=Encrypted as the same field)
     * @param encryptionKey the session's {@link SessionKeys#encryptionKey()}
     * @param decryptionKey the session's {@link SessionKeys#decryptionKey()}
     * @throws IllegalArgumentException for another dialect, a cipher other than AES-128-CCM before 3.1.1, or keys
     *     not of the cipher's length
     */
    public MessageSealer(CipherSuite cipher, int dialect, byte[] encryptionKey, byte[] decryptionKey) {
        if (dialect != 0x0300 && dialect != 0x0302 && dialect != 0x0311) {
            throw new IllegalArgumentException(String.format("no encryption in dialect 0x%04x", dialect));
        }
        if (dialect != 0x0311 && cipher != CipherSuite.AES_128_CCM) {
            throw new IllegalArgumentException("SMB 3.0 and 3.0.2 encrypt only with AES-128-CCM, not " + cipher);
        }
        checkKey(cipher, encryptionKey, "encryption");
        checkKey(cipher, decryptionKey, "decryption");
        this.cipher = cipher;
        this.encryptionKey = encryptionKey.clone();
        this.decryptionKey = decryptionKey.clone();
        this.noncePrefix = new byte[cipher.nonceBytes() - Long.BYTES];
        RANDOM.nextBytes(noncePrefix);
        this.nonceCounter = new AtomicLong(RANDOM.nextLong());
    }

    private static void checkKey(CipherSuite cipher, byte[] key, String role) {
        if (key == null || key.length != cipher.keyBytes()) {
            throw new IllegalArgumentException(cipher + " needs a " + cipher.keyBytes() + "-byte " + role + " key");
        }
    }

    public CipherSuite cipher() {
        return cipher;
    }

    /**
     * The transform header + ciphertext of {@code plain} (all its readable bytes), for session {@code sessionId}.
     * {@code plain} is left as it was (indices included) and not released; the result is a new heap buffer.
     */
    public ByteBuf seal(ByteBuf plain, long sessionId) {
        return seal(plain, sessionId, nextNonce());
    }

    /** {@link #seal(ByteBuf, long)} with a given 16-byte nonce field: for tests against published vectors. */
    ByteBuf seal(ByteBuf plain, long sessionId, byte[] nonceField) {
        int length = plain.readableBytes();
        byte[] out = new byte[HEADER_BYTES + length + TAG_BYTES];
        ByteBuf header = Unpooled.wrappedBuffer(out).writerIndex(0);
        header.writeIntLE(PROTOCOL_ID)
                .writeZero(TAG_BYTES)
                .writeBytes(nonceField, 0, NONCE_FIELD_BYTES)
                .writeIntLE(length)
                .writeShortLE(0)
                .writeShortLE(FLAGS_ENCRYPTED)
                .writeLongLE(sessionId);
        plain.getBytes(plain.readerIndex(), out, HEADER_BYTES, length);
        byte[] nonce = Arrays.copyOfRange(out, NONCE_OFFSET, NONCE_OFFSET + cipher.nonceBytes());
        byte[] aad = Arrays.copyOfRange(out, NONCE_OFFSET, HEADER_BYTES);
        try {
            // ciphertext || tag, written over the plaintext copy at HEADER_BYTES
            aead(true, encryptionKey, nonce, aad, out, HEADER_BYTES, length, out, HEADER_BYTES);
        } catch (GeneralSecurityException | InvalidCipherTextException e) {
            throw new IllegalStateException(cipher + " encryption failed", e);
        }
        System.arraycopy(out, HEADER_BYTES + length, out, SIGNATURE_OFFSET, TAG_BYTES);
        return Unpooled.wrappedBuffer(out, 0, HEADER_BYTES + length);
    }

    /**
     * The session id a transform message names (bytes 44..51), without decrypting it.
     *
     * @throws SecurityException when fewer than the header's 52 bytes are readable
     */
    public static long sessionIdOf(ByteBuf transform) {
        checkHeaderLength(transform.readableBytes());
        return transform.getLongLE(transform.readerIndex() + SESSION_ID_OFFSET);
    }

    private static void checkHeaderLength(int total) {
        if (total < HEADER_BYTES) {
            throw new SecurityException("transform message of " + total + " bytes is shorter than its 52-byte header");
        }
    }

    /**
     * The plaintext of {@code transform} (a transform header + ciphertext, all its readable bytes). {@code
     * transform} is left as it was and not released; the result is a new heap buffer.
     *
     * @throws SecurityException when the tag does not verify or the header is malformed
     */
    public ByteBuf unseal(ByteBuf transform) {
        int start = transform.readerIndex();
        int total = transform.readableBytes();
        checkHeaderLength(total);
        int protocol = transform.getIntLE(start);
        if (protocol != PROTOCOL_ID) {
            throw new SecurityException(String.format("not a transform header: protocol id %08x", protocol));
        }
        int flags = transform.getUnsignedShortLE(start + FLAGS_OFFSET);
        if (flags != FLAGS_ENCRYPTED) {
            throw new SecurityException("transform header Flags/EncryptionAlgorithm " + flags + ", expected 1");
        }
        long size = transform.getUnsignedIntLE(start + SIZE_OFFSET);
        int length = total - HEADER_BYTES;
        if (size != length) {
            throw new SecurityException(
                    "transform header says " + size + " bytes of message, " + length + " bytes follow it");
        }
        byte[] in = new byte[length + TAG_BYTES];
        transform.getBytes(start + HEADER_BYTES, in, 0, length);
        transform.getBytes(start + SIGNATURE_OFFSET, in, length, TAG_BYTES);
        byte[] nonce = new byte[cipher.nonceBytes()];
        transform.getBytes(start + NONCE_OFFSET, nonce);
        byte[] aad = new byte[AAD_BYTES];
        transform.getBytes(start + NONCE_OFFSET, aad);
        byte[] plain = new byte[length + TAG_BYTES]; // CCM's output size is only known after the tag checks
        try {
            aead(false, decryptionKey, nonce, aad, in, 0, in.length, plain, 0);
        } catch (AEADBadTagException | InvalidCipherTextException e) {
            throw new SecurityException("transform message does not authenticate: bad signature", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(cipher + " decryption failed", e);
        }
        return Unpooled.wrappedBuffer(plain, 0, length);
    }

    /**
     * Runs the cipher's AEAD over {@code in[inOff, inOff + inLen)} into {@code out} at {@code outOff}: encrypting
     * gives ciphertext || tag, decrypting takes ciphertext || tag and gives the plaintext.
     */
    private void aead(
            boolean encrypt,
            byte[] key,
            byte[] nonce,
            byte[] aad,
            byte[] in,
            int inOff,
            int inLen,
            byte[] out,
            int outOff)
            throws GeneralSecurityException, InvalidCipherTextException {
        switch (cipher) {
            case AES_128_GCM, AES_256_GCM -> {
                Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
                gcm.init(
                        encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE,
                        new SecretKeySpec(key, "AES"),
                        new GCMParameterSpec(TAG_BYTES * 8, nonce));
                gcm.updateAAD(aad);
                gcm.doFinal(in, inOff, inLen, out, outOff);
            }
            case AES_128_CCM, AES_256_CCM -> {
                CCMModeCipher ccm = CCMBlockCipher.newInstance(AESEngine.newInstance());
                ccm.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BYTES * 8, nonce, aad));
                int buffered = ccm.processBytes(in, inOff, inLen, out, outOff); // CCM buffers it all: 0
                ccm.doFinal(out, outOff + buffered);
            }
        }
    }

    /** A fresh 16-byte nonce field: random prefix || counter (big-endian), zero-padded past the cipher's nonce. */
    private byte[] nextNonce() {
        byte[] field = new byte[NONCE_FIELD_BYTES];
        System.arraycopy(noncePrefix, 0, field, 0, noncePrefix.length);
        long counter = nonceCounter.getAndIncrement();
        for (int i = 0; i < Long.BYTES; i++) {
            field[noncePrefix.length + i] = (byte) (counter >>> (56 - 8 * i));
        }
        return field;
    }
}
