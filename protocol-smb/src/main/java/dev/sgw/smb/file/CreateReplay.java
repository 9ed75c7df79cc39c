package dev.sgw.smb.file;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.sgw.core.sharing.Lease;
import dev.sgw.core.sharing.LeaseState;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.server.SmbRequest;
import dev.sgw.smb.server.SmbResponse;
import dev.sgw.smb.wire.NtStatus;
import dev.sgw.smb.wire.Smb2Header;

/**
 * DH2Q CREATEs a client may send again (MS-SMB2 3.3.5.9.10, Open.IsReplayEligible): the client did not get the
 * answer and resends the CREATE with SMB2_FLAGS_REPLAY_OPERATION and the same CreateGuid. A CREATE with DH2Q is
 * known here by its {@link Key} while it runs and, once it made an open, in the {@link OpenTable} until another
 * request uses that open (Samba's replay cache).
 *
 * <pre>
 * DH2Q CREATE with the key of         | REPLAY_OPERATION set                  | not set
 * ------------------------------------+---------------------------------------+-----------------------
 * a CREATE still running (waiting for | FILE_NOT_AVAILABLE (Samba; Windows    | opened anew
 *   lease breaks)                     |   answers ACCESS_DENIED or waits)     |
 * an open no request has used since   | answered from that open               | DUPLICATE_OBJECTID
 * nothing                             | opened anew                           | opened anew
 * </pre>
 *
 * A replay's answer has the open's file id and first CreateAction, what it caches now (a lease as upgraded
 * since; an oplock no higher than the replay asks) and DH2Q when that caching keeps the open durable; it
 * opens nothing, meets no share modes and breaks no lease. A replay asking for a lease of an oplock's open, or
 * for an oplock or another key of a leased open, is ACCESS_DENIED (as Windows).
 */
final class CreateReplay {
    /** A DH2Q CREATE's identity: its client's ClientGuid and its CreateGuid. */
    record Key(String client, String create) {
        /** The key of {@code request}, or null when it has no DH2Q. */
        static Key of(SmbRequest request, DurableRequest durable) {
            if (durable.kind() != DurableRequest.Kind.REQUEST_V2) {
                return null;
            }
            HexFormat hex = HexFormat.of();
            return new Key(hex.formatHex(request.connection().clientGuid()), hex.formatHex(durable.createGuid()));
        }
    }

    /** An open a replay may be answered from, with the CreateAction of the CREATE that made it. */
    record Replayable(SmbOpen open, int action) {}

    private final OpenTable opens;
    private final Set<Key> running = ConcurrentHashMap.newKeySet();

    CreateReplay(OpenTable opens) {
        this.opens = opens;
    }

    static boolean isReplay(SmbRequest request) {
        return (request.header().flags() & Smb2Header.FLAGS_REPLAY_OPERATION) != 0;
    }

    /**
     * The answer to {@code request} when it replays a CREATE (or resends a CREATE's CreateGuid without the
     * replay flag), else null: the caller opens.
     */
    SmbResponse answer(SmbRequest request, CreateRequest create, Key key) throws SmbException, IOException {
        if (key == null) {
            return null;
        }
        Replayable known = opens.replayable(key);
        boolean replay = isReplay(request);
        if (!replay) {
            if (known != null) {
                throw new SmbException(NtStatus.DUPLICATE_OBJECTID, "CreateGuid of " + known.open());
            }
            return null;
        }
        if (running.contains(key)) {
            throw new SmbException(NtStatus.FILE_NOT_AVAILABLE, "the CREATE it replays still runs");
        }
        return known == null ? null : answer(request, create, known);
    }

    /** A CREATE with {@code key} (null: none) starts; replays of it wait for its end. */
    void started(Key key) {
        if (key != null) {
            running.add(key);
        }
    }

    /** The CREATE with {@code key} ended. */
    void ended(Key key) {
        if (key != null) {
            running.remove(key);
        }
    }

    private static SmbResponse answer(SmbRequest request, CreateRequest create, Replayable known)
            throws SmbException, IOException {
        SmbOpen open = known.open();
        Leases.SmbLease caching = open.lease;
        CreateRequest.CreateContext rqls = create.context("RqLs");
        boolean asksLease = create.oplockLevel() == Leases.LEVEL_LEASE && rqls != null;
        boolean leased = caching != null && caching.context != null;
        if (asksLease != leased) {
            throw new SmbException(NtStatus.ACCESS_DENIED, "a replay asking for other caching than " + open + " has");
        }
        List<CreateResponse.Context> added = new ArrayList<>();
        int level;
        boolean handles;
        if (leased) {
            LeaseContext asked = LeaseContext.decode(rqls.data());
            if (!asked.keyBuffer().equals(caching.key)) {
                throw new SmbException(NtStatus.ACCESS_DENIED, "a replay with another lease key");
            }
            Lease lease = caching.lease;
            int flags = lease.isBreaking() ? LeaseContext.FLAG_BREAK_IN_PROGRESS : 0;
            added.add(new CreateResponse.Context("RqLs", asked.response(lease.state(), flags, caching.epoch())));
            level = Leases.LEVEL_LEASE;
            handles = (lease.state() & LeaseState.HANDLE) != 0;
        } else {
            int held = caching == null ? Leases.LEVEL_NONE : caching.oplockLevel();
            level = Math.min(held, create.oplockLevel());
            handles = level == Leases.LEVEL_BATCH;
        }
        DurableOpen durable = open.durable;
        if (handles && durable != null) {
            added.add(new CreateResponse.Context(
                    DurableRequest.V2_REQUEST, DurableRequest.v2Response(durable.timeout.toMillis())));
        }
        request.use(open.fileId);
        FileAttributes file = open.tree.volume().getattr(open.node);
        return CreateResponse.of(request, create, open, file, known.action(), level, added);
    }
}
