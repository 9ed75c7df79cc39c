package dev.sgw.smb.rpc;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes NDR 2.0 (C706 chapter 14) in little-endian data representation, the transfer syntax the pipes
 * accept. Alignment is relative to the start of the stub, which a PDU always places on an 8-byte boundary.
 *
 * <p>Unique pointers get referent ids 0x00020000, 0x00020004, ... in the order they are written, as MIDL and
 * Samba's pidl number them; the caller writes each pointee after the construct that holds the pointer
 * (embedded pointers are deferred), and a [ref] top-level pointer has no representation of its own.
 */
final class NdrWriter {
    private static final int FIRST_REFERENT = 0x00020000;

    private byte[] buf = new byte[256];
    private int len;
    private int referents;

    int position() {
        return len;
    }

    NdrWriter align(int n) {
        while (len % n != 0) {
            u8(0);
        }
        return this;
    }

    NdrWriter u8(int v) {
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    NdrWriter u16(int v) {
        align(2);
        ensure(2);
        buf[len++] = (byte) v;
        buf[len++] = (byte) (v >>> 8);
        return this;
    }

    NdrWriter u32(int v) {
        align(4);
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buf[len++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    /** A unique or full pointer: a fresh referent id when {@code present}, else 0. Returns {@code present}. */
    boolean pointer(boolean present) {
        if (present) {
            u32(FIRST_REFERENT + 4 * referents++);
        } else {
            u32(0);
        }
        return present;
    }

    /** A [string] wchar_t array: max count, offset 0, actual count (in characters, with the NUL), UTF-16LE. */
    NdrWriter string(String s) {
        byte[] chars = s.getBytes(StandardCharsets.UTF_16LE);
        int count = chars.length / 2 + 1;
        u32(count).u32(0).u32(count);
        ensure(chars.length + 2);
        System.arraycopy(chars, 0, buf, len, chars.length);
        len += chars.length;
        buf[len++] = 0;
        buf[len++] = 0;
        return this;
    }

    /** Overwrites the u16 at {@code at} (a length known only once the rest is written). */
    void patchU16(int at, int v) {
        buf[at] = (byte) v;
        buf[at + 1] = (byte) (v >>> 8);
    }

    /** Copies {@code n} bytes of {@code src} from {@code off}, unaligned. */
    NdrWriter bytes(byte[] src, int off, int n) {
        ensure(n);
        System.arraycopy(src, off, buf, len, n);
        len += n;
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }
}
