package dev.sgw.smb.file;

import java.nio.ByteBuffer;

import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.wire.NtStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The data of an RqLs create context: SMB2_CREATE_REQUEST_LEASE (MS-SMB2 2.2.13.2.8, 32 bytes, version 1) or
 * SMB2_CREATE_REQUEST_LEASE_V2 (2.2.13.2.10, 52 bytes); the response contexts (2.2.14.2.10, 2.2.14.2.11) have
 * the same layout.
 *
 * <pre>
 *  0 LeaseKey (16)   16 LeaseState (4)   20 LeaseFlags (4)   24 LeaseDuration (8)
 * v2 only: 32 ParentLeaseKey (16)   48 Epoch (2)   50 Reserved (2)
 * </pre>
 */
@SuppressWarnings("ArrayRecordComponent")
record LeaseContext(int version, byte[] key, int state, int flags, byte[] parentKey, int epoch) {
    static final int FLAG_BREAK_IN_PROGRESS = 0x02, FLAG_PARENT_LEASE_KEY_SET = 0x04;

    static LeaseContext decode(byte[] data) throws SmbException {
        if (data.length < 32) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "RqLs of " + data.length + " bytes");
        }
        ByteBuf b = Unpooled.wrappedBuffer(data);
        byte[] key = new byte[16];
        b.getBytes(0, key);
        int state = b.getIntLE(16) & 0x7;
        int flags = b.getIntLE(20);
        if (data.length < 52) {
            return new LeaseContext(1, key, state, 0, new byte[16], 0);
        }
        byte[] parent = new byte[16];
        b.getBytes(32, parent);
        return new LeaseContext(2, key, state, flags, parent, b.getUnsignedShortLE(48));
    }

    ByteBuffer keyBuffer() {
        return ByteBuffer.wrap(key.clone()).asReadOnlyBuffer();
    }

    /** The response context's data for a lease in {@code granted} state at {@code epoch}. */
    ByteBuf response(int granted, int responseFlags, int responseEpoch) {
        ByteBuf out = Unpooled.buffer(52);
        out.writeBytes(key);
        out.writeIntLE(granted);
        int f = responseFlags | (version == 2 ? flags & FLAG_PARENT_LEASE_KEY_SET : 0);
        out.writeIntLE(f);
        out.writeLongLE(0);
        if (version == 2) {
            out.writeBytes(parentKey);
            out.writeShortLE(responseEpoch);
            out.writeShortLE(0);
        }
        return out;
    }
}
