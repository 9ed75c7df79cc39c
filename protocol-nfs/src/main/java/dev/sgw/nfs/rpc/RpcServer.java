package dev.sgw.nfs.rpc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

import dev.sgw.core.spi.NettyListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a set of {@link RpcProgram}s over TCP on one port: record marking, call decoding, dispatch on
 * virtual threads, one duplicate request cache for all connections. Sockets, event loops and threads are a
 * {@link NettyListener}'s.
 *
 * <pre>
 * state    | event  | next     | effect
 * ---------+--------+----------+------------------------------------------------
 * NEW      | start  | RUNNING  | listening; each connection gets its pipeline
 * NEW      | start  | CLOSED   | the port cannot be bound: nothing left running, IOException
 * RUNNING  | close  | CLOSED   | listener and connections closed, running calls get 5 s
 * NEW      | close  | CLOSED   | nothing to stop
 * </pre>
 */
public final class RpcServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);

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
    private NettyListener listener;

    public RpcServer(Collection<? extends RpcProgram> programs, Settings settings) {
        for (RpcProgram p : programs) {
            if (this.programs.put(p.versions().program(), p) != null) {
                throw new IllegalArgumentException("program " + p.versions().program() + " given twice");
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
        try {
            listener = NettyListener.open("ONC RPC", bind, "rpc-call-", this::pipeline);
        } catch (IOException e) {
            state = State.CLOSED;
            throw e;
        }
        state = State.RUNNING;
        LOG.info("ONC RPC on {} serving programs {}", listener.localAddress(), programs.keySet());
        return localAddress();
    }

    /** Each connection's pipeline: record marking, call decoding, dispatch to calls run on {@code executor}. */
    private ChannelHandler pipeline(Executor executor) {
        return new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline()
                        .addLast("record-out", RecordMarkingEncoder.INSTANCE)
                        .addLast("record-in", new RecordMarkingDecoder(settings.maxRecordBytes()))
                        .addLast("call", RpcCallDecoder.INSTANCE)
                        .addLast(
                                "dispatch",
                                new RpcDispatcher(programs, executor, duplicates, settings.maxInFlightPerConnection()));
            }
        };
    }

    /** The address listened on, once started. */
    public synchronized InetSocketAddress localAddress() {
        return listener == null ? null : listener.localAddress();
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
        listener.close();
    }
}
