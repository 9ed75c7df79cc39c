package dev.sgw.smb.file;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.sgw.core.sharing.Lease;
import dev.sgw.core.sharing.LeaseState;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.server.SmbRequest;
import dev.sgw.smb.server.SmbResponse;
import dev.sgw.smb.wire.NtStatus;

/**
 * A DH2Q CREATE the client sends again with SMB2_FLAGS_REPLAY_OPERATION (it did not get the answer) while the
 * open it made is still there (MS-SMB2 3.3.5.9.10): answered from that open, without opening anything, meeting
 * share modes or breaking leases. The answer has the open's file id and first CreateAction, what it caches now
 * (a lease as upgraded since; an oplock no higher than the replay asks) and the DH2Q context when that caching
 * keeps it durable. A replay that asks for a lease of an oplock's open, an oplock or another key for a leased
 * open, is ACCESS_DENIED (as Windows).
 */
final class CreateReplay {
    SmbResponse handle(SmbRequest request, CreateRequest create, DurableOpen d) throws SmbException, IOException {
        SmbOpen open = d.open();
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
        if (handles) {
            added.add(new CreateResponse.Context(
                    DurableRequest.V2_REQUEST, DurableRequest.v2Response(d.timeout.toMillis())));
        }
        request.use(open.fileId);
        FileAttributes file = open.tree.volume().getattr(open.node);
        return CreateResponse.of(request, create, open, file, d.createAction, level, added);
    }
}
