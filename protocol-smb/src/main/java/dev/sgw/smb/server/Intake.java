package dev.sgw.smb.server;

import java.util.ArrayList;
import java.util.List;

import dev.sgw.smb.wire.Smb2Command;
import dev.sgw.smb.wire.Smb2Header;
import io.netty.buffer.ByteBuf;

/**
 * The intake of one (decrypted) message, run in arrival order ({@link Arrivals}) before its requests run: each
 * request is registered with the connection's {@link RequestsInProgress} under its message id and the open
 * its FileId names, and each CANCEL cancels what it names now, after the requests sent before it were taken
 * in. Reads only the headers and FileIds; a malformed chain is taken in as far as it goes (the dispatcher
 * refuses it).
 *
 * <pre>
 * command                                   | FileId at (after the header), MS-SMB2 section
 * ------------------------------------------+-----------------------------------------------
 * CLOSE, FLUSH, LOCK, IOCTL                 | 8   (2.2.15, 2.2.17, 2.2.26, 2.2.31)
 * QUERY_DIRECTORY, CHANGE_NOTIFY            | 8   (2.2.33, 2.2.35)
 * READ, WRITE, SET_INFO                     | 16  (2.2.19, 2.2.21, 2.2.39)
 * QUERY_INFO                                | 24  (2.2.37)
 * others; a related request's all-ones id   | none (a compound's requests run in order anyway)
 * </pre>
 */
final class Intake {
    private Intake() {}

    /**
     * Registers the requests of {@code message} (its reader index at the first header) and runs its CANCELs.
     *
     * @return the registered requests, in order, null for each CANCEL
     */
    static List<RequestsInProgress.Entry> admit(Connection c, ByteBuf message) {
        List<RequestsInProgress.Entry> taken = new ArrayList<>();
        int base = message.readerIndex();
        int total = message.readableBytes();
        int offset = 0;
        while (total - offset >= Smb2Header.SIZE) {
            int at = base + offset;
            Smb2Command command = Smb2Command.of(message.getUnsignedShortLE(at + 12));
            int flags = message.getIntLE(at + 16);
            int next = message.getIntLE(at + 20);
            long messageId = message.getLongLE(at + 24);
            int length = next > 0 && next <= total - offset ? next : total - offset;
            if (command == Smb2Command.CANCEL) {
                boolean async = (flags & Smb2Header.FLAGS_ASYNC_COMMAND) != 0;
                c.cancel(async ? message.getLongLE(at + 32) : 0, messageId);
                taken.add(null);
            } else {
                long open = openId(command, message, at, length);
                taken.add(c.requests().admit(messageId, open, command == Smb2Command.CLOSE));
            }
            if (next <= 0 || next >= total - offset) {
                break;
            }
            offset += next;
        }
        return taken;
    }

    /** The volatile id of the open a request names by its FileId, or {@link RequestsInProgress#NO_OPEN}. */
    static long openId(Smb2Command command, ByteBuf message, int at, int length) {
        if (command == null) {
            return RequestsInProgress.NO_OPEN;
        }
        int field = switch (command) {
            case CLOSE, FLUSH, LOCK, IOCTL, QUERY_DIRECTORY, CHANGE_NOTIFY -> 8;
            case READ, WRITE, SET_INFO -> 16;
            case QUERY_INFO -> 24;
            default -> -1;
        };
        if (field < 0 || Smb2Header.SIZE + field + 16 > length) {
            return RequestsInProgress.NO_OPEN;
        }
        long persistent = message.getLongLE(at + Smb2Header.SIZE + field);
        long volatileId = message.getLongLE(at + Smb2Header.SIZE + field + 8);
        return persistent == -1L && volatileId == -1L ? RequestsInProgress.NO_OPEN : volatileId;
    }
}
