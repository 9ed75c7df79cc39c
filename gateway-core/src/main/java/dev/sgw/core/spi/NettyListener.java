package dev.sgw.core.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP listener of a {@link ProtocolServer} on Netty: the event loops that carry its connections' bytes,
 * the virtual threads its requests run on (so the event loop never blocks on a volume), and the listening
 * socket, opened together and released in order. Each connection gets the server's own pipeline. Sockets
 * reuse their address; connections have TCP_NODELAY and keep-alive.
 *
 * <pre>
 * state     | event          | next      | effect
 * ----------+----------------+-----------+---------------------------------------------------------------
 * -         | open           | LISTENING | request threads, event loops, socket bound
 * -         | open fails     | -         | event loops and request threads released; IOException
 * LISTENING | stopAccepting  | DRAINING  | socket closed; open connections carry on
 * LISTENING | close          | CLOSED    | socket closed, event loops (and their connections) stopped,
 * DRAINING  | close          | CLOSED    |   running requests get 5 s, then a warning
 * CLOSED    | close          | CLOSED    | nothing
 * </pre>
 */
public final class NettyListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NettyListener.class);

    /** Where the listener is in its life. */
    private enum State {
        LISTENING,
        DRAINING,
        CLOSED
    }

    private final String protocol;
    private final EventLoopGroup group;
    private final ExecutorService requests;
    private final Channel serverChannel;
    private State state = State.LISTENING;

    private NettyListener(String protocol, EventLoopGroup group, ExecutorService requests, Channel serverChannel) {
        this.protocol = protocol;
        this.group = group;
        this.requests = requests;
        this.serverChannel = serverChannel;
    }

    /**
     * Listens on {@code address} (port 0 picks a free one).
     *
     * @param protocol      names the listener in messages, e.g. {@code iSCSI}
     * @param address       where to listen
     * @param requestThread the name prefix of the request threads, e.g. {@code iscsi-task-}
     * @param connections   makes the handler that sets up each connection's pipeline, given the executor its
     *                      requests run on
     * @throws IOException if the address cannot be bound (nothing is left running then)
     */
    public static NettyListener open(
            String protocol,
            InetSocketAddress address,
            String requestThread,
            Function<Executor, ChannelHandler> connections)
            throws IOException {
        ExecutorService requests = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name(requestThread, 0).factory());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(
                Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())), NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(connections.apply(requests));
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        NettyListener listener = new NettyListener(protocol, group, requests, bound.channel());
        if (!bound.isSuccess()) {
            listener.close();
            throw new IOException("cannot listen for " + protocol + " on " + address, bound.cause());
        }
        return listener;
    }

    /** The address listened on. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Closes the listening socket and leaves the open connections be (to be told goodbye before {@link #close}). */
    public synchronized void stopAccepting() {
        if (state == State.LISTENING) {
            serverChannel.close().awaitUninterruptibly();
            state = State.DRAINING;
        }
    }

    /** Stops listening, closes every connection and waits up to 5 s for running requests. */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        stopAccepting();
        state = State.CLOSED;
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        requests.shutdown();
        try {
            if (!requests.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("{} requests still running after 5 s at shutdown", protocol);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
