package dev.sgw.smb.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
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
     * {@code plain} is left as it was (indices included) and not released; the result is a new direct buffer.
     */
    public ByteBuf seal(ByteBuf plain, long sessionId) {
        return seal(plain, sessionId, nextNonce());
    }

    /** {@link #seal(ByteBuf, long)} with a given 16-byte nonce field: for tests against published vectors. */
    ByteBuf seal(ByteBuf plain, long sessionId, byte[] nonceField) {
        int length = plain.readableBytes();
        ByteBuf out = ByteBufAllocator.DEFAULT.directBuffer(HEADER_BYTES + length + TAG_BYTES);
        boolean sealed = false;
        try {
            out.writeIntLE(PROTOCOL_ID)
                    .writeZero(TAG_BYTES)
                    .writeBytes(nonceField, 0, NONCE_FIELD_BYTES)
                    .writeIntLE(length)
                    .writeShortLE(0)
                    .writeShortLE(FLAGS_ENCRYPTED)
                    .writeLongLE(sessionId);
            byte[] nonce = Arrays.copyOf(nonceField, cipher.nonceBytes());
            byte[] aad = ByteBufUtil.getBytes(out, NONCE_OFFSET, AAD_BYTES);
            // ciphertext || tag after the header, then the tag moved into the header's Signature
            ByteBuffer target = out.nioBuffer(HEADER_BYTES, length + TAG_BYTES);
            try {
                encrypt(nonce, aad, plain.nioBuffers(plain.readerIndex(), length), target);
            } catch (GeneralSecurityException | InvalidCipherTextException e) {
                throw new IllegalStateException(cipher + " encryption failed", e);
            }
            out.setBytes(SIGNATURE_OFFSET, out, HEADER_BYTES + length, TAG_BYTES);
            out.writerIndex(HEADER_BYTES + length);
            sealed = true;
            return out;
        } finally {
            if (!sealed) {
                out.release();
            }
        }
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
     * transform} is left as it was and not released; the result is a new direct buffer.
     *
     * @throws SecurityException when the tag does not verify or the header is malformed
     */
    public ByteBuf unseal(ByteBuf transform) {
        int start = transform.readerIndex();
        int length = checkTransformHeader(transform);
        byte[] nonce = new byte[cipher.nonceBytes()];
        transform.getBytes(start + NONCE_OFFSET, nonce);
        byte[] aad = new byte[AAD_BYTES];
        transform.getBytes(start + NONCE_OFFSET, aad);
        ByteBuf plain = ByteBufAllocator.DEFAULT.directBuffer(length);
        boolean authentic = false;
        try {
            decrypt(
                    nonce,
                    aad,
                    transform.nioBuffers(start + HEADER_BYTES, length),
                    transform.nioBuffer(start + SIGNATURE_OFFSET, TAG_BYTES),
                    plain.nioBuffer(0, length));
            plain.writerIndex(length);
            authentic = true;
            return plain;
        } catch (AEADBadTagException | InvalidCipherTextException e) {
            throw new SecurityException("transform message does not authenticate: bad signature", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(cipher + " decryption failed", e);
        } finally {
            if (!authentic) {
                plain.release();
            }
        }
    }

    /** Checks a transform message's header; its ciphertext's length. */
    private static int checkTransformHeader(ByteBuf transform) {
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
        return length;
    }

    /**
     * Encrypts the bytes of {@code plain} (in order) into {@code out}: ciphertext || tag. AES-GCM runs on the
     * buffers as they are: the JDK's AES-GCM is fast on direct buffers (some GB/s) and slow on one large heap
     * array (below 100 MB/s); AES-CCM (BouncyCastle) works on arrays.
     */
    private void encrypt(byte[] nonce, byte[] aad, ByteBuffer[] plain, ByteBuffer out)
            throws GeneralSecurityException, InvalidCipherTextException {
        switch (cipher) {
            case AES_128_GCM, AES_256_GCM -> {
                Cipher gcm = gcm(Cipher.ENCRYPT_MODE, encryptionKey, nonce, aad);
                for (ByteBuffer piece : plain) {
                    gcm.update(piece, out);
                }
                gcm.doFinal(ByteBuffer.allocate(0), out);
            }
            case AES_128_CCM, AES_256_CCM -> {
                byte[] in = concat(plain, 0);
                byte[] sealed = new byte[in.length + TAG_BYTES];
                ccm(true, encryptionKey, nonce, aad, in, sealed);
                out.put(sealed);
            }
        }
    }

    /**
     * Decrypts {@code ciphertext} (its pieces in order) with {@code tag} into {@code out}.
     *
     * @throws AEADBadTagException or {@link InvalidCipherTextException} when the tag does not verify
     */
    private void decrypt(byte[] nonce, byte[] aad, ByteBuffer[] ciphertext, ByteBuffer tag, ByteBuffer out)
            throws GeneralSecurityException, InvalidCipherTextException {
        switch (cipher) {
            case AES_128_GCM, AES_256_GCM -> {
                Cipher gcm = gcm(Cipher.DECRYPT_MODE, decryptionKey, nonce, aad);
                for (ByteBuffer piece : ciphertext) {
                    gcm.update(piece, out);
                }
                gcm.doFinal(tag, out);
            }
            case AES_128_CCM, AES_256_CCM -> {
                byte[] in = concat(ciphertext, TAG_BYTES);
                tag.get(in, in.length - TAG_BYTES, TAG_BYTES);
                byte[] plain = new byte[in.length]; // CCM's output size is only known after the tag checks
                int n = ccm(false, decryptionKey, nonce, aad, in, plain);
                out.put(plain, 0, n);
            }
        }
    }

    private Cipher gcm(int mode, byte[] key, byte[] nonce, byte[] aad) throws GeneralSecurityException {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
        gcm.updateAAD(aad);
        return gcm;
    }

    /** AES-CCM over all of {@code in} into {@code out}; the number of bytes written. */
    private static int ccm(boolean encrypt, byte[] key, byte[] nonce, byte[] aad, byte[] in, byte[] out)
            throws InvalidCipherTextException {
        CCMModeCipher ccm = CCMBlockCipher.newInstance(AESEngine.newInstance());
        ccm.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BYTES * 8, nonce, aad));
        int buffered = ccm.processBytes(in, 0, in.length, out, 0); // CCM buffers it all: 0
        return buffered + ccm.doFinal(out, buffered);
    }

    /** The bytes of {@code pieces} in one array, with {@code room} more bytes at its end. */
    private static byte[] concat(ByteBuffer[] pieces, int room) {
        int length = 0;
        for (ByteBuffer piece : pieces) {
            length += piece.remaining();
        }
        byte[] all = new byte[length + room];
        int at = 0;
        for (ByteBuffer piece : pieces) {
            int n = piece.remaining();
            piece.get(all, at, n);
            at += n;
        }
        return all;
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
