package dev.sgw.nfs.portmap;

import java.util.List;
import java.util.Optional;

import dev.sgw.nfs.rpc.CallContext;
import dev.sgw.nfs.rpc.Credential;
import dev.sgw.nfs.rpc.RpcCall;
import dev.sgw.nfs.rpc.RpcReply;
import dev.sgw.nfs.xdr.XdrDecoder;

/**
 * Portmap version 2 (RFC 1833 section 3): NULL, SET, UNSET, GETPORT, DUMP; CALLIT is not offered
 * (PROC_UNAVAIL). A {@code mapping} is four unsigned ints: prog, vers, prot (6 TCP, 17 UDP), port.
 */
final class PortmapV2 {
    static final int NULL = 0, SET = 1, UNSET = 2, GETPORT = 3, DUMP = 4, CALLIT = 5;

    /** A portmap v2 {@code mapping}. */
    record Mapping(int program, int version, long protocol, long port) {
        static Mapping read(XdrDecoder in) {
            Mapping m =
                    new Mapping(in.readInt(), in.readInt(), in.readUnsignedInt(), in.readUnsignedInt()); // 4 x 4 bytes
            in.requireEnd();
            return m;
        }
    }

    private final PortmapRegistry registry;

    PortmapV2(PortmapRegistry registry) {
        this.registry = registry;
    }

    RpcReply handle(RpcCall call, CallContext context) {
        XdrDecoder in = new XdrDecoder(call.args());
        return switch (call.procedure()) {
            case NULL -> {
                in.requireEnd();
                yield RpcReply.success(out -> {});
            }
            case SET -> {
                Mapping m = Mapping.read(in);
                String netid = Registration.netidOfProtocol(m.protocol());
                boolean done = PortmapProgram.mayRegister(context)
                        && netid != null
                        && m.port() > 0
                        && m.port() < 65536
                        && registry.set(new Registration(
                                m.program(),
                                m.version(),
                                netid,
                                "0.0.0.0." + (m.port() >>> 8) + "." + (m.port() & 0xFF),
                                owner(call)));
                yield RpcReply.success(out -> out.writeBool(done));
            }
            case UNSET -> { // prot and port are ignored: every transport of the version goes
                Mapping m = Mapping.read(in);
                boolean done = PortmapProgram.mayRegister(context) && registry.unset(m.program(), m.version(), null);
                yield RpcReply.success(out -> out.writeBool(done));
            }
            case GETPORT -> {
                Mapping m = Mapping.read(in);
                String netid = Registration.netidOfProtocol(m.protocol());
                Optional<Registration> r =
                        netid == null ? Optional.empty() : registry.find(m.program(), m.version(), netid);
                int port = r.map(x -> Registration.port(x.uaddr()))
                        .filter(p -> p > 0)
                        .orElse(0);
                yield RpcReply.success(out -> out.writeUnsignedInt(port));
            }
            case DUMP -> {
                in.requireEnd();
                List<Registration> all = registry.all();
                yield RpcReply.success(out -> {
                    for (Registration r : all) {
                        int port = Registration.port(r.uaddr());
                        if (r.protocol() == 0 || port < 0) {
                            continue; // not expressible in v2
                        }
                        out.writeBool(true) // value follows
                                .writeInt(r.program())
                                .writeInt(r.version()) // prog, vers
                                .writeUnsignedInt(r.protocol())
                                .writeUnsignedInt(port); // prot, port
                    }
                    out.writeBool(false); // end of list
                });
            }
            default -> new RpcReply.ProcUnavail(); // CALLIT and unknown
        };
    }

    static String owner(RpcCall call) {
        return call.credential() instanceof Credential.Sys sys ? Integer.toString(sys.uid()) : "unknown";
    }
}
