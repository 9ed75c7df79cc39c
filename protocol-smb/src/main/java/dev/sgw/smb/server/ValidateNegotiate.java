package dev.sgw.smb.server;

import java.util.Arrays;

import dev.sgw.smb.wire.NtStatus;
import dev.sgw.smb.wire.Smb2Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * FSCTL_VALIDATE_NEGOTIATE_INFO (MS-SMB2 2.2.31.4, 2.2.32.6, 3.3.5.15.12): the client repeats what it sent
 * in NEGOTIATE, signed, so that a man in the middle who downgraded the dialect or security mode is caught.
 * What it says must match the connection's NEGOTIATE request, else the connection is terminated ({@link
 * Mismatch}); the answer repeats the server's side.
 */
final class ValidateNegotiate {
    static final int FSCTL_VALIDATE_NEGOTIATE_INFO = 0x00140204;

    /** The client's NEGOTIATE was tampered with, or the client lies: the connection must end. */
    static final class Mismatch extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Mismatch(String message) {
            super(message, null, false, false);
        }
    }

    private ValidateNegotiate() {}

    /** Whether an IOCTL request asks FSCTL_VALIDATE_NEGOTIATE_INFO. */
    static boolean asks(ByteBuf message) {
        int body = Smb2Header.SIZE;
        return message.writerIndex() >= body + 8 && message.getIntLE(body + 4) == FSCTL_VALIDATE_NEGOTIATE_INFO;
    }

    static SmbResponse answer(Request r) throws SmbException {
        ByteBuf m = r.message();
        int body = Smb2Header.SIZE;
        if (m.writerIndex() < body + 56) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "IOCTL request too short");
        }
        int inputOffset = m.getIntLE(body + 24);
        int inputCount = m.getIntLE(body + 28);
        int maxOutput = m.getIntLE(body + 44);
        if (inputCount < 24 || inputOffset < body || (long) inputOffset + inputCount > m.writerIndex()) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "VALIDATE_NEGOTIATE_INFO input of " + inputCount);
        }
        if (maxOutput < 24) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "VALIDATE_NEGOTIATE_INFO output room " + maxOutput);
        }
        Negotiated n = r.connection().negotiated();
        int caps = m.getIntLE(inputOffset);
        byte[] guid = new byte[16];
        m.getBytes(inputOffset + 4, guid);
        int securityMode = m.getUnsignedShortLE(inputOffset + 20);
        int count = m.getUnsignedShortLE(inputOffset + 22);
        if (24 + 2 * count > inputCount) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "VALIDATE_NEGOTIATE_INFO with " + count + " dialects");
        }
        int dialect = 0;
        for (int i = 0; i < count; i++) {
            int offered = m.getUnsignedShortLE(inputOffset + 24 + 2 * i);
            for (int d : NegotiateCommand.DIALECTS) {
                if (d == offered && d > dialect) {
                    dialect = d;
                }
            }
        }
        if (caps != n.clientCapabilities()
                || !Arrays.equals(guid, n.clientGuid())
                || securityMode != n.clientSecurityMode()
                || dialect != n.dialect()) {
            throw new Mismatch(String.format(
                    "VALIDATE_NEGOTIATE_INFO does not match NEGOTIATE (capabilities %x/%x, security mode %x/%x, dialect"
                            + " %04x/%04x, GUID %s)",
                    caps,
                    n.clientCapabilities(),
                    securityMode,
                    n.clientSecurityMode(),
                    dialect,
                    n.dialect(),
                    Arrays.equals(guid, n.clientGuid()) ? "same" : "differs"));
        }
        ByteBuf out = Unpooled.buffer(48 + 24);
        out.writeShortLE(49).writeShortLE(0).writeIntLE(FSCTL_VALIDATE_NEGOTIATE_INFO);
        FileId.read(m.duplicate().readerIndex(body + 8)).write(out);
        int outputOffset = Smb2Header.SIZE + 48;
        out.writeIntLE(outputOffset).writeIntLE(0);
        out.writeIntLE(outputOffset).writeIntLE(24);
        out.writeIntLE(0).writeIntLE(0);
        out.writeIntLE(n.serverCapabilities());
        out.writeBytes(r.connection().serverGuid());
        out.writeShortLE(n.serverSecurityMode());
        out.writeShortLE(n.dialect());
        return SmbResponse.of(out);
    }
}
