package dev.sgw.smb.auth;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The three NTLMSSP messages (MS-NLMP 2.2.1): reads NEGOTIATE_MESSAGE and AUTHENTICATE_MESSAGE, writes
 * CHALLENGE_MESSAGE. All integers are little-endian; variable fields are (length, max length, offset)
 * triples pointing into the message.
 */
final class NtlmMessages {
    static final byte[] SIGNATURE = "NTLMSSP\0".getBytes(StandardCharsets.US_ASCII);
    static final int NEGOTIATE = 1;
    static final int CHALLENGE = 2;
    static final int AUTHENTICATE = 3;

    /** The VERSION field (2.2.2.10): Windows 10.0 build 20348, NTLMSSP_REVISION_W2K3 (15). */
    static final byte[] VERSION = {10, 0, 0x7C, 0x4F, 0, 0, 0, 0x0F};

    /** Offset of the MIC in an AUTHENTICATE_MESSAGE that has a VERSION field. */
    static final int MIC_OFFSET = 72;

    private NtlmMessages() {}

    /** Whether {@code token} starts with the NTLMSSP signature. */
    static boolean isNtlmssp(byte[] token) {
        return token.length >= SIGNATURE.length && Arrays.equals(token, 0, SIGNATURE.length, SIGNATURE, 0, 8);
    }

    /** The NegotiateFlags of a NEGOTIATE_MESSAGE. */
    static int parseNegotiate(byte[] msg) throws MalformedTokenException {
        checkHeader(msg, NEGOTIATE, 16);
        return le(msg).getInt(12);
    }

    /**
     * A CHALLENGE_MESSAGE (2.2.1.2): target name, flags, server challenge, target info, version.
     *
     * @param targetName the NetBIOS name in the TargetName field when REQUEST_TARGET is set
     */
    static byte[] challenge(int flags, byte[] serverChallenge, String targetName, byte[] targetInfo) {
        byte[] name = (flags & NtlmFlags.REQUEST_TARGET) != 0 ? NtlmCrypto.utf16(targetName) : new byte[0];
        int payload = 56;
        byte[] msg = new byte[payload + name.length + targetInfo.length];
        ByteBuffer b = le(msg);
        b.put(SIGNATURE).putInt(CHALLENGE);
        b.putShort((short) name.length).putShort((short) name.length).putInt(payload);
        b.putInt(flags).put(serverChallenge).putLong(0);
        b.putShort((short) targetInfo.length)
                .putShort((short) targetInfo.length)
                .putInt(payload + name.length);
        b.put(VERSION).put(name).put(targetInfo);
        return msg;
    }

    /** An AUTHENTICATE_MESSAGE's fields; {@code raw} is the whole message as received (for the MIC). */
    @SuppressWarnings("ArrayRecordComponent")
    record Authenticate(
            int flags,
            byte[] lmResponse,
            byte[] ntResponse,
            String domain,
            String user,
            String workstation,
            byte[] encryptedRandomSessionKey,
            byte[] raw) {
        /** The MIC field (16 bytes at offset 72), or null when the message is too short to hold one. */
        byte[] mic() {
            return raw.length >= MIC_OFFSET + 16 ? Arrays.copyOfRange(raw, MIC_OFFSET, MIC_OFFSET + 16) : null;
        }

        /** The message with its MIC field zeroed, as the MIC is computed over it. */
        byte[] withMicZeroed() {
            byte[] copy = raw.clone();
            Arrays.fill(copy, MIC_OFFSET, MIC_OFFSET + 16, (byte) 0);
            return copy;
        }
    }

    /** Reads an AUTHENTICATE_MESSAGE (2.2.1.3). */
    static Authenticate parseAuthenticate(byte[] msg) throws MalformedTokenException {
        checkHeader(msg, AUTHENTICATE, 64);
        int flags = le(msg).getInt(60);
        boolean unicode = (flags & NtlmFlags.NEGOTIATE_UNICODE) != 0;
        return new Authenticate(
                flags,
                field(msg, 12),
                field(msg, 20),
                string(field(msg, 28), unicode),
                string(field(msg, 36), unicode),
                string(field(msg, 44), unicode),
                field(msg, 52),
                msg.clone());
    }

    private static void checkHeader(byte[] msg, int type, int minLength) throws MalformedTokenException {
        if (msg.length < minLength || !isNtlmssp(msg)) {
            throw new MalformedTokenException("not an NTLMSSP message of " + msg.length + " bytes");
        }
        int actual = le(msg).getInt(8);
        if (actual != type) {
            throw new MalformedTokenException("NTLMSSP message type " + actual + " where " + type + " was expected");
        }
    }

    /** The bytes a (length, max length, offset) field at {@code at} points to. */
    private static byte[] field(byte[] msg, int at) throws MalformedTokenException {
        ByteBuffer b = le(msg);
        int length = Short.toUnsignedInt(b.getShort(at));
        long offset = Integer.toUnsignedLong(b.getInt(at + 4));
        if (length == 0) {
            return new byte[0];
        }
        if (offset + length > msg.length) {
            throw new MalformedTokenException("NTLMSSP field at " + at + " runs past the message");
        }
        return Arrays.copyOfRange(msg, (int) offset, (int) offset + length);
    }

    private static String string(byte[] bytes, boolean unicode) throws MalformedTokenException {
        if (unicode && bytes.length % 2 != 0) {
            throw new MalformedTokenException("UTF-16 string of odd length " + bytes.length);
        }
        return new String(bytes, unicode ? StandardCharsets.UTF_16LE : StandardCharsets.ISO_8859_1);
    }

    static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
