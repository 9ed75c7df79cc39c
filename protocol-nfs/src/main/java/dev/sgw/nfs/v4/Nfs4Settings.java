package dev.sgw.nfs.v4;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

/**
 * Tunables of the NFSv4.1 server.
 *
 * @param lease       how long a client's state lives without a SEQUENCE (the lease_time attribute)
 * @param grace       how long after start non-reclaim OPEN and LOCK are refused with NFS4ERR_GRACE, so that
 *                    clients of the previous run may reclaim first
 * @param idDomain    the domain accepted in {@code user@domain} owner strings
 * @param maxSlots    slots per session at most (concurrent requests of one session)
 * @param serverOwner the server owner and scope (RFC 8881 section 2.5): the same across restarts, or clients
 *                    take a restart for another server and do not reclaim their state
 */
public record Nfs4Settings(Duration lease, Duration grace, String idDomain, int maxSlots, String serverOwner) {

    public Nfs4Settings {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(idDomain, "idDomain");
        Objects.requireNonNull(serverOwner, "serverOwner");
        if (serverOwner.isEmpty() || serverOwner.length() > 1024) {
            throw new IllegalArgumentException("server owner of " + serverOwner.length() + " characters");
        }
        if (lease.toSeconds() < 1 || grace.isNegative() || maxSlots < 1) {
            throw new IllegalArgumentException("lease " + lease + ", grace " + grace + ", slots " + maxSlots);
        }
    }

    /** A 90 s lease and grace period, domain {@code localdomain}, 64 slots, owner {@code sgw@} the host name. */
    public static Nfs4Settings defaults() {
        return new Nfs4Settings(Duration.ofSeconds(90), Duration.ofSeconds(90), "localdomain", 64, "sgw@" + hostName());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    public Nfs4Settings withLease(Duration newLease) {
        return new Nfs4Settings(newLease, grace, idDomain, maxSlots, serverOwner);
    }

    public Nfs4Settings withGrace(Duration newGrace) {
        return new Nfs4Settings(lease, newGrace, idDomain, maxSlots, serverOwner);
    }

    int leaseSeconds() {
        return (int) Math.min(Integer.MAX_VALUE, lease.toSeconds());
    }
}
