package dev.sgw.smb.server;

import java.net.SocketAddress;

import dev.sgw.smb.wire.Smb2Command;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** One client's TCP connection, as handlers see it. Implemented by the transport. Thread-safe. */
public interface SmbConnection {
    /** A number naming this connection in logs and in the sharing seam's owners. */
    long id();

    SocketAddress remote();

    /** The negotiated dialect: 0x0202, 0x0210, 0x0300, 0x0302 or 0x0311 (0 before NEGOTIATE). */
    int dialect();

    /**
     * Whether multichannel was negotiated (3.x): sessions may be bound to more connections, and LOCK checks
     * lock sequences for replays (MS-SMB2 3.3.5.14).
     */
    default boolean multiChannel() {
        return false;
    }

    /** The client's GUID from NEGOTIATE (16 bytes; zeros for 2.0.2). */
    byte[] clientGuid();

    /** Largest READ length / WRITE length / IOCTL or QUERY output the server advertised. */
    int maxReadSize();

    int maxWriteSize();

    int maxTransactSize();

    /**
     * The allocator of the connection's transport. A large response body (READ data) taken from it as a direct
     * buffer goes to the socket without being copied again.
     */
    ByteBufAllocator alloc();

    /**
     * Sends an unsolicited message (an oplock or lease break notification: MessageId all ones, SessionId
     * as MS-SMB2 3.3.4.6/3.3.4.7 say), signed or encrypted as the session requires. Never blocks on the
     * volume; the body is released.
     */
    void notify(Smb2Command command, long sessionId, ByteBuf body);
}
