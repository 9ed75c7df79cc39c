package dev.sgw.nfs.portmap;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One registered service (RFC 1833 {@code rpcb}): a program version reachable over a transport at a
 * universal address.
 *
 * @param program program number
 * @param version program version
 * @param netid   transport, {@code tcp}, {@code tcp6}, {@code udp}, {@code udp6}
 * @param uaddr   universal address, e.g. {@code 127.0.0.1.8.1} for port 2049 (section 3.2 of RFC 5665)
 * @param owner   who registered it
 */
public record Registration(int program, int version, String netid, String uaddr, String owner) {

    /** The universal address of {@code address} and {@code port}: the host, then the port's two bytes. */
    public static String uaddr(InetAddress address, int port) {
        return address.getHostAddress() + "." + (port >>> 8) + "." + (port & 0xFF);
    }

    /** The port of a universal address, or -1 if it has none. */
    public static int port(String uaddr) {
        String[] parts = uaddr.split("\\.", -1);
        if (parts.length < 3) {
            return -1;
        }
        try {
            int hi = Integer.parseInt(parts[parts.length - 2]);
            int lo = Integer.parseInt(parts[parts.length - 1]);
            return hi >= 0 && hi < 256 && lo >= 0 && lo < 256 ? hi << 8 | lo : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The host of a universal address, or null if it is not an address literal. */
    public static InetAddress host(String uaddr) {
        int cut = uaddr.lastIndexOf('.', uaddr.lastIndexOf('.') - 1);
        if (cut <= 0) {
            return null;
        }
        String literal = uaddr.substring(0, cut);
        if (!literal.matches("[0-9a-fA-F:.]+")) { // a literal only: never a name lookup
            return null;
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The netid of the portmap v2 protocol number (6 TCP, 17 UDP), or null. */
    static String netidOfProtocol(long protocol) {
        return protocol == 6 ? "tcp" : protocol == 17 ? "udp" : null;
    }

    /** The portmap v2 protocol number of this registration's netid (6 or 17), or 0. */
    int protocol() {
        return netid.startsWith("tcp") ? 6 : netid.startsWith("udp") ? 17 : 0;
    }
}
