package dev.sgw.smb.crypto;

import io.netty.buffer.ByteBuf;

/**
 * Signs and verifies SMB2 messages (MS-SMB2 3.1.4.1): the signature covers one message, from its header
 * to the end of the message (for a compounded message: up to the next header), with the header's
 * signature field zeroed. AES-GMAC takes its nonce from the header's MessageId and flags. Thread-safe.
 */
@SuppressWarnings({"DoNotCallSuggester", "unused"}) // stub until built
public final class MessageSigner {
    public MessageSigner(SigningAlgorithm algorithm, byte[] signingKey) {
        throw new UnsupportedOperationException("MessageSigner: not built yet");
    }

    /**
     * Writes the signature into bytes 48..63 of the message in {@code message} from {@code offset} for
     * {@code length} bytes (the SMB2_FLAGS_SIGNED flag must already be set by the caller).
     */
    public void sign(ByteBuf message, int offset, int length) {
        throw new UnsupportedOperationException("MessageSigner: not built yet");
    }

    /** Whether the message's signature is right; leaves the buffer as it was. */
    public boolean verify(ByteBuf message, int offset, int length) {
        throw new UnsupportedOperationException("MessageSigner: not built yet");
    }
}
