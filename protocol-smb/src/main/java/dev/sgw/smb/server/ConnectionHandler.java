package dev.sgw.smb.server;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a connection's pipeline: makes its {@link Connection}, hands each whole message to
 * the {@link MessageDispatcher} on a request thread (the event loop never blocks) with its ticket of arrival
 * ({@link Arrivals}), stops reading while too
 * many requests of the connection run, and ends the connection's state when it closes.
 *
 * <pre>
 * state  | event                                    | next   | effect
 * -------+------------------------------------------+--------+-----------------------------------------
 * -      | active, under the connection limit       | OPEN   | a Connection
 * -      | active, at the limit                     | CLOSED | logged, closed
 * OPEN   | message                                  | OPEN   | dispatched; reading paused at maxInFlight
 * OPEN   | inactive                                 | CLOSED | trees gone, sharing released (request thread)
 * </pre>
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);

    private final SmbSettings settings;
    private final MessageDispatcher dispatcher;
    private final Executor executor;
    private final AtomicInteger connections;
    private final byte[] serverGuid;
    private Connection connection;

    ConnectionHandler(
            SmbSettings settings,
            MessageDispatcher dispatcher,
            Executor executor,
            AtomicInteger connections,
            byte[] serverGuid) {
        this.settings = settings;
        this.dispatcher = dispatcher;
        this.executor = executor;
        this.connections = connections;
        this.serverGuid = serverGuid;
    }

    @SuppressWarnings("FutureReturnValueIgnored") // closing is fire and forget
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (connections.incrementAndGet() > settings.maxConnections()) {
            connections.decrementAndGet();
            LOG.warn(
                    "SMB connection from {} refused: {} connections open already",
                    ctx.channel().remoteAddress(),
                    settings.maxConnections());
            ctx.close();
            return;
        }
        connection = new Connection(ctx.channel(), settings.creditWindow(), serverGuid);
        LOG.debug("{} opened", connection);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        Connection c = connection;
        if (c == null) {
            frame.release();
            return;
        }
        if (!c.negotiated().done()) {
            // Until NEGOTIATE is done, messages are taken in order on the event loop (NEGOTIATE only computes),
            // so a request pipelined behind it meets the negotiated connection, never a half-made one.
            dispatcher.process(c, frame);
            return;
        }
        if (c.inFlight().incrementAndGet() >= settings.maxInFlight()) {
            ctx.channel().config().setAutoRead(false);
        }
        long ticket = c.arrivals().arrived();
        try {
            executor.execute(() -> {
                try {
                    dispatcher.process(c, frame, ticket);
                } finally {
                    if (c.inFlight().decrementAndGet() < settings.maxInFlight() / 2
                            && !ctx.channel().config().isAutoRead()) {
                        ctx.channel()
                                .eventLoop()
                                .execute(() -> ctx.channel().config().setAutoRead(true));
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            c.inFlight().decrementAndGet();
            c.arrivals().skip(ticket);
            frame.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Connection c = connection;
        if (c != null) {
            connection = null;
            connections.decrementAndGet();
            LOG.debug("{} closed", c);
            try {
                executor.execute(() -> dispatcher.connectionGone(c));
            } catch (RejectedExecutionException e) {
                dispatcher.connectionGone(c);
            }
        }
        ctx.fireChannelInactive();
    }

    @SuppressWarnings("FutureReturnValueIgnored") // closing is fire and forget
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("SMB connection from {} failed: {}; closing it", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
