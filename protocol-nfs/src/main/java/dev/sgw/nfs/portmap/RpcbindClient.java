package dev.sgw.nfs.portmap;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.sgw.nfs.xdr.XdrDecoder;
import dev.sgw.nfs.xdr.XdrEncoder;
import dev.sgw.nfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Registers programs with the host's running rpcbind when the gateway cannot serve port 111 itself, so
 * that {@code showmount} and {@code mount -o vers=3} find MOUNT and NFS. Speaks rpcbind version 3 SET and
 * UNSET (RFC 1833), over rpcbind's local socket when there is one (rpcbind trusts its peer's uid there),
 * else over TCP to port 111 from a privileged source port (rpcbind refuses registrations from others).
 * One blocking call at a time; each call opens its own connection.
 */
public final class RpcbindClient {
    /** Where rpcbind listens for local clients on Linux. */
    public static final List<Path> LOCAL_SOCKETS =
            List.of(Path.of("/run/rpcbind.sock"), Path.of("/var/run/rpcbind.sock"));

    static final int VERSION = 3, SET = 1, UNSET = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final SocketAddress server;

    private RpcbindClient(SocketAddress server) {
        this.server = server;
    }

    /** A client of rpcbind at {@code server} (a TCP address, or a local socket). */
    public static RpcbindClient at(SocketAddress server) {
        return new RpcbindClient(server);
    }

    /** A client of this host's rpcbind: its local socket if present, else 127.0.0.1:111. */
    // an IPv4 literal, no name lookup: the host's rpcbind is reached on 127.0.0.1
    @SuppressWarnings("AddressSelection")
    public static RpcbindClient local() {
        for (Path socket : LOCAL_SOCKETS) {
            if (Files.exists(socket)) {
                return new RpcbindClient(UnixDomainSocketAddress.of(socket));
            }
        }
        return new RpcbindClient(new InetSocketAddress("127.0.0.1", 111));
    }

    /** Where this client sends its calls. */
    public SocketAddress server() {
        return server;
    }

    /**
     * Registers each registration; returns those rpcbind refused (e.g. already registered by another
     * server). Fails with an {@link IOException} when rpcbind cannot be reached.
     */
    public List<Registration> register(List<Registration> registrations) throws IOException {
        List<Registration> refused = new ArrayList<>();
        for (Registration r : registrations) {
            if (!call(SET, r)) {
                refused.add(r);
            }
        }
        return refused;
    }

    /** Removes the registrations of these programs and versions (all transports); best effort. */
    public void unregister(List<Registration> registrations) throws IOException {
        for (Registration r : registrations) {
            call(UNSET, r);
        }
    }

    private boolean call(int procedure, Registration r) throws IOException {
        int xid = ThreadLocalRandom.current().nextInt();
        XdrEncoder out = new XdrEncoder();
        out.writeInt(0); // record mark, patched below
        out.writeInt(xid)
                .writeEnum(0)
                .writeInt(2) // CALL, RPC version 2
                .writeInt(PortmapProgram.PROGRAM)
                .writeInt(VERSION)
                .writeInt(procedure)
                .writeEnum(0)
                .writeInt(0) // credential AUTH_NONE
                .writeEnum(0)
                .writeInt(0) // verifier AUTH_NONE
                .writeInt(r.program())
                .writeInt(r.version())
                .writeString(r.netid(), 255)
                .writeString(r.uaddr(), 255)
                .writeString(r.owner(), 255);
        ByteBuf request = out.buffer();
        request.setInt(0, 0x8000_0000 | (request.readableBytes() - 4));
        try (Connection connection = open()) {
            byte[] bytes = new byte[request.readableBytes()];
            request.readBytes(bytes);
            request.release();
            connection.out().write(bytes);
            connection.out().flush();
            ByteBuf reply = readRecord(connection.in());
            try {
                XdrDecoder in = new XdrDecoder(reply);
                if (in.readInt() != xid || in.readEnum() != 1) {
                    throw new IOException("rpcbind at " + server + " answered another call");
                }
                if (in.readEnum() != 0) {
                    throw new IOException("rpcbind at " + server + " denied the call");
                }
                in.readEnum(); // verifier flavor
                in.readOpaque(400);
                int acceptStat = in.readEnum();
                if (acceptStat != 0) {
                    throw new IOException(
                            "rpcbind at " + server + " did not accept the call (accept_stat " + acceptStat + ")");
                }
                return in.readBool();
            } catch (XdrException e) {
                throw new IOException("rpcbind at " + server + " sent a malformed reply", e);
            } finally {
                reply.release();
            }
        }
    }

    /** One connection to rpcbind. */
    private record Connection(InputStream in, OutputStream out, Closeable resource) implements Closeable {
        @Override
        public void close() throws IOException {
            resource.close();
        }
    }

    private Connection open() throws IOException {
        if (server instanceof UnixDomainSocketAddress) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(server);
            } catch (IOException e) {
                channel.close();
                throw new IOException("cannot reach rpcbind at " + server + ": " + e.getMessage(), e);
            }
            return new Connection(Channels.newInputStream(channel), Channels.newOutputStream(channel), channel);
        }
        Socket socket = new Socket();
        try {
            bindPrivileged(socket);
            socket.connect(server, (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            return new Connection(socket.getInputStream(), socket.getOutputStream(), socket);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot reach rpcbind at " + server + ": " + e.getMessage(), e);
        }
    }

    /** rpcbind takes SET and UNSET over TCP only from a privileged port; try a few when we may bind them. */
    // an IPv4 literal, no name lookup: the host's rpcbind is reached on 127.0.0.1
    @SuppressWarnings("AddressSelection")
    private static void bindPrivileged(Socket socket) {
        for (int attempt = 0; attempt < 16; attempt++) {
            int port = 600 + ThreadLocalRandom.current().nextInt(400);
            try {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
                return;
            } catch (IOException e) {
                // taken or not permitted: try another, or go without one
            }
        }
    }

    private static ByteBuf readRecord(InputStream in) throws IOException {
        ByteBuf record = Unpooled.buffer();
        boolean last = false;
        while (!last) {
            byte[] header = in.readNBytes(4);
            if (header.length < 4) {
                record.release();
                throw new IOException("rpcbind closed the connection");
            }
            int mark = ByteBuffer.wrap(header).getInt();
            last = (mark & 0x8000_0000) != 0;
            int length = mark & 0x7fff_ffff;
            if (record.readableBytes() + length > 64 * 1024) {
                record.release();
                throw new IOException("rpcbind reply of " + length + " bytes is too long");
            }
            byte[] fragment = in.readNBytes(length);
            if (fragment.length < length) {
                record.release();
                throw new IOException("rpcbind closed the connection");
            }
            record.writeBytes(fragment);
        }
        return record;
    }
}
