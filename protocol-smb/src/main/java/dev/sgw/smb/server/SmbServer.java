package dev.sgw.smb.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.sgw.core.manage.SmbUser;
import dev.sgw.core.spi.Endpoint;
import dev.sgw.core.spi.NettyListener;
import dev.sgw.core.spi.ProtocolContext;
import dev.sgw.core.spi.ProtocolServer;
import dev.sgw.core.spi.VolumeDirectory;
import dev.sgw.smb.auth.SecurityExchange;
import dev.sgw.smb.rpc.RpcPipes;
import dev.sgw.smb.rpc.ShareInfo;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMB front end: SMB 2.0.2 to 3.1.1 over direct TCP on the configured port (445 for {@code sgw serve}).
 * Each connection's pipeline is direct-TCP framing in and out, then a {@link ConnectionHandler} that runs
 * each message on a virtual thread through the {@link MessageDispatcher}. The ServerGuid is kept in the
 * state directory so that clients see the same server after a restart.
 *
 * <pre>
 * state    | event  | next    | effect
 * ---------+--------+---------+-------------------------------------------------------------
 * NEW      | start  | RUNNING | ServerGuid loaded or made; listener on the port
 * NEW      | start  | CLOSED  | the port cannot be bound: IOException, nothing left running
 * RUNNING  | close  | CLOSED  | listener and connections closed, running requests get 5 s
 * NEW      | close  | CLOSED  | nothing
 * </pre>
 */
public final class SmbServer implements ProtocolServer {
    private static final Logger LOG = LoggerFactory.getLogger(SmbServer.class);
    static final String GUID_FILE = "server-guid";

    /** Where the server is in its life. */
    enum State {
        NEW,
        RUNNING,
        CLOSED
    }

    private final SmbSettings settings;
    private final Supplier<byte[]> negotiateToken;
    private final Supplier<TreeCommands> diskCommands;
    private final AtomicInteger connections = new AtomicInteger();
    private State state = State.NEW;
    private NettyListener listener;
    private volatile List<Endpoint> endpoints = List.of();

    /**
     * @param negotiateToken gives the SPNEGO token of NEGOTIATE responses (asked once)
     * @param diskCommands   gives the commands of disk shares (asked once; null when there are none)
     */
    public SmbServer(SmbSettings settings, Supplier<byte[]> negotiateToken, Supplier<TreeCommands> diskCommands) {
        this.settings = settings;
        this.negotiateToken = once(negotiateToken);
        this.diskCommands = once(diskCommands);
    }

    @Override
    public String protocol() {
        return "smb";
    }

    @Override
    public synchronized void start(ProtocolContext context) throws IOException {
        if (state != State.NEW) {
            throw new IllegalStateException("server is " + state);
        }
        state = State.CLOSED;
        byte[] guid = serverGuid(context.stateDirectory());
        LogonThrottle throttle = new LogonThrottle(settings.failedLogonsPerMinute(), settings.failedLogonDelay());
        Supplier<SecurityExchange> exchanges = () -> new SecurityExchange(
                context::smbNtHash,
                user -> context.smbUser(user).map(SmbUser::enabled).orElse(false),
                settings.serverName());
        Supplier<RpcPipes> pipes =
                once(() -> new RpcPipes(settings.serverName(), settings.domain(), () -> shares(context.volumes())));
        MessageDispatcher dispatcher = new MessageDispatcher(
                new NegotiateCommand(settings, guid, negotiateToken),
                new SessionSetupCommand(settings, exchanges, throttle),
                new TreeConnectCommand(
                        settings, context.volumes(), context::smbUser, new PipeTreeCommands(pipes), diskCommands));
        listener = NettyListener.open(
                "SMB", context.bind(), "smb-request-", executor -> pipeline(executor, dispatcher, guid));
        state = State.RUNNING;
        String host = listener.localAddress().getAddress().getHostAddress();
        endpoints = List.of(new Endpoint(host, listener.localAddress().getPort(), "smb"));
        LOG.info(
                "SMB on {} (signing {})", listener.localAddress(), settings.signingRequired() ? "required" : "enabled");
    }

    private ChannelHandler pipeline(Executor executor, MessageDispatcher dispatcher, byte[] guid) {
        return new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline()
                        .addLast("frame-out", DirectTcpFrameEncoder.INSTANCE)
                        .addLast("frame-in", new DirectTcpFrameDecoder(settings.maxMessageBytes()))
                        .addLast("smb", new ConnectionHandler(settings, dispatcher, executor, connections, guid));
            }
        };
    }

    @Override
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** Connections open right now. */
    int connectionCount() {
        return connections.get();
    }

    @Override
    public synchronized void close() {
        if (state == State.RUNNING) {
            listener.close();
        }
        state = State.CLOSED;
        endpoints = List.of();
    }

    /** Every share, then IPC$: share enumeration leaves out those that are not browseable. */
    static List<ShareInfo> shares(VolumeDirectory volumes) {
        List<ShareInfo> list = new ArrayList<>();
        for (VolumeDirectory.SmbExport e : volumes.smbExports()) {
            String name = e.share().name();
            list.add(new ShareInfo(
                    name, ShareInfo.DISK, "", "C:\\" + name, e.share().browseable()));
        }
        list.add(new ShareInfo(TreeConnectCommand.IPC, ShareInfo.IPC, "IPC Service", ""));
        return list;
    }

    /** The GUID kept in {@code directory}, made and kept there on first start. */
    static byte[] serverGuid(Path directory) throws IOException {
        Path file = directory.resolve(GUID_FILE);
        if (Files.exists(file)) {
            String hex = Files.readString(file).trim();
            if (hex.length() == 32) {
                return HexFormat.of().parseHex(hex);
            }
            LOG.warn("{} does not hold a GUID; making a new one", file);
        }
        UUID uuid = UUID.randomUUID();
        byte[] guid = ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array();
        Path tmp = directory.resolve(GUID_FILE + ".tmp");
        Files.writeString(tmp, HexFormat.of().formatHex(guid) + "\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return guid;
    }

    /** {@code supplier}, asked at most once (again after it failed). */
    private static <T> Supplier<T> once(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;
            private boolean known;

            @Override
            public synchronized T get() {
                if (!known) {
                    value = supplier.get();
                    known = true;
                }
                return value;
            }
        };
    }
}
