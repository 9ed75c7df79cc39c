package dev.sgw.nfs.v4;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import dev.sgw.nfs.Nfs4Exception;
import dev.sgw.nfs.Nfs4Status;
import dev.sgw.nfs.v4.OpArgs.ChannelAttrs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Clients and their sessions (RFC 8881 sections 2.4, 2.10, 18.35-18.37, 18.46). Client records:
 *
 * <pre>
 * client state | event                                   | next        | effect
 * -------------+-----------------------------------------+-------------+---------------------------------------
 * (none)       | EXCHANGE_ID, new owner or new verifier  | UNCONFIRMED | new client id, sequence 1
 * UNCONFIRMED  | CREATE_SESSION with its sequence        | CONFIRMED   | a session; an older client of the same
 *              |                                         |             | owner is dropped with all its state
 * CONFIRMED    | EXCHANGE_ID, same owner and verifier    | CONFIRMED   | the same client id again
 * any          | no SEQUENCE / CREATE_SESSION for a lease| EXPIRED     | sessions, opens and locks freed
 * CONFIRMED    | DESTROY_CLIENTID without sessions       | EXPIRED     | its state freed
 * </pre>
 *
 * Each session has a table of slots, each with its own reply cache (section 2.10.6):
 *
 * <pre>
 * slot state  | SEQUENCE seqid            | next        | answer
 * ------------+---------------------------+-------------+---------------------------------------------
 * IDLE        | last + 1                  | IN_PROGRESS | the compound runs; its reply is kept
 * IDLE        | last, reply kept          | IDLE        | the kept reply, byte for byte
 * IDLE        | last, reply not kept      | IDLE        | NFS4ERR_RETRY_UNCACHED_REP
 * IN_PROGRESS | last (a retry)            | IN_PROGRESS | NFS4ERR_DELAY
 * any         | anything else             | unchanged   | NFS4ERR_SEQ_MISORDERED
 * </pre>
 *
 * The grace period after start (section 8.4.2):
 *
 * <pre>
 * grace state | event                                                    | next
 * ------------+----------------------------------------------------------+---------
 * GRACE       | start, with clients recorded before (or unknown ones)    | GRACE
 * GRACE       | every recorded client sent RECLAIM_COMPLETE or went away | OVER
 * GRACE       | the configured grace time passed                         | OVER (records of absent clients dropped)
 * OVER        | start without any recorded client                        | OVER
 * </pre>
 *
 * All methods are synchronized on this table; none blocks (the client records may write a small file).
 */
final class Sessions {
    enum ClientState {
        UNCONFIRMED,
        CONFIRMED,
        EXPIRED
    }

    enum SlotState {
        IDLE,
        IN_PROGRESS
    }

    enum GraceState {
        GRACE,
        OVER
    }

    static final int EXCHGID4_FLAG_USE_NON_PNFS = 0x10000,
            EXCHGID4_FLAG_UPD_CONFIRMED_REC_A = 0x40000000,
            EXCHGID4_FLAG_CONFIRMED_R = 0x80000000;
    /** Replies larger than this are not kept for a slot unless the client asked (sa_cachethis). */
    static final int SMALL_REPLY = 2048;

    static final int MAX_REQUEST = 1024 * 1024 + 32 * 1024,
            MAX_RESPONSE = 1024 * 1024 + 32 * 1024,
            MAX_RESPONSE_CACHED = 64 * 1024,
            MAX_OPS = 64;

    /** One client (an {@code client_owner4} with one verifier). */
    static final class Client {
        final long id;
        final byte[] ownerId;
        final long verifier;
        ClientState state = ClientState.UNCONFIRMED;
        /** The csa_sequence the next CREATE_SESSION must carry. */
        int sequence = 1;

        CreatedSession lastCreated;
        long renewedNanos;
        boolean reclaimComplete;
        final List<Session> sessions = new ArrayList<>();

        Client(long id, byte[] ownerId, long verifier, long now) {
            this.id = id;
            this.ownerId = ownerId;
            this.verifier = verifier;
            this.renewedNanos = now;
        }
    }

    /** One session: its fore channel and slots. */
    static final class Session {
        final byte[] id;
        final Client client;
        final ChannelAttrs fore;
        final ChannelAttrs back;
        final Slot[] slots;

        Session(byte[] id, Client client, ChannelAttrs fore, ChannelAttrs back) {
            this.id = id;
            this.client = client;
            this.fore = fore;
            this.back = back;
            this.slots = new Slot[fore.maxRequests()];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = new Slot();
            }
        }
    }

    /** One slot of a session with its last sequence id and reply. */
    static final class Slot {
        SlotState state = SlotState.IDLE;
        int seqid;
        byte[] reply;
    }

    /** What CREATE_SESSION answered (kept for a retransmission with the same sequence). */
    record CreatedSession(Session session, int sequence, int flags) {}

    /** What EXCHANGE_ID answers. */
    record Exchanged(long clientId, int sequence, int flags) {}

    /** What SEQUENCE decided: run the compound on a slot, or answer a kept reply. */
    sealed interface Admission {}

    record Run(Session session, int slotId, Slot slot) implements Admission {}

    // the array components are wire fields carried as decoded; the record is never compared or used as a key
    @SuppressWarnings("ArrayRecordComponent")
    record Replay(byte[] reply) implements Admission {}

    /** Makes the epochs of servers started within one second (tests) differ. */
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final Nfs4Settings settings;
    private final ClientRecords records;
    /** Owners recorded by the previous run that have not yet completed their reclaims. */
    private final Set<ByteBuffer> awaited = new HashSet<>();

    private GraceState grace;
    private final LongSupplier clock;
    private final LongConsumer onExpire;
    private final long startNanos;
    private final int epoch;
    private final byte[] serverOwner;
    private final Map<Long, Client> clients = new HashMap<>();
    private final Map<ByteBuffer, Session> sessions = new HashMap<>();
    private int nextClient = 1;
    private int nextSession = 1;
    private long lastSweep;

    /**
     * @param clock    nanoseconds (System::nanoTime, or a test clock)
     * @param onExpire told the id of a client whose state must go
     */
    Sessions(Nfs4Settings settings, ClientRecords records, LongSupplier clock, LongConsumer onExpire) {
        this.settings = settings;
        this.records = records;
        Optional<Set<ByteBuffer>> previous = records.previous();
        previous.ifPresent(awaited::addAll);
        this.grace =
                (previous.isPresent() && awaited.isEmpty()) || settings.grace().isZero()
                        ? GraceState.OVER
                        : GraceState.GRACE;
        this.clock = clock;
        this.onExpire = onExpire;
        this.startNanos = clock.getAsLong();
        this.epoch = (int) (System.currentTimeMillis() / 1000) + RUNS.getAndIncrement();
        this.serverOwner = settings.serverOwner().getBytes(StandardCharsets.UTF_8);
        this.lastSweep = startNanos;
    }

    /** The server's boot epoch, part of client ids and stateids so that old ones are recognised as stale. */
    int epoch() {
        return epoch;
    }

    byte[] serverOwner() {
        return serverOwner.clone();
    }

    synchronized boolean inGrace() {
        if (grace == GraceState.GRACE
                && (clock.getAsLong() - startNanos >= settings.grace().toNanos()
                        || (records.previous().isPresent() && awaited.isEmpty()))) {
            grace = GraceState.OVER;
            for (ByteBuffer owner : awaited) {
                records.remove(bytes(owner)); // never came back
            }
            awaited.clear();
        }
        return grace == GraceState.GRACE;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    /** EXCHANGE_ID (section 18.35.5, SP4_NONE): the client id for this owner and verifier. */
    synchronized Exchanged exchangeId(OpArgs.ExchangeId a) throws Nfs4Exception {
        sweep();
        if (a.stateProtect() != 0) {
            throw new Nfs4Exception(
                    Nfs4Status.NFS4ERR_INVAL, "state protection " + a.stateProtect() + " (only SP4_NONE)");
        }
        Client confirmed = null;
        Client unconfirmed = null;
        for (Client c : clients.values()) {
            if (Arrays.equals(c.ownerId, a.ownerId())) {
                if (c.state == ClientState.CONFIRMED) {
                    confirmed = c;
                } else {
                    unconfirmed = c;
                }
            }
        }
        boolean update = (a.flags() & EXCHGID4_FLAG_UPD_CONFIRMED_REC_A) != 0;
        if (update) {
            if (confirmed == null) {
                throw new Nfs4Exception(Nfs4Status.NFS4ERR_NOENT, "no confirmed client to update");
            }
            if (confirmed.verifier != a.verifier()) {
                throw new Nfs4Exception(Nfs4Status.NFS4ERR_NOT_SAME, "verifier differs from the confirmed client's");
            }
        }
        if (confirmed != null && confirmed.verifier == a.verifier()) {
            confirmed.renewedNanos = clock.getAsLong();
            return new Exchanged(
                    confirmed.id, confirmed.sequence, EXCHGID4_FLAG_USE_NON_PNFS | EXCHGID4_FLAG_CONFIRMED_R);
        }
        if (unconfirmed != null) {
            clients.remove(unconfirmed.id);
        }
        long id = ((long) epoch << 32) | (nextClient++ & 0xFFFF_FFFFL);
        Client c = new Client(id, a.ownerId().clone(), a.verifier(), clock.getAsLong());
        clients.put(id, c);
        return new Exchanged(id, c.sequence, EXCHGID4_FLAG_USE_NON_PNFS);
    }

    /** CREATE_SESSION (section 18.36.4): a session with negotiated fore channel attributes, no back channel. */
    synchronized CreatedSession createSession(OpArgs.CreateSession a) throws Nfs4Exception {
        sweep();
        Client c = client(a.clientId());
        if (c.lastCreated != null && a.sequence() == c.sequence - 1) {
            return c.lastCreated; // a retransmission: the same answer
        }
        if (a.sequence() != c.sequence) {
            throw new Nfs4Exception(
                    Nfs4Status.NFS4ERR_SEQ_MISORDERED,
                    "csa_sequence " + Integer.toUnsignedString(a.sequence()) + ", expected " + c.sequence);
        }
        ChannelAttrs f = a.fore();
        if (f.maxRequest() < 256 || f.maxResponse() < 256) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_TOOSMALL, "fore channel limits " + f);
        }
        ChannelAttrs fore = new ChannelAttrs(
                0,
                Math.min(f.maxRequest(), MAX_REQUEST),
                Math.min(f.maxResponse(), MAX_RESPONSE),
                Math.min(f.maxResponseCached(), MAX_RESPONSE_CACHED),
                Math.max(Math.min(f.maxOps(), 1000), 2),
                Math.max(1, Math.min(f.maxRequests(), settings.maxSlots())),
                new int[0]);
        if (c.state == ClientState.UNCONFIRMED) {
            for (Client other : List.copyOf(clients.values())) {
                if (other != c && Arrays.equals(other.ownerId, c.ownerId)) {
                    drop(other); // the client restarted: its old state goes
                }
            }
            c.state = ClientState.CONFIRMED;
            records.add(c.ownerId);
        }
        byte[] id = ByteBuffer.allocate(16)
                .putLong(c.id)
                .putInt(nextSession++)
                .putInt(epoch)
                .array();
        Session s = new Session(id, c, fore, a.back());
        c.sessions.add(s);
        sessions.put(ByteBuffer.wrap(id), s);
        c.renewedNanos = clock.getAsLong();
        c.lastCreated = new CreatedSession(s, c.sequence, 0);
        c.sequence++;
        return c.lastCreated;
    }

    /** SEQUENCE (section 18.46.4): admits a compound on a slot, or answers a retransmission from the slot's cache. */
    synchronized Admission sequence(OpArgs.Sequence a, int operations) throws Nfs4Exception {
        sweep();
        Session s = session(a.sessionId());
        if (a.slot() < 0 || a.slot() >= s.slots.length) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_BADSLOT, "slot " + a.slot() + " of " + s.slots.length);
        }
        if (operations > s.fore.maxOps()) {
            throw new Nfs4Exception(
                    Nfs4Status.NFS4ERR_TOO_MANY_OPS, operations + " operations, at most " + s.fore.maxOps());
        }
        Slot slot = s.slots[a.slot()];
        s.client.renewedNanos = clock.getAsLong();
        if (a.sequenceId() == slot.seqid + 1) {
            if (slot.state == SlotState.IN_PROGRESS) {
                throw new Nfs4Exception(Nfs4Status.NFS4ERR_DELAY, "slot " + a.slot() + " is busy");
            }
            slot.state = SlotState.IN_PROGRESS;
            slot.seqid = a.sequenceId();
            slot.reply = null;
            return new Run(s, a.slot(), slot);
        }
        if (a.sequenceId() == slot.seqid) {
            if (slot.state == SlotState.IN_PROGRESS) {
                throw new Nfs4Exception(
                        Nfs4Status.NFS4ERR_DELAY, "slot " + a.slot() + " still runs seqid " + slot.seqid);
            }
            if (slot.reply == null) {
                throw new Nfs4Exception(Nfs4Status.NFS4ERR_RETRY_UNCACHED_REP, "slot " + a.slot() + " kept no reply");
            }
            return new Replay(slot.reply);
        }
        throw new Nfs4Exception(
                Nfs4Status.NFS4ERR_SEQ_MISORDERED,
                "slot " + a.slot() + " seqid " + Integer.toUnsignedString(a.sequenceId()) + " after "
                        + Integer.toUnsignedString(slot.seqid));
    }

    /**
     * Ends a compound admitted by {@link #sequence}: keeps its reply if small, or if the client asked and it fits
     * the session's ca_maxresponsesize_cached (none if {@code reply} is null: the compound failed); frees the slot.
     */
    synchronized void complete(Run run, ByteBuf reply, boolean cacheThis) {
        int length = reply == null ? 0 : reply.readableBytes();
        boolean keep = reply != null
                && (length <= SMALL_REPLY
                        || (cacheThis && length <= run.session().fore.maxResponseCached()));
        run.slot().reply = keep ? ByteBufUtil.getBytes(reply) : null;
        run.slot().state = SlotState.IDLE;
        run.session().client.renewedNanos = clock.getAsLong();
    }

    synchronized Session session(byte[] id) throws Nfs4Exception {
        Session s = sessions.get(ByteBuffer.wrap(id));
        if (s == null) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_BADSESSION, "no such session");
        }
        return s;
    }

    /** DESTROY_SESSION (section 18.37). */
    synchronized void destroySession(byte[] id) throws Nfs4Exception {
        Session s = session(id);
        sessions.remove(ByteBuffer.wrap(id));
        s.client.sessions.remove(s);
    }

    /** DESTROY_CLIENTID (section 18.50): only without sessions. */
    synchronized void destroyClient(long clientId) throws Nfs4Exception {
        Client c = client(clientId);
        if (!c.sessions.isEmpty()) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_CLIENTID_BUSY, c.sessions.size() + " sessions left");
        }
        drop(c);
    }

    /** RECLAIM_COMPLETE (section 18.51) for the whole client. */
    synchronized void reclaimComplete(Client c) throws Nfs4Exception {
        if (c.reclaimComplete) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_COMPLETE_ALREADY, "reclaims were already complete");
        }
        c.reclaimComplete = true;
        awaited.remove(ByteBuffer.wrap(c.ownerId));
    }

    synchronized Client client(long id) throws Nfs4Exception {
        Client c = clients.get(id);
        if (c == null) {
            throw new Nfs4Exception(Nfs4Status.NFS4ERR_STALE_CLIENTID, "no client " + Long.toHexString(id));
        }
        return c;
    }

    synchronized int clientCount() {
        return clients.size();
    }

    /** Expires clients whose lease ran out (at most once a second). */
    synchronized void sweep() {
        long now = clock.getAsLong();
        if (now - lastSweep < 1_000_000_000L && now >= lastSweep) {
            return;
        }
        lastSweep = now;
        long lease = settings.lease().toNanos();
        for (Client c : List.copyOf(clients.values())) {
            boolean busy = c.sessions.stream()
                    .anyMatch(s -> Arrays.stream(s.slots).anyMatch(slot -> slot.state == SlotState.IN_PROGRESS));
            if (!busy && now - c.renewedNanos > lease) {
                drop(c);
            }
        }
    }

    private void drop(Client c) {
        if (c.state == ClientState.CONFIRMED
                && clients.values().stream()
                        .noneMatch(o ->
                                o != c && o.state == ClientState.CONFIRMED && Arrays.equals(o.ownerId, c.ownerId))) {
            records.remove(c.ownerId);
            awaited.remove(ByteBuffer.wrap(c.ownerId));
        }
        c.state = ClientState.EXPIRED;
        clients.remove(c.id);
        for (Session s : c.sessions) {
            sessions.remove(ByteBuffer.wrap(s.id));
        }
        c.sessions.clear();
        onExpire.accept(c.id);
    }
}
