package dev.sgw.smb.wire;

import io.netty.buffer.ByteBuf;

/**
 * The 64-byte SMB2 packet header (MS-SMB2 2.2.1.1 sync, 2.2.1.2 async), little-endian.
 *
 * <pre>
 *  0 ProtocolId 0xFE 'S' 'M' 'B'       20 NextCommand (u32): offset of the next compounded header, 0 if last
 *  4 StructureSize = 64 (u16)          24 MessageId (u64)
 *  6 CreditCharge (u16)                32 sync: Reserved (u32), TreeId (u32) | async: AsyncId (u64)
 *  8 Status (u32) / ChannelSequence    40 SessionId (u64)
 * 12 Command (u16)                     48 Signature (16 bytes)
 * 14 CreditRequest/Response (u16)
 * 16 Flags (u32)
 * </pre>
 *
 * @param creditCharge credits this request costs (2.1+; 0 means 1)
 * @param status       NTSTATUS in responses; ChannelSequence (low 16 bits) in 3.x requests
 * @param command      the command code ({@link Smb2Command#of} may give null for unknown codes)
 * @param credits      CreditRequest in requests, CreditResponse in responses
 * @param flags        {@link #FLAGS_SERVER_TO_REDIR} etc.
 * @param nextCommand  offset from this header to the next compounded one, 0 if last
 * @param messageId    the request's sequence number
 * @param asyncId      when {@link #FLAGS_ASYNC_COMMAND} is set; else 0
 * @param treeId       when not async; else 0
 * @param sessionId    0 before SESSION_SETUP completes
 * @param signature    16 bytes, zero when unsigned
 */
@SuppressWarnings("ArrayRecordComponent")
public record Smb2Header(
        int creditCharge,
        int status,
        int command,
        int credits,
        int flags,
        int nextCommand,
        long messageId,
        long asyncId,
        int treeId,
        long sessionId,
        byte[] signature) {

    public static final int SIZE = 64;
    public static final int PROTOCOL_ID = 0x424D53FE; // 0xFE 'S' 'M' 'B' read little-endian
    public static final int FLAGS_SERVER_TO_REDIR = 0x00000001;
    public static final int FLAGS_ASYNC_COMMAND = 0x00000002;
    public static final int FLAGS_RELATED_OPERATIONS = 0x00000004;
    public static final int FLAGS_SIGNED = 0x00000008;
    public static final int FLAGS_PRIORITY_MASK = 0x00000070;
    public static final int FLAGS_DFS_OPERATIONS = 0x10000000;
    public static final int FLAGS_REPLAY_OPERATION = 0x20000000;
    /** The signature's offset within the header. */
    public static final int SIGNATURE_OFFSET = 48;

    public boolean isAsync() {
        return (flags & FLAGS_ASYNC_COMMAND) != 0;
    }

    public boolean isRelated() {
        return (flags & FLAGS_RELATED_OPERATIONS) != 0;
    }

    public boolean isSigned() {
        return (flags & FLAGS_SIGNED) != 0;
    }

    /**
     * Reads a header at {@code in}'s reader index and advances it by {@link #SIZE}.
     *
     * @throws IllegalArgumentException when fewer than 64 bytes remain, the protocol id is not SMB2's or the
     *     structure size is not 64
     */
    public static Smb2Header decode(ByteBuf in) {
        if (in.readableBytes() < SIZE) {
            throw new IllegalArgumentException("SMB2 header needs 64 bytes, " + in.readableBytes() + " left");
        }
        int protocol = in.readIntLE();
        if (protocol != PROTOCOL_ID) {
            throw new IllegalArgumentException(String.format("not an SMB2 header: protocol id %08x", protocol));
        }
        int structureSize = in.readUnsignedShortLE();
        if (structureSize != SIZE) {
            throw new IllegalArgumentException("SMB2 header structure size " + structureSize);
        }
        int creditCharge = in.readUnsignedShortLE();
        int status = in.readIntLE();
        int command = in.readUnsignedShortLE();
        int credits = in.readUnsignedShortLE();
        int flags = in.readIntLE();
        int next = in.readIntLE();
        long messageId = in.readLongLE();
        long asyncId = 0;
        int treeId = 0;
        if ((flags & FLAGS_ASYNC_COMMAND) != 0) {
            asyncId = in.readLongLE();
        } else {
            in.skipBytes(4);
            treeId = in.readIntLE();
        }
        long sessionId = in.readLongLE();
        byte[] signature = new byte[16];
        in.readBytes(signature);
        return new Smb2Header(
                creditCharge, status, command, credits, flags, next, messageId, asyncId, treeId, sessionId, signature);
    }

    /** Writes the 64 header bytes at {@code out}'s writer index. */
    public void encode(ByteBuf out) {
        out.writeIntLE(PROTOCOL_ID);
        out.writeShortLE(SIZE);
        out.writeShortLE(creditCharge);
        out.writeIntLE(status);
        out.writeShortLE(command);
        out.writeShortLE(credits);
        out.writeIntLE(flags);
        out.writeIntLE(nextCommand);
        out.writeLongLE(messageId);
        if ((flags & FLAGS_ASYNC_COMMAND) != 0) {
            out.writeLongLE(asyncId);
        } else {
            out.writeIntLE(0);
            out.writeIntLE(treeId);
        }
        out.writeLongLE(sessionId);
        out.writeBytes(signature == null ? new byte[16] : signature);
    }
}
