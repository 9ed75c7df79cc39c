package dev.sgw.smb.file;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.sgw.core.sharing.FileSharing;
import dev.sgw.core.sharing.Lease;
import dev.sgw.core.sharing.LeaseState;
import dev.sgw.core.sharing.SharingChange;
import dev.sgw.core.sharing.StateOwner;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.smb.server.FileId;
import dev.sgw.smb.server.SmbConnection;
import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.server.SmbRequest;
import dev.sgw.smb.server.SmbResponse;
import dev.sgw.smb.wire.NtStatus;
import dev.sgw.smb.wire.Smb2Command;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Oplocks and leases of the disk shares (MS-SMB2 3.3.5.9.8, 3.3.5.9.11, 3.3.5.22), on the sharing seam's
 * {@link Lease}s. A lease belongs to the connection's client under the key the client chose, and every open
 * made with that key shares it; an oplock is a lease under a key of its own open's (batch = RWH, exclusive =
 * RW, level II = R).
 *
 * <pre>
 * event                                      | result
 * -------------------------------------------+------------------------------------------------------------
 * CREATE with RqLs (OplockLevel LEASE)       | requestLease under the client's key; RqLs answered
 * CREATE with OplockLevel II/EXCLUSIVE/BATCH | requestLease under the open's key; the level granted answered
 * the seam breaks a lease                    | LEASE_BREAK / OPLOCK_BREAK notification on the connection
 * OPLOCK_BREAK lease ack (36)                | acknowledge; lease break response
 * OPLOCK_BREAK oplock ack (24)               | acknowledge; oplock break response
 * last open of a lease (the oplock's) closed | releaseLease
 * </pre>
 */
final class Leases {
    static final int LEVEL_NONE = 0, LEVEL_II = 1, LEVEL_EXCLUSIVE = 8, LEVEL_BATCH = 9, LEVEL_LEASE = 0xFF;
    private static final int BREAK_ACK_REQUIRED = 0x01;

    /**
     * An SMB lease or oplock: its seam lease, and where and how to tell its holder of breaks. While every open
     * under it is a disconnected durable open it is detached (no connection): a break then purges those opens
     * (their client cannot answer) instead of notifying anyone.
     */
    static final class SmbLease {
        final ByteBuffer key;
        final long inode;
        /** Its holder in the sharing seam: the oplock's open's client, or the lease's own ({@link SeamClients}). */
        final StateOwner holder;
        /** The lease context that made it; null for an oplock. */
        final LeaseContext context;

        private final Consumer<SmbLease> detachedBroken;

        /** The connection breaks go to; null while detached. */
        volatile SmbConnection connection;
        /** The session an oplock break names. */
        volatile long sessionId;
        /** For an oplock: its open (the one standing for it after a durable reconnect). */
        volatile SmbOpen oplockOpen;
        /** Its entry in the client's lease table; null for an oplock. */
        volatile LeaseId id;

        volatile Lease lease;
        /** The v2 epoch the client sent when the seam lease was made (the seam counts from 1). */
        volatile int baseEpoch;

        SmbLease(
                ByteBuffer key,
                long inode,
                StateOwner holder,
                SmbConnection connection,
                long sessionId,
                LeaseContext context,
                SmbOpen oplockOpen,
                Consumer<SmbLease> detachedBroken) {
            this.key = key;
            this.inode = inode;
            this.holder = holder;
            this.connection = connection;
            this.sessionId = sessionId;
            this.context = context;
            this.oplockOpen = oplockOpen;
            this.detachedBroken = detachedBroken;
        }

        int epoch() {
            return (baseEpoch + lease.epoch()) & 0xFFFF;
        }

        /** The seam's break callback: queues the notification (MS-SMB2 2.2.23.1 or 2.2.23.2). */
        void breakLease(Lease broken, int from, int to, boolean ack) {
            SmbConnection c = connection;
            if (c == null) {
                detachedBroken.accept(this);
                return;
            }
            if (context == null) {
                ByteBuf body = Unpooled.buffer(24);
                body.writeShortLE(24);
                body.writeByte((to & LeaseState.READ) != 0 ? LEVEL_II : LEVEL_NONE);
                body.writeByte(0);
                body.writeIntLE(0);
                oplockOpen.fileId.write(body);
                c.notify(Smb2Command.OPLOCK_BREAK, sessionId, body);
                return;
            }
            ByteBuf body = Unpooled.buffer(44);
            body.writeShortLE(44);
            body.writeShortLE(context.version() == 2 ? (baseEpoch + broken.epoch()) & 0xFFFF : 0);
            body.writeIntLE(ack ? BREAK_ACK_REQUIRED : 0);
            body.writeBytes(key.duplicate());
            body.writeIntLE(from);
            body.writeIntLE(to);
            body.writeIntLE(0); // BreakReason
            body.writeIntLE(0); // AccessMaskHint
            body.writeIntLE(0); // ShareMaskHint
            c.notify(Smb2Command.OPLOCK_BREAK, 0, body);
        }

        /** The OplockLevel an oplock's state stands for. */
        int oplockLevel() {
            int s = lease.state();
            if (s == LeaseState.NONE) {
                return LEVEL_NONE;
            }
            return (s & LeaseState.HANDLE) != 0
                    ? LEVEL_BATCH
                    : (s & LeaseState.WRITE) != 0 ? LEVEL_EXCLUSIVE : LEVEL_II;
        }

        /**
         * Whether its holder may keep handles open and no break of it runs: a batch oplock, or a lease with
         * HANDLE (an oplock being broken goes to level II at most).
         */
        boolean cachesHandles() {
            Lease l = lease;
            return l != null && !l.isBreaking() && (l.state() & LeaseState.HANDLE) != 0;
        }
    }

    /** What a CREATE asks for: the key its open caches under (null: none), and the lease or oplock wanted. */
    record Wanted(ByteBuffer key, int state, LeaseContext lease, int oplockLevel) {
        static final Wanted NOTHING = new Wanted(null, LeaseState.NONE, null, LEVEL_NONE);
    }

    /** What a CREATE got: the OplockLevel to answer and the RqLs response data (null: none). */
    record Granted(int oplockLevel, ByteBuf leaseContext) {}

    /** A lease's entry in its client's lease table: the connection's id and the key. */
    record LeaseId(long client, ByteBuffer key) {}

    private final OpenTable opens;
    private final Consumer<SmbLease> detachedBroken;
    private final ConcurrentHashMap<LeaseId, SmbLease> leases = new ConcurrentHashMap<>();

    /**
     * @param detachedBroken told (on the breaking thread, without blocking) when the seam breaks a detached
     *     lease or oplock: its disconnected durable opens are to be purged
     */
    Leases(OpenTable opens, Consumer<SmbLease> detachedBroken) {
        this.opens = opens;
        this.detachedBroken = detachedBroken;
    }

    /**
     * What {@code create} asks for its open {@code id} of inode {@code inode}.
     *
     * @throws SmbException INVALID_PARAMETER when the lease key is the client's for another file
     */
    Wanted wanted(SmbRequest request, CreateRequest create, FileId id, long inode, boolean directory)
            throws SmbException {
        int dialect = request.connection().dialect();
        int level = create.oplockLevel();
        if (level == LEVEL_LEASE) {
            CreateRequest.CreateContext rqls = create.context("RqLs");
            if (rqls == null || dialect < 0x0210) {
                return Wanted.NOTHING;
            }
            LeaseContext ctx = LeaseContext.decode(rqls.data());
            if (dialect == 0x0210 && ctx.version() == 2) {
                ctx = new LeaseContext(1, ctx.key(), ctx.state(), 0, new byte[16], 0);
            }
            ByteBuffer key = ctx.keyBuffer();
            SmbLease known = leases.get(new LeaseId(request.connection().id(), key));
            if (known != null && known.inode != inode && known.lease.state() != LeaseState.NONE) {
                throw new SmbException(NtStatus.INVALID_PARAMETER, "lease key of another file");
            }
            if (directory) {
                return Wanted.NOTHING; // no directory leases
            }
            int state = LeaseState.valid(ctx.state()) ? ctx.state() : LeaseState.NONE;
            return new Wanted(key, state, ctx, LEVEL_LEASE);
        }
        int state = switch (level) {
            case LEVEL_II -> LeaseState.READ;
            case LEVEL_EXCLUSIVE -> LeaseState.READ | LeaseState.WRITE;
            case LEVEL_BATCH -> LeaseState.READ | LeaseState.WRITE | LeaseState.HANDLE;
            default -> LeaseState.NONE;
        };
        if (state == LeaseState.NONE || directory) {
            return Wanted.NOTHING;
        }
        ByteBuffer key = ByteBuffer.allocate(16)
                .putLong(0, -1L)
                .putLong(8, id.volatileId())
                .asReadOnlyBuffer();
        return new Wanted(key, state, null, level);
    }

    /** Asks the seam for what {@code wanted} asks, for {@code open} (already in the table). */
    Granted grant(SmbRequest request, SmbOpen open, Wanted wanted) {
        if (wanted.key() == null) {
            return new Granted(LEVEL_NONE, null);
        }
        FileSharing sharing = open.tree.sharing();
        long inode = open.node.inode();
        SmbConnection connection = request.connection();
        if (wanted.lease() == null) {
            StateOwner holder = SeamClients.oplockHolder(open.owner);
            SmbLease oplock = new SmbLease(
                    wanted.key(), inode, holder, connection, request.session().id(), null, open, detachedBroken);
            Lease lease = sharing.requestLease(inode, holder, wanted.key(), wanted.state(), oplock::breakLease);
            if ((lease.state() & LeaseState.WRITE) == 0 && lease.state() != LeaseState.NONE) {
                sharing.releaseLease(lease); // others open: a level II oplock, which breaks without acks
                lease = sharing.requestLease(inode, holder, wanted.key(), LeaseState.READ, oplock::breakLease);
            }
            oplock.lease = lease;
            if (lease.state() == LeaseState.NONE) {
                return new Granted(LEVEL_NONE, null);
            }
            open.lease = oplock;
            return new Granted(oplock.oplockLevel(), null);
        }
        LeaseContext ctx = wanted.lease();
        LeaseId id = new LeaseId(connection.id(), wanted.key());
        SmbLease smb = leases.compute(
                id,
                (k, old) -> old == null
                                || old.inode != inode
                                || (old.lease.state() == LeaseState.NONE && !old.lease.isBreaking())
                        ? newLease(k, inode, connection, ctx)
                        : old);
        synchronized (smb) {
            int state = wanted.state();
            if (smb.lease != null) {
                // an upgrade only to a superset of what is held; anything else keeps the lease as it is
                int held = smb.lease.state();
                if ((state & held) != held) {
                    state = held;
                }
            }
            Lease lease = sharing.requestLease(inode, smb.holder, wanted.key(), state, smb::breakLease);
            if (smb.lease != lease) {
                smb.lease = lease;
                smb.baseEpoch = ctx.epoch();
            }
            open.lease = smb;
        }
        Lease lease = smb.lease;
        int flags = lease.isBreaking() ? LeaseContext.FLAG_BREAK_IN_PROGRESS : 0;
        return new Granted(LEVEL_LEASE, ctx.response(lease.state(), flags, smb.epoch()));
    }

    /** OPLOCK_BREAK from the client: a lease acknowledgment (StructureSize 36) or an oplock one (24). */
    SmbResponse acknowledge(SmbRequest request) throws SmbException {
        ByteBuf m = request.message();
        int size = m.getUnsignedShortLE(64);
        if (size == 36) {
            return acknowledgeLease(request, m);
        }
        if (size != 24) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "OPLOCK_BREAK StructureSize " + size);
        }
        SmbOpen open = opens.get(request, FileId.get(m, 64 + 8));
        int level = m.getUnsignedByte(64 + 2);
        SmbLease oplock = open.lease;
        if (oplock == null || oplock.oplockOpen != open || !oplock.lease.isBreaking()) {
            throw new SmbException(NtStatus.INVALID_OPLOCK_PROTOCOL, "no oplock break of " + open);
        }
        int state = level == LEVEL_II ? LeaseState.READ : level == LEVEL_NONE ? LeaseState.NONE : -1;
        if (state < 0 || (state & ~oplock.lease.breakingTo()) != 0) {
            // a wrong level ends the oplock (MS-SMB2 3.3.5.22.1)
            open.tree.sharing().releaseLease(oplock.lease);
            throw new SmbException(NtStatus.INVALID_OPLOCK_PROTOCOL, "acknowledged level " + level);
        }
        try {
            open.tree.sharing().acknowledge(oplock.lease, state);
        } catch (VolumeException e) {
            throw new SmbException(NtStatus.INVALID_OPLOCK_PROTOCOL, e.getMessage());
        }
        ByteBuf out = Unpooled.buffer(24);
        out.writeShortLE(24);
        out.writeByte(state == LeaseState.NONE ? LEVEL_NONE : LEVEL_II);
        out.writeByte(0);
        out.writeIntLE(0);
        open.fileId.write(out);
        return SmbResponse.of(out);
    }

    /** The lease break acknowledgment (2.2.24.2) and its response (2.2.25.2). */
    private SmbResponse acknowledgeLease(SmbRequest request, ByteBuf m) throws SmbException {
        byte[] keyBytes = new byte[16];
        m.getBytes(64 + 8, keyBytes);
        int state = m.getIntLE(64 + 24);
        SmbLease smb = leases.get(new LeaseId(request.connection().id(), ByteBuffer.wrap(keyBytes)));
        if (smb == null || smb.lease == null) {
            throw new SmbException(NtStatus.OBJECT_NAME_NOT_FOUND, "no lease under that key");
        }
        Lease lease = smb.lease;
        if (!lease.isBreaking()) {
            throw new SmbException(NtStatus.UNSUCCESSFUL, "no break of " + lease + " runs");
        }
        if (!LeaseState.valid(state) || (state & ~lease.breakingTo()) != 0) {
            throw new SmbException(NtStatus.REQUEST_NOT_ACCEPTED, "acknowledged state " + state + " for " + lease);
        }
        SmbOpen any = opens.using(smb);
        try {
            FileSharing sharing =
                    any != null ? any.tree.sharing() : request.tree().sharing();
            sharing.acknowledge(lease, state);
        } catch (VolumeException e) {
            throw new SmbException(NtStatus.REQUEST_NOT_ACCEPTED, e.getMessage());
        }
        ByteBuf out = Unpooled.buffer(36);
        out.writeShortLE(36);
        out.writeShortLE(0);
        out.writeIntLE(0);
        out.writeBytes(keyBytes);
        out.writeIntLE(state);
        out.writeLongLE(0);
        return SmbResponse.of(out);
    }

    /**
     * Whether an open of {@code inode} under {@code key} (null: none) waits for other keys' holders to
     * acknowledge breaks: one that may read or write breaks their write caching, an overwrite their read
     * caching too; breaks from states with WRITE or HANDLE need acknowledgments.
     */
    static boolean breakWaits(FileSharing sharing, long inode, ByteBuffer key, boolean reads, boolean overwriting) {
        for (Lease l : sharing.leases(inode)) {
            if (key != null && l.key().equals(key)) {
                continue;
            }
            int s = l.breakingTo();
            boolean acked = (s & (LeaseState.WRITE | LeaseState.HANDLE)) != 0;
            if ((reads && (s & LeaseState.WRITE) != 0) || (overwriting && acked)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Breaks what {@code change} through {@code open} breaks of other keys' leases, waiting for their
     * acknowledgments (or the break timeout).
     */
    static void breakFor(SmbOpen open, SharingChange change) throws SmbException {
        SmbLease own = open.lease;
        FileSharing sharing = open.tree.sharing();
        try {
            sharing.breakLeases(open.node.inode(), change, own == null ? null : own.key, sharing.breakTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SmbException(NtStatus.CANCELLED, "interrupted while leases broke");
        }
    }

    /** {@code open} was closed (and left the table): its oplock, or its lease with no open left, is released. */
    void closed(SmbOpen open) {
        SmbLease smb = open.lease;
        if (smb == null || smb.lease == null) {
            return;
        }
        if (smb.context == null) {
            if (smb.oplockOpen == open) {
                open.tree.sharing().releaseLease(smb.lease);
            }
            return;
        }
        synchronized (smb) {
            if (opens.using(smb) == null) {
                open.tree.sharing().releaseLease(smb.lease);
                LeaseId id = smb.id;
                if (id != null) {
                    leases.remove(id, smb);
                }
            } else {
                detachIfDisconnected(smb);
            }
        }
    }

    private SmbLease newLease(LeaseId id, long inode, SmbConnection connection, LeaseContext ctx) {
        SmbLease smb =
                new SmbLease(id.key(), inode, SeamClients.newLeaseHolder(), connection, 0, ctx, null, detachedBroken);
        smb.id = id;
        return smb;
    }

    /**
     * Detaches {@code smb} from its connection when every open under it is a disconnected durable open: breaks
     * then purge those opens instead of going to a connection that is gone.
     */
    void detachIfDisconnected(SmbLease smb) {
        synchronized (smb) {
            if (opens.connectedUsing(smb) == null) {
                smb.connection = null;
            }
        }
    }

    /** Whether {@code smb} may join {@code request}'s connection: it has no other lease under that key. */
    boolean mayReattach(SmbLease smb, SmbRequest request) {
        if (smb.context == null) {
            return true;
        }
        SmbLease there = leases.get(new LeaseId(request.connection().id(), smb.key));
        return there == null || there == smb;
    }

    /**
     * A durable open under {@code smb} is back as {@code open} on {@code request}'s connection: breaks go there
     * again, and a lease joins that connection's lease table under its key (replacing another lease the
     * connection made under that key since {@link #mayReattach}).
     */
    void reattach(SmbLease smb, SmbOpen open, SmbRequest request) {
        SmbConnection connection = request.connection();
        synchronized (smb) {
            if (smb.context == null) {
                smb.oplockOpen = open;
            } else {
                LeaseId id = new LeaseId(connection.id(), smb.key);
                leases.put(id, smb);
                LeaseId old = smb.id;
                if (old != null && !old.equals(id)) {
                    leases.remove(old, smb);
                }
                smb.id = id;
            }
            smb.connection = connection;
            smb.sessionId = request.session().id();
        }
    }
}
