package dev.sgw.nfs.portmap;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.sgw.nfs.rpc.ProgramVersions;
import dev.sgw.nfs.rpc.RpcProgram;

/**
 * The services known to our portmapper, in memory, in registration order. At most one registration per
 * program, version and netid (RFC 1833: SET fails if one exists). Thread-safe.
 */
public final class PortmapRegistry {
    private final List<Registration> registrations = new ArrayList<>();

    /** Adds {@code r}; false if its program, version and netid are already registered. */
    public synchronized boolean set(Registration r) {
        if (find(r.program(), r.version(), r.netid()).isPresent()) {
            return false;
        }
        registrations.add(r);
        return true;
    }

    /** Removes the program version on {@code netid}, or on every netid when it is null or empty. */
    public synchronized boolean unset(int program, int version, String netid) {
        return registrations.removeIf(r -> r.program() == program
                && r.version() == version
                && (netid == null || netid.isEmpty() || r.netid().equals(netid)));
    }

    /** The registration of exactly this program, version and netid. */
    public synchronized Optional<Registration> find(int program, int version, String netid) {
        return registrations.stream()
                .filter(r -> r.program() == program
                        && r.version() == version
                        && r.netid().equals(netid))
                .findFirst();
    }

    /** Any registration of the program on {@code netid}, the requested version first. */
    public synchronized Optional<Registration> findAnyVersion(int program, int version, String netid) {
        return find(program, version, netid)
                .or(() -> registrations.stream()
                        .filter(r -> r.program() == program && r.netid().equals(netid))
                        .findFirst());
    }

    /** Every registration, in the order they were made. */
    public synchronized List<Registration> all() {
        return List.copyOf(registrations);
    }

    /** Registers every version of {@code program} as served over TCP at {@code address}. */
    public void registerTcp(RpcProgram program, InetSocketAddress address, String owner) {
        String netid = address.getAddress() instanceof Inet6Address ? "tcp6" : "tcp";
        ProgramVersions versions = program.versions();
        for (int v = versions.low(); v <= versions.high(); v++) {
            set(new Registration(
                    versions.program(), v, netid, Registration.uaddr(address.getAddress(), address.getPort()), owner));
        }
    }
}
