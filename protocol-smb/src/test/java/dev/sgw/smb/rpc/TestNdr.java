package dev.sgw.smb.rpc;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Test-side NDR, written from MS-RPCE and C706 independently of the code under test: a little-endian writer for
 * request stubs as Windows and rpcclient send them, and a reader for response stubs.
 */
final class TestNdr {
    private TestNdr() {}

    static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private int referent = 0x00020000;

        Out u8(int v) {
            bytes.write(v);
            return this;
        }

        Out u16(int v) {
            align(2);
            return u8(v).u8(v >>> 8);
        }

        Out u32(int v) {
            align(4);
            return u8(v).u8(v >>> 8).u8(v >>> 16).u8(v >>> 24);
        }

        Out align(int n) {
            while (bytes.size() % n != 0) {
                bytes.write(0);
            }
            return this;
        }

        Out raw(byte[] b) {
            bytes.writeBytes(b);
            return this;
        }

        Out ptr(boolean present) {
            if (present) {
                u32(referent);
                referent += 4;
                return this;
            }
            return u32(0);
        }

        /** Conformant varying UTF-16LE string with its NUL, counts in characters. */
        Out string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_16LE);
            int n = b.length / 2 + 1;
            u32(n).u32(0).u32(n).raw(b).u8(0).u8(0);
            return this;
        }

        Out uniqueString(String s) {
            return s == null ? ptr(false) : ptr(true).string(s);
        }

        int size() {
            return bytes.size();
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    static final class In {
        private final ByteBuffer b;

        In(byte[] data) {
            b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        }

        int u32() {
            align(4);
            return b.getInt();
        }

        int u16() {
            align(2);
            return b.getShort() & 0xFFFF;
        }

        int u8() {
            return b.get() & 0xFF;
        }

        boolean ptr() {
            return u32() != 0;
        }

        String string() {
            int max = u32();
            int offset = u32();
            int actual = u32();
            if (offset != 0 || actual > max || actual < 1) {
                throw new IllegalStateException("bad string header " + max + "/" + offset + "/" + actual);
            }
            byte[] chars = new byte[actual * 2];
            b.get(chars);
            if (chars[chars.length - 1] != 0 || chars[chars.length - 2] != 0) {
                throw new IllegalStateException("string without NUL");
            }
            return new String(chars, 0, chars.length - 2, StandardCharsets.UTF_16LE);
        }

        void align(int n) {
            while (b.position() % n != 0) {
                b.get();
            }
        }

        int remaining() {
            return b.remaining();
        }
    }

    /** NetrShareEnum (opnum 15) request: server name, level, empty container, prefmaxlen, resume handle. */
    static byte[] shareEnumRequest(String server, int level, int prefMaxLen, Integer resume) {
        Out o = new Out().uniqueString(server);
        o.u32(level).u32(level).ptr(true).u32(0).ptr(false);
        o.u32(prefMaxLen);
        o.ptr(resume != null);
        if (resume != null) {
            o.u32(resume);
        }
        return o.bytes();
    }

    /** NetrShareGetInfo (opnum 16) request. */
    static byte[] shareGetInfoRequest(String server, String share, int level) {
        return new Out().uniqueString(server).string(share).u32(level).bytes();
    }

    /** NetrServerGetInfo (opnum 21) or NetrWkstaGetInfo (opnum 0) request. */
    static byte[] getInfoRequest(String server, int level) {
        return new Out().uniqueString(server).u32(level).bytes();
    }
}
