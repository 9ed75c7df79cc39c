package dev.sgw.nfs.v4;

import java.util.List;

import dev.sgw.nfs.Nfs4Exception;
import dev.sgw.nfs.Nfs4Status;
import dev.sgw.nfs.v4.OpArgs.ChannelAttrs;
import dev.sgw.nfs.xdr.XdrEncoder;

/**
 * EXCHANGE_ID, CREATE_SESSION, SEQUENCE, BIND_CONN_TO_SESSION, DESTROY_SESSION, DESTROY_CLIENTID,
 * RECLAIM_COMPLETE, TEST_STATEID and FREE_STATEID (RFC 8881 sections 18.34-18.51) over {@link Sessions}.
 */
final class SessionOps {
    static final int CDFC4_FORE = 1, CDFC4_BACK = 2, CDFC4_FORE_OR_BOTH = 3, CDFC4_BACK_OR_BOTH = 7;
    static final int CDFS4_FORE = 1, CDFS4_BACK = 2, CDFS4_BOTH = 3;
    private static final String IMPL_DOMAIN = "sgw.dev", IMPL_NAME = "sgw NFSv4.1";

    private final ServerState server;

    SessionOps(ServerState server) {
        this.server = server;
    }

    /** Section 18.35: EXCHANGE_ID4resok. */
    OpResult exchangeId(OpArgs.ExchangeId a) throws Nfs4Exception {
        Sessions.Exchanged r = server.sessions().exchangeId(a);
        byte[] major = server.sessions().serverOwner();
        return OpResult.ok(out -> {
            out.writeUnsignedHyper(r.clientId()) // eir_clientid
                    .writeInt(r.sequence()) // eir_sequenceid
                    .writeInt(r.flags()) // eir_flags
                    .writeInt(0) // eir_state_protect: SP4_NONE
                    .writeHyper(0) // so_minor_id
                    .writeOpaque(major, 1024) // so_major_id
                    .writeOpaque(major, 1024) // eir_server_scope
                    .writeInt(1) // eir_server_impl_id<1>
                    .writeString(IMPL_DOMAIN, 1024) // nii_domain
                    .writeString(IMPL_NAME, 1024) // nii_name
                    .writeHyper(0)
                    .writeInt(0); // nii_date
        });
    }

    /** Section 18.36: CREATE_SESSION4resok; the back channel attributes are echoed, no back channel is made. */
    OpResult createSession(OpArgs.CreateSession a) throws Nfs4Exception {
        Sessions.CreatedSession r = server.sessions().createSession(a);
        return OpResult.ok(out -> {
            out.writeFixedOpaque(r.session().id) // csr_sessionid
                    .writeInt(r.sequence()) // csr_sequence
                    .writeInt(r.flags()); // csr_flags: no PERSIST, no CONN_BACK_CHAN
            channel(out, r.session().fore);
            channel(out, r.session().back);
        });
    }

    private static void channel(XdrEncoder out, ChannelAttrs c) {
        out.writeInt(c.headerPad())
                .writeInt(c.maxRequest())
                .writeInt(c.maxResponse())
                .writeInt(c.maxResponseCached())
                .writeInt(c.maxOps())
                .writeInt(c.maxRequests())
                .writeIntArray(c.rdmaIrd(), 1);
    }

    /** Section 18.46: SEQUENCE4resok for an admitted compound. */
    OpResult sequenceResult(OpArgs.Sequence a, Sessions.Run run) {
        int highest = run.session().slots.length - 1;
        return OpResult.ok(out -> out.writeFixedOpaque(a.sessionId()) // sr_sessionid
                .writeInt(a.sequenceId()) // sr_sequenceid
                .writeInt(a.slot()) // sr_slotid
                .writeInt(highest) // sr_highest_slotid
                .writeInt(highest) // sr_target_highest_slotid
                .writeInt(0)); // sr_status_flags
    }

    /** Section 18.34: the connection serves the session's fore channel (there is no back channel). */
    OpResult bindConn(OpArgs.BindConn a) throws Nfs4Exception {
        server.sessions().session(a.sessionId());
        int dir = switch (a.direction()) {
            case CDFC4_FORE, CDFC4_FORE_OR_BOTH -> CDFS4_FORE;
            case CDFC4_BACK_OR_BOTH -> CDFS4_BOTH;
            case CDFC4_BACK -> CDFS4_BACK;
            default -> throw new Nfs4Exception(Nfs4Status.NFS4ERR_INVAL, "channel direction " + a.direction());
        };
        return OpResult.ok(
                out -> out.writeFixedOpaque(a.sessionId()).writeInt(dir).writeBool(false));
    }

    OpResult destroySession(OpArgs.DestroySession a, Compound c) throws Nfs4Exception {
        server.sessions().destroySession(a.sessionId());
        return OpResult.OK;
    }

    OpResult destroyClientId(OpArgs.DestroyClientId a) throws Nfs4Exception {
        server.sessions().destroyClient(a.clientId());
        return OpResult.OK;
    }

    OpResult reclaimComplete(OpArgs.ReclaimComplete a, Compound c) throws Nfs4Exception {
        Sessions.Client client = c.client();
        if (!a.oneFs()) {
            server.sessions().reclaimComplete(client);
        }
        return OpResult.OK;
    }

    /** Section 18.48: a status per stateid. */
    OpResult testStateid(OpArgs.TestStateid a, Compound c) throws Nfs4Exception {
        long clientId = c.clientId();
        List<Nfs4Status> statuses = a.stateids().stream()
                .map(s -> s.isAnonymous() || s.isCurrent()
                        ? Nfs4Status.NFS4ERR_BAD_STATEID
                        : server.states().test(s, clientId))
                .toList();
        return OpResult.ok(out -> {
            out.writeInt(statuses.size());
            statuses.forEach(s -> out.writeInt(s.code()));
        });
    }

    OpResult freeStateid(OpArgs.FreeStateid a, Compound c) throws Nfs4Exception {
        server.states().free(c.stateid(a.stateid()), c.clientId());
        return OpResult.OK;
    }
}
