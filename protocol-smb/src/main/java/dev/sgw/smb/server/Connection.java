package dev.sgw.smb.server;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.sgw.smb.server.RequestsInProgress.Pending;
import dev.sgw.smb.wire.Smb2Command;
import dev.sgw.smb.wire.Smb2Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;

/**
 * One client's TCP connection (MS-SMB2 3.3.1.7): what NEGOTIATE settled, the credit window, the sessions
 * used on it (set up here, or set up elsewhere and bound here: multichannel) and those being bound to it, and
 * the order its messages arrived in and its requests in progress. Thread-safe: requests of one connection run concurrently.
 *
 * <pre>
 * state       | event                                   | next        | effect
 * ------------+-----------------------------------------+-------------+-----------------------------------
 * NEW         | SMB1 NEGOTIATE offering "SMB 2.???"     | UPGRADED    | SMB2 NEGOTIATE response, dialect 2.??
 * NEW         | SMB1 NEGOTIATE offering only 2.002      | NEGOTIATED  | dialect 2.0.2
 * NEW         | SMB2 NEGOTIATE / UPGRADED: SMB2 NEGOTIATE | NEGOTIATED | dialect picked
 * NEGOTIATED  | SMB1 or a second NEGOTIATE              | closed      |
 * any         | malformed message, bad credits repeated | closed      | trees gone, sharing state released
 * </pre>
 * (NEW, UPGRADED and NEGOTIATED are {@link Negotiated#dialect()} 0, 0x02FF and the rest.)
 */
final class Connection implements SmbConnection {
    private static final AtomicLong IDS = new AtomicLong(1);

    private final long id = IDS.getAndIncrement();
    private final Channel channel;
    private final CreditWindow credits;
    private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
    private final Map<Long, Session> binding = new ConcurrentHashMap<>();
    private final Arrivals arrivals = new Arrivals();
    private final RequestsInProgress requests = new RequestsInProgress();
    private final AtomicLong nextAsyncId = new AtomicLong(1);
    private final AtomicInteger creditAbuse = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile Negotiated negotiated = Negotiated.NONE;

    private final byte[] serverGuid;

    Connection(Channel channel, int creditWindow, byte[] serverGuid) {
        this.channel = channel;
        this.credits = new CreditWindow(creditWindow);
        this.serverGuid = serverGuid.clone();
    }

    byte[] serverGuid() {
        return serverGuid.clone();
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public SocketAddress remote() {
        return channel.remoteAddress();
    }

    @Override
    public int dialect() {
        return negotiated.dialect();
    }

    @Override
    public boolean multiChannel() {
        return negotiated.multiChannel();
    }

    @Override
    public byte[] clientGuid() {
        return negotiated.clientGuid().clone();
    }

    @Override
    public int maxReadSize() {
        return negotiated.maxIo();
    }

    @Override
    public int maxWriteSize() {
        return negotiated.maxIo();
    }

    @Override
    public int maxTransactSize() {
        return negotiated.maxIo();
    }

    @Override
    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    @Override
    public void notify(Smb2Command command, long sessionId, ByteBuf body) {
        ByteBuf message = Unpooled.buffer(Smb2Header.SIZE + body.readableBytes());
        new Smb2Header(0, 0, command.code(), 0, Smb2Header.FLAGS_SERVER_TO_REDIR, 0, -1L, 0, 0, sessionId, new byte[16])
                .encode(message);
        message.writeBytes(body);
        body.release();
        Session session = sessionId == 0 ? null : sessions.get(sessionId);
        boolean seal = session != null && session.encryptData() && session.sealer() != null;
        Outgoing out = new Outgoing(
                message, !seal && session != null && session.signingRequired() ? session.signerOn(this) : null);
        Outgoing.send(this, List.of(out), seal ? session : null);
    }

    Channel channel() {
        return channel;
    }

    Negotiated negotiated() {
        return negotiated;
    }

    void negotiated(Negotiated n) {
        negotiated = n;
    }

    CreditWindow credits() {
        return credits;
    }

    /** Counts a request outside the credit window; true when the client has done so too often. */
    boolean creditAbused() {
        return creditAbuse.incrementAndGet() > 3;
    }

    AtomicInteger inFlight() {
        return inFlight;
    }

    /** The session {@code sessionId} names on this connection (set up or bound here), or null. */
    Session session(long sessionId) {
        return sessions.get(sessionId);
    }

    int sessionCount() {
        return sessions.size();
    }

    /** {@code s} is used on this connection: set up here, or bound here. */
    void add(Session s) {
        sessions.put(s.id(), s);
        binding.remove(s.id(), s);
    }

    /** {@code s} is no longer used on this connection (it ended, or its binding here failed). */
    void remove(Session s) {
        sessions.remove(s.id(), s);
        binding.remove(s.id(), s);
    }

    /** {@code s} is being bound to this connection (a binding SESSION_SETUP is running). */
    void binding(Session s) {
        binding.put(s.id(), s);
    }

    /** The sessions used on this connection and those being bound to it. */
    List<Session> allSessions() {
        List<Session> all = new ArrayList<>(sessions.values());
        all.addAll(binding.values());
        return all;
    }

    /** The order in which this connection's messages arrived, for their intake. */
    Arrivals arrivals() {
        return arrivals;
    }

    /** This connection's requests from their intake until they are answered. */
    RequestsInProgress requests() {
        return requests;
    }

    /**
     * The request with {@code messageId} is answered later (its interim response goes now); a CANCEL of it that
     * came while its handler ran cancels it now.
     */
    Pending pending(long messageId, CompletableFuture<SmbResponse> future) {
        return requests.async(messageId, nextAsyncId.getAndIncrement(), future);
    }

    /** Cancels the request with {@code asyncId}, or (asyncId 0) the one with {@code messageId}, if it runs. */
    void cancel(long asyncId, long messageId) {
        requests.cancel(asyncId, messageId);
    }

    void done(Pending p) {
        requests.done(p);
    }

    /** Cancels every pending request (the connection is gone). */
    void cancelPending() {
        requests.cancelAll();
    }

    @Override
    public String toString() {
        return "SMB connection " + id + " from " + remote();
    }
}
