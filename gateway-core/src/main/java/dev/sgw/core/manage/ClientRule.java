package dev.sgw.core.manage;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * One entry of an NFS share's client allow-list: which clients (one address, a CIDR block, or {@code *}
 * for any) and whether they may write. Host names are not accepted: an allow-list must not depend on DNS.
 *
 * @param match     {@code *}, an IPv4 or IPv6 address, or a CIDR block such as {@code 10.0.0.0/8} or
 *                  {@code fd00::/8}
 * @param readWrite {@code true} for read-write, {@code false} for read-only
 */
public record ClientRule(String match, boolean readWrite) {

    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    public ClientRule {
        FieldRules.required("client rule", "match", match);
        parse(match);
    }

    /** Any client, read-write. */
    public static ClientRule anyReadWrite() {
        return new ClientRule("*", true);
    }

    /** Whether {@code client} is covered by this rule. */
    public boolean matches(InetAddress client) {
        Block block = parse(match);
        if (block == null) {
            return true;
        }
        byte[] address = client.getAddress();
        if (address.length != block.address.length) {
            return false;
        }
        int bits = block.prefixLength;
        for (int i = 0; i < address.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((address[i] & mask) != (block.address[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    // the array component is carried as is; this record is never compared or used as a key
    @SuppressWarnings("ArrayRecordComponent")
    private record Block(byte[] address, int prefixLength) {}

    /** The address block of {@code match}, {@code null} for {@code *}; INVALID if it is neither. */
    private static Block parse(String match) {
        if (match.equals("*")) {
            return null;
        }
        int slash = match.indexOf('/');
        String host = slash < 0 ? match : match.substring(0, slash);
        byte[] address = literal(host);
        if (address == null) {
            throw rejected(match);
        }
        int max = address.length * 8;
        int length = max;
        if (slash >= 0) {
            String bits = match.substring(slash + 1);
            if (!bits.matches("[0-9]{1,3}") || Integer.parseInt(bits) > max) {
                throw rejected(match);
            }
            length = Integer.parseInt(bits);
        }
        return new Block(address, length);
    }

    /** The bytes of an IP address literal, or {@code null}; never a DNS lookup. */
    private static byte[] literal(String host) {
        if (IPV4.matcher(host).matches()) {
            byte[] b = new byte[4];
            String[] parts = host.split("\\.", -1);
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    return null;
                }
                b[i] = (byte) v;
            }
            return b;
        }
        if (host.indexOf(':') >= 0 && IPV6_CHARS.matcher(host).matches()) {
            try {
                // brackets make the JDK treat it as a literal and fail instead of resolving a name
                byte[] b = InetAddress.getByName("[" + host + "]").getAddress();
                return b;
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }

    private static ManagementException rejected(String match) {
        return FieldRules.invalid(
                "client rule",
                "match",
                "must be '*', an IP address or a CIDR block such as 10.0.0.0/8 or fd00::/8, got '"
                        + FieldRules.printable(match) + "'");
    }
}
