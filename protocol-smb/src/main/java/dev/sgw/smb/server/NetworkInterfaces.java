package dev.sgw.smb.server;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;

import dev.sgw.smb.wire.NtStatus;
import dev.sgw.smb.wire.Smb2Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * FSCTL_QUERY_NETWORK_INTERFACE_INFO (MS-SMB2 2.2.32.5, 3.3.5.15.11): the interfaces a multichannel client
 * may open more channels on. The server names the one address the client reached it on, neither RSS nor
 * RDMA capable, so a client keeps one channel per interface it already uses and binds more only where it
 * connects by itself. The request names no file (FileId all ones, else INVALID_PARAMETER) and must leave
 * room for the answer (else BUFFER_TOO_SMALL), as smbtorture's smb2.ioctl.bug14788 checks.
 *
 * <pre>
 * NETWORK_INTERFACE_INFO (152 bytes): 0 Next (4, 0 in the last)  4 IfIndex (4)  8 Capability (4)
 *   12 Reserved (4)  16 LinkSpeed (8, bits per second)  24 SockAddr_Storage (128): Family (2) then
 *   IPv4 (0x0002): Port (2) = 0, address (4), zeros;  IPv6 (0x0017): Port (2) = 0, FlowInfo (4), address (16),
 *   ScopeId (4), zeros
 * </pre>
 */
final class NetworkInterfaces {
    static final int FSCTL_QUERY_NETWORK_INTERFACE_INFO = 0x001401FC;
    private static final int ENTRY_BYTES = 152;
    private static final int FAMILY_IPV4 = 0x0002;
    private static final int FAMILY_IPV6 = 0x0017;
    /** What the interface is said to carry when the system does not tell: 1 Gbit/s. */
    private static final long LINK_SPEED = 1_000_000_000L;

    private NetworkInterfaces() {}

    /** Whether an IOCTL request asks FSCTL_QUERY_NETWORK_INTERFACE_INFO. */
    static boolean asks(ByteBuf message) {
        int body = Smb2Header.SIZE;
        return message.writerIndex() >= body + 8 && message.getIntLE(body + 4) == FSCTL_QUERY_NETWORK_INTERFACE_INFO;
    }

    static SmbResponse answer(Request r) throws SmbException {
        ByteBuf m = r.message();
        int body = Smb2Header.SIZE;
        if (m.writerIndex() < body + 56) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "IOCTL request too short");
        }
        if (!r.connection().negotiated().multiChannel()) {
            throw new SmbException(NtStatus.INVALID_DEVICE_REQUEST, "multichannel was not negotiated");
        }
        if (m.getLongLE(body + 8) != -1L || m.getLongLE(body + 16) != -1L) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "QUERY_NETWORK_INTERFACE_INFO names a file");
        }
        int maxOutput = m.getIntLE(body + 44);
        if (maxOutput < ENTRY_BYTES) {
            throw new SmbException(NtStatus.BUFFER_TOO_SMALL, "QUERY_NETWORK_INTERFACE_INFO output room " + maxOutput);
        }
        ByteBuf entry = entry(r.connection().channel().localAddress());
        ByteBuf out = Unpooled.buffer(48 + ENTRY_BYTES);
        out.writeShortLE(49).writeShortLE(0).writeIntLE(FSCTL_QUERY_NETWORK_INTERFACE_INFO);
        FileId.read(m.duplicate().readerIndex(body + 8)).write(out);
        int outputOffset = Smb2Header.SIZE + 48;
        out.writeIntLE(outputOffset).writeIntLE(0);
        out.writeIntLE(outputOffset).writeIntLE(entry.readableBytes());
        out.writeIntLE(0).writeIntLE(0);
        out.writeBytes(entry);
        entry.release();
        return SmbResponse.of(out);
    }

    /** The NETWORK_INTERFACE_INFO of the interface that has {@code local}. */
    static ByteBuf entry(SocketAddress local) {
        InetAddress address = local instanceof InetSocketAddress a ? a.getAddress() : InetAddress.getLoopbackAddress();
        ByteBuf e = Unpooled.buffer(ENTRY_BYTES);
        e.writeIntLE(0).writeIntLE(interfaceIndex(address)).writeIntLE(0).writeIntLE(0);
        e.writeLongLE(LINK_SPEED);
        int storage = e.writerIndex();
        if (address instanceof Inet6Address v6) {
            e.writeShortLE(FAMILY_IPV6).writeShortLE(0).writeIntLE(0);
            e.writeBytes(v6.getAddress());
            e.writeIntLE(v6.getScopeId());
        } else if (address instanceof Inet4Address v4) {
            e.writeShortLE(FAMILY_IPV4).writeShortLE(0);
            e.writeBytes(v4.getAddress());
        }
        e.writeZero(storage + 128 - e.writerIndex());
        return e;
    }

    /** The system's index of the interface that has {@code address}; 1 when it cannot be told. */
    private static int interfaceIndex(InetAddress address) {
        try {
            NetworkInterface nic = NetworkInterface.getByInetAddress(address);
            return nic == null || nic.getIndex() < 1 ? 1 : nic.getIndex();
        } catch (SocketException e) {
            return 1;
        }
    }
}
