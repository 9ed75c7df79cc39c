package dev.sgw.core.manage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The MD4 message digest (RFC 1320), which the JDK does not ship. Used only to compute NT hashes for
 * NTLM (MS-NLMP 3.3.1); MD4 is broken as a general hash and must not be used for anything else.
 */
final class Md4 {
    private static final int[] ROUND2_ORDER = {0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15};
    private static final int[] ROUND3_ORDER = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};
    private static final int[] S1 = {3, 7, 11, 19};
    private static final int[] S2 = {3, 5, 9, 13};
    private static final int[] S3 = {3, 9, 11, 15};

    private Md4() {}

    /** The 16-byte MD4 digest of {@code message}. */
    static byte[] digest(byte[] message) {
        // padding: 0x80, zeros to 56 mod 64, then the bit length as a little-endian 64-bit number
        int padded = ((message.length + 8) / 64 + 1) * 64;
        ByteBuffer buf = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(message).put((byte) 0x80);
        buf.putLong(padded - 8, (long) message.length * 8);
        int a = 0x67452301;
        int b = 0xefcdab89;
        int c = 0x98badcfe;
        int d = 0x10325476;
        int[] x = new int[16];
        for (int block = 0; block < padded; block += 64) {
            for (int i = 0; i < 16; i++) {
                x[i] = buf.getInt(block + 4 * i);
            }
            int aa = a;
            int bb = b;
            int cc = c;
            int dd = d;
            for (int i = 0; i < 16; i++) {
                int t = a + ((b & c) | (~b & d)) + x[i];
                a = d;
                d = c;
                c = b;
                b = Integer.rotateLeft(t, S1[i % 4]);
            }
            for (int i = 0; i < 16; i++) {
                int t = a + ((b & c) | (b & d) | (c & d)) + x[ROUND2_ORDER[i]] + 0x5a827999;
                a = d;
                d = c;
                c = b;
                b = Integer.rotateLeft(t, S2[i % 4]);
            }
            for (int i = 0; i < 16; i++) {
                int t = a + (b ^ c ^ d) + x[ROUND3_ORDER[i]] + 0x6ed9eba1;
                a = d;
                d = c;
                c = b;
                b = Integer.rotateLeft(t, S3[i % 4]);
            }
            a += aa;
            b += bb;
            c += cc;
            d += dd;
        }
        return ByteBuffer.allocate(16)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(a)
                .putInt(b)
                .putInt(c)
                .putInt(d)
                .array();
    }
}
