package dev.sgw.smb.server;

import dev.sgw.smb.wire.Smb2Command;
import dev.sgw.smb.wire.Smb2Header;
import io.netty.buffer.ByteBuf;

/**
 * The credits a multi-credit request must be charged (MS-SMB2 3.3.5.2.5): one per 64 KiB of the larger of
 * what it sends and what it may get back.
 *
 * <pre>
 * command          | payload (body offsets)
 * READ             | Length (+4)
 * WRITE            | Length (+4)
 * IOCTL            | max(InputCount (+28), MaxOutputResponse (+44))
 * QUERY_DIRECTORY  | OutputBufferLength (+28)
 * QUERY_INFO       | max(OutputBufferLength (+4), InputBufferLength (+12))
 * CHANGE_NOTIFY    | OutputBufferLength (+4)
 * others           | none: 1 credit
 * </pre>
 */
final class CreditCharges {
    private CreditCharges() {}

    static int needed(Smb2Command command, ByteBuf message) {
        int body = Smb2Header.SIZE;
        long payload = switch (command) {
            case READ, WRITE -> field(message, body + 4);
            case IOCTL -> Math.max(field(message, body + 28), field(message, body + 44));
            case QUERY_DIRECTORY -> field(message, body + 28);
            case QUERY_INFO -> Math.max(field(message, body + 4), field(message, body + 12));
            case CHANGE_NOTIFY -> field(message, body + 4);
            default -> 0;
        };
        return payload <= 0 ? 1 : (int) ((payload - 1) / 65536 + 1);
    }

    private static long field(ByteBuf message, int offset) {
        return offset + 4 <= message.writerIndex() ? message.getUnsignedIntLE(offset) : 0;
    }
}
