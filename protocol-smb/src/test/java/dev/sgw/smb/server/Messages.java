package dev.sgw.smb.server;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** SMB2 requests built by hand for transport tests (MS-SMB2 2.2.1.2, 2.2.3, 2.2.28). */
final class Messages {
    private Messages() {}

    static final int NEGOTIATE = 0;
    static final int ECHO = 0x0D;
    static final int TREE_CONNECT = 3;

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A 64-byte sync request header. */
    static ByteBuffer header(ByteBuffer b, int command, long messageId, int creditCharge, int credits, int flags) {
        b.putInt(0x424D53FE).putShort((short) 64).putShort((short) creditCharge).putInt(0);
        b.putShort((short) command).putShort((short) credits).putInt(flags).putInt(0);
        b.putLong(messageId).putInt(0).putInt(0).putLong(0).put(new byte[16]);
        return b;
    }

    static byte[] negotiate(long messageId, int... dialects) {
        ByteBuffer b = le(64 + 36 + 2 * dialects.length);
        header(b, NEGOTIATE, messageId, 0, 10, 0);
        b.putShort((short) 36)
                .putShort((short) dialects.length)
                .putShort((short) 1)
                .putShort((short) 0);
        b.putInt(0x7F).put(guid()).putLong(0);
        for (int d : dialects) {
            b.putShort((short) d);
        }
        return b.array();
    }

    /** A 3.1.1 NEGOTIATE with preauth (SHA-512), encryption (the given ciphers) and signing contexts. */
    static byte[] negotiate311(long messageId, int[] ciphers, int[] signing) {
        int dialectsEnd = 64 + 36 + 2 * 2;
        int ctx = (dialectsEnd + 7) & ~7;
        ByteBuffer b = le(ctx + 8 + 38 + 2 + 8 + 2 + 2 * ciphers.length + 6 + 8 + 2 + 2 * signing.length + 8);
        header(b, NEGOTIATE, messageId, 0, 10, 0);
        b.putShort((short) 36).putShort((short) 2).putShort((short) 1).putShort((short) 0);
        b.putInt(0x7F).put(guid()).putInt(ctx).putShort((short) 3).putShort((short) 0);
        b.putShort((short) 0x0302).putShort((short) 0x0311);
        b.position(ctx);
        b.putShort((short) 1).putShort((short) 38).putInt(0);
        b.putShort((short) 1).putShort((short) 32).putShort((short) 1).put(new byte[32]);
        while (b.position() % 8 != 0) {
            b.put((byte) 0);
        }
        b.putShort((short) 2)
                .putShort((short) (2 + 2 * ciphers.length))
                .putInt(0)
                .putShort((short) ciphers.length);
        for (int c : ciphers) {
            b.putShort((short) c);
        }
        while (b.position() % 8 != 0) {
            b.put((byte) 0);
        }
        b.putShort((short) 8)
                .putShort((short) (2 + 2 * signing.length))
                .putInt(0)
                .putShort((short) signing.length);
        for (int s : signing) {
            b.putShort((short) s);
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    static byte[] guid() {
        byte[] g = new byte[16];
        for (int i = 0; i < 16; i++) {
            g[i] = (byte) (i + 1);
        }
        return g;
    }

    static byte[] echo(long messageId, int credits, int flags, int next) {
        ByteBuffer b = le(next == 0 ? 68 : next);
        header(b, ECHO, messageId, 0, credits, flags);
        b.putInt(20, next);
        b.putShort((short) 4).putShort((short) 0);
        return b.array();
    }

    /** An SMB1 NEGOTIATE offering {@code dialects} (each sent as 0x02 name NUL). */
    static byte[] smb1Negotiate(List<String> dialects) {
        StringBuilder s = new StringBuilder();
        for (String d : dialects) {
            s.append('\u0002').append(d).append('\0');
        }
        byte[] bytes = s.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = le(32 + 3 + bytes.length);
        b.put((byte) 0xFF).put((byte) 'S').put((byte) 'M').put((byte) 'B').put((byte) 0x72);
        b.position(32);
        b.put((byte) 0).putShort((short) bytes.length).put(bytes);
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
