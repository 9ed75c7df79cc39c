package dev.sgw.smb.auth;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * AV_PAIR lists (MS-NLMP 2.2.2.1): the server's target info in the CHALLENGE, and the pairs the client
 * echoes (with its own additions such as MsvAvFlags) inside its NTLMv2 response.
 */
final class AvPairs {
    static final int EOL = 0;
    static final int NB_COMPUTER_NAME = 1;
    static final int NB_DOMAIN_NAME = 2;
    static final int DNS_COMPUTER_NAME = 3;
    static final int DNS_DOMAIN_NAME = 4;
    static final int FLAGS = 6;
    static final int TIMESTAMP = 7;

    /** MsvAvFlags bit: the AUTHENTICATE_MESSAGE carries a MIC. */
    static final int FLAG_MIC_PRESENT = 0x2;

    /** 100 ns ticks between 1601-01-01 and 1970-01-01. */
    private static final long FILETIME_UNIX_EPOCH = 116_444_736_000_000_000L;

    private AvPairs() {}

    /** NetBIOS name from a host name: the first label, upper case, at most 15 characters. */
    static String netbiosName(String serverName) {
        String first = serverName.split("\\.", 2)[0].toUpperCase(Locale.ROOT);
        return first.length() > 15 ? first.substring(0, 15) : first;
    }

    /**
     * The CHALLENGE's target info of a stand-alone server: its NetBIOS and DNS names serve as computer and
     * domain names (as Windows does outside a domain), then MsvAvTimestamp.
     */
    static byte[] targetInfo(String serverName, long unixMillis) {
        String netbios = netbiosName(serverName);
        String dns = serverName.toLowerCase(Locale.ROOT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        put(out, NB_DOMAIN_NAME, NtlmCrypto.utf16(netbios));
        put(out, NB_COMPUTER_NAME, NtlmCrypto.utf16(netbios));
        put(out, DNS_DOMAIN_NAME, NtlmCrypto.utf16(dns));
        put(out, DNS_COMPUTER_NAME, NtlmCrypto.utf16(dns));
        byte[] time = new byte[8];
        NtlmMessages.le(time).putLong(0, FILETIME_UNIX_EPOCH + unixMillis * 10_000L);
        put(out, TIMESTAMP, time);
        put(out, EOL, new byte[0]);
        return out.toByteArray();
    }

    private static void put(ByteArrayOutputStream out, int id, byte[] value) {
        out.write(id);
        out.write(id >>> 8);
        out.write(value.length);
        out.write(value.length >>> 8);
        out.writeBytes(value);
    }

    /**
     * The MsvAvFlags value in an AV_PAIR list starting at {@code offset}, 0 when absent.
     *
     * @throws MalformedTokenException when a pair runs past the end or the list has no EOL
     */
    static int flags(byte[] buf, int offset) throws MalformedTokenException {
        ByteBuffer b = NtlmMessages.le(buf);
        int pos = offset;
        int flags = 0;
        while (true) {
            if (buf.length - pos < 4) {
                throw new MalformedTokenException("AV_PAIR list without MsvAvEOL");
            }
            int id = Short.toUnsignedInt(b.getShort(pos));
            int length = Short.toUnsignedInt(b.getShort(pos + 2));
            pos += 4;
            if (id == EOL) {
                return flags;
            }
            if (buf.length - pos < length) {
                throw new MalformedTokenException("AV_PAIR " + id + " runs past the list");
            }
            if (id == FLAGS && length == 4) {
                flags = b.getInt(pos);
            }
            pos += length;
        }
    }
}
