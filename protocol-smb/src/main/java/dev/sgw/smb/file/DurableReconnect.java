package dev.sgw.smb.file;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.sgw.core.sharing.Lease;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.smb.server.FileId;
import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.server.SmbRequest;
import dev.sgw.smb.server.SmbResponse;
import dev.sgw.smb.wire.NtStatus;

/**
 * A CREATE with DHnC or DH2C (MS-SMB2 3.3.5.9.7, 3.3.5.9.12): hands a disconnected durable open back to its
 * client in the client's new session and tree. Only the reconnect context, the file name and the lease context
 * count; the other fields of the request (access, share mode, disposition, options, oplock level, the lease
 * state asked) are ignored, as on Windows.
 *
 * <pre>
 * check, in order                                                   | fails with
 * ------------------------------------------------------------------+------------------------
 * an open with that persistent id, disconnected, of the same share  | OBJECT_NAME_NOT_FOUND
 * DH2C: the open's CreateGuid (zeros for a v1 open)                 | OBJECT_NAME_NOT_FOUND
 * a lease: the same client (ClientGuid), an RqLs with its key       | OBJECT_NAME_NOT_FOUND
 * an oplock: no RqLs                                                | OBJECT_NAME_NOT_FOUND
 * a lease: the same file name (unless delete on close is set)       | INVALID_PARAMETER
 * the same user (Open.DurableOwner)                                 | ACCESS_DENIED
 * a lease: no other lease of the new connection under its key       | OBJECT_NAME_NOT_FOUND
 * </pre>
 *
 * The open comes back with the same persistent id and a new volatile id, its share modes, byte-range locks,
 * lease or oplock, position and lock sequences; the answer is FILE_OPENED with the oplock level or lease it
 * holds now and no durable response context.
 */
final class DurableReconnect {
    private final OpenTable opens;
    private final Leases leases;
    private final DurableHandles durables;

    DurableReconnect(OpenTable opens, Leases leases, DurableHandles durables) {
        this.opens = opens;
        this.leases = leases;
        this.durables = durables;
    }

    SmbResponse handle(SmbRequest request, CreateRequest create, DurableRequest durable)
            throws SmbException, IOException {
        DurableOpen d = durables.find(durable.fileId().persistent());
        SmbOpen old = d == null ? null : d.open();
        if (old == null
                || !old.isDisconnected()
                || old.tree.sharing() != request.tree().sharing()) {
            throw new SmbException(NtStatus.OBJECT_NAME_NOT_FOUND, "no disconnected durable open to reconnect");
        }
        if (durable.kind() == DurableRequest.Kind.RECONNECT_V2 && !d.createdBy(durable.createGuid())) {
            throw new SmbException(NtStatus.OBJECT_NAME_NOT_FOUND, "another CreateGuid");
        }
        LeaseContext asked = checkCaching(request, create, d, old);
        if (!d.user.equals(request.session().user())) {
            throw new SmbException(NtStatus.ACCESS_DENIED, d + " is another user's");
        }
        if (!leases.mayReattach(old.lease, request)) {
            throw new SmbException(NtStatus.OBJECT_NAME_NOT_FOUND, "the client made another lease under the key");
        }
        FileId id = opens.newVolatileId(d.persistentId);
        SmbOpen open = d.reconnect(disconnected -> disconnected.reattach(id, request.tree()));
        if (open == null) {
            throw new SmbException(NtStatus.OBJECT_NAME_NOT_FOUND, d + " went meanwhile");
        }
        opens.remove(old);
        opens.add(open);
        request.use(id);
        Leases.SmbLease caching = open.lease;
        leases.reattach(caching, open, request);
        FileAttributes file = request.tree().volume().getattr(open.node);
        List<CreateResponse.Context> added = new ArrayList<>();
        int level = caching.oplockLevel();
        if (asked != null) {
            level = Leases.LEVEL_LEASE;
            Lease lease = caching.lease;
            int flags = lease.isBreaking() ? LeaseContext.FLAG_BREAK_IN_PROGRESS : 0;
            added.add(new CreateResponse.Context("RqLs", asked.response(lease.state(), flags, caching.epoch())));
        }
        return CreateResponse.of(request, create, open, file, CreateResponse.ACTION_OPENED, level, added);
    }

    /**
     * The lease or oplock checks; the lease context asked (for the answer's version), or null for an oplock.
     */
    private static LeaseContext checkCaching(SmbRequest request, CreateRequest create, DurableOpen d, SmbOpen old)
            throws SmbException {
        Leases.SmbLease caching = old.lease;
        CreateRequest.CreateContext rqls = create.context("RqLs");
        boolean leased = caching.context != null;
        if (!leased) {
            if (rqls != null) {
                throw new SmbException(NtStatus.OBJECT_NAME_NOT_FOUND, "a lease asked for an oplock's open");
            }
            return null;
        }
        if (!d.ofClient(request.connection().clientGuid())) {
            throw new SmbException(NtStatus.OBJECT_NAME_NOT_FOUND, "a lease of another client");
        }
        if (rqls == null) {
            throw new SmbException(NtStatus.OBJECT_NAME_NOT_FOUND, "no lease context for a leased open");
        }
        LeaseContext asked = LeaseContext.decode(rqls.data());
        if (!asked.keyBuffer().equals(caching.key)) {
            throw new SmbException(NtStatus.OBJECT_NAME_NOT_FOUND, "another lease key");
        }
        if (!old.deleteOnClose && !sameFile(create.name(), old.path())) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "another file name than the lease's");
        }
        if (request.connection().dialect() == 0x0210 && asked.version() == 2) {
            asked = new LeaseContext(1, asked.key(), asked.state(), 0, new byte[16], 0);
        }
        return asked;
    }

    private static boolean sameFile(String name, String path) {
        try {
            return DurableHandles.samePath(SharePath.parse(name).toString(), path);
        } catch (SmbException e) {
            return false;
        }
    }
}
