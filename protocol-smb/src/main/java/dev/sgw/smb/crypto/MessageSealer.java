package dev.sgw.smb.crypto;

import io.netty.buffer.ByteBuf;

/**
 * SMB 3.x encryption (MS-SMB2 2.2.41 SMB2 TRANSFORM_HEADER, 3.1.4.3): wraps a whole (possibly compounded)
 * message into a transform header + ciphertext, and unwraps one. AES-CCM from BouncyCastle, AES-GCM from
 * the JDK or BouncyCastle. Thread-safe.
 */
@SuppressWarnings({"DoNotCallSuggester", "unused"}) // stub until built
public final class MessageSealer {
    /**
     * @param dialect       0x0300, 0x0302 or 0x0311 (3.0/3.0.2 write Flags=Encrypted as the same field)
     * @param encryptionKey the session's {@link SessionKeys#encryptionKey()}
     * @param decryptionKey the session's {@link SessionKeys#decryptionKey()}
     */
    public MessageSealer(CipherSuite cipher, int dialect, byte[] encryptionKey, byte[] decryptionKey) {
        throw new UnsupportedOperationException("MessageSealer: not built yet");
    }

    /** The transform header + ciphertext of {@code plain} (all its readable bytes), for session {@code sessionId}. */
    public ByteBuf seal(ByteBuf plain, long sessionId) {
        throw new UnsupportedOperationException("MessageSealer: not built yet");
    }

    /** The session id a transform message names (bytes 44..51), without decrypting it. */
    public static long sessionIdOf(ByteBuf transform) {
        return transform.getLongLE(transform.readerIndex() + 44);
    }

    /**
     * The plaintext of {@code transform} (a transform header + ciphertext, all its readable bytes).
     *
     * @throws SecurityException when the tag does not verify or the header is malformed
     */
    public ByteBuf unseal(ByteBuf transform) {
        throw new UnsupportedOperationException("MessageSealer: not built yet");
    }
}
