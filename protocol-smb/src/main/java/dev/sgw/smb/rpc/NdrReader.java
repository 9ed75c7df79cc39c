package dev.sgw.smb.rpc;

import java.nio.charset.StandardCharsets;

/**
 * Reads a little-endian NDR 2.0 request stub. Every overrun or inconsistent count throws {@link RpcFault}
 * with {@link RpcFault#BAD_STUB_DATA}, which the pipe answers with a FAULT PDU.
 */
final class NdrReader {
    /** Longest string accepted, in characters (a share or server name is far shorter). */
    private static final int MAX_STRING_CHARS = 32 * 1024;

    private final byte[] data;
    private int pos;

    NdrReader(byte[] data) {
        this.data = data;
    }

    void align(int n) throws RpcFault {
        int padded = (pos + n - 1) / n * n;
        need(padded - pos);
        pos = padded;
    }

    int u32() throws RpcFault {
        align(4);
        need(4);
        int v = (data[pos] & 0xFF)
                | (data[pos + 1] & 0xFF) << 8
                | (data[pos + 2] & 0xFF) << 16
                | (data[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    /** A unique pointer's referent id: true when the pointee follows. */
    boolean pointer() throws RpcFault {
        return u32() != 0;
    }

    /** A [string] wchar_t conformant varying array, without its terminating NUL. */
    String string() throws RpcFault {
        long max = Integer.toUnsignedLong(u32());
        long offset = Integer.toUnsignedLong(u32());
        long actual = Integer.toUnsignedLong(u32());
        if (offset != 0 || actual > max || actual > MAX_STRING_CHARS) {
            throw new RpcFault(RpcFault.BAD_STUB_DATA, "bad string counts " + max + "/" + offset + "/" + actual);
        }
        int bytes = (int) actual * 2;
        need(bytes);
        int chars = (int) actual;
        if (chars > 0 && data[pos + bytes - 2] == 0 && data[pos + bytes - 1] == 0) {
            chars--;
        }
        String s = new String(data, pos, chars * 2, StandardCharsets.UTF_16LE);
        pos += bytes;
        return s;
    }

    /** A [unique, string] wchar_t pointer: the string, or null for a NULL pointer. */
    String uniqueString() throws RpcFault {
        return pointer() ? string() : null;
    }

    private void need(int n) throws RpcFault {
        if (n < 0 || pos + n > data.length) {
            throw new RpcFault(RpcFault.BAD_STUB_DATA, "stub ends at " + data.length + ", needed " + (pos + n));
        }
    }
}
