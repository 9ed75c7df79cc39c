package dev.sgw.nfs.portmap;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

import dev.sgw.nfs.rpc.CallContext;
import dev.sgw.nfs.rpc.RpcCall;
import dev.sgw.nfs.rpc.RpcReply;
import dev.sgw.nfs.xdr.XdrDecoder;
import dev.sgw.nfs.xdr.XdrEncoder;

/**
 * rpcbind versions 3 and 4 (RFC 1833 sections 2.1-2.2): NULL, SET, UNSET, GETADDR, DUMP, GETTIME, and in
 * version 4 GETVERSADDR, GETADDRLIST and GETSTAT (all counters zero: we keep none). CALLIT, address
 * translation, BCAST and INDIRECT answer PROC_UNAVAIL. A registration at a wildcard address is answered with the address the client reached us on.
 */
final class RpcbindV3V4 {
    static final int NULL = 0,
            SET = 1,
            UNSET = 2,
            GETADDR = 3,
            DUMP = 4,
            GETTIME = 6,
            GETVERSADDR = 9,
            GETADDRLIST = 11,
            GETSTAT = 12; // BCAST is CALLIT (5), INDIRECT is 10
    /** {@code RPCBSTAT_HIGHPROC} and {@code RPCBVERS_STAT}: the shape of GETSTAT's answer. */
    static final int STAT_PROCEDURES = 13, STAT_VERSIONS = 3;
    /** {@code NC_TPI_COTS_ORD}: the semantics of a TCP transport. */
    static final int CONNECTION_ORIENTED = 3;
    /** Longest netid, universal address and owner string we accept. */
    static final int MAX_STRING = 255;

    private final PortmapRegistry registry;

    RpcbindV3V4(PortmapRegistry registry) {
        this.registry = registry;
    }

    /** Reads an {@code rpcb}: prog, vers (4 + 4), then netid, addr, owner strings. */
    private static Registration readRpcb(XdrDecoder in) {
        Registration r = new Registration(
                in.readInt(),
                in.readInt(),
                in.readString(MAX_STRING),
                in.readString(MAX_STRING),
                in.readString(MAX_STRING));
        in.requireEnd();
        return r;
    }

    private static void writeRpcb(XdrEncoder out, Registration r) {
        out.writeInt(r.program())
                .writeInt(r.version())
                .writeString(r.netid(), MAX_STRING)
                .writeString(r.uaddr(), MAX_STRING)
                .writeString(r.owner(), MAX_STRING);
    }

    RpcReply handle(RpcCall call, CallContext context) {
        XdrDecoder in = new XdrDecoder(call.args());
        int proc = call.procedure();
        if ((proc == GETVERSADDR || proc == GETADDRLIST || proc == GETSTAT) && call.version() < 4) {
            return new RpcReply.ProcUnavail();
        }
        return switch (proc) {
            case NULL -> {
                in.requireEnd();
                yield RpcReply.success(out -> {});
            }
            case SET -> {
                Registration r = readRpcb(in);
                boolean done = PortmapProgram.mayRegister(context)
                        && !r.netid().isEmpty()
                        && Registration.port(r.uaddr()) >= 0
                        && registry.set(new Registration(
                                r.program(), r.version(), r.netid(), r.uaddr(), PortmapV2.owner(call)));
                yield RpcReply.success(out -> out.writeBool(done));
            }
            case UNSET -> {
                Registration r = readRpcb(in);
                boolean done =
                        PortmapProgram.mayRegister(context) && registry.unset(r.program(), r.version(), r.netid());
                yield RpcReply.success(out -> out.writeBool(done));
            }
            case GETADDR, GETVERSADDR -> {
                Registration q = readRpcb(in);
                String netid = q.netid().isEmpty() ? netidOf(context) : q.netid();
                Optional<Registration> r = proc == GETVERSADDR
                        ? registry.find(q.program(), q.version(), netid)
                        : registry.findAnyVersion(q.program(), q.version(), netid);
                String uaddr = r.map(x -> reachable(x.uaddr(), context)).orElse("");
                yield RpcReply.success(out -> out.writeString(uaddr, MAX_STRING));
            }
            case DUMP -> {
                in.requireEnd();
                List<Registration> all = registry.all();
                yield RpcReply.success(out -> {
                    for (Registration r : all) {
                        out.writeBool(true); // value follows
                        writeRpcb(out, r);
                    }
                    out.writeBool(false); // end of list
                });
            }
            case GETADDRLIST -> {
                Registration q = readRpcb(in);
                List<Registration> found = registry.all().stream()
                        .filter(r -> r.program() == q.program()
                                && r.version() == q.version()
                                && (q.netid().isEmpty() || r.netid().equals(q.netid())))
                        .toList();
                yield RpcReply.success(out -> {
                    for (Registration r : found) {
                        out.writeBool(true) // value follows
                                .writeString(reachable(r.uaddr(), context), MAX_STRING) // r_maddr
                                .writeString(r.netid(), MAX_STRING) // r_nc_netid
                                .writeUnsignedInt(CONNECTION_ORIENTED) // r_nc_semantics
                                .writeString(r.netid().endsWith("6") ? "inet6" : "inet", MAX_STRING) // r_nc_protofmly
                                .writeString(r.netid().startsWith("udp") ? "udp" : "tcp", MAX_STRING); // r_nc_proto
                    }
                    out.writeBool(false); // end of list
                });
            }
            case GETSTAT -> {
                in.requireEnd();
                yield RpcReply.success(out -> {
                    for (int v = 0; v < STAT_VERSIONS; v++) {
                        for (int p = 0; p < STAT_PROCEDURES; p++) {
                            out.writeInt(0); // info[p]: calls of procedure p
                        }
                        out.writeInt(0).writeInt(0); // setinfo, unsetinfo
                        out.writeBool(false).writeBool(false); // addrinfo, rmtinfo: empty lists
                    }
                });
            }
            case GETTIME -> {
                in.requireEnd();
                long now = System.currentTimeMillis() / 1000;
                yield RpcReply.success(out -> out.writeUnsignedInt(now & 0xFFFF_FFFFL));
            }
            default -> new RpcReply.ProcUnavail();
        };
    }

    private static String netidOf(CallContext context) {
        return context.local() != null && context.local().getAddress() instanceof java.net.Inet6Address
                ? "tcp6"
                : "tcp";
    }

    /** {@code uaddr}, with a wildcard host replaced by the local address the client reached us on. */
    private static String reachable(String uaddr, CallContext context) {
        InetAddress host = Registration.host(uaddr);
        InetSocketAddress local = context.local();
        if (host == null || !host.isAnyLocalAddress() || local == null) {
            return uaddr;
        }
        return Registration.uaddr(local.getAddress(), Registration.port(uaddr));
    }
}
