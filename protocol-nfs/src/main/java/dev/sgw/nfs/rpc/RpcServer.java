package dev.sgw.nfs.rpc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a set of {@link RpcProgram}s over TCP on one port: record marking, call decoding, dispatch on
 * virtual threads, one duplicate request cache for all connections.
 *
 * <pre>
 * state    | event  | next     | effect
 * ---------+--------+----------+------------------------------------------------
 * NEW      | start  | RUNNING  | listening; each connection gets its pipeline
 * RUNNING  | close  | CLOSED   | listener and connections closed, running calls get 5 s
 * NEW      | close  | CLOSED   | nothing to stop
 * </pre>
 */
public final class RpcServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RpcServer.class);

    /** Where the server is in its life. */
    enum State {
        NEW,
        RUNNING,
        CLOSED
    }

    /**
     * The limits of the server.
     *
     * @param maxRecordBytes           largest call record accepted (larger ones close the connection)
     * @param maxInFlightPerConnection calls of one connection running at once before it is no longer read
     * @param duplicateCacheEntries    completed non-idempotent replies kept for retransmissions
     */
    public record Settings(int maxRecordBytes, int maxInFlightPerConnection, int duplicateCacheEntries) {
        /** 1 MiB of data plus headers per record, 128 calls in flight per connection, 4096 cached replies. */
        public static Settings defaults() {
            return new Settings(1024 * 1024 + 64 * 1024, 128, 4096);
        }
    }

    private final Map<Integer, RpcProgram> programs = new HashMap<>();
    private final Settings settings;
    private final DuplicateRequestCache duplicates;
    private State state = State.NEW;
    private EventLoopGroup group;
    private ExecutorService executor;
    private Channel serverChannel;

    public RpcServer(Collection<? extends RpcProgram> programs, Settings settings) {
        for (RpcProgram p : programs) {
            if (this.programs.put(p.program(), p) != null) {
                throw new IllegalArgumentException("program " + p.program() + " given twice");
            }
        }
        this.settings = settings;
        this.duplicates = new DuplicateRequestCache(settings.duplicateCacheEntries());
    }

    /** Listens on {@code bind} (port 0 picks a free one) and returns the address bound. */
    public synchronized InetSocketAddress start(InetSocketAddress bind) throws IOException {
        if (state != State.NEW) {
            throw new IllegalStateException("server is " + state);
        }
        executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("rpc-call-", 0).factory());
        group = new MultiThreadIoEventLoopGroup(
                Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())), NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("record-out", RecordMarkingEncoder.INSTANCE)
                                .addLast("record-in", new RecordMarkingDecoder(settings.maxRecordBytes()))
                                .addLast("call", RpcCallDecoder.INSTANCE)
                                .addLast(
                                        "dispatch",
                                        new RpcDispatcher(
                                                programs, executor, duplicates, settings.maxInFlightPerConnection()));
                    }
                });
        ChannelFuture bound = bootstrap.bind(bind).awaitUninterruptibly();
        state = State.RUNNING;
        if (!bound.isSuccess()) {
            close();
            throw new IOException("cannot listen for ONC RPC on " + bind, bound.cause());
        }
        serverChannel = bound.channel();
        log.info("ONC RPC on {} serving programs {}", serverChannel.localAddress(), programs.keySet());
        return localAddress();
    }

    /** The address listened on, once started. */
    public synchronized InetSocketAddress localAddress() {
        return serverChannel == null ? null : (InetSocketAddress) serverChannel.localAddress();
    }

    /** The cache of non-idempotent replies (for status and tests). */
    public DuplicateRequestCache duplicateRequestCache() {
        return duplicates;
    }

    @Override
    public synchronized void close() {
        if (state != State.RUNNING) {
            state = State.CLOSED;
            return;
        }
        state = State.CLOSED;
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("RPC calls still running after 5 s at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
