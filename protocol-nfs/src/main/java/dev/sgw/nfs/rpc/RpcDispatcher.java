package dev.sgw.nfs.rpc;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sgw.nfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the calls of one connection to their programs by program number and version, each call on a
 * virtual thread of its own (never on the event loop), and writes each reply as soon as it is ready, so
 * replies leave in completion order rather than arrival order. Non-idempotent calls go through the
 * {@link DuplicateRequestCache}.
 *
 * <pre>
 * state    | event                                   | next     | action
 * ---------+-----------------------------------------+----------+------------------------------------------
 * READING  | call arrives, below the maximum         | READING  | run it
 * READING  | call arrives, reaching the maximum      | PAUSED   | run it, stop reading the socket (autoRead off)
 * PAUSED   | call arrives (already read, or decoded  | PAUSED   | queue it
 *          | from the same read)                     |          |
 * PAUSED   | a call completes, queue not empty       | PAUSED   | run the oldest queued call
 * PAUSED   | a call completes, queue empty           | READING  | read the socket again
 * </pre>
 *
 * The count, the queue and autoRead change only on the channel's event loop.
 */
public final class RpcDispatcher extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(RpcDispatcher.class);

    /** Whether the connection is being read. */
    enum State {
        READING,
        PAUSED
    }

    private final Map<Integer, RpcProgram> programs;
    private final Executor executor;
    private final DuplicateRequestCache duplicates;
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ArrayDeque<RpcCall> waiting = new ArrayDeque<>();

    /**
     * @param programs    by program number
     * @param executor    runs calls (a virtual thread per task)
     * @param duplicates  the server's duplicate request cache
     * @param maxInFlight calls of this connection running at once before reading pauses
     */
    public RpcDispatcher(
            Map<Integer, RpcProgram> programs, Executor executor, DuplicateRequestCache duplicates, int maxInFlight) {
        this.programs = Map.copyOf(programs);
        this.executor = executor;
        this.duplicates = duplicates;
        this.maxInFlight = maxInFlight;
    }

    State state(Channel channel) {
        return channel.config().isAutoRead() ? State.READING : State.PAUSED;
    }

    // fire and forget: the event loop acts on the channel's state, nothing waits on these futures
    @SuppressWarnings("FutureReturnValueIgnored")
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (msg) {
            case RpcRejectedCall r -> {
                LOG.debug(
                        "refused call {} from {}: {}",
                        Integer.toUnsignedString(r.xid(), 16),
                        ctx.channel().remoteAddress(),
                        r.reason());
                ctx.writeAndFlush(RpcReplyEncoder.INSTANCE.encode(ctx.alloc(), r.xid(), r.reply()));
            }
            case RpcCall call -> {
                if (inFlight.get() >= maxInFlight) {
                    waiting.add(call);
                    return;
                }
                if (inFlight.incrementAndGet() >= maxInFlight) {
                    ctx.channel().config().setAutoRead(false);
                }
                start(ctx.channel(), call);
            }
            default -> ReferenceCountUtil.release(msg);
        }
    }

    // fire and forget: the event loop acts on the channel's state, nothing waits on these futures
    @SuppressWarnings("FutureReturnValueIgnored")
    private void start(Channel channel, RpcCall call) {
        try {
            executor.execute(() -> serve(channel, call));
        } catch (RejectedExecutionException e) { // server stopping
            call.args().release();
            inFlight.decrementAndGet();
            channel.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (RpcCall call; (call = waiting.poll()) != null; ) {
            call.args().release();
        }
        ctx.fireChannelInactive();
    }

    // fire and forget: the event loop acts on the channel's state, nothing waits on these futures
    @SuppressWarnings("FutureReturnValueIgnored")
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("RPC connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    // fire and forget: the event loop acts on the channel's state, nothing waits on these futures
    @SuppressWarnings("FutureReturnValueIgnored")
    private void serve(Channel channel, RpcCall call) {
        InetSocketAddress client = (InetSocketAddress) channel.remoteAddress();
        CallContext context = new CallContext(client, (InetSocketAddress) channel.localAddress());
        RpcProgram program = programs.get(call.program());
        if (program == null || !program.versions().contains(call.version())) {
            RpcReply reply = program == null
                    ? new RpcReply.ProgUnavail()
                    : new RpcReply.ProgMismatch(
                            program.versions().low(), program.versions().high());
            call.args().release();
            send(channel, RpcReplyEncoder.INSTANCE.encode(channel.alloc(), call.xid(), reply));
            return;
        }
        if (program.idempotent(call.version(), call.procedure()) || client == null) {
            run(program, call, context)
                    .thenAccept(reply ->
                            send(channel, RpcReplyEncoder.INSTANCE.encode(channel.alloc(), call.xid(), reply)));
            return;
        }
        DuplicateRequestCache.Key key = DuplicateRequestCache.Key.of(client.getAddress(), call);
        switch (duplicates.begin(key)) {
            case DuplicateRequestCache.Lookup.Duplicate d -> {
                call.args().release();
                LOG.debug("retransmission of {} from {}", call, client);
                d.reply().thenAccept(bytes -> send(channel, Unpooled.wrappedBuffer(bytes)));
            }
            case DuplicateRequestCache.Lookup.Execute e ->
                run(program, call, context).thenAccept(reply -> {
                    ByteBuf encoded = RpcReplyEncoder.INSTANCE.encode(channel.alloc(), call.xid(), reply);
                    duplicates.complete(key, ByteBufUtil.getBytes(encoded));
                    send(channel, encoded);
                });
        }
    }

    /** The program's reply, with failures turned into GARBAGE_ARGS or SYSTEM_ERR; releases the args after. */
    private static CompletionStage<RpcReply> run(RpcProgram program, RpcCall call, CallContext context) {
        CompletionStage<RpcReply> stage;
        try {
            stage = program.handle(call, context);
        } catch (RuntimeException | Error e) {
            stage = CompletableFuture.failedFuture(e);
        }
        return stage.handle((reply, failure) -> {
            call.args().release();
            if (failure == null && reply != null) {
                return reply;
            }
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof XdrException x) {
                LOG.debug("garbage arguments in {}: {}", call, x.getMessage());
                return new RpcReply.GarbageArgs();
            }
            LOG.warn("{} failed", call, cause);
            return new RpcReply.SystemErr();
        });
    }

    // fire and forget: the event loop acts on the channel's state, nothing waits on these futures
    @SuppressWarnings("FutureReturnValueIgnored")
    private void send(Channel channel, ByteBuf reply) {
        channel.writeAndFlush(reply);
        channel.eventLoop().execute(() -> {
            RpcCall next = channel.isActive() ? waiting.poll() : null;
            if (next != null) {
                start(channel, next); // the slot passes to the queued call
            } else if (inFlight.decrementAndGet() < maxInFlight
                    && !channel.config().isAutoRead()) {
                channel.config().setAutoRead(true);
            }
        });
    }
}
